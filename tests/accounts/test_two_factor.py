"""Two-factor sign-in for staff (TOTP apps and one-time recovery codes), required for
administrators and for the admin site. Codes are made as the phone's app makes them
(django_otp.oath.totp), no browser needed."""

import base64
import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:two_factor")
VERIFY = reverse("accounts:two_factor_verify")


def sign_in(client, user, password=factories.PASSWORD, **extra):
    return client.post(LOGIN, {"username": user.username, "password": password}, **extra)


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    return f"{totp(device.bin_key, t0=-offset_steps * device.step):06d}"


def secret_on_page(body: str) -> bytes:
    secret = re.search(r'<code class="user-select-all">([A-Z2-7 ]+)</code>', body).group(1)
    return base64.b32decode(secret.replace(" ", ""))


def enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    body = client.get(SETUP).content.decode()
    assert "data:image/svg+xml" in body  # the QR code for the app
    key = secret_on_page(body)
    response = client.post(SETUP, {"code": f"{totp(key):06d}"})
    assert response.status_code == 200
    codes = re.findall(r"<li>([0-9a-z]{8})</li>", response.content.decode())
    assert len(codes) == 10
    return TOTPDevice.objects.get(user=user, confirmed=True), codes


def test_an_administrator_must_enrol_before_anything_else(client, admin_user):
    response = sign_in(client, admin_user)
    assert response.status_code == 302
    page = client.get(reverse("core:home"))
    assert page.status_code == 302 and page["Location"].startswith(SETUP)
    assert client.get("/admin/")["Location"].startswith(SETUP)
    device, codes = enrol(client, admin_user)
    assert device.name == "Aplikasi autentikator"
    assert client.get("/admin/").status_code == 200


def test_staff_with_two_factor_give_the_code_after_the_password(client, organiser):
    client.force_login(organiser)
    device, _codes = enrol(client, organiser)
    client.logout()

    sign_in(client, organiser)
    page = client.get(reverse("trainings:manage_list"))
    assert page.status_code == 302 and page["Location"].startswith(VERIFY)
    wrong = client.post(VERIFY, {"code": "000000"})
    assert "Kode salah" in wrong.content.decode()
    assert client.get(reverse("trainings:manage_list")).status_code == 302
    time.sleep(1.1)  # each wrong code makes the device wait longer (1 s after the first)
    # The app's next code (the one used at enrolment cannot be replayed).
    response = client.post(VERIFY, {"code": code_for(device, offset_steps=1), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("trainings:manage_list")).status_code == 200


def test_a_recovery_code_works_once(client, organiser):
    client.force_login(organiser)
    _device, codes = enrol(client, organiser)
    client.logout()
    sign_in(client, organiser)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert client.get(reverse("trainings:manage_list")).status_code == 200
    client.logout()
    sign_in(client, organiser)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200 and "Kode salah" in response.content.decode()


def test_recovery_codes_are_shown_once(client, organiser):
    client.force_login(organiser)
    _device, codes = enrol(client, organiser)
    body = client.get(SETUP).content.decode()
    assert "Verifikasi dua langkah aktif" in body
    assert not any(code in body for code in codes)
    assert "Sisa 10 kode pemulihan" in body


def test_the_admin_site_needs_the_second_step_even_with_the_password(client, admin_user):
    """Signing in at /admin/login/ with the right password is not enough."""
    response = client.post(
        reverse("admin:login"), {"username": admin_user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_the_admin_site_refuses_a_session_without_the_second_step(admin_user, rf):
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/admin/")
    request.user = admin_user
    request.session = SessionStore()
    assert admin.site.has_permission(request) is False


def test_creators_have_no_two_factor_page_and_are_never_asked(client, creator_user):
    sign_in(client, creator_user)
    assert client.get(reverse("accounts:account")).status_code == 200
    assert client.get(SETUP).status_code == 403


def test_the_api_token_endpoint_asks_for_the_code(client, organiser):
    client.force_login(organiser)
    device, _codes = enrol(client, organiser)
    client.logout()
    url = "/api/v1/auth/token"
    body = {"username": organiser.username, "password": factories.PASSWORD}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "otp_required"
    body["otp"] = code_for(device, offset_steps=1)
    assert client.post(url, body, content_type="application/json").status_code == 201


def test_an_administrator_without_two_factor_gets_no_api_token(client, admin_user):
    body = {"username": admin_user.username, "password": factories.PASSWORD}
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "two_factor_required"


def test_the_hold_reads_no_session_for_a_visitor_without_one(client, organiser, monkeypatch):
    """No session cookie, nothing owed: an anonymous reader or a token-bearing API client costs
    no session read (no `Vary: Cookie`); a half-signed-in browser is still held, API included."""
    from ekraf.accounts import two_factor

    def no_read(request):
        raise AssertionError("the session was read for a visitor without one")

    monkeypatch.setattr(two_factor, "owed", no_read)
    answer = client.get("/api/v1/regions")
    assert answer.status_code == 200 and "Cookie" not in answer.get("Vary", "")
    monkeypatch.undo()

    client.force_login(organiser)
    enrol(client, organiser)
    client.logout()
    sign_in(client, organiser)  # password given, the code still owed
    held = client.get("/api/v1/regions")
    assert held.status_code == 302 and held["Location"].startswith(VERIFY)
