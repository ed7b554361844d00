"""The spaces app's part of the API at /api/v1 (mounted by ekraf.api.api): rooms, free/busy,
quotes, booking requests and the space manager's decisions.

Thin like the pages: parse, call a service or selector, answer. Rooms are named by their code
(`auditorium`), bookings by their random public id. Every refusal is a DomainError that
api/api.py turns into {"code", "detail", …}: 409 for a clash (with `clash`: the booking in the
way, without personal data unless the caller is the space manager) and for a transition the
booking's state does not allow (`illegal_transition`).
"""

from __future__ import annotations

import json
from datetime import datetime, time

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from ekraf.accounts import permissions
from ekraf.api.auth import authenticated, viewer
from ekraf.api.errors import ErrorOut
from ekraf.core.errors import DomainError, NotFound

from . import availability, selectors, services
from .models import Booking, Room, UseClass

router = Router(tags=["Ruang MCC"])


class ClashOut(Schema):
    id: str
    space: str
    starts_at: datetime
    ends_at: datetime
    until: datetime
    status: str
    source: str
    title: str | None = None
    organisation: str | None = None


class ConflictOut(ErrorOut):
    clash: ClashOut | None = None


ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ConflictOut,
    422: ErrorOut,
}
READ_ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class HoursOut(Schema):
    weekday: int
    opens: str
    closes: str


class PriceOut(Schema):
    use_class: str
    hour_rate: int
    day_rate: int | None
    weekend_hour_rate: int | None
    weekend_day_rate: int | None


class SpaceOut(Schema):
    id: str = Field(..., description="Kode ruang, mis. auditorium")
    name: str
    floor: int | None
    kind: str
    capacity: int
    facilities: list[str]
    buffer_minutes: int
    min_minutes: int
    max_minutes: int
    max_days_ahead: int
    needs_approval: bool
    hold_hours: int
    bookable: bool
    hours: list[HoursOut]
    prices: list[PriceOut]


class BusyOut(Schema):
    space: str
    starts_at: datetime
    ends_at: datetime
    until: datetime = Field(..., description="Akhir penahanan: selesai + jeda ruang")
    kind: str = Field(..., description="booking, training atau closed")
    firm: bool = Field(..., description="false: permohonan yang menunggu persetujuan")
    id: str | None = None
    status: str | None = None
    title: str | None = None
    organisation: str | None = None
    attendees: int | None = None


class AvailabilityOut(Schema):
    from_: datetime = Query(..., alias="from")
    to: datetime
    busy: list[BusyOut]


class RangeIn(Schema):
    from_: datetime = Field(..., alias="from")
    to: datetime


class QuoteIn(Schema):
    starts_at: datetime
    ends_at: datetime
    use_class: UseClass
    attendees: int = Field(1, ge=1, le=100000)


class QuoteOut(Schema):
    total: int
    free: bool
    lines: list[str]


class BookingIn(Schema):
    starts_at: datetime
    ends_at: datetime
    title: str = Field(..., min_length=1, max_length=200)
    attendees: int = Field(..., ge=1, le=100000)
    use_class: UseClass = UseClass.FREE
    purpose: str = Field("", max_length=5000)
    organisation: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=150)
    contact_phone: str = Field("", max_length=30)
    weeks: int = Field(1, ge=1, le=services.MAX_WEEKS, description="Seri mingguan")
    direct: bool = Field(False, description="Pengelola ruang: langsung disetujui")


class BookingOut(Schema):
    id: str
    space: str
    status: str
    source: str
    starts_at: datetime
    ends_at: datetime
    until: datetime
    title: str
    attendees: int
    use_class: str
    organisation: str
    quoted_price: int | None
    price: int | None = Field(None, description="Ditetapkan saat disetujui")
    expires_at: datetime | None
    reason: str
    checked_in_at: datetime | None
    series: str | None
    series_dates: list[str] = Field(default_factory=list)


class ApproveIn(Schema):
    whole_series: bool = False
    skip_clashes: bool = False


class ApproveOut(Schema):
    approved: list[str]
    refused: list[str]
    skipped: list[str]


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)
    whole_series: bool = False


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


def _no_nul(*values: str) -> None:
    if any("\x00" in (v or "") for v in values):
        raise DomainError(_("Karakter NUL tidak diperbolehkan."), code="invalid")


def _space_out(room) -> SpaceOut:
    s = room.space
    return SpaceOut(
        id=s.code,
        name=s.name,
        floor=s.floor,
        kind=s.kind,
        capacity=s.capacity,
        facilities=room.facility_list(),
        buffer_minutes=room.buffer_minutes,
        min_minutes=room.min_minutes,
        max_minutes=room.max_minutes,
        max_days_ahead=room.max_days_ahead,
        needs_approval=room.needs_approval,
        hold_hours=room.hold_hours,
        bookable=room.is_bookable,
        hours=[
            HoursOut(weekday=h.weekday, opens=f"{h.opens:%H:%M}", closes=f"{h.closes:%H:%M}")
            for h in room.hours.all()
        ],
        prices=[
            PriceOut(
                use_class=p.use_class,
                hour_rate=p.hour_rate,
                day_rate=p.day_rate,
                weekend_hour_rate=p.weekend_hour_rate,
                weekend_day_rate=p.weekend_day_rate,
            )
            for p in s.prices.all()
        ],
    )


