"""What the space manager (and administrators) set for each room: its rules, opening hours,
closures, photos, and the price list. Each change is in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.db import transaction
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import DomainError, NotFound
from ekraf.core.services import audit
from ekraf.core.uploads import accept_image

from .. import availability
from ..models import Blackout, OpeningHours, PriceRule, Room, RoomPhoto, UseClass

ROOM_FIELDS = (
    "description",
    "facilities",
    "buffer_minutes",
    "min_minutes",
    "max_minutes",
    "max_days_ahead",
    "needs_approval",
    "hold_hours",
    "is_bookable",
)
# Until the manager sets them: Monday to Saturday, 08.00–21.00 (the centre's usual hours).
DEFAULT_HOURS = {day: (time(8), time(21)) for day in range(6)}


def _require(actor) -> None:
    permissions.require(
        permissions.can_manage_spaces(actor),
        _("Hanya pengelola ruang atau administrator yang bisa mengatur ruang."),
    )


def create_room_for(space) -> Room:
    """The Room of a new Space, with the default hours (the signal in apps.py calls this)."""
    room, created = Room.objects.get_or_create(space=space)
    if created:
        OpeningHours.objects.bulk_create(
            OpeningHours(room=room, weekday=day, opens=opens, closes=closes)
            for day, (opens, closes) in DEFAULT_HOURS.items()
        )
        availability.changed()  # bulk_create sends no signal
    return room


def update_room(actor, room: Room, fields: dict) -> Room:
    _require(actor)
    if fields.get("min_minutes", room.min_minutes) > fields.get("max_minutes", room.max_minutes):
        raise DomainError(
            _("Pemakaian tersingkat tidak boleh melebihi yang terlama."), field="min_minutes"
        )
    for name in ROOM_FIELDS:
        if name in fields:
            setattr(room, name, fields[name])
    room.save()
    audit(actor, "room.settings", room.space, detail={k: str(fields[k]) for k in fields})
    return room


def set_hours(actor, room: Room, hours: dict[int, tuple[time, time] | None]) -> None:
    """Opening hours per weekday (0 = Monday); None closes that day."""
    _require(actor)
    for day, span in hours.items():
        if span is not None and span[1] <= span[0]:
            raise DomainError(_("Jam tutup harus sesudah jam buka."), field=f"hours_{day}")
    with transaction.atomic():
        room.hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(room=room, weekday=day, opens=span[0], closes=span[1])
            for day, span in sorted(hours.items())
            if span is not None
        )
        availability.changed()  # bulk_create sends no signal
        audit(actor, "room.hours", room.space)


def add_blackout(actor, room: Room | None, *, kind, reason, starts_at, ends_at) -> Blackout:
    """A closure of one room (or, room None, the whole centre). Bookings already approved in
    it stay: the manager sees them on the calendar and moves or cancels them."""
    _require(actor)
    if not (reason or "").strip():
        raise DomainError(_("Tulis keterangan masa tutup."), field="reason")
    if ends_at <= starts_at:
        raise DomainError(_("Waktu selesai harus sesudah waktu mulai."), field="ends_at")
    blackout = Blackout.objects.create(
        room=room, kind=kind, reason=reason.strip()[:200], starts_at=starts_at, ends_at=ends_at
    )
    audit(actor, "room.blackout", blackout, detail={"room": room.space.code if room else ""})
    return blackout


def remove_blackout(actor, blackout: Blackout) -> None:
    _require(actor)
    audit(actor, "room.blackout_remove", blackout, detail={"reason": blackout.reason})
    blackout.delete()


def add_photo(actor, room: Room, uploaded, caption: str = "") -> RoomPhoto:
    _require(actor)
    clean = accept_image(uploaded, "room_photo", field="photo")
    photo = RoomPhoto(
        room=room, caption=(caption or "").strip()[:200], position=room.photos.count()
    )
    photo.image.save(clean.name, clean.content, save=True)
    audit(actor, "room.photo", room.space)
    return photo


def remove_photo(actor, photo: RoomPhoto) -> None:
    _require(actor)
    audit(actor, "room.photo_remove", photo.room.space)
    photo.image.delete(save=False)
    photo.delete()


@dataclass
class PriceInput:
    hour_rate: int
    day_rate: int | None = None
    weekend_hour_rate: int | None = None
    weekend_day_rate: int | None = None


def set_price(actor, space, use_class: str, price: PriceInput | None) -> PriceRule | None:
    """The tariff of a room for a use class; None removes it (the room then cannot be hired
    in that class). Free use has no tariff. Approved bookings keep the price frozen at approval."""
    _require(actor)
    if use_class not in UseClass.values or use_class == UseClass.FREE:
        raise NotFound(_("Kelas pemakaian ini tidak bertarif."), field="use_class")
    if price is None:
        PriceRule.objects.filter(space=space, use_class=use_class).delete()
        audit(actor, "room.price_remove", space, detail={"use_class": use_class})
        return None
    values = {
        "hour_rate": price.hour_rate,
        "day_rate": price.day_rate,
        "weekend_hour_rate": price.weekend_hour_rate,
        "weekend_day_rate": price.weekend_day_rate,
    }
    if any(v is not None and v < 0 for v in values.values()):
        raise DomainError(_("Tarif tidak boleh negatif."), field="hour_rate")
    rule, _created = PriceRule.objects.update_or_create(
        space=space, use_class=use_class, defaults=values
    )
    audit(actor, "room.price", space, detail={"use_class": use_class, **values})
    return rule


def room_by_code(code: str) -> Room:
    room = Room.objects.select_related("space").filter(space__code=code).first()
    if room is None:
        raise NotFound(_("Ruang tidak ditemukan."))
    return room
