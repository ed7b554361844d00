"""The rules a booking request must pass before it may hold a room, and its price.

Each refusal names the rule that refused it (DomainError code `rule_*`), so the requester knows
what to change: outside opening hours, on a closed day, inside a blackout, too short, too long,
too far ahead, in the past, more people than the room holds. Training sessions are not held to
these rules (an organiser may run a session after hours); they only may not overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.core.errors import DomainError
from ekraf.core.templatetags.ekraf import jam, tanggal

from ..models import WEEKDAYS, Blackout, OpeningHours, PriceRule, Room, UseClass


def weekday_name(weekday: int) -> str:
    return str(WEEKDAYS[weekday])


def _refuse(message: str, rule: str, field_name: str = "starts_at") -> DomainError:
    return DomainError(message, code=f"rule_{rule}", field=field_name, data={"rule": rule})


def blackout_in_the_way(room: Room, start: datetime, end: datetime) -> Blackout | None:
    return (
        Blackout.objects.filter(Q(room=room) | Q(room__isnull=True))
        .filter(starts_at__lt=end, ends_at__gt=start)
        .order_by("starts_at")
        .first()
    )


def check_times(start: datetime, end: datetime) -> None:
    if start is None or end is None:
        raise _refuse(_("Isi waktu mulai dan selesai."), "times")
    if end <= start:
        raise _refuse(_("Waktu selesai harus sesudah waktu mulai."), "order", "ends_at")


def check_rules(
    room: Room,
    start: datetime,
    end: datetime,
    *,
    attendees: int | None = None,
    now: datetime | None = None,
    staff: bool = False,
    hours: list[OpeningHours] | None = None,
) -> None:
    """Raise the first rule this booking breaks. `staff` (the space manager booking directly)
    is not bound by how far ahead one may book; everything else holds for everyone."""
    now = now or timezone.now()
    check_times(start, end)
    space = room.space
    if not room.is_bookable or not space.is_active:
        raise _refuse(_("%(room)s sedang tidak bisa dipesan.") % {"room": space.name}, "closed")
    if start < now:
        raise _refuse(_("Waktu mulai sudah lewat."), "past")
    minutes = (end - start).total_seconds() / 60
    if minutes < room.min_minutes:
        raise _refuse(
            _("Pemakaian %(room)s paling singkat %(n)s menit.")
            % {"room": space.name, "n": room.min_minutes},
            "too_short",
            "ends_at",
        )
    if minutes > room.max_minutes:
        raise _refuse(
            _("Pemakaian %(room)s paling lama %(hours)s jam sekali pesan.")
            % {"room": space.name, "hours": _hours(room.max_minutes)},
            "too_long",
            "ends_at",
        )
    if not staff and start > now + timedelta(days=room.max_days_ahead):
        raise _refuse(
            _("%(room)s bisa dipesan paling jauh %(n)s hari ke depan.")
            % {"room": space.name, "n": room.max_days_ahead},
            "too_far",
        )
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    if hours is None:
        hours = list(room.hours.all())
    today = {h.weekday: h for h in hours}.get(local_start.weekday())
    if today is None:
        raise _refuse(
            _("%(room)s tutup pada hari %(day)s.")
            % {"room": space.name, "day": weekday_name(local_start.weekday())},
            "closed_day",
        )
    if (
        local_end.date() != local_start.date()
        or local_start.time() < today.opens
        or local_end.time() > today.closes
    ):
        raise _refuse(
            _("Di luar jam buka: %(room)s buka hari %(day)s pukul %(opens)s–%(closes)s WIB.")
            % {
                "room": space.name,
                "day": weekday_name(local_start.weekday()),
                "opens": today.opens.strftime("%H.%M"),
                "closes": today.closes.strftime("%H.%M"),
            },
            "hours",
        )
    blackout = blackout_in_the_way(room, start, end)
    if blackout is not None:
        raise _refuse(
            _("%(room)s ditutup %(from)s–%(to)s: %(reason)s.")
            % {
                "room": space.name,
                "from": f"{tanggal(blackout.starts_at)} {jam(blackout.starts_at)}",
                "to": f"{tanggal(blackout.ends_at)} {jam(blackout.ends_at)}",
                "reason": blackout.reason,
            },
            "blackout",
        )
    if attendees is not None:
        if attendees < 1:
            raise _refuse(_("Isi perkiraan jumlah peserta."), "attendees", "attendees")
        if space.capacity and attendees > space.capacity:
            raise _refuse(
                _("%(room)s muat paling banyak %(n)s orang.")
                % {"room": space.name, "n": space.capacity},
                "capacity",
                "attendees",
            )


def _hours(minutes: int) -> str:
    value = minutes / 60
    return f"{value:g}".replace(".", ",")


# --- price --------------------------------------------------------------------------------------


@dataclass
class Quote:
    """What a booking costs under the price list as it stands: the total and each day's part."""

    total: int
    lines: list[str] = field(default_factory=list)
    free: bool = False

    def label(self) -> str:
        if self.free:
            return _("Gratis (dengan surat permohonan)")
        return rupiah(self.total)


def rupiah(amount: int | None) -> str:
    if amount is None:
        return "–"
    return "Rp" + f"{int(amount):,}".replace(",", ".")


def _day_parts(start: datetime, end: datetime):
    """(local date, minutes) for each calendar day the booking touches (in WIB)."""
    cursor = timezone.localtime(start)
    end = timezone.localtime(end)
    while cursor < end:
        midnight = (cursor + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        stop = min(midnight, end)
        yield cursor.date(), (stop - cursor).total_seconds() / 60
        cursor = stop


def quote(
    space, use_class: str, start: datetime, end: datetime, rule: PriceRule | None = None
) -> Quote:
    """The price of using `space` from start to end in `use_class`. Free use costs nothing;
    commercial use needs a price in the list (otherwise the room cannot be hired commercially).
    Each day: whole hours started × the hourly rate, capped by the day rate; Saturday and
    Sunday at the weekend rates where the list has them."""
    check_times(start, end)
    if use_class == UseClass.FREE:
        return Quote(0, free=True)
    if rule is None:
        rule = PriceRule.objects.filter(space=space, use_class=use_class).first()
    if rule is None:
        raise DomainError(
            _("%(room)s belum punya tarif untuk kelas pemakaian ini.") % {"room": space.name},
            code="rule_no_price",
            field="use_class",
            data={"rule": "no_price"},
        )
    total, lines = 0, []
    for day, minutes in _day_parts(start, end):
        weekend = day.weekday() >= 5
        hourly = rule.weekend_hour_rate if weekend and rule.weekend_hour_rate else rule.hour_rate
        daily = rule.weekend_day_rate if weekend and rule.weekend_day_rate else rule.day_rate
        hours = math.ceil(minutes / 60 - 1e-9)
        cost = hours * hourly
        if daily is not None and daily < cost:
            cost = daily
            lines.append(
                _("%(day)s: tarif harian %(price)s") % {"day": tanggal(day), "price": rupiah(cost)}
            )
        else:
            lines.append(
                _("%(day)s: %(hours)s jam × %(rate)s")
                % {"day": tanggal(day), "hours": hours, "rate": rupiah(hourly)}
            )
        total += cost
    return Quote(total, lines)
