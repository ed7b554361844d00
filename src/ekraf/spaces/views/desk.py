"""The front desk on the day: the day's schedule (on screen and as a PDF to print), checking a
group in, releasing a room nobody came for (services/desk.py), and booking a room directly for
someone at the desk (the requesters' form of bookings.py, without the price step)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ekraf.core.errors import DomainError
from ekraf.core.selectors import current_city

from .. import papers, selectors, services
from .base import manager_page
from .bookings import _request_page


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
