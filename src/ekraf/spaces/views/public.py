"""What everyone may see, signed in or not: the rooms, the centre's and each room's calendar
(free/busy only, no requester's details) and a room's schedule as an iCalendar feed."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from ekraf.accounts import permissions
from ekraf.core.errors import domain_pages

from .. import calendar as feeds
from .. import selectors
from ..models import Blackout
from .grid import _calendar_context


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
