"""Pages for signing in safely: two-factor enrolment and verification, sessions and tokens.

Kept apart from views.py (sign-up, verification, sign-in) so each changes on its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ekraf.core.errors import DomainError

from . import permissions, selectors, sessions, two_factor
from .forms import TwoFactorCodeForm
from .redirects import next_of


def _next(request, default="accounts:account"):
    return next_of(request, default)


@login_required
def two_factor_setup(request):
    """Akun saya › Verifikasi dua langkah: scan the QR, type the first code, keep the
    recovery codes (shown only here, once)."""
    user = request.user
    if not permissions.can_use_two_factor(user):
        raise PermissionDenied
    enrolled = two_factor.has_two_factor(user)
    if enrolled and two_factor.owed(request) == two_factor.PENDING:
        return redirect("accounts:two_factor_verify")
    form = TwoFactorCodeForm(request.POST or None)
    context = {"form": form, "enrolled": enrolled, "next": _next(request, "")}
    if request.method == "POST" and request.POST.get("action") == "recovery" and enrolled:
        context["recovery_codes"] = two_factor.new_recovery_codes(user)
        return render(request, "accounts/two_factor_setup.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.confirm_enrolment(user, form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            two_factor.mark_verified(request, device)
            messages.success(request, _("Verifikasi dua langkah aktif."))
            context.update(enrolled=True, recovery_codes=codes)
            return render(request, "accounts/two_factor_setup.html", context)
    if not enrolled or request.GET.get("ganti"):
        device = two_factor.pending_device(user)
        context.update(qr=two_factor.qr_data_uri(device), secret=two_factor.secret_text(device))
    context["codes_left"] = two_factor.recovery_codes_left(user) if enrolled else 0
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request):
    """The second step after the password: a code from the app, or a recovery code."""
    if two_factor.owed(request) != two_factor.PENDING:
        return redirect(_next(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            two_factor.mark_verified(request, device)
            if device.name == two_factor.STATIC_NAME:
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _("Anda masuk dengan kode pemulihan. Sisa kode: %(left)d.") % {"left": left},
                )
            return redirect(_next(request))
        form.add_error("code", _("Kode salah atau sudah dipakai. Coba lagi."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request, "")}
    )


@login_required
def sessions_page(request):
    """Akun saya › Sesi dan token: every signed-in browser and API token, each can be ended."""
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": sessions.active_sessions(request.user, request.session.session_key),
            "tokens": selectors.api_tokens(request.user),
        },
    )


@login_required
@require_POST
def end_session(request, session_id):
    try:
        sessions.end_session(request.user, session_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sesi diakhiri. Peramban itu harus masuk lagi."))
    return redirect("accounts:sessions")
