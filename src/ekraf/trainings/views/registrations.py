"""A participant's registration: the ticket (signed in or by link), cancelling, answering an offered seat."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ekraf.core.errors import DomainError, NotFound, domain_pages

from .. import notices, selectors, services, tickets
from ..models import Registration
from .base import Status, _pdf, _platform_name, _png, _svg


def _ticket_context(request, registration, *, via_link_token=None):
    training = registration.training
    sessions = list(training.sessions.select_related("space"))
    now = timezone.now()
    deadline = services.cancellation_deadline(training, sessions[0].starts_at if sessions else None)
    is_owner = request.user.is_authenticated and request.user.pk == registration.user_id
    if via_link_token:
        qr_url = reverse("trainings:ticket_link_qr", args=[via_link_token])
        pdf_url = reverse("trainings:ticket_link_pdf", args=[via_link_token])
    else:
        qr_url = reverse("trainings:ticket_qr", args=[registration.public_id])
        pdf_url = reverse("trainings:ticket_pdf", args=[registration.public_id])
    can_cancel = (
        is_owner
        and registration.status in Registration.ACTIVE
        and (deadline is None or now <= deadline)
    )
    return {
        "registration": registration,
        "training": training,
        "sessions": sessions,
        "code_grouped": notices.display_code(registration.ticket_code),
        "qr_url": qr_url,
        "pdf_url": pdf_url,
        "is_owner": is_owner,
        "can_cancel": can_cancel,
        "deadline": deadline,
        "position": selectors.waitlist_position(registration),
        "feedback_open": is_owner and services.feedback_refusal(registration) is None,
        "has_feedback": hasattr(registration, "feedback"),
        "now": now,
    }


@login_required
@domain_pages
def ticket(request, public_id):
    registration = selectors.registration_for(request.user, public_id)
    return render(request, "trainings/ticket.html", _ticket_context(request, registration))


def _confirmed_or_404(registration):
    if registration.status != Status.CONFIRMED:
        raise Http404


@login_required
@domain_pages
def ticket_qr(request, public_id):
    registration = selectors.registration_for(request.user, public_id)
    _confirmed_or_404(registration)
    if request.GET.get("format") == "png":
        return _png(tickets.qr_png(registration.ticket_code))
    return _svg(tickets.qr_svg(registration.ticket_code))


@login_required
@domain_pages
def ticket_pdf(request, public_id):
    registration = selectors.registration_for(request.user, public_id)
    return _ticket_pdf_response(registration)


def _ticket_pdf_response(registration):
    _confirmed_or_404(registration)
    sessions = list(registration.training.sessions.select_related("space"))
    pdf = tickets.ticket_pdf(registration, sessions, _platform_name())
    return _pdf(pdf, f"tiket-{registration.ticket_code}.pdf")


def _registration_from_link(token):
    try:
        public_id = signing.loads(token, salt=notices.TICKET_LINK_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    try:
        return selectors.registration_by_public_id(public_id)
    except NotFound as exc:
        raise Http404 from exc


@never_cache
def ticket_link(request, token):
    """The ticket from the e-mail link: works without signing in (the link is the key)."""
    registration = _registration_from_link(token)
    context = _ticket_context(request, registration, via_link_token=token)
    return render(request, "trainings/ticket.html", context)


def ticket_link_qr(request, token):
    registration = _registration_from_link(token)
    _confirmed_or_404(registration)
    if request.GET.get("format") == "png":
        return _png(tickets.qr_png(registration.ticket_code))
    return _svg(tickets.qr_svg(registration.ticket_code))


def ticket_link_pdf(request, token):
    return _ticket_pdf_response(_registration_from_link(token))


@login_required
@require_POST
@domain_pages
def cancel(request, public_id):
    registration = selectors.registration_for(request.user, public_id)
    try:
        services.cancel_registration(
            request.user, registration, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("trainings:ticket", registration.public_id)
    messages.success(request, _("Pendaftaran Anda dibatalkan. Terima kasih sudah memberi kabar."))
    return redirect("trainings:my_trainings")


@login_required
@require_POST
@domain_pages
def respond_offer(request, public_id):
    registration = selectors.registration_for(request.user, public_id)
    try:
        if request.POST.get("answer") == "terima":
            services.accept_offer(registration, actor=request.user)
            messages.success(request, _("Kursi Anda terkonfirmasi. Sampai jumpa!"))
        else:
            services.decline_offer(registration, actor=request.user)
            messages.info(request, _("Tawaran ditolak; kursi diberikan ke peserta berikutnya."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("trainings:ticket", registration.public_id)


@never_cache
def offer(request, token, action):
    """Accept/decline links from the offer e-mail. GET only shows a button (mail scanners
    follow links); POST acts. The signed link is the key, so no sign-in is needed."""
    if action not in ("terima", "tolak"):
        raise Http404
    error = None
    registration = None
    try:
        registration = services.load_offer(token)
    except DomainError as exc:
        error = exc.message
    if request.method == "POST" and registration is not None:
        try:
            if action == "terima":
                services.accept_offer(registration)
                messages.success(request, _("Kursi Anda terkonfirmasi. Sampai jumpa!"))
            else:
                services.decline_offer(registration)
                messages.info(request, _("Tawaran ditolak. Terima kasih sudah memberi kabar."))
            return redirect(
                "trainings:ticket_link",
                signing.dumps(registration.public_id, salt=notices.TICKET_LINK_SALT),
            )
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "trainings/offer.html",
        {"registration": registration, "action": action, "error": error},
        status=200 if error is None else 409,
    )
