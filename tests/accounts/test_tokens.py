"""Personal access tokens: created once, usable as Bearer, revocable; and POST /auth/token."""

import pytest
from django.urls import reverse

from ekraf.accounts import services
from ekraf.accounts.models import ApiToken
from tests import factories

pytestmark = pytest.mark.django_db


def test_staff_create_use_and_revoke_a_token(client, organiser):
    client.force_login(organiser)
    response = client.post(reverse("accounts:tokens"), {"name": "Integrasi", "days": "90"})
    token = response.context["new_token"]
    assert token.startswith("ekraf_")
    record = ApiToken.objects.get()
    assert token not in record.key_hash  # only a hash is stored

    api = factories_client(token)
    me = api.get("/api/v1/me").json()
    assert me["username"] == organiser.username
    assert me["roles"] == [{"role": "organiser", "agency": "diskominfo"}]

    client.post(reverse("accounts:revoke_token", args=[record.pk]))
    assert api.get("/api/v1/me").status_code == 401


def factories_client(token):
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_creators_have_no_token_page(client, creator_user):
    client.force_login(creator_user)
    assert client.get(reverse("accounts:tokens")).status_code == 403


def test_token_from_username_and_password(client, organiser):
    response = client.post(
        "/api/v1/auth/token",
        {"username": organiser.email, "password": factories.PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 201
    token = response.json()["token"]
    assert services.user_for_token(token) == organiser


def test_wrong_password_gets_400_not_a_token(client, organiser):
    response = client.post(
        "/api/v1/auth/token",
        {"username": organiser.username, "password": "salah"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_credentials"
    assert not ApiToken.objects.exists()


def test_password_guessing_is_throttled_whatever_x_forwarded_for_says(client, organiser):
    """Ninja took the whole X-Forwarded-For as the client's identity: a new value with each
    guess escaped the 10-a-minute throttle of the log-in endpoint. (A different name each time:
    one account is locked after five failures anyway, see test_login_lockout.py.)"""
    statuses = [
        client.post(
            "/api/v1/auth/token",
            {"username": f"{organiser.username}-{n}", "password": f"tebakan-{n}"},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429, 429]


def test_garbage_tokens_are_401(client):
    for header in ("Bearer ", "Bearer ekraf_x", "Bearer " + "a" * 500, "Basic abc"):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=header).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(organiser, monkeypatch):
    """A busy integration calls many times a minute; each call must not be a write."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    record, token = services.create_api_token(organiser, "Integrasi")
    start = timezone.now()
    now = [start]
    monkeypatch.setattr(services.timezone, "now", lambda: now[0])

    def writes():
        with CaptureQueriesContext(connection) as ctx:
            assert services.user_for_token(token) == organiser
        return sum(q["sql"].startswith("UPDATE") for q in ctx.captured_queries)

    assert writes() == 1  # first use
    for seconds in (1, 30, 59):
        now[0] = start + timedelta(seconds=seconds)
        assert writes() == 0
    record.refresh_from_db()
    assert record.last_used_at == start
    now[0] = start + timedelta(seconds=61)
    assert writes() == 1
    record.refresh_from_db()
    assert record.last_used_at == start + timedelta(seconds=61)
