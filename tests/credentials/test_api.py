"""The API: issue as a job, follow it, verify, revoke; 4xx, never 5xx."""

import pytest
from django.test import Client

from ekraf.accounts import services as account_services
from ekraf.credentials import services
from ekraf.credentials.models import Certificate, IssuanceJob
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _record, token = account_services.create_api_token(user, "uji")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_issue_follow_and_revoke_through_the_api(
    organiser, other_organiser, diskominfo, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    training = cf.training(diskominfo)
    cf.completers(training, 3)
    client = api(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/trainings/{training.public_id}/certificates")
    assert response.status_code == 202
    job_id = response.json()["id"]
    assert IssuanceJob.objects.get().public_id == job_id
    with django_capture_on_commit_callbacks(execute=True):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job = client.get(f"/api/v1/jobs/{job_id}").json()
    assert (job["status"], job["done"], job["total"]) == ("finished", 3, 3)

    code = Certificate.objects.first().code
    assert (
        api(other_organiser)
        .post(
            f"/api/v1/certificates/{code}/revoke",
            {"reason": "bukan milik kami"},
            "application/json",
        )
        .status_code
        == 403
    )
    assert api(other_organiser).get(f"/api/v1/jobs/{job_id}").status_code == 404
    short = client.post(f"/api/v1/certificates/{code}/revoke", {"reason": "x"}, "application/json")
    assert short.status_code == 400
    revoked = client.post(
        f"/api/v1/certificates/{code}/revoke", {"reason": "Nama peserta keliru"}, "application/json"
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert Certificate.objects.get(code=code).revoked_reason == "Nama peserta keliru"
    twice = client.post(
        f"/api/v1/certificates/{code}/revoke", {"reason": "Nama peserta keliru"}, "application/json"
    )
    assert twice.status_code == 409


def test_a_revocation_reason_longer_than_printed_is_refused_not_cut(organiser, diskominfo):
    """The reason was cut to 300 characters without a word (and kept whole in the audit log
    and the holder's notice, whatever its size)."""
    training = cf.training(diskominfo)
    cf.completers(training, 1)
    cf.issue(training)
    code = Certificate.objects.get().code
    long_reason = "Data peserta keliru: " + "x" * 300
    response = api(organiser).post(
        f"/api/v1/certificates/{code}/revoke", {"reason": long_reason}, "application/json"
    )
    assert response.status_code == 422
    with pytest.raises(services.DomainError, match="paling banyak 300"):
        services.revoke_certificate(organiser, code, long_reason)
    assert Certificate.objects.get().revoked_at is None


def test_bad_requests_are_4xx(organiser, diskominfo):
    client = api(organiser)
    assert client.post("/api/v1/trainings/NOPE/certificates").status_code == 404
    assert client.get("/api/v1/jobs/NOPE").status_code == 404
    assert (
        client.post("/api/v1/certificates/NOPE/revoke", {}, "application/json").status_code == 422
    )
    assert (
        client.post(
            "/api/v1/certificates/NOPE/revoke", {"reason": "alasan panjang"}, "application/json"
        ).status_code
        == 404
    )
    assert Client().post("/api/v1/trainings/X/certificates").status_code == 401
