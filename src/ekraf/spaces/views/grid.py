"""The calendar grid that the public calendars and the manager's calendar draw alike: the
period from ?minggu=/?bulan=, the navigation around it, and the rendered grid, cached until a
hold, closure or room changes. Apart because both sides read it and the cache rule lives here."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import availability, selectors


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
