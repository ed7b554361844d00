"""Reads of the spaces app: rooms, calendars (free/busy or with details), the queue, a person's
bookings. Each runs a fixed number of queries whatever the number of rooms, days or bookings.

Free/busy carries no personal data: when a room is held and whether the hold is firm (approved,
a training) or tentative (a pending request). Details (what, who, how many) only for the space
manager: `details=True` is decided by the caller through permissions.sees_booking_details.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.db.models import BigIntegerField, Count, Prefetch, Q
from django.db.models.functions import Cast, Extract
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.core.errors import NotFound
from ekraf.core.ids import is_valid

from .models import Blackout, Booking, OpeningHours, PriceRule, Room, RoomPhoto

S = Booking.Status
MAX_RANGE_DAYS = 62  # the longest calendar or availability range one request may ask for


def rooms():
    """Bookable rooms with hours, photos and prices (four queries in all)."""
    return (
        Room.objects.filter(space__is_active=True)
        .select_related("space")
        .prefetch_related(
            Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday")),
            Prefetch("photos", queryset=RoomPhoto.objects.order_by("position", "pk")),
            Prefetch("space__prices", queryset=PriceRule.objects.order_by("use_class")),
        )
        .order_by("space__floor", "space__name")
    )


def calendar_rooms():
    """Bookable rooms with their hours: what a calendar grid shows (two queries)."""
    return (
        Room.objects.filter(space__is_active=True)
        .select_related("space")
        .prefetch_related(Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday")))
        .order_by("space__floor", "space__name")
    )


def room(code: str) -> Room:
    found = rooms().filter(space__code=code).first()
    if found is None:
        raise NotFound(_("Ruang tidak ditemukan."))
    return found


# --- calendars ----------------------------------------------------------------------------------


@dataclass
class Busy:
    """One hold on the calendar. `title`…`attendees` are empty unless details were asked for."""

    space_id: int
    starts_at: datetime
    ends_at: datetime
    until: datetime
    firm: bool  # approved or a training; False: a pending request holding the slot
    kind: str  # booking | training | closed
    id: str = ""
    status: str = ""
    title: str = ""
    organisation: str = ""
    contact_name: str = ""
    attendees: int | None = None

    @property
    def label(self) -> str:
        """'09.00–11.00' in local time (WIB), for the week view."""
        return f"{_hm(self.starts_at)}–{_hm(self.ends_at)}"


def _hm(value: datetime) -> str:
    local = value.astimezone(timezone.get_current_timezone())
    return f"{local.hour:02d}.{local.minute:02d}"


def _epoch(field_name: str):
    return Cast(Extract(field_name, "epoch", tzinfo=UTC), BigIntegerField())


def _times(queryset, fields: list[str]) -> list[tuple]:
    """values_list of `fields` with the three times as aware datetimes. On PostgreSQL they are
    fetched as epoch seconds: the driver's timestamptz parser (in Python, through Django's
    time-zone loader) cost about 14 µs a value, most of a month's availability."""
    if connection.vendor != "postgresql":
        return list(queryset.values_list(*fields))
    names = {"starts_at": "_s", "ends_at": "_e", "until": "_u"}
    annotated = queryset.annotate(**{alias: _epoch(name) for name, alias in names.items()})
    rows = annotated.values_list(*[names.get(f, f) for f in fields])
    at = datetime.fromtimestamp
    times = [i for i, f in enumerate(fields) if f in names]
    out = []
    for row in rows:
        row = list(row)
        for i in times:
            row[i] = at(row[i], UTC)
        out.append(tuple(row))
    return out


_DETAIL_FIELDS = ("public_id", "status", "title", "organisation", "contact_name", "attendees")


