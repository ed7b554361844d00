"""Tables of the spaces app: each room's booking rules, its hours, closures, photos and prices,
and the bookings that hold it.

Why a `Room` table one-to-one with `core.Space` rather than more columns on Space: Space is the
city's reference data (name, floor, kind, capacity, loaded by `load_city` from the city's
spreadsheet and used by trainings); how a room may be booked — buffer, approval, horizon, hours,
prices — is the space manager's policy, edited in this app's pages and changed far more often
than the reference data. Keeping it here spares core a migration and keeps core from knowing
this app. Every Space gets its Room when it is created (a post_save signal, see apps.py, and the
data migration for the spaces that existed before), so `load_city` keeps loading the same CSV.

The guarantee: two bookings that hold one room never overlap, buffer included
(`Booking.Meta.constraints`, through `ekraf.core.overlap`). A booking stores `until` = its end
plus the room's buffer (in minutes) at the time it was written, and holds [starts_at, until).
So "buffer between bookings" means: the next booking of the room may start no sooner than
`buffer` minutes after the previous one ends (end 12.00, buffer 30: 12.30 is allowed, 12.29 is
refused). A buffer changed later applies to bookings written after the change.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ekraf.core.ids import random_code
from ekraf.core.overlap import no_overlap


def _public_id() -> str:
    return random_code(12)


class UseClass(models.TextChoices):
    """What a booking is for; decides its price and what it must bring."""

    FREE = "sosial", _("Sosial/edukasi (gratis, dengan surat permohonan)")
    COMMERCIAL = "komersial", _("Komersial (bertarif)")


class Room(models.Model):
    """How one room of the creative centre may be booked."""

    space = models.OneToOneField(
        "core.Space",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="room",
        verbose_name=_("ruang"),
    )
    description = models.TextField(_("keterangan"), blank=True)
    facilities = models.TextField(
        _("fasilitas"), blank=True, help_text=_("Satu fasilitas per baris, mis. Proyektor.")
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("jeda antarpemesanan (menit)"),
        default=0,
        help_text=_("Waktu bersih-bersih dan persiapan sesudah setiap pemakaian."),
    )
    min_minutes = models.PositiveSmallIntegerField(_("pemakaian tersingkat (menit)"), default=30)
    max_minutes = models.PositiveSmallIntegerField(_("pemakaian terlama (menit)"), default=10 * 60)
    max_days_ahead = models.PositiveSmallIntegerField(
        _("paling jauh dipesan (hari ke depan)"), default=90
    )
    needs_approval = models.BooleanField(_("perlu persetujuan pengelola"), default=True)
    hold_hours = models.PositiveSmallIntegerField(
        _("permohonan menahan slot (jam)"),
        default=48,
        help_text=_("Permohonan yang belum diputus selama ini gugur dan slotnya dilepas."),
    )
    is_bookable = models.BooleanField(_("bisa dipesan"), default=True)

    class Meta:
        verbose_name = _("aturan ruang")
        verbose_name_plural = _("aturan ruang")

    def __str__(self):
        return str(self.space)

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    def facility_list(self) -> list[str]:
        return [line.strip() for line in self.facilities.splitlines() if line.strip()]


WEEKDAYS = (
    _("Senin"),
    _("Selasa"),
    _("Rabu"),
    _("Kamis"),
    _("Jumat"),
    _("Sabtu"),
    _("Minggu"),
)


class OpeningHours(models.Model):
    """When a room is open on one weekday (0 = Monday). A weekday without a row is closed."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("hari"))
    opens = models.TimeField(_("buka"), default=time(8))
    closes = models.TimeField(_("tutup"), default=time(16))

    class Meta:
        ordering = ["weekday"]
        verbose_name = _("jam buka")
        verbose_name_plural = _("jam buka")
        constraints = [
            models.UniqueConstraint(fields=["room", "weekday"], name="opening_hours_one_per_day"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_hours_weekday"),
        ]

    def get_weekday_name(self) -> str:
        return str(WEEKDAYS[self.weekday])


class Blackout(models.Model):
    """A period a room cannot be booked: a holiday, maintenance, the centre's own event.
    With no room it closes the whole centre."""

    class Kind(models.TextChoices):
        HOLIDAY = "libur", _("Hari libur")
        MAINTENANCE = "perawatan", _("Perawatan")
        CLOSED = "tutup", _("Tutup")

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="blackouts", null=True, blank=True
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.CLOSED)
    reason = models.CharField(_("keterangan"), max_length=200)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("masa tutup")
        verbose_name_plural = _("masa tutup")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="blackout_order")
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self):
        return self.reason


