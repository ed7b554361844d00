"""Point 7: the API, every answer documented: rooms, availability (free/busy for everyone,
details for the space manager), requests (multipart with the letter), a clash answers 409 with
the clashing booking, illegal transitions 409."""

from datetime import datetime, timedelta

import pytest

from ekraf.accounts import services as accounts
from ekraf.api.api import api
from ekraf.spaces.models import Booking
from tests.spaces import factories as sf

pytestmark = pytest.mark.django_db
S = Booking.Status


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {accounts.create_api_token(user, 'uji')[1]}"}


def _form(day, **extra):
    return {
        "starts_at": sf.at(day, 10).isoformat(),
        "ends_at": sf.at(day, 12).isoformat(),
        "title": "Diskusi Komunitas Game",
        "attendees": "20",
        "use_class": "sosial",
        "contact_phone": "081234567890",
        **extra,
    }


def test_rooms_and_their_availability(client, workshop, day, space_manager):
    booking = sf.direct(workshop.space, sf.at(day, 10), sf.at(day, 12), title="Rapat Rahasia")
    rooms = client.get("/api/v1/spaces").json()
    workshop_out = next(r for r in rooms if r["id"] == "ruang-workshop")
    assert workshop_out["buffer_minutes"] == 30 and workshop_out["capacity"] == 40
    assert len(workshop_out["hours"]) == 6
    url = "/api/v1/spaces/ruang-workshop/availability"
    query = {"from": sf.at(day, 0).isoformat(), "to": sf.at(day + timedelta(days=7), 0).isoformat()}
    busy = client.get(url, query).json()
    assert busy["from"] and len(busy["busy"]) == 1
    item = busy["busy"][0]
    assert datetime.fromisoformat(item["until"]) == sf.at(day, 12, 30) and item["firm"]
    assert item.get("title") is None and item.get("id") is None  # free/busy only for the public
    detailed = client.get(url, query, **_auth(space_manager)).json()["busy"][0]
    assert detailed["title"] == "Rapat Rahasia" and detailed["id"] == booking.public_id
    centre = client.get("/api/v1/spaces/availability", query).json()
    assert [b["space"] for b in centre["busy"]] == ["ruang-workshop"]
    too_long = {"from": query["from"], "to": sf.at(day + timedelta(days=90), 0).isoformat()}
    assert client.get(url, too_long).status_code == 400
    assert client.get("/api/v1/spaces/tidak-ada/availability", query).status_code == 404


def test_request_approve_and_the_409_of_a_clash(client, workshop, day, space_manager):
    person = sf.requester()
    created = client.post(
        "/api/v1/spaces/ruang-workshop/bookings",
        {**_form(day), "letter": sf.letter()},
        **_auth(person),
    )
    assert created.status_code == 201, created.json()
    booking = created.json()
    assert booking["status"] == "pending"
    assert datetime.fromisoformat(booking["until"]) == sf.at(day, 12, 30)
    # Without the letter, free use is refused.
    refused = client.post("/api/v1/spaces/ruang-workshop/bookings", _form(day), **_auth(person))
    assert refused.status_code == 400 and refused.json()["code"] == "letter_required"
    # The requester may not approve it; the space manager may.
    url = f"/api/v1/bookings/{booking['id']}/approve"
    assert client.post(url, {}, content_type="application/json", **_auth(person)).status_code == 403
    approved = client.post(url, {}, content_type="application/json", **_auth(space_manager))
    assert approved.status_code == 200 and approved.json()["approved"] == [booking["id"]]
    again = client.post(url, {}, content_type="application/json", **_auth(space_manager))
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    # A direct booking by staff 12.10–13.00 clashes through the buffer: 409 with the clash.
    clash = client.post(
        "/api/v1/spaces/ruang-workshop/bookings",
        _form(
            day,
            starts_at=sf.at(day, 12, 10).isoformat(),
            ends_at=sf.at(day, 13).isoformat(),
            direct="true",
        ),
        **_auth(space_manager),
    )
    assert clash.status_code == 409
    body = clash.json()
    assert body["code"] == "overlap" and body["clash"]["id"] == booking["id"]
    assert body["clash"]["title"] == "Diskusi Komunitas Game"  # the manager sees what it is
    mine = client.get(f"/api/v1/bookings/{booking['id']}", **_auth(person)).json()
    assert mine["status"] == "approved" and mine["price"] == 0
    assert (
        client.get(f"/api/v1/bookings/{booking['id']}", **_auth(sf.requester())).status_code == 404
    )


def test_decline_cancel_and_check_in(client, workshop, day, space_manager):
    person = sf.requester()
    a = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12), user=person)
    url = f"/api/v1/bookings/{a.public_id}"
    json = {"content_type": "application/json"}
    declined = client.post(
        url + "/decline", {"reason": "Dipakai Pemkot"}, **json, **_auth(space_manager)
    )
    assert declined.status_code == 200 and declined.json()["reason"] == "Dipakai Pemkot"
    assert client.post(url + "/cancel", {}, **json, **_auth(person)).status_code == 409
    b = sf.request(workshop.space, sf.at(day, 14), sf.at(day, 15), user=person)
    cancelled = client.post(f"/api/v1/bookings/{b.public_id}/cancel", {}, **json, **_auth(person))
    assert cancelled.json()["status"] == "cancelled"
    c = sf.direct(workshop.space, sf.at(day, 16), sf.at(day, 17))
    early = client.post(f"/api/v1/bookings/{c.public_id}/check-in", **_auth(space_manager))
    assert early.status_code == 409  # a week too early


def test_quote(client, workshop, day):
    sf.price(workshop.space, hour=100_000, day=None)
    answer = client.get(
        "/api/v1/spaces/ruang-workshop/quote",
        {
            "starts_at": sf.at(day, 10).isoformat(),
            "ends_at": sf.at(day, 11, 30).isoformat(),
            "use_class": "komersial",
        },
    )
    assert answer.json()["total"] == 200_000


def test_every_status_code_is_documented():
    schema = api.get_openapi_schema()["paths"]
    create = schema["/api/v1/spaces/{space_id}/bookings"]["post"]["responses"]
    assert {201, 400, 401, 403, 404, 409, 422} <= {int(code) for code in create}
    for action in ("approve", "decline", "cancel", "check-in"):
        responses = schema[f"/api/v1/bookings/{{booking_id}}/{action}"]["post"]["responses"]
        assert {200, 401, 403, 404, 409} <= {int(code) for code in responses}, action
