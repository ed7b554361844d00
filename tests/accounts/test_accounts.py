"""Sign-up with e-mail verification, sign-in, password reset, roles."""

import re

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from ekraf.accounts import permissions, services
from ekraf.accounts.models import Role, RoleGrant, User
from ekraf.core import notifications
from ekraf.core.errors import DomainError
from ekraf.core.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db


def signup(client, **overrides):
    data = {
        "full_name": "Siti Nurhaliza",
        "email": "Siti@Contoh.id",
        "password1": "Kreatif-Malang-2024",
        "password2": "Kreatif-Malang-2024",
        "agree": "on",
    } | overrides
    return client.post(reverse("accounts:signup"), data)


def link_in_last_mail() -> str:
    notifications.send_pending()  # what the worker does after commit
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0)


def test_signup_verify_then_login(client, city):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "siti@contoh.id"  # normalised
    assert user.email_verified_at is None
    assert permissions.is_creator(user)

    # Unverified: sign-in is refused with a clear message.
    response = client.post(
        reverse("accounts:login"), {"username": "siti@contoh.id", "password": "Kreatif-Malang-2024"}
    )
    assert response.status_code == 200
    assert "belum diverifikasi" in response.content.decode()

    link = link_in_last_mail()
    assert "/verifikasi-email/" in link
    response = client.get(link[link.index("/verifikasi-email/") :])
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None

    client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": "SITI@contoh.id", "password": "Kreatif-Malang-2024"}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200


def test_signup_errors_keep_what_was_typed(client, city):
    response = signup(client, password2="lain", email="bukan-email")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Siti Nurhaliza"' in body
    assert 'value="bukan-email"' in body
    assert "aria-invalid" in body
    assert not User.objects.exists()


def test_sign_up_does_not_reveal_which_emails_exist(client, city):
    """A taken address gets the same answer as a new one; its owner is told by e-mail."""
    factories.user(email="budi@contoh.id")
    fresh = signup(client, email="baru@contoh.id")
    taken = signup(client.__class__(), email="BUDI@contoh.id")
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(email__iexact="budi@contoh.id").count() == 1
    notifications.send_pending()
    assert mail.outbox[-1].to == ["budi@contoh.id"]
    assert "sudah memiliki akun" in mail.outbox[-1].body
    assert "/verifikasi-email/" not in mail.outbox[-1].body


def test_second_account_with_same_email_is_refused(client, city):
    factories.user(email="budi@contoh.id")
    assert services.sign_up(email="BUDI@contoh.id", password="x-Y-z-123456", full_name="B") is None
    with pytest.raises(DomainError):
        services.create_account(email="Budi@Contoh.id", password="x-Y-z-123456", full_name="B")


def test_tampered_verification_link_is_refused(client, city):
    signup(client)
    link = link_in_last_mail()
    response = client.get(link[link.index("/verifikasi-email/") :].rstrip("/") + "x/", follow=True)
    assert "tidak sah" in response.content.decode()
    assert User.objects.get().email_verified_at is None


def test_password_reset_mail_uses_base_url(client, creator_user, settings):
    settings.BASE_URL = "https://ekraf.contoh.go.id"
    client.post(reverse("accounts:password_reset"), {"email": creator_user.email})
    assert mail.outbox[-1].to == [creator_user.email]
    assert "https://ekraf.contoh.go.id/atur-sandi/" in mail.outbox[-1].body


def test_agency_roles_need_an_agency_and_city_roles_refuse_one(diskominfo):
    user = factories.user(role=None)
    with pytest.raises(DomainError):
        services.grant_role(user, Role.ORGANISER)
    with pytest.raises(IntegrityError):
        RoleGrant.objects.create(user=user, role=Role.EDITOR, agency=diskominfo)


def test_admin_role_opens_django_admin(client, city):
    user = factories.user(role="admin")
    assert user.is_staff and user.is_superuser
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_staff_see_the_kelola_menu_and_creators_do_not(client, organiser, creator_user):
    client.force_login(creator_user)
    assert "Token API" not in client.get("/").content.decode()
    client.force_login(organiser)
    assert "Token API" in client.get("/").content.decode()


def test_anonymous_deletion_keeps_row_but_blocks_login(creator_user):
    services.anonymise_user(creator_user)
    creator_user.refresh_from_db()
    assert not creator_user.is_active
    assert "@" in creator_user.email and "kreator" not in creator_user.email
    assert not RoleGrant.objects.filter(user=creator_user).exists()


def test_signup_survives_a_mail_server_hiccup(client, city, monkeypatch):
    """The verification e-mail goes through the outbox: the sign-up succeeds while the mail
    server is down, and the link is sent when it is back."""

    def smtp_down(self, fail_silently=False):
        raise OSError("Connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", smtp_down)
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get()
    queued = OutboxMessage.objects.get(kind="accounts.verify")
    assert queued.recipient == user and queued.to_email == "siti@contoh.id"
    assert notifications.send_pending() == 0  # still down: kept, to be retried
    queued.refresh_from_db()
    assert queued.status == OutboxMessage.Status.PENDING and "Connection refused" in queued.error
    assert queued.next_attempt_at is not None  # retried after a pause (backoff)

    monkeypatch.undo()
    OutboxMessage.objects.filter(pk=queued.pk).update(next_attempt_at=queued.created_at)  # later
    link = link_in_last_mail()
    assert "/verifikasi-email/" in link
    assert client.get(link[link.index("/verifikasi-email/") :]).status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None
