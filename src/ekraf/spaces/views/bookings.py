"""Asking for a room and following one's requests: the request form (the price confirmed
before it is sent), my bookings, a booking's page, moving and cancelling it, and the request
letter. The manager's direct booking at the desk reuses the same form (desk.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ekraf.accounts import permissions
from ekraf.core.errors import DomainError, NotFound, domain_pages
from ekraf.core.uploads import serve

from .. import notices, selectors, services
from ..forms import BookingRequestForm, CancelForm, MoveForm
from ..models import Booking
from .base import _form_error


def _booking_input(form, space, request) -> services.BookingInput:
    d = form.cleaned_data
    return services.BookingInput(
        space=space,
        starts_at=d["starts_at"],
        ends_at=d["ends_at"],
        title=d["title"],
        attendees=d["attendees"],
        use_class=d["use_class"],
        purpose=d.get("purpose", ""),
        organisation=d.get("organisation", ""),
        contact_name=d["contact_name"],
        contact_phone=d["contact_phone"],
        letter=request.FILES.get("request_letter"),
        weeks=d.get("weeks") or 1,
    )


def _request_page(request, code, *, direct: bool):
    found = selectors.room(code)
    user = request.user
    initial = {"contact_name": user.display_name, "weeks": 1}
    if request.GET.get("tanggal"):
        initial["day"] = request.GET["tanggal"]
    form = BookingRequestForm(request.POST or None, request.FILES or None, initial=initial)
    quote = None
    if request.method == "POST" and form.is_valid():
        data = _booking_input(form, found.space, request)
        try:
            quote = services.quote_request(data) if not direct else None
            confirmed = form.cleaned_data.get("confirmed_price")
            if quote is not None and not quote.free and confirmed != quote.total:
                # The price is shown before the request is sent: confirm it, then send.
                form = BookingRequestForm(
                    {**request.POST.dict(), "confirmed_price": quote.total}, initial=initial
                )
                form.is_valid()
                messages.info(
                    request,
                    _("Biaya pemakaian: %(price)s. Periksa, lalu tekan Kirim sekali lagi.")
                    % {"price": quote.label()},
                )
            else:
                booking = services.submit_request(user, data, direct=direct)
                messages.success(request, _status_message(booking))
                return redirect("spaces:booking", booking.public_id)
        except DomainError as exc:
            _form_error(form, exc)
    return render(
        request,
        "spaces/request.html",
        {"room": found, "form": form, "quote": quote, "direct": direct},
    )


def _status_message(booking) -> str:
    if booking.status == Booking.Status.APPROVED:
        return _("Pemesanan tercatat dan disetujui.")
    if booking.status == Booking.Status.QUEUED:
        return _("Permohonan terkirim dan masuk antrean: slot ini sedang ditahan permohonan lain.")
    return _(
        "Permohonan terkirim. Slot ditahan sampai %(when)s WIB sambil menunggu persetujuan."
    ) % {"when": timezone.localtime(booking.expires_at).strftime("%d-%m-%Y %H.%M")}


@login_required
@domain_pages
def request_booking(request, code):
    if not permissions.can_request_booking(request.user):
        messages.error(request, _("Verifikasi email Anda dulu untuk memesan ruang."))
        return redirect("spaces:room", code)
    return _request_page(request, code, direct=False)


@login_required
def my_bookings(request):
    return render(
        request, "spaces/my_bookings.html", {"bookings": list(selectors.bookings_of(request.user))}
    )


def _viewable(request, public_id) -> Booking:
    booking = selectors.booking(public_id)
    if not permissions.can_view_booking(request.user, booking):
        raise NotFound(_("Pemesanan tidak ditemukan."))
    return booking


@login_required
@domain_pages
def booking(request, public_id):
    found = _viewable(request, public_id)
    manager = permissions.can_manage_spaces(request.user)
    series = (
        list(found.series.bookings.order_by("starts_at").select_related("space"))
        if found.series_id
        else []
    )
    start = timezone.localtime(found.starts_at)
    move_form = MoveForm(
        initial={
            "space": found.space.code,
            "day": start.date(),
            "start_time": start.time(),
            "end_time": timezone.localtime(found.ends_at).time(),
        }
    )
    no_shows = selectors.no_shows([found.requester_id]).get(found.requester_id, 0)
    return render(
        request,
        "spaces/booking.html",
        {
            "booking": found,
            "manager": manager,
            "series": series,
            "move_form": move_form,
            "cancel_form": CancelForm(),
            "can_change": permissions.can_change_booking(request.user, found)
            and found.status in (*Booking.OPEN, Booking.Status.APPROVED)
            and found.starts_at > timezone.now(),
            "can_release": manager and services.can_release(found),
            "price_label": services.rupiah(
                found.price if found.price is not None else found.quoted_price
            ),
            "no_shows": no_shows,
            "link": notices.booking_url(found),
        },
    )


@login_required
@require_POST
@domain_pages
def booking_move(request, public_id):
    found = _viewable(request, public_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            moved = services.move_booking(
                request.user,
                found,
                space=form.cleaned_data["space"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
            )
            messages.success(
                request,
                _("Jadwal diubah: %(status)s.") % {"status": moved.get_status_display()},
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Periksa tanggal, jam dan ruang yang baru."))
    return redirect("spaces:booking", public_id)


@login_required
@require_POST
@domain_pages
def booking_cancel(request, public_id):
    found = _viewable(request, public_id)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.cancel_booking(request.user, found, reason=form.cleaned_data.get("reason", ""))
        messages.success(request, _("Pemesanan dibatalkan."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("spaces:booking", public_id)


@login_required
@domain_pages
def booking_letter(request, public_id):
    found = _viewable(request, public_id)
    if not found.request_letter:
        raise Http404
    if permissions.can_manage_spaces(request.user) and request.user.pk != found.requester_id:
        from ekraf.core.services import audit

        audit(request.user, "room.letter_read", found, request=request)
    return serve(found.request_letter, download_name=f"surat-permohonan-{found.public_id}.pdf")
