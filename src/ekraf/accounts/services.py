"""Writes for accounts: sign-up, e-mail verification, roles, API tokens, account deletion."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ekraf.core import throttle
from ekraf.core.clientip import client_key
from ekraf.core.errors import Conflict, DomainError
from ekraf.core.notifications import notify

from . import lockout, permissions
from .models import AGENCY_ROLES, ApiToken, Role, RoleGrant, User

VERIFY_SALT = "ekraf.accounts.verify-email"
VERIFY_MAX_AGE = 60 * 60 * 24 * 3
TOKEN_PREFIX = "ekraf_"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_taken(email: str, *, exclude_user_id: int | None = None) -> bool:
    qs = User.objects.filter(email__iexact=normalise_email(email))
    if exclude_user_id:
        qs = qs.exclude(pk=exclude_user_id)
    return qs.exists()


@transaction.atomic
def create_account(
    *, email: str, password: str | None, full_name: str, role: str = Role.CREATOR
) -> User:
    """A new account (unverified). A second account with the same e-mail is refused."""
    email = normalise_email(email)
    if email_taken(email):
        raise Conflict(
            _("Email ini sudah terdaftar. Silakan masuk atau atur ulang kata sandi."), field="email"
        )
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=email, email=email, password=password, full_name=full_name.strip()
            )
    except IntegrityError as exc:  # lost a race with an identical sign-up
        raise Conflict(_("Email ini sudah terdaftar."), field="email") from exc
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    grant_role(user, role)
    return user


def verification_token(user: User, next_url: str = "") -> str:
    """Signed: the account, its address and where the person was going (`next`, a path the
    sign-up page already checked; checked again when the link is opened)."""
    data = {"u": user.pk, "e": user.email}
    if next_url:
        data["n"] = next_url[:500]
    return signing.dumps(data, salt=VERIFY_SALT)


def send_verification_email(user: User, next_url: str = "") -> None:
    """Queue the verification link in the outbox like every other message: the worker sends
    it, so a mail-server hiccup never fails the sign-up (the sweep retries it)."""
    token = verification_token(user, next_url)
    link = settings.BASE_URL + reverse("accounts:verify", args=[token])
    context = {"user": user, "link": link}
    notify(
        kind="accounts.verify",
        subject=_("Verifikasi email Anda"),
        body=render_to_string("accounts/email/verify.txt", context),
        user=user,
        email=user.email,
    )


@transaction.atomic
def sign_up(*, email: str, password: str, full_name: str, next_url: str = "") -> User | None:
    """A person's own sign-up: the account and its queued verification e-mail, together.

    The answer never tells whether the address is registered (no list of who has an account):
    for a taken address nothing is created, the owner is e-mailed a notice instead (with the
    way to sign in or reset), the password is hashed all the same so the time taken matches,
    and None is returned — the page shows "check your e-mail" either way. `next_url` (already
    validated) rides in the verification link so the person lands where they were going."""
    email = normalise_email(email)
    if email_taken(email):
        from django.contrib.auth.hashers import make_password

        make_password(password)  # the same work as a real sign-up
        existing = User.objects.filter(email__iexact=email).first()
        login = settings.BASE_URL + reverse("accounts:login")
        if next_url:  # the owner signing in lands where the sign-up was going
            login += "?" + urlencode({"next": next_url})
        context = {"user": existing, "login": login}
        notify(
            kind="accounts.signup_existing",
            subject=_("Ada yang mendaftar dengan email Anda"),
            body=render_to_string("accounts/email/signup_existing.txt", context),
            user=existing,
            email=existing.email,
        )
        return None
    try:
        user = create_account(email=email, password=password, full_name=full_name)
    except Conflict:  # lost a race with an identical sign-up: answer the same way
        return None
    send_verification_email(user, next_url)
    return user


def verify_email(token: str) -> User:
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise DomainError(_("Tautan verifikasi sudah kedaluwarsa. Minta tautan baru.")) from exc
    except signing.BadSignature as exc:
        raise DomainError(_("Tautan verifikasi tidak sah.")) from exc
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise DomainError(_("Tautan verifikasi tidak sah."))
    # Verifies once: a second use of the link changes nothing and signs nobody in
    # (`just_verified` is False), and the row is updated only if still unverified, so two
    # uses at once cannot both count as the first.
    user.just_verified = bool(
        User.objects.filter(pk=user.pk, email_verified_at__isnull=True).update(
            email_verified_at=timezone.now()
        )
    )
    if user.just_verified:
        user.refresh_from_db(fields=["email_verified_at"])
    user.next_url = data.get("n") or ""  # still to be checked against this site by the caller
    return user


def grant_role(user: User, role: str, agency=None, *, actor=None) -> RoleGrant:
    """Give a role; organiser and agency-staff roles need their agency. Audited."""
    if role in AGENCY_ROLES and agency is None:
        raise DomainError(_("Peran ini harus terikat pada satu perangkat daerah."), field="agency")
    if role not in AGENCY_ROLES:
        agency = None
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, agency=agency)
    if created:
        _audit_role(actor, "accounts.role.grant", user, role, agency)
    if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    permissions.forget(user)
    return grant


def _audit_role(actor, action, user, role, agency, request=None):
    from ekraf.core.services import audit

    detail = {"role": role, "agency": getattr(agency, "code", None)}
    audit(actor, action, user, detail=detail, request=request)


def revoke_role(user: User, role: str, agency=None, *, actor=None) -> None:
    """Take a role away. Audited."""
    if RoleGrant.objects.filter(user=user, role=role, agency=agency).delete()[0]:
        _audit_role(actor, "accounts.role.revoke", user, role, agency)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    permissions.forget(user)


# --- API tokens ------------------------------------------------------------------------------


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, name: str, *, days: int | None = None) -> tuple[ApiToken, str]:
    """A new personal access token; returns the record and the token, shown only this once."""
    name = (name or "").strip() or _("Token API")
    secret = secrets.token_urlsafe(32)
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{secret}"
    record = ApiToken.objects.create(
        user=user,
        name=name[:80],
        prefix=prefix,
        key_hash=_hash_token(token),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    return record, token


def revoke_api_token(user: User, token_id: int) -> None:
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise DomainError(_("Token tidak ditemukan atau sudah dicabut."))


LAST_USED_RESOLUTION = timedelta(minutes=1)


def user_for_token(token: str) -> User | None:
    """The active user owning this token, or None (revoked, expired, unknown)."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    now = timezone.now()
    if record.expires_at and record.expires_at <= now:
        return None
    # Record use at most once a minute: a busy integration should not write (and wait for
    # the row lock) on every call. The condition is repeated in SQL so that of many calls
    # arriving together with a stale value, at most one writes.
    stale = now - LAST_USED_RESOLUTION
    if record.last_used_at is None or record.last_used_at < stale:
        ApiToken.objects.filter(pk=record.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
        ).update(last_used_at=now)
    return record.user