class RoomPhoto(models.Model):
    """A photo of a room (public: stored under the public media prefix, passed through the
    upload gate's `room_photo` rule, so it carries no metadata)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("foto"), upload_to="public/ruang/")
    caption = models.CharField(_("keterangan foto"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("foto ruang")
        verbose_name_plural = _("foto ruang")


class PriceRule(models.Model):
    """The tariff of one room for one use class (rupiah): per hour and per day, weekday and
    weekend. A day costs the lower of its hours × hourly rate and the day rate."""

    space = models.ForeignKey(
        "core.Space", on_delete=models.CASCADE, related_name="prices", verbose_name=_("ruang")
    )
    use_class = models.CharField(_("kelas pemakaian"), max_length=12, choices=UseClass.choices)
    hour_rate = models.PositiveIntegerField(_("tarif per jam"), default=0)
    day_rate = models.PositiveIntegerField(_("tarif per hari"), null=True, blank=True)
    weekend_hour_rate = models.PositiveIntegerField(
        _("tarif per jam akhir pekan"), null=True, blank=True
    )
    weekend_day_rate = models.PositiveIntegerField(
        _("tarif per hari akhir pekan"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["space__floor", "space__name", "use_class"]
        verbose_name = _("tarif")
        verbose_name_plural = _("tarif")
        constraints = [
            models.UniqueConstraint(fields=["space", "use_class"], name="price_one_per_class")
        ]


class BookingSeries(models.Model):
    """A weekly series: its occurrences are ordinary bookings (one row each)."""

    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    weeks = models.PositiveSmallIntegerField(_("jumlah minggu"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seri mingguan")
        verbose_name_plural = _("seri mingguan")


class Booking(models.Model):
    """One use of one room: a request (pending, queued, then decided), a direct booking by the
    space manager, or the hold of a training session (source = training)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu persetujuan")  # holds its slot until expires_at
        QUEUED = "queued", _("Antre (slot ditahan permohonan lain)")  # holds nothing
        APPROVED = "approved", _("Disetujui")
        DECLINED = "declined", _("Ditolak")
        CANCELLED = "cancelled", _("Dibatalkan")
        LAPSED = "lapsed", _("Gugur (tidak diputus tepat waktu)")
        RELEASED = "released", _("Dilepas (tidak hadir)")

    class Source(models.TextChoices):
        REQUEST = "request", _("Permohonan")
        DIRECT = "direct", _("Pemesanan langsung pengelola")
        TRAINING = "training", _("Sesi pelatihan")

    HOLDING = (Status.PENDING, Status.APPROVED)  # the statuses that hold the room
    OPEN = (Status.PENDING, Status.QUEUED)  # awaiting the manager's decision

    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    space = models.ForeignKey(
        "core.Space", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("ruang")
    )
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
    )
    session = models.OneToOneField(
        "trainings.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="room_hold",
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.REQUEST)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    # ends_at + the room's buffer: the end of the hold (see the module docstring).
    until = models.DateTimeField(editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="room_bookings",
    )
    title = models.CharField(_("nama kegiatan"), max_length=200)
    purpose = models.TextField(_("tujuan kegiatan"), blank=True)
    organisation = models.CharField(_("komunitas/lembaga"), max_length=200, blank=True)
    contact_name = models.CharField(_("nama penanggung jawab"), max_length=150, blank=True)
    contact_phone = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    attendees = models.PositiveIntegerField(_("perkiraan peserta"), default=1)
    use_class = models.CharField(
        _("kelas pemakaian"), max_length=12, choices=UseClass.choices, default=UseClass.FREE
    )
    request_letter = models.FileField(_("surat permohonan"), upload_to="ruang/surat/", blank=True)
    quoted_price = models.PositiveIntegerField(_("perkiraan biaya"), null=True, blank=True)
    price = models.PositiveIntegerField(_("biaya"), null=True, blank=True)  # frozen at approval
    price_frozen_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # an open request lapses then
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("pemesanan ruang")
        verbose_name_plural = _("pemesanan ruang")
        constraints = [
            no_overlap(
                name="booking_no_overlap",
                resource="space",
                start="starts_at",
                until="until",
                condition=Q(status__in=["pending", "approved"]),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(until__gte=F("ends_at")), name="booking_until"),
        ]
        indexes = [
            models.Index(fields=["space", "starts_at"]),
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.space})"

    @property
    def holds(self) -> bool:
        return self.status in self.HOLDING

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