def _room(space_id: str):
    _no_nul(space_id)
    return selectors.room(space_id[:40])


def _booking_out(b: Booking) -> BookingOut:
    dates = []
    if b.series_id:
        dates = [
            x.isoformat()
            for x in b.series.bookings.order_by("starts_at").values_list("starts_at", flat=True)
        ]
    return BookingOut(
        id=b.public_id,
        space=b.space.code,
        status=b.status,
        source=b.source,
        starts_at=b.starts_at,
        ends_at=b.ends_at,
        until=b.until,
        title=b.title,
        attendees=b.attendees,
        use_class=b.use_class,
        organisation=b.organisation,
        quoted_price=b.quoted_price,
        price=b.price,
        expires_at=b.expires_at,
        reason=b.reason,
        checked_in_at=b.checked_in_at,
        series=b.series.public_id if b.series_id else None,
        series_dates=dates,
    )


def _bounds(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    if timezone.is_naive(end):
        end = timezone.make_aware(end)
    selectors.check_range(start, end)
    return start, end


def _availability(start, end, space_ids, details: bool) -> HttpResponse:
    """The answer is written straight to JSON (the documented AvailabilityOut shape): a month
    of the whole centre is over a thousand intervals, and validating each through pydantic
    cost more than the query. The JSON is kept per period, rooms and details until a hold
    changes (spaces.availability): a repeat costs two cache reads and no SQL. Only periods
    from midnight to midnight (what calendars ask) are kept: a range to the second would give
    every caller a key of their own."""
    ids = ",".join(str(i) for i in space_ids) if space_ids is not None else "all"
    if any(timezone.localtime(t).time() != time() for t in (start, end)):
        return HttpResponse(
            _availability_json(start, end, space_ids, details), content_type="application/json"
        )
    body = availability.cached(
        "api",
        (start.isoformat(), end.isoformat(), ids, int(details)),
        lambda: _availability_json(start, end, space_ids, details),
    )
    return HttpResponse(body, content_type="application/json")


def _availability_json(start, end, space_ids, details: bool) -> str:
    rooms = Room.objects.select_related("space").only("space__code")
    if space_ids is not None:
        rooms = rooms.filter(space_id__in=space_ids)
    codes = {r.space_id: r.space.code for r in rooms}
    busy = []
    for item in selectors.busy(start, end, space_ids=space_ids, details=details):
        every = item.space_id is None  # a closure of the whole centre
        for code in list(codes.values()) if every else [codes.get(item.space_id, "")]:
            out = {
                "space": code,
                "starts_at": item.starts_at.isoformat(),
                "ends_at": item.ends_at.isoformat(),
                "until": item.until.isoformat(),
                "kind": item.kind,
                "firm": item.firm,
            }
            if details and item.kind != "closed":
                out.update(
                    id=item.id,
                    status=item.status,
                    title=item.title,
                    organisation=item.organisation,
                    attendees=item.attendees,
                )
            busy.append(out)
    body = {"from": start.isoformat(), "to": end.isoformat(), "busy": busy}
    return json.dumps(body)


# --- rooms and availability ---------------------------------------------------------------------


@router.get(
    "/spaces",
    response=list[SpaceOut],
    auth=None,
    summary="Ruang MCC: kapasitas, fasilitas, jam buka, aturan dan tarif",
)
def list_spaces(request):
    return [_space_out(r) for r in selectors.rooms()]


@router.get(
    "/spaces/availability",
    response={200: AvailabilityOut, **READ_ERRORS},
    auth=None,
    by_alias=True,
    summary="Ketersediaan seluruh gedung (paling panjang 62 hari): kapan tiap ruang terisi",
)
def centre_availability(request, period: Query[RangeIn]):
    start, end = _bounds(period.from_, period.to)
    details = permissions.sees_booking_details(viewer(request))
    return _availability(start, end, None, details)


@router.get(
    "/spaces/{space_id}",
    response={200: SpaceOut, 404: ErrorOut},
    auth=None,
    summary="Satu ruang",
)
def get_space(request, space_id: str):
    return _space_out(_room(space_id))


@router.get(
    "/spaces/{space_id}/availability",
    response={200: AvailabilityOut, **READ_ERRORS},
    auth=None,
    by_alias=True,
    summary="Kapan ruang ini terisi (free/busy; rincian hanya untuk pengelola ruang)",
)
def space_availability(request, space_id: str, period: Query[RangeIn]):
    room = _room(space_id)
    start, end = _bounds(period.from_, period.to)
    details = permissions.sees_booking_details(viewer(request))
    return _availability(start, end, [room.space_id], details)


@router.get(
    "/spaces/{space_id}/quote",
    response={200: QuoteOut, **READ_ERRORS, 401: ErrorOut, 403: ErrorOut},
    auth=None,
    summary="Perkiraan biaya sebelum mengajukan (aturan ruang diperiksa dulu)",
)
def quote(request, space_id: str, q: Query[QuoteIn]):
    room = _room(space_id)
    data = services.BookingInput(
        space=room.space,
        starts_at=q.starts_at,
        ends_at=q.ends_at,
        title="-",
        attendees=q.attendees,
        use_class=q.use_class,
    )
    price = services.quote_request(data)
    return QuoteOut(total=price.total, free=price.free, lines=price.lines)


# --- bookings -----------------------------------------------------------------------------------


@router.post(
    "/spaces/{space_id}/bookings",
    response={201: BookingOut, **ERRORS},
    auth=authenticated,
    summary=(
        "Ajukan pemakaian (multipart: field data + berkas letter PDF untuk pemakaian gratis); "
        "409 bila bentrok, dengan `clash`"
    ),
)
def create_booking(
    request, space_id: str, data: Form[BookingIn], letter: File[UploadedFile] = None
):
    room = _room(space_id)
    _no_nul(data.title, data.purpose, data.organisation, data.contact_name, data.contact_phone)
    booking = services.submit_request(
        request.auth,
        services.BookingInput(
            space=room.space,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            title=data.title,
            attendees=data.attendees,
            use_class=data.use_class,
            purpose=data.purpose,
            organisation=data.organisation,
            contact_name=data.contact_name,
            contact_phone=data.contact_phone,
            letter=letter,
            weeks=data.weeks,
        ),
        direct=data.direct,
    )
    return Status(201, _booking_out(selectors.booking(booking.public_id)))


def _visible(request, booking_id: str) -> Booking:
    _no_nul(booking_id)
    booking = selectors.booking(booking_id)
    if not permissions.can_view_booking(request.auth, booking):
        raise NotFound(_("Pemesanan tidak ditemukan."))
    return booking


@router.get(
    "/bookings/{booking_id}",
    response={200: BookingOut, 401: ErrorOut, 404: ErrorOut},
    auth=authenticated,
    summary="Satu pemesanan (pemohonnya atau pengelola ruang)",
)
def get_booking(request, booking_id: str):
    return _booking_out(_visible(request, booking_id))


@router.post(
    "/bookings/{booking_id}/approve",
    response={200: ApproveOut, **ERRORS},
    auth=authenticated,
    summary=(
        "Setujui (pengelola ruang): permohonan yang bentrok ditolak; seri utuh atau dengan "
        "tanggal bentrok dilewati; 409 bila bentrok atau sudah diputus"
    ),
)
def approve(request, booking_id: str, payload: ApproveIn):
    booking = _visible(request, booking_id)
    plan = services.approve(
        request.auth,
        booking,
        whole_series=payload.whole_series,
        skip_clashes=payload.skip_clashes,
    )
    return ApproveOut(
        approved=[b.public_id for b in plan.approve],
        refused=[b.public_id for b in plan.refuse],
        skipped=[b.public_id for b, _c in plan.blocked],
    )


@router.post(
    "/bookings/{booking_id}/decline",
    response={200: BookingOut, **ERRORS},
    auth=authenticated,
    summary="Tolak dengan alasan (pengelola ruang); 409 bila sudah diputus",
)
def decline(request, booking_id: str, payload: ReasonIn):
    _no_nul(payload.reason)
    booking = _visible(request, booking_id)
    services.decline(request.auth, booking, payload.reason, whole_series=payload.whole_series)
    return _booking_out(selectors.booking(booking.public_id))


@router.post(
    "/bookings/{booking_id}/cancel",
    response={200: BookingOut, **ERRORS},
    auth=authenticated,
    summary="Batalkan (pemohon atau pengelola ruang); 409 bila sudah selesai atau diputus",
)
def cancel(request, booking_id: str, payload: CancelIn):
    _no_nul(payload.reason)
    booking = _visible(request, booking_id)
    services.cancel_booking(request.auth, booking, reason=payload.reason)
    return _booking_out(selectors.booking(booking.public_id))


@router.post(
    "/bookings/{booking_id}/check-in",
    response={200: BookingOut, **ERRORS},
    auth=authenticated,
    summary="Check-in di meja depan (pengelola ruang); yang kedua tidak mengubah apa pun",
)
def check_in(request, booking_id: str):
    booking = _visible(request, booking_id)
    services.check_in(request.auth, booking)
    return _booking_out(selectors.booking(booking.public_id))
