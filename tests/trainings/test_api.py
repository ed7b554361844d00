"""The trainings API: documented in the OpenAPI, public ids in paths, 4xx never 5xx, and the
same permission decisions as the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ekraf.accounts import services as account_services
from ekraf.trainings.models import Attendance, Registration, Training
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db


def bearer(user):
    _, token = account_services.create_api_token(user, "uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, url, data, user):
    return client.post(url, data, content_type="application/json", **bearer(user))


def new_training(agency="diskominfo", **extra):
    start = timezone.now() + timedelta(days=10)
    body = {
        "agency": agency,
        "title": "Bimtek Konten Kreator: Branding Kota",
        "hours": 16,
        "completion_min_post_test": 70,
        "sessions": [
            {
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=4)).isoformat(),
                "space": "ruang-workshop",
            },
            {
                "starts_at": (start + timedelta(days=1)).isoformat(),
                "ends_at": (start + timedelta(days=1, hours=4)).isoformat(),
                "space": "ruang-workshop",
            },
        ],
        "categories": [
            {"name": "Umum", "seats": 70},
            {"name": "ASN", "seats": 70, "audience": "asn"},
        ],
    }
    body.update(extra)
    return body


def test_openapi_documents_every_trainings_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/trainings"])
    assert "get" in paths["/api/v1/trainings/{training_id}"]
    assert "post" in paths["/api/v1/trainings/{training_id}/registrations"]
    assert "post" in paths["/api/v1/registrations/{registration_id}/cancel"]
    assert "post" in paths["/api/v1/checkins"]
    assert "put" in paths["/api/v1/registrations/{registration_id}/scores"]
    assert paths["/api/v1/checkins"]["post"]["summary"]


def test_organiser_creates_and_publishes_by_api(client, organiser, diskominfo):
    response = post(client, "/api/v1/trainings", new_training(publish=True), organiser)
    assert response.status_code == 201, response.content
    data = response.json()
    training = Training.objects.get(public_id=data["id"])
    assert training.status == "published"
    assert [c["seats_left"] for c in data["categories"]] == [70, 70]
    assert [s["space"] for s in data["sessions"]] == ["ruang-workshop", "ruang-workshop"]


def test_creating_for_another_agency_is_refused(client, organiser, creator_user, diskopindag):
    assert (
        post(client, "/api/v1/trainings", new_training("diskopindag"), organiser).status_code == 403
    )
    assert post(client, "/api/v1/trainings", new_training(), creator_user).status_code == 403
    assert (
        client.post(
            "/api/v1/trainings", new_training(), content_type="application/json"
        ).status_code
        == 401
    )
    assert not Training.objects.exists()


def test_bad_training_payloads_are_4xx(client, organiser, diskominfo):
    cases = [
        new_training(sessions=[]),
        new_training(categories=[{"name": "Umum", "seats": 0}]),
        new_training(agency="tidak-ada"),
        new_training(sessions=[{"starts_at": "kemarin", "ends_at": "besok"}]),
        new_training(
            sessions=[
                {
                    "starts_at": "2030-01-01T10:00:00+07:00",
                    "ends_at": "2030-01-01T09:00:00+07:00",
                    "address": "x",
                }
            ]
        ),
        new_training(
            sessions=[
                {"starts_at": "2030-01-01T10:00:00+07:00", "ends_at": "2030-01-01T12:00:00+07:00"}
            ]
        ),
        new_training(
            sessions=[
                {
                    "starts_at": "2030-01-01T10:00:00+07:00",
                    "ends_at": "2030-01-01T12:00:00+07:00",
                    "space": "gudang",
                }
            ]
        ),
        new_training(categories=[{"name": "A", "seats": 1}, {"name": "a", "seats": 2}]),
        new_training(
            registration_opens_at="2030-01-02T00:00:00+07:00",
            registration_closes_at="2030-01-01T00:00:00+07:00",
        ),
        {"title": None},
    ]
    for body in cases:
        response = post(client, "/api/v1/trainings", body, organiser)
        assert 400 <= response.status_code < 500, (body, response.status_code, response.content)
        assert "detail" in response.json()
    assert not Training.objects.exists()


def test_catalogue_and_detail_by_api(client, organiser, training, draft):
    listing = client.get("/api/v1/trainings").json()
    assert listing["count"] == 1
    assert listing["items"][0]["id"] == training.public_id
    assert listing["items"][0]["seats_left"] == 30
    assert client.get(f"/api/v1/trainings/{training.public_id}").status_code == 200
    assert client.get(f"/api/v1/trainings/{draft.public_id}").status_code == 404
    assert client.get("/api/v1/trainings/TIDAKADA").status_code == 404
    mine = client.get("/api/v1/trainings", {"mine": "true"}, **bearer(organiser)).json()
    assert {t["id"] for t in mine["items"]} == {training.public_id, draft.public_id}
    assert client.get("/api/v1/trainings", {"mine": "true"}).status_code == 400
    assert (
        client.get(f"/api/v1/trainings/{draft.public_id}", **bearer(organiser)).status_code == 200
    )


def test_creator_registers_self_and_cancels(client, training, creator_user):
    url = f"/api/v1/trainings/{training.public_id}/registrations"
    response = post(
        client, url, {"full_name": "Ayu Kartika", "phone": "081234567890"}, creator_user
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "confirmed" and len(data["ticket_code"]) == 10
    assert "/pelatihan/t/" in data["ticket_url"]
    again = post(client, url, {}, creator_user)
    assert again.status_code == 409 and again.json()["code"] == "already_registered"
    cancel = post(
        client,
        f"/api/v1/registrations/{data['id']}/cancel",
        {"reason": "Bentrok jadwal"},
        creator_user,
    )
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    assert (
        post(client, f"/api/v1/registrations/{data['id']}/cancel", {}, creator_user).status_code
        == 409
    )


def test_registration_refusals_by_api(client, training, creator_user, diskominfo):
    url = f"/api/v1/trainings/{training.public_id}/registrations"
    assert post(client, url, {"category_id": 999999}, creator_user).status_code == 404
    assert post(client, url, {"kelurahan": "99.99.99.9999"}, creator_user).status_code == 404
    assert post(client, url, {"phone": "12"}, creator_user).status_code == 400
    assert post(client, url, {"gender": "X"}, creator_user).status_code == 422
    assert post(client, url, {"creator_id": "ABCDEFGHJK"}, creator_user).status_code == 403
    closed = tf.training(diskominfo, status="closed")
    response = post(client, f"/api/v1/trainings/{closed.public_id}/registrations", {}, creator_user)
    assert response.status_code == 409 and response.json()["code"] == "registration_closed"
    assert not Registration.objects.exists()


def test_organiser_registers_a_creator_by_id(client, organiser, other_organiser, training):
    from ekraf.creators.models import CreatorProfile

    profile = CreatorProfile.objects.create(
        user=tf.person(), full_name="Rina Marlina", birth_year=2001
    )
    url = f"/api/v1/trainings/{training.public_id}/registrations"
    assert post(client, url, {"creator_id": profile.public_id}, other_organiser).status_code == 403
    response = post(client, url, {"creator_id": profile.public_id}, organiser)
    assert response.status_code == 201
    registration = Registration.objects.get()
    assert (registration.user, registration.full_name, registration.birth_year) == (
        profile.user,
        "Rina Marlina",
        2001,
    )
    assert registration.registered_by == organiser


def test_someone_elses_registration_is_not_found(client, training, creator_user):
    r = tf.register(training)
    assert (
        post(client, f"/api/v1/registrations/{r.public_id}/cancel", {}, creator_user).status_code
        == 404
    )
    r.refresh_from_db()
    assert r.status == "confirmed"


def test_check_in_by_api(client, organiser, other_organiser, training, other_training):
    r = tf.register(training)
    session = training.sessions.first()
    body = {"ticket_code": r.ticket_code, "session_id": session.public_id}
    first = post(client, "/api/v1/checkins", body, organiser)
    assert first.status_code == 201 and first.json()["status"] == "checked_in"
    second = post(client, "/api/v1/checkins", body, organiser)
    assert second.status_code == 200 and second.json()["status"] == "already_checked_in"
    assert "sudah check-in pukul" in second.json()["message"]
    stranger = tf.register(other_training)
    refused = post(
        client, "/api/v1/checkins", {**body, "ticket_code": stranger.ticket_code}, organiser
    )
    assert refused.status_code == 409 and refused.json()["code"] == "other_training"
    assert post(client, "/api/v1/checkins", body, other_organiser).status_code == 403
    assert (
        post(client, "/api/v1/checkins", {**body, "session_id": "NOPE"}, organiser).status_code
        == 404
    )
    assert (
        post(client, "/api/v1/checkins", {**body, "ticket_code": "??"}, organiser).status_code
        == 404
    )
    assert post(client, "/api/v1/checkins", {"ticket_code": ""}, organiser).status_code == 422
    assert Attendance.objects.count() == 1


def test_scores_by_api(client, organiser, other_organiser, training, creator_user):
    r = tf.register(training, creator_user)
    url = f"/api/v1/registrations/{r.public_id}/scores"

    def put(body, user):
        return client.put(url, body, content_type="application/json", **bearer(user))

    response = put({"post_test_score": 82.5}, organiser)
    assert response.status_code == 200
    assert response.json()["post_test_score"] in ("82.50", 82.5)
    assert put({"pre_test_score": 40}, organiser).json()["post_test_score"] in (
        "82.50",
        82.5,
    )  # kept
    assert put({"post_test_score": 101}, organiser).status_code == 422
    assert put({"post_test_score": 90}, other_organiser).status_code == 404
    assert put({"post_test_score": 100}, creator_user).status_code == 403
    r.refresh_from_db()
    assert (r.pre_test_score, r.post_test_score) == (40, 82.5)
