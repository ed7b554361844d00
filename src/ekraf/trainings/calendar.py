"""A training's sessions as an iCalendar file, written through core.ics (the one place that
knows RFC 5545: escaping, folding, CRLF)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse

from ekraf.core import ics

from .notices import place_of


def training_ics(training, sessions, now: datetime) -> str:
    url = settings.BASE_URL + reverse("trainings:detail", args=[training.public_id])
    cal = ics.new_calendar(training.title, "Pelatihan")
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
        ics.add_event(
            cal,
            code=str(session.public_id),
            start=session.starts_at,
            end=session.ends_at,
            summary=summary,
            stamp=now,
            location=place_of(session, reveal_link=False),
            description=description,
            url=url,
            status="CANCELLED" if training.status == "cancelled" else "CONFIRMED",
        )
    return ics.to_text(cal)
