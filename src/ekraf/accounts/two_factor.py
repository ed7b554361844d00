"""Two-factor sign-in (django-otp): an authenticator app (TOTP) and one-time recovery codes.

After the password, a person with a confirmed device owes the second step; an administrator
without one owes enrolment. Which is owed is decided once, at sign-in (`on_sign_in`), and kept
in the session, so the middleware that holds the person at that step reads only the session:
no query on every page. The admin site (EkrafAdminSite) also requires a verified session.

The session keeps django-otp's own key (DEVICE_ID_SESSION_KEY) for the device that verified.
"""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ekraf.core.errors import DomainError

from . import permissions

STATE_KEY = "ekraf_2fa"
PENDING = "verify"  # the person has a device: the code is owed
ENROL = "enrol"  # an administrator without a device: enrolment is owed
RECOVERY_CODES = 10
TOTP_NAME = "Aplikasi autentikator"
STATIC_NAME = "Kode pemulihan"


def confirmed_devices(user) -> list:
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def on_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: decide whether this session owes a second step."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session.pop(DEVICE_ID_SESSION_KEY, None)
    if has_two_factor(user):
        session[STATE_KEY] = PENDING
    elif permissions.must_use_two_factor(user):
        session[STATE_KEY] = ENROL
    else:
        session.pop(STATE_KEY, None)


def owed(request) -> str | None:
    session = getattr(request, "session", None)
    return session.get(STATE_KEY) if session is not None else None


def is_verified(request) -> bool:
    session = getattr(request, "session", None)
    return bool(session and session.get(DEVICE_ID_SESSION_KEY) and not session.get(STATE_KEY))


def mark_verified(request, device) -> None:
    """The second step is done: a fresh session key (the half-signed-in one is worthless)."""
    from . import sessions

    old_key = request.session.session_key
    request.session.cycle_key()
    sessions.session_key_changed(old_key, request.session.session_key)
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.session.pop(STATE_KEY, None)


def verify(user, code: str):
    """The device that accepts this code (an authenticator code or a recovery code), or None.
    Each device throttles its own failures (django-otp's ThrottlingMixin)."""
    code = (code or "").strip().replace(" ", "").lower()
    if not code:
        return None
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if code.isdigit() and device.verify_token(code):
                return device
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


# --- enrolment -------------------------------------------------------------------------------


def pending_device(user) -> TOTPDevice:
    """The device being enrolled (unconfirmed), made on first visit, kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def secret_text(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_enrolment(user, code: str) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app confirms the device; returns it and the recovery codes,
    which are shown this once."""
    device = pending_device(user)
    if not (code or "").strip().isdigit() or not device.verify_token(code.strip()):
        raise DomainError(_("Kode tidak cocok. Periksa jam ponsel Anda lalu coba lagi."))
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """A fresh set of recovery codes (the old ones stop working)."""
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name=STATIC_NAME, defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- the middleware and the admin site -------------------------------------------------------


class TwoFactorMiddleware:
    """Holds a half-signed-in person (password given, second step owed) at that step."""

    def __init__(self, get_response):
        self.get_response = get_response

    # Public pages that render without the request's session (the verification pages every QR
    # scan opens): holding a half-signed-in person there protects nothing, and reading the
    # session for it would cost every scan a query.
    LEAN_PUBLIC = ("/verifikasi/", "/v/", "/V/")

    def __call__(self, request):
        # No session cookie, no session, nothing owed: an anonymous reader or a token-bearing
        # API client costs neither a session read nor a `Vary: Cookie`.
        if (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
            or request.path.startswith(self.LEAN_PUBLIC)
            or self._exempt(request.path)
        ):
            return self.get_response(request)
        state = owed(request)
        if state and request.user.is_authenticated:
            target = "accounts:two_factor_verify" if state == PENDING else "accounts:two_factor"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (
            reverse("accounts:two_factor_verify"),
            reverse("accounts:two_factor"),
            reverse("accounts:logout"),
            "/static/",
            "/i18n/",
            "/healthz",
        )
        return path.startswith(exempt)


class EkrafAdminSite(admin.AdminSite):
    """Django's admin site, open only to a session that passed the second step."""

    def has_permission(self, request):
        return super().has_permission(request) and is_verified(request)