def token_for_credentials(request, username: str, password: str, otp: str | None = None) -> str:
    """`POST /api/v1/auth/token`: username (or e-mail) and password give a new token; with
    two-factor sign-in, also the current code. Through the same lockout as every sign-in."""
    from . import two_factor

    user = authenticate(request, username=username, password=password)
    refused = lockout.refusal(request)
    if refused:
        raise TooManyAttempts(refused)
    if user is None:
        raise DomainError(_("Nama pengguna atau kata sandi salah."), code="bad_credentials")
    if user.email_verified_at is None:
        raise DomainError(_("Email belum diverifikasi."), code="unverified")
    if two_factor.has_two_factor(user):
        if two_factor.verify(user, otp or "") is None:
            raise DomainError(
                _("Kode verifikasi dua langkah salah atau belum diisi (kolom otp)."),
                code="otp_required",
            )
    elif permissions.must_use_two_factor(user):
        raise DomainError(
            _("Aktifkan verifikasi dua langkah di Akun saya sebelum meminta token."),
            code="two_factor_required",
        )
    _record, token = create_api_token(
        user, _("Login API %(date)s") % {"date": timezone.localdate().isoformat()}, days=90
    )
    return token


# --- deletion --------------------------------------------------------------------------------


@transaction.atomic
def anonymise_user(user: User) -> None:
    """Strip a user's identity and block sign-in; the row stays for records that point to it."""
    user.username = f"dihapus-{user.pk}"
    user.email = f"dihapus-{user.pk}@invalid.example"
    user.full_name = _("Akun dihapus")
    user.first_name = user.last_name = ""
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    user.role_grants.all().delete()
    permissions.forget(user)


# --- e-mail link throttles (the sign-in lockout is accounts.lockout, in the backends) ----


class TooManyAttempts(DomainError):
    """Refused for a while; says when to try again, never whether an account exists."""

    status = 429
    code = "too_many_attempts"


# E-mails with links (password reset, verification) per address asked for, and per client
# address: enough for a person who lost the first e-mail, too few to flood an inbox or to use
# the platform as a mail cannon.
EMAIL_LINKS_PER_EMAIL = 3
EMAIL_LINKS_PER_ADDRESS = 10
EMAIL_LINKS_WINDOW = 60 * 60


def allow_email_link(request, kind: str, email: str) -> None:
    """Count one request for a password-reset or verification e-mail; TooManyAttempts when the
    e-mail address or the client address has asked too often this hour. Counted whether or not
    an account has that address, so the answer tells nothing about who is registered."""
    per_email = throttle.Budget(f"mail-{kind}-email", EMAIL_LINKS_PER_EMAIL, EMAIL_LINKS_WINDOW)
    per_client = throttle.Budget(
        f"mail-{kind}-address", EMAIL_LINKS_PER_ADDRESS, EMAIL_LINKS_WINDOW
    )
    email_key = normalise_email(email)
    client = client_key(request)
    if per_client.take(client) is None:
        wait = per_client.retry_after(client)
    elif per_email.take(email_key) is None:
        wait = per_email.retry_after(email_key)
    else:
        return
    minutes = throttle.minutes(wait)
    raise TooManyAttempts(
        ngettext(
            "Terlalu banyak permintaan email. Coba lagi dalam %(minutes)d menit.",
            "Terlalu banyak permintaan email. Coba lagi dalam %(minutes)d menit.",
            minutes,
        )
        % {"minutes": minutes}
    )
