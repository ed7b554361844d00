"""GET /api/v1/talent (the directory, same filters and consent and contact rules as the page)
and the speaker-request operations, documented in the OpenAPI; 409 on overlap and on illegal
transitions."""

from datetime import timedelta

import pytest

from ekraf.accounts import services as accounts
from ekraf.api.api import api
from ekraf.talent import services
from tests import factories
from tests.talent import factories as tf

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {accounts.create_api_token(user, 'uji')[1]}"}


def test_openapi_documents_the_talent_operations():
    paths = api.get_openapi_schema()["paths"]
    for path in (
        "/api/v1/talent",
        "/api/v1/speaker-requests",
        "/api/v1/speaker-requests/{public_id}",
        "/api/v1/speaker-requests/{public_id}/shortlist",
        "/api/v1/speaker-bookings/{public_id}/accept",
        "/api/v1/speaker-bookings/{public_id}/decline",
        "/api/v1/speaker-bookings/{public_id}/rate",
    ):
        assert path in paths, path
    assert 409 in paths["/api/v1/speaker-bookings/{public_id}/accept"]["post"]["responses"]


def test_talent_search_filters_consent_and_contact(client, staff):
    tf.talent("Dewi Narasumber", pathways=["narasumber"], phone="+6281234500021")
    tf.talent("Budi Konten", pathways=["content_creator"])
    tf.talent("Citra Tersembunyi", consent=False, pathways=["narasumber"])
    answer = client.get("/api/v1/talent", {"pathway": "narasumber"}, **_auth(staff))
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["full_name"] == "Dewi Narasumber" and item["phone"] == "+6281234500021"
    assert item["pathways"] == ["narasumber"] and item["assessed_pathways"] == []
    assert client.get("/api/v1/talent", {"q": "budi"}, **_auth(staff)).json()["count"] == 1


def test_talent_search_refuses_creators(client, city):
    creator = factories.user("kreator", role="creator")
    assert client.get("/api/v1/talent", **_auth(creator)).status_code == 403


def test_speaker_journey_over_the_api_with_409s(client, staff, diskominfo):
    dewi = tf.talent("Dewi", pathways=["narasumber"])
    start = tf.at(days=6, hour=9)
    payload = {
        "agency": "diskominfo",
        "event": "Seminar",
        "topic": "Konten kota",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
    }
    created = client.post(
        "/api/v1/speaker-requests", payload, content_type="application/json", **_auth(staff)
    )
    assert created.status_code == 201, created.json()
    request_id = created.json()["id"]
    listed = client.get("/api/v1/speaker-requests", **_auth(staff)).json()
    assert [r["id"] for r in listed] == [request_id]
    booking = client.post(
        f"/api/v1/speaker-requests/{request_id}/shortlist",
        {"creator": dewi.public_id},
        content_type="application/json",
        **_auth(staff),
    )
    assert booking.status_code == 201
    booking_id = booking.json()["id"]
    # A clashing engagement accepted first: the API answers 409 overlap with the clash.
    other = tf.speaker_request(staff, diskominfo, start=start + timedelta(hours=1))
    services.accept(dewi.user, services.shortlist(staff, other, dewi))
    clash = client.post(f"/api/v1/speaker-bookings/{booking_id}/accept", **_auth(dewi.user))
    assert clash.status_code == 409 and clash.json()["code"] == "overlap"
    assert clash.json()["clash"]["starts_at"]
    declined = client.post(
        f"/api/v1/speaker-bookings/{booking_id}/decline",
        {"reason": "Bentrok"},
        content_type="application/json",
        **_auth(dewi.user),
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    again = client.post(f"/api/v1/speaker-bookings/{booking_id}/accept", **_auth(dewi.user))
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    bad_rate = client.post(
        f"/api/v1/speaker-bookings/{booking_id}/rate",
        {"rating": 9},
        content_type="application/json",
        **_auth(staff),
    )
    assert bad_rate.status_code in (400, 422)
    mine = client.get("/api/v1/speaker-bookings", **_auth(dewi.user)).json()
    assert {b["status"] for b in mine} == {"declined", "accepted"}


def test_other_agency_cannot_see_the_request(client, staff, other_staff, diskominfo):
    request = tf.speaker_request(staff, diskominfo)
    answer = client.get(f"/api/v1/speaker-requests/{request.public_id}", **_auth(other_staff))
    assert answer.status_code == 404
