"""Pages of the spaces app: rooms and their calendars for everyone (free/busy), asking for a
room and following one's requests, and the space manager's queue, calendar, front desk, rules
and prices. Views parse, call a service or selector, and render; domain errors become form
errors or messages, NotFound/NotAllowed the 404/403 pages.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ekraf.accounts import permissions
from ekraf.core.errors import DomainError, NotFound, domain_pages
from ekraf.core.models import Space
from ekraf.core.selectors import current_city
from ekraf.core.uploads import serve

from . import availability, notices, papers, selectors, services
from . import calendar as feeds
from .forms import (
    ApproveForm,
    BlackoutForm,
    BookingRequestForm,
    CancelForm,
    HoursForm,
    MoveForm,
    PhotoForm,
    PriceForm,
    ReasonForm,
    RoomForm,
    aware,
)
from .models import Blackout, Booking, PriceRule, RoomPhoto, UseClass


def manager_page(view):
    @login_required
    @domain_pages
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_manage_spaces(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _form_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    if exc.field in ("starts_at", "ends_at"):
        field = "start_time" if exc.field == "starts_at" else "end_time"
    form.add_error(field, exc.message)


# --- calendar parameters ------------------------------------------------------------------------


def _period(request) -> tuple[str, date, int]:
    """('week' | 'month', first day, number of days) from ?minggu=YYYY-MM-DD or ?bulan=YYYY-MM."""
    today = timezone.localdate()
    month = request.GET.get("bulan", "")
    if month:
        try:
            year, number = (int(x) for x in month.split("-", 1))
            first, days = selectors.month_bounds(year, number)
            return "month", first, days
        except (ValueError, OverflowError):
            raise Http404 from None
    week = request.GET.get("minggu", "")
    try:
        day = date.fromisoformat(week) if week else today
    except ValueError:
        raise Http404 from None
    return "week", selectors.week_of(day), 7


def _calendar_context(request, room_list, *, details: bool, rooms_key: str) -> dict:
    """The grid's navigation and the grid itself, rendered (`grid_html`). The rendered grid is
    kept per period, rooms (`rooms_key`), details, language and today until a hold, closure or
    room changes (spaces.availability): a repeat reads no bookings and renders no cells.
    `room_list` is only evaluated when the grid is drawn."""
    view, first, days = _period(request)
    if view == "month":
        prev_first = (first - timedelta(days=1)).replace(day=1)
        nxt = first + timedelta(days=days)
        prev_q, next_q = f"?bulan={prev_first:%Y-%m}", f"?bulan={nxt:%Y-%m}"
        other_q = f"?minggu={first:%Y-%m-%d}"
    else:
        prev_q = f"?minggu={first - timedelta(days=7):%Y-%m-%d}"
        next_q = f"?minggu={first + timedelta(days=7):%Y-%m-%d}"
        other_q = f"?bulan={first:%Y-%m}"
    today = timezone.localdate()
    context = {
        "view": view,
        "prev_q": prev_q,
        "next_q": next_q,
        "other_q": other_q,
        "today": today,
    }

    def draw() -> str:
        grid = selectors.calendar(room_list, first, days, details=details)
        return render_to_string("spaces/_grid.html", {**context, "grid": grid})

    key = (view, first.isoformat(), days, rooms_key, int(details), get_language(), today)
    context["grid_html"] = mark_safe(availability.cached("grid", key, draw))  # noqa: S308 - our template
    return context


# =============================================================================================
# Public: rooms, calendars, the feed
# =============================================================================================


def rooms(request):
    return render(request, "spaces/rooms.html", {"rooms": list(selectors.rooms())})


def centre_calendar(request):
    context = _calendar_context(
        request, selectors.calendar_rooms(), details=False, rooms_key="centre"
    )
    return render(request, "spaces/calendar.html", {**context, "manage": False})


@domain_pages
def room(request, code):
    found = selectors.room(code)
    context = _calendar_context(request, [found], details=False, rooms_key=f"room-{found.space_id}")
    blackouts = (
        Blackout.objects.filter(Q(room=found) | Q(room__isnull=True))
        .filter(ends_at__gt=timezone.now())
        .order_by("starts_at")[:10]
    )
    return render(
        request,
        "spaces/room.html",
        {
            **context,
            "room": found,
            "prices": list(found.space.prices.all()),
            "blackouts": list(blackouts),
            "can_request": permissions.can_request_booking(request.user),
        },
    )


@domain_pages
def room_ics(request, code):
    found = selectors.room(code)
    response = HttpResponse(
        feeds.room_feed(found, timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        False, f"jadwal-{found.space.code}.ics"
    )
    return response


# =============================================================================================
# Requesters
# =============================================================================================


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


# =============================================================================================
# The space manager
# =============================================================================================


@manager_page
def manage_queue(request):
    groups = selectors.queue()
    return render(
        request,
        "spaces/manage/queue.html",
        {"groups": groups, "count": sum(len(g.requests) for g in groups)},
    )


@manager_page
def manage_calendar(request):
    context = _calendar_context(
        request, selectors.calendar_rooms(), details=True, rooms_key="centre"
    )
    return render(request, "spaces/calendar.html", {**context, "manage": True})


@manager_page
def manage_approve(request, public_id):
    found = selectors.booking(public_id)
    form = ApproveForm(
        request.POST if request.method == "POST" else None,
        initial={"whole_series": bool(found.series_id)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.approve(
                request.user,
                found,
                whole_series=form.cleaned_data["whole_series"],
                skip_clashes=form.cleaned_data["skip_clashes"],
            )
            text = _("Disetujui: %(n)s tanggal.") % {"n": len(plan.approve)}
            if plan.refuse:
                text += " " + _("%(n)s permohonan yang bentrok ditolak.") % {"n": len(plan.refuse)}
            if plan.blocked:
                text += " " + _("%(n)s tanggal dilewati.") % {"n": len(plan.blocked)}
            messages.success(request, text)
            return redirect("spaces:manage_queue")
        except DomainError as exc:
            messages.error(request, exc.message)
    whole = form.data.get("whole_series") == "on" if form.is_bound else bool(found.series_id)
    plan = services.plan_approval(found, whole_series=whole)
    return render(
        request, "spaces/manage/approve.html", {"booking": found, "plan": plan, "form": form}
    )


@manager_page
def manage_decline(request, public_id):
    found = selectors.booking(public_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline(
                request.user,
                found,
                form.cleaned_data["reason"],
                whole_series=request.POST.get("whole_series") == "on",
            )
            messages.success(request, _("Permohonan ditolak; pemohon diberi tahu."))
            return redirect("spaces:manage_queue")
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "spaces/manage/decline.html", {"booking": found, "form": form})


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Http404 from None


@manager_page
def manage_desk(request):
    day = _day(request.GET["tanggal"]) if request.GET.get("tanggal") else timezone.localdate()
    bookings = list(selectors.day_schedule(day))
    now = timezone.now()
    for b in bookings:
        b.releasable = services.can_release(b, now)
    return render(
        request,
        "spaces/manage/desk.html",
        {
            "day": day,
            "bookings": bookings,
            "prev_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
        },
    )


@manager_page
def manage_day_pdf(request, day):
    when = _day(day)
    city = current_city()
    pdf = papers.day_schedule_pdf(
        when, list(selectors.day_schedule(when)), centre=city.platform_name if city else "Ekraf"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"jadwal-ruang-{when}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


def _desk_action(request, public_id, action) -> HttpResponse:
    found = selectors.booking(public_id)
    try:
        action(found)
    except DomainError as exc:
        messages.error(request, exc.message)
    day = timezone.localtime(found.starts_at).date()
    return redirect(reverse("spaces:manage_desk") + f"?tanggal={day:%Y-%m-%d}")


@manager_page
@require_POST
def manage_check_in(request, public_id):
    def act(found):
        _b, first = services.check_in(request.user, found)
        messages.success(
            request,
            _("%(title)s: check-in dicatat.") % {"title": found.title}
            if first
            else _("%(title)s sudah check-in sebelumnya.") % {"title": found.title},
        )

    return _desk_action(request, public_id, act)


@manager_page
@require_POST
def manage_release(request, public_id):
    def act(found):
        services.release(request.user, found)
        messages.success(
            request, _("%(title)s dilepas; ruang kosong lagi.") % {"title": found.title}
        )

    return _desk_action(request, public_id, act)


@manager_page
def manage_book_direct(request, code):
    return _request_page(request, code, direct=True)


@manager_page
def manage_room(request, code):
    found = selectors.room(code)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        "settings": RoomForm(request.POST if action == "settings" else None, instance=found),
        "hours": HoursForm(request.POST if action == "hours" else None, room=found),
        "blackout": BlackoutForm(request.POST if action == "blackout" else None),
        "photo": PhotoForm(
            request.POST if action == "photo" else None,
            request.FILES if action == "photo" else None,
        ),
    }
    if action:
        try:
            if _room_action(request, found, action, forms):
                messages.success(request, _("Tersimpan."))
                return redirect("spaces:manage_room", code)
        except DomainError as exc:
            form = forms.get(action)
            if form is not None:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.error(request, exc.message)
    return render(
        request,
        "spaces/manage/room.html",
        {
            "room": found,
            "forms": forms,
            "blackouts": list(
                Blackout.objects.filter(room=found, ends_at__gt=timezone.now()).order_by(
                    "starts_at"
                )
            ),
        },
    )


def _room_action(request, found, action, forms) -> bool:
    user = request.user
    if action == "remove_blackout":
        blackout = Blackout.objects.filter(pk=request.POST.get("blackout"), room=found).first()
        if blackout is None:
            raise NotFound(_("Masa tutup tidak ditemukan."))
        services.remove_blackout(user, blackout)
        return True
    if action == "remove_photo":
        photo = RoomPhoto.objects.filter(pk=request.POST.get("photo"), room=found).first()
        if photo is None:
            raise NotFound(_("Foto tidak ditemukan."))
        services.remove_photo(user, photo)
        return True
    form = forms.get(action)
    if form is None or not form.is_valid():
        return False
    d = form.cleaned_data
    if action == "settings":
        services.update_room(user, found, {name: d[name] for name in services.ROOM_FIELDS})
    elif action == "hours":
        services.set_hours(user, found, form.hours())
    elif action == "blackout":
        services.add_blackout(
            user,
            None if d["whole_centre"] else found,
            kind=d["kind"],
            reason=d["reason"],
            starts_at=aware(d["start_day"], datetime.min.time()),
            ends_at=aware(d["end_day"] + timedelta(days=1), datetime.min.time()),
        )
    elif action == "photo":
        services.add_photo(user, found, request.FILES["photo"], d.get("caption", ""))
    return True


@manager_page
def manage_prices(request):
    spaces = list(Space.objects.filter(is_active=True).order_by("floor", "name"))
    if request.method == "POST":
        space = next((s for s in spaces if s.code == request.POST.get("space")), None)
        if space is None:
            raise Http404
        form = PriceForm(request.POST, prefix=space.code)
        if request.POST.get("remove"):
            services.set_price(request.user, space, UseClass.COMMERCIAL, None)
            messages.success(request, _("Tarif %(room)s dihapus.") % {"room": space.name})
            return redirect("spaces:manage_prices")
        if form.is_valid():
            try:
                services.set_price(
                    request.user,
                    space,
                    UseClass.COMMERCIAL,
                    services.PriceInput(**form.cleaned_data),
                )
                messages.success(request, _("Tarif %(room)s disimpan.") % {"room": space.name})
                return redirect("spaces:manage_prices")
            except DomainError as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, _("Periksa tarif %(room)s.") % {"room": space.name})
    prices = {p.space_id: p for p in PriceRule.objects.filter(use_class=UseClass.COMMERCIAL)}
    rows = []
    for space in spaces:
        rule = prices.get(space.pk)
        initial = (
            {
                "hour_rate": rule.hour_rate,
                "day_rate": rule.day_rate,
                "weekend_hour_rate": rule.weekend_hour_rate,
                "weekend_day_rate": rule.weekend_day_rate,
            }
            if rule
            else {}
        )
        rows.append((space, rule, PriceForm(initial=initial, prefix=space.code)))
    return render(request, "spaces/manage/prices.html", {"rows": rows})