def busy(start: datetime, end: datetime, *, space_ids=None, details: bool = False) -> list[Busy]:
    """Holds and closures overlapping [start, end), ordered by room and start (two queries).
    With details (the space manager) queued requests are listed too, marked as such."""
    fields = ["space_id", "starts_at", "ends_at", "until", "status", "source"]
    if details:
        fields += _DETAIL_FIELDS
    # Unordered (sorted below in Python): the model's ordering would make the database sort.
    bookings = _overlapping(
        Booking.objects.filter(status__in=Booking.HOLDING).order_by(), start, end
    )
    if space_ids is not None:
        bookings = bookings.filter(space_id__in=list(space_ids))
    rows = _times(bookings, fields)
    if details:
        queued = Booking.objects.filter(
            status=S.QUEUED, starts_at__lt=end, until__gt=start
        ).order_by()
        if space_ids is not None:
            queued = queued.filter(space_id__in=list(space_ids))
        rows += _times(queued, fields)
    rows.sort(key=lambda row: (row[0], row[1]))
    out = []
    for row in rows:
        space_id, starts_at, ends_at, until, status, source = row[:6]
        item = Busy(
            space_id=space_id,
            starts_at=starts_at,
            ends_at=ends_at,
            until=until,
            firm=status == S.APPROVED,
            kind="training" if source == Booking.Source.TRAINING else "booking",
        )
        if details:
            item.id, item.status, item.title, item.organisation = row[6], status, row[8], row[9]
            item.contact_name, item.attendees = row[10], row[11]
        out.append(item)
    closures = Blackout.objects.filter(starts_at__lt=end, ends_at__gt=start).values(
        "room_id", "starts_at", "ends_at", "reason"
    )
    if space_ids is not None:
        closures = closures.filter(Q(room_id__in=list(space_ids)) | Q(room__isnull=True))
    all_ids = list(space_ids) if space_ids is not None else None
    for row in closures:
        targets = [row["room_id"]] if row["room_id"] else (all_ids or [None])
        for space_id in targets:
            out.append(
                Busy(
                    space_id=space_id,
                    starts_at=row["starts_at"],
                    ends_at=row["ends_at"],
                    until=row["ends_at"],
                    firm=True,
                    kind="closed",
                    title=row["reason"],
                )
            )
    return out


