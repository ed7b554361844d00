"""An iCalendar file (RFC 5545) of a training's sessions, written by hand: it is small.

Times are in UTC ("…Z"), which every calendar converts to the reader's zone, so no VTIMEZONE
block is needed. Text values are escaped (backslash, semicolon, comma, newline) and lines are
folded at 75 octets without splitting a UTF-8 character, as the RFC requires.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlparse

from django.conf import settings
from django.urls import reverse

from .notices import place_of


def escape_text(value: str) -> str:
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines starting with
    a space (RFC 5545 §3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        # Do not cut a multi-byte character: back off to the start of a UTF-8 sequence.
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines begin with one space
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def training_ics(training, sessions, now: datetime) -> str:
    host = urlparse(settings.BASE_URL).hostname or "ekraf"
    url = settings.BASE_URL + reverse("trainings:detail", args=[training.public_id])
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ekraf//Pelatihan//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(training.title)}",
    ]
    count = len(sessions)
    for number, session in enumerate(sessions, start=1):
        summary = training.title
        if count > 1:
            summary += f" (sesi {number}/{count})"
        if session.title:
            summary += f": {session.title}"
        description = f"{training.agency.name}\n{url}"
        if session.online_url:
            description += "\nTautan daring dikirim kepada peserta terkonfirmasi."
        lines += [
            "BEGIN:VEVENT",
            f"UID:{session.public_id}@{host}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(session.starts_at)}",
            f"DTEND:{_utc(session.ends_at)}",
            f"SUMMARY:{escape_text(summary)}",
            f"LOCATION:{escape_text(place_of(session, reveal_link=False))}",
            f"DESCRIPTION:{escape_text(description)}",
            f"URL:{url}",
            "STATUS:CANCELLED" if training.status == "cancelled" else "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
