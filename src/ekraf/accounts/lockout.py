"""The sign-in lockout, one policy under every sign-in path (docs/security.md, "Signing in").

django-axes sits first in AUTHENTICATION_BACKENDS, so the site's form, the API token endpoint and
/admin/login/ all pass through it: whatever calls `django.contrib.auth.authenticate` with a
request is counted and refused alike. It locks one account *from one address*
(AXES_LOCKOUT_PARAMETERS), so a stranger who knows an official's username cannot lock the official
out from elsewhere. Across addresses an account is only slowed down (`slowed_for`): past
LOGIN_SLOWDOWN_AFTER failures in the lockout period, an address the account never signed in
from gets one attempt per LOGIN_SLOWDOWN_SECONDS, while the addresses it did sign in from keep
their own budget.

This module holds the callables axes is configured with (the identity it counts, the client
address, the 429 answer) and the slow-down, kept in the shared cache (core.throttle).
"""

from __future__ import annotations

import ipaddress
import json

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ekraf.core import throttle
from ekraf.core.clientip import client_ip, client_key

KNOWN_ADDRESSES = 10  # addresses remembered per account as "signed in from here before"


def identity_for_name(name: str | None) -> str:
    """The account a sign-in names, typed as username or e-mail (both spellings share one
    count); an unknown name is counted under itself, so the answers are the same."""
    from .models import User

    name = (name or "").strip().lower()[:254]
    pk = (
        User.objects.filter(Q(username__iexact=name) | Q(email__iexact=name))
        .values_list("pk", flat=True)
        .first()
    )
    return f"user:{pk}" if pk is not None else f"name:{name}"


def account_identity(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE."""
    name = (credentials or {}).get("username")
    if name is None and request is not None and request.method == "POST":
        name = request.POST.get("username")
    return identity_for_name(name)


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address as our rate limits see it (behind
    EKRAF_TRUSTED_PROXIES), an IPv6 client counted per /64 (stored as the block's address)."""
    address = client_ip(request)
    if address is None:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def locked_message(seconds: int | None = None) -> str:
    minutes = throttle.minutes(seconds or settings.LOGIN_LOCKOUT_MINUTES * 60)
    return ngettext(
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, coba lagi dalam "
        "%(minutes)d menit, atau atur ulang kata sandi lewat “Lupa kata sandi”.",
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, coba lagi dalam "
        "%(minutes)d menit, atau atur ulang kata sandi lewat “Lupa kata sandi”.",
        minutes,
    ) % {"minutes": minutes}


def slowed_message(seconds: int) -> str:
    return ngettext(
        "Akun ini sedang dicoba dari banyak tempat. Demi keamanan, coba lagi dalam %(seconds)d detik.",
        "Akun ini sedang dicoba dari banyak tempat. Demi keamanan, coba lagi dalam %(seconds)d detik.",
        seconds,
    ) % {"seconds": seconds}


def refusal(request) -> str | None:
    """Why the last `authenticate` on this request was refused before the password was
    checked (locked or slowed), or None."""
    slowed = getattr(request, "ekraf_slowed_for", None)
    if slowed:
        return slowed_message(slowed)
    if getattr(request, "axes_locked_out", False):
        return locked_message()
    return None


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the answer to a refused sign-in, 429 on every path. The site's own
    sign-in page already shows the message in its form; the API answers JSON with a `code`;
    anything else (the admin site) gets a page in Indonesian."""
    message = refusal(request) or locked_message()
    if original_response is not None and original_response.status_code == 429:
        return original_response
    if request.path.startswith("/api/"):
        return HttpResponse(
            json.dumps({"detail": message, "code": "too_many_attempts"}),
            status=429,
            content_type="application/json",
        )
    return render(
        request,
        "accounts/locked_out.html",
        {"message": message, "title": _("Terlalu banyak percobaan")},
        status=429,
    )


# --- the per-account slow-down --------------------------------------------------------------


def _failures() -> throttle.Budget:
    return throttle.Budget(
        "login-account-all",
        settings.LOGIN_SLOWDOWN_AFTER,
        settings.LOGIN_LOCKOUT_MINUTES * 60,
    )


def _slow_mode() -> throttle.Lockout:
    return throttle.Lockout("login-account-slow-mode", settings.LOGIN_LOCKOUT_MINUTES * 60)


def _slow_lane() -> throttle.Budget:
    return throttle.Budget("login-account-slow", 1, settings.LOGIN_SLOWDOWN_SECONDS)


def _known_key(ident: str) -> str:
    return f"ekraf:login-known:{throttle._digest(ident)}"


def known_address(ident: str, address: str) -> bool:
    return address in (throttle._cache().get(_known_key(ident)) or [])


def remember_address(ident: str, address: str) -> None:
    known = [a for a in throttle._cache().get(_known_key(ident)) or [] if a != address]
    known = [address, *known][:KNOWN_ADDRESSES]
    throttle._cache().set(_known_key(ident), known, 60 * 60 * 24 * 90)


def slowed_for(request, ident: str) -> int:
    """Seconds this attempt must wait, 0 if it may go ahead. Only once the account has failed
    LOGIN_SLOWDOWN_AFTER times in the period, and only for addresses it never signed in from."""
    if not throttle.locked_for((_slow_mode(), ident)):
        return 0  # fewer failures than LOGIN_SLOWDOWN_AFTER in the period
    if request is not None and known_address(ident, client_key(request)):
        return 0
    lane = _slow_lane()
    if lane.take(ident) is None:
        return max(1, lane.retry_after(ident))
    return 0


def record_failure(ident: str) -> None:
    slot = _failures().take(ident)
    if slot is None or slot.last:
        _slow_mode().lock(ident)


def record_success(request, ident: str) -> None:
    if request is not None:
        remember_address(ident, client_key(request))


def lift(user) -> None:
    """A password set through the e-mailed link proves the person: their lockouts and
    slow-down end."""
    from axes.utils import reset

    ident = f"user:{user.pk}"
    reset(username=ident)
    _failures().reset(ident)
    _slow_mode().lift(ident)
    _slow_lane().reset(ident)