def _overlapping(bookings, start: datetime, end: datetime):
    """Holding bookings overlapping [start, end). On PostgreSQL asked as a range overlap, which
    the exclusion constraint's GiST index answers (a month among 50,000 rows in a few ms; the
    two comparisons would scan every earlier booking)."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.fields import RangeBoundary
        from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

        from ekraf.core.overlap import TsTzRange

        return bookings.alias(span=TsTzRange("starts_at", "until", RangeBoundary())).filter(
            span__overlap=DateTimeTZRange(start, end, "[)")
        )
    return bookings.filter(starts_at__lt=end, until__gt=start)


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Cell:
    day: date
    items: list[Busy] = field(default_factory=list)
    open_hours: tuple | None = None  # (opens, closes) or None when the room is closed that day
    firm: int = 0  # approved bookings and training sessions (the month view's counts)
    tentative: int = 0  # pending (and, for the manager, queued) requests
    closures: list[Busy] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.open_hours is None

    def add(self, item: Busy) -> None:
        self.items.append(item)
        if item.kind == "closed":
            self.closures.append(item)
        elif item.firm:
            self.firm += 1
        else:
            self.tentative += 1


@dataclass
class Row:
    room: Room
    cells: list[Cell]


@dataclass
class Calendar:
    first: date
    days: list[date]
    rows: list[Row]
    details: bool

    @property
    def start(self) -> datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> datetime:
        return local_midnight(self.days[-1] + timedelta(days=1))


def calendar(room_list, first: date, days: int, *, details: bool = False) -> Calendar:
    """A grid of rooms × days with each day's holds, closures and opening hours. `room_list`
    comes from `rooms()` (hours prefetched): this adds two queries, whatever its size."""
    room_list = list(room_list)
    dates = [first + timedelta(days=i) for i in range(days)]
    start, end = local_midnight(dates[0]), local_midnight(dates[-1] + timedelta(days=1))
    by_room: dict[int | None, list[Busy]] = defaultdict(list)
    ids = [r.space_id for r in room_list]
    for item in busy(start, end, space_ids=ids, details=details):
        by_room[item.space_id].append(item)
    rows = []
    tz = timezone.get_current_timezone()  # once: each localtime() call looks it up again
    for r in room_list:
        hours = {h.weekday: (h.opens, h.closes) for h in r.hours.all()}
        cells = {d: Cell(d, open_hours=hours.get(d.weekday())) for d in dates}
        for item in by_room.get(r.space_id, []):
            day = max(item.starts_at.astimezone(tz).date(), dates[0])
            last = min((item.ends_at - timedelta(microseconds=1)).astimezone(tz).date(), dates[-1])
            while day <= last:
                cells[day].add(item)
                day += timedelta(days=1)
        rows.append(Row(r, [cells[d] for d in dates]))
    return Calendar(first=dates[0], days=dates, rows=rows, details=details)


def month_bounds(year: int, month: int) -> tuple[date, int]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, (following - first).days


def check_range(start: datetime, end: datetime) -> None:
    from ekraf.core.errors import DomainError

    if end <= start:
        raise DomainError(_("Akhir rentang harus sesudah awalnya."), field="to")
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise DomainError(
            _("Rentang paling panjang %(n)s hari.") % {"n": MAX_RANGE_DAYS}, field="to"
        )


# --- bookings -----------------------------------------------------------------------------------


def booking(public_id: str) -> Booking:
    found = (
        Booking.objects.select_related("space__room", "requester", "series", "session__training")
        .filter(public_id=(public_id or "").upper())
        .first()
        if is_valid(public_id or "") and len(public_id) <= 16
        else None
    )
    if found is None:
        raise NotFound(_("Pemesanan tidak ditemukan."))
    return found


def bookings_of(user):
    return (
        Booking.objects.filter(requester=user)
        .exclude(source=Booking.Source.TRAINING)
        .select_related("space")
        .order_by("-starts_at")
    )


def no_shows(user_ids) -> dict[int, int]:
    """Released bookings (no-shows) per requester, in one query."""
    rows = (
        Booking.objects.filter(requester_id__in=list(user_ids), status=S.RELEASED)
        .values("requester_id")
        .annotate(n=Count("pk"))
    )
    return {row["requester_id"]: row["n"] for row in rows}


@dataclass
class QueueGroup:
    """Open requests of one room that overlap each other (directly or through one another):
    approving one refuses the others it overlaps."""

    room_name: str
    requests: list[Booking]

    @property
    def conflicting(self) -> bool:
        return len(self.requests) > 1


def queue(now=None) -> list[QueueGroup]:
    """Every open request, soonest first, grouped by conflict (two queries)."""
    open_requests = list(
        Booking.objects.filter(status__in=Booking.OPEN)
        .select_related("space", "requester", "series")
        .order_by("space_id", "starts_at", "pk")
    )
    counts = no_shows({b.requester_id for b in open_requests if b.requester_id})
    groups: list[QueueGroup] = []
    current: list[Booking] = []
    reach = None
    for b in open_requests:
        b.no_shows = counts.get(b.requester_id, 0)
        if current and (b.space_id != current[-1].space_id or b.starts_at >= reach):
            groups.append(QueueGroup(current[0].space.name, current))
            current, reach = [], None
        current.append(b)
        reach = b.until if reach is None else max(reach, b.until)
    if current:
        groups.append(QueueGroup(current[0].space.name, current))
    groups.sort(key=lambda g: min(b.starts_at for b in g.requests))
    return groups


def day_schedule(day: date):
    """Everything that holds a room on `day`, for the front desk and its printed schedule."""
    start = local_midnight(day)
    end = start + timedelta(days=1)
    return (
        Booking.objects.filter(status__in=Booking.HOLDING, starts_at__lt=end, ends_at__gt=start)
        .select_related("space", "requester", "session__training__agency")
        .order_by("starts_at", "space__floor", "space__name")
    )
