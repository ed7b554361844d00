"""iCalendar files (RFC 5545) for every calendar the platform publishes, written with the
`icalendar` library: it escapes text, folds lines at 75 octets without splitting a character
and writes CRLF, so no app hand-writes the format.

Times are written in UTC ("…Z"), which every calendar converts to the reader's zone, so no
VTIMEZONE block is needed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlparse

import icalendar
from django.conf import settings


def new_calendar(name: str, product: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Ekraf//{product}//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # An X- property is not known to be text, so icalendar would not escape it: say so.
    cal.add("x-wr-calname", icalendar.vText(name))
    return cal


def uid(code: str) -> str:
    """A stable UID: the record's public id at the platform's host."""
    return f"{code}@{urlparse(settings.BASE_URL).hostname or 'ekraf'}"


def add_event(
    cal: icalendar.Calendar,
    *,
    code: str,
    start: datetime,
    end: datetime,
    summary: str,
    stamp: datetime,
    location: str = "",
    description: str = "",
    url: str = "",
    status: str = "CONFIRMED",
    transparent: bool = False,
) -> None:
    event = icalendar.Event()
    event.add("uid", uid(code))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", end.astimezone(UTC))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("status", status)
    if transparent:
        event.add("transp", "TRANSPARENT")
    cal.add_component(event)


def to_text(cal: icalendar.Calendar) -> str:
    return cal.to_ical().decode("utf-8")
