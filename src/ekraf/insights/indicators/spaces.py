"""The creative centre's rooms: how much of their opening hours was booked."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter

from django.utils.translation import gettext_lazy as _

from ekraf.spaces.models import Booking, OpeningHours

from . import PERCENT, ROOM, Figure, Indicator, bounds, register


def _minutes(opens: dt.time, closes: dt.time) -> int:
    return (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)


def utilisation(month) -> list[Figure]:
    start, end = bounds(month)
    days = calendar.monthrange(month.year, month.month)[1]
    weekdays = Counter(dt.date(month.year, month.month, d).weekday() for d in range(1, days + 1))
    open_minutes = Counter()
    for code, weekday, opens, closes in OpeningHours.objects.values_list(
        "room__space__code", "weekday", "opens", "closes"
    ):
        open_minutes[code] += weekdays[weekday] * _minutes(opens, closes)
    booked = Counter()
    for code, starts, ends in Booking.objects.filter(
        status=Booking.Status.APPROVED, starts_at__lt=end, ends_at__gt=start
    ).values_list("space__code", "starts_at", "ends_at"):
        booked[code] += int((min(ends, end) - max(starts, start)).total_seconds() // 60)
    return [
        Figure(booked[code], open_minutes[code], key=code)
        for code in set(open_minutes) | set(booked)
        if open_minutes[code]
    ]


register(
    Indicator(
        code="RUA-01",
        name=_("Pemanfaatan ruang"),
        theme="spaces",
        concept=_("Bagian jam buka ruang yang terpakai oleh pemesanan yang disetujui."),
        formula=_("Σ menit pemesanan disetujui dalam bulan ÷ Σ menit jam buka bulan itu × 100"),
        unit=PERCENT,
        classification=(ROOM,),
        key=ROOM,
        sources=("spaces.Booking", "spaces.OpeningHours", "spaces.Room", "core.Space"),
        caveats=_(
            "Hari libur dan penutupan tidak dikurangkan dari jam buka; pemesanan yang dilepas "
            "karena tidak hadir tidak dihitung; pemakaian di luar jam buka ikut dihitung."
        ),
        compute=utilisation,
    )
)
