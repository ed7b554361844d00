"""The .ics feed of a room: when it is held, for any calendar application. Free/busy only
(the feed is public): "Terisi" for a firm hold, "Ditahan (menunggu persetujuan)" for a pending
request; no names, purposes or organisations. Written through `ekraf.core.ics`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ekraf.core import ics

from . import selectors

FEED_DAYS_BACK, FEED_DAYS_AHEAD = 30, 180


def room_feed(room, now: datetime) -> str:
    start, end = now - timedelta(days=FEED_DAYS_BACK), now + timedelta(days=FEED_DAYS_AHEAD)
    cal = ics.new_calendar(_("Jadwal %(room)s") % {"room": room.space.name}, "Ruang")
    url = settings.BASE_URL + reverse("spaces:room", args=[room.space.code])
    for n, item in enumerate(selectors.busy(start, end, space_ids=[room.space_id])):
        if item.kind == "closed":
            summary = _("Tutup: %(reason)s") % {"reason": item.title}
        elif item.firm:
            summary = _("Terisi")
        else:
            summary = _("Ditahan (menunggu persetujuan)")
        code = f"{room.space.code}-{item.kind}-{int(item.starts_at.timestamp())}-{n}"
        ics.add_event(
            cal,
            code=code,
            start=item.starts_at,
            end=item.ends_at,
            summary=summary,
            stamp=now,
            location=room.space.name,
            url=url,
            status="CONFIRMED" if item.firm else "TENTATIVE",
        )
    return ics.to_text(cal)
