"""Credentials end when they should: a password reset or change ends every session and revokes
every API token; the person sees their sessions and tokens and can end each; the verification
link verifies once and never signs anyone in after that; a reset link dies when used or when
the password changes."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ekraf.accounts import services
from ekraf.accounts.models import UserSession
from ekraf.core import notifications
from tests import factories

pytestmark = pytest.mark.django_db

NEW = "Sandi-Baru-2025!"


def browser(user) -> Client:
    client = Client()
    client.post(
        reverse("accounts:login"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert "_auth_user_id" in client.session
    return client


def is_signed_in(client) -> bool:
    return client.get(reverse("accounts:account")).status_code == 200


def reset_link(client, user) -> str:
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = next(word for word in mail.outbox[-1].body.split() if "/atur-sandi/" in word)
    return link[link.index("/atur-sandi/") :]


def use_reset_link(client, path, password=NEW):
    response = client.get(path)
    if response.status_code != 302:
        return response
    return client.post(response["Location"], {"new_password1": password, "new_password2": password})


def test_a_password_reset_ends_every_session_and_revokes_every_token(city):
    person = factories.user("budi", role="organiser", agency=factories.agency("diskominfo"))
    laptop, phone = browser(person), browser(person)
    _record, token = services.create_api_token(person, "integrasi")
    assert UserSession.objects.filter(user=person).count() == 2
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200

    response = use_reset_link(Client(), reset_link(Client(), person))
    assert response.status_code == 302

    assert not is_signed_in(laptop) and not is_signed_in(phone)
    assert not UserSession.objects.filter(user=person).exists()
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_a_password_change_anywhere_ends_them_too(city):
    """The admin site's password form, `changepassword`: any new hash ends the sessions."""
    person = factories.user("sri", role="creator")
    laptop = browser(person)
    _record, token = services.create_api_token(person, "skrip")
    person.set_password(NEW)
    person.save()
    assert not is_signed_in(laptop)
    assert person.api_tokens.get().revoked_at is not None


def test_the_sessions_page_lists_browsers_and_tokens_and_ends_each(city):
    person = factories.user("ayu", role="creator")
    laptop, phone = browser(person), browser(person)
    record, _token = services.create_api_token(person, "Integrasi ponsel")
    page = laptop.get(reverse("accounts:sessions")).content.decode()
    assert "sesi ini" in page and "Integrasi ponsel" in page
    other = UserSession.objects.exclude(session_key=laptop.session.session_key).get()
    response = laptop.post(reverse("accounts:end_session", args=[other.pk]))
    assert response.status_code == 302
    assert not is_signed_in(phone) and is_signed_in(laptop)
    laptop.post(reverse("accounts:revoke_token", args=[record.pk]), {"from": "sessions"})
    record.refresh_from_db()
    assert record.revoked_at is not None


def test_nobody_ends_someone_elses_session(city):
    person, stranger = factories.user("ayu", role="creator"), factories.user("x", role="creator")
    phone = browser(person)
    row = UserSession.objects.get(user=person)
    browser(stranger).post(reverse("accounts:end_session", args=[row.pk]))
    assert is_signed_in(phone)


def test_the_verification_link_verifies_once_and_signs_in_only_then(client, city):
    client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Siti",
            "email": "siti@contoh.id",
            "password1": "Kopi-Tubruk-2024",
            "password2": "Kopi-Tubruk-2024",
            "agree": "on",
        },
    )
    notifications.send_pending()
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    path = link[link.index("/verifikasi-email/") :]
    first = Client()
    first.get(path)
    assert is_signed_in(first)
    again = Client()  # the link forwarded, or found in a mailbox later
    again.get(path)
    assert not is_signed_in(again)


def test_a_reset_link_dies_when_used(city):
    person = factories.user("budi", role="creator")
    path = reset_link(Client(), person)
    assert use_reset_link(Client(), path).status_code == 302
    response = use_reset_link(Client(), path, password="Sandi-Ketiga-2025!")
    assert response.status_code == 200 and "tidak berlaku" in response.content.decode().lower()


def test_a_reset_link_dies_when_the_password_changes(city):
    person = factories.user("budi", role="creator")
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    path = reverse(
        "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(person)]
    )
    person.set_password(NEW)
    person.save()
    response = use_reset_link(Client(), path, password="Sandi-Ketiga-2025!")
    assert response.status_code == 200 and "tidak berlaku" in response.content.decode().lower()
