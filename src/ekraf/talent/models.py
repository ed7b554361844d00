"""Tables of the talent app: assessed pathways, the directory's search document, speakers.

- `AssessedPathway`: what an organiser concluded about a participant after a training (one row
  per creator × pathway × training), beside the pathways the creator declared themselves
  (`creators.PathwayInterest`).
- `DirectoryEntry`: one row per creator holding the text the talent directory searches (name,
  display name, bio, skills, channel handles), kept current by signals (see `search.py`), with a
  `tsvector` and trigram index on PostgreSQL so a search reads an index, not 100 000 profiles.
- `SpeakerRequest` / `SpeakerBooking`: an agency asks for a narasumber or motivator; staff
  shortlist creators; each shortlisted creator accepts or declines. Accepted and completed
  bookings of one creator never overlap in time (`core.overlap.no_overlap`: an exclusion
  constraint on PostgreSQL, a check inside the serialised write transaction on SQLite).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ekraf.core.ids import random_code
from ekraf.core.overlap import no_overlap
from ekraf.creators.models import Pathway


def _public_id() -> str:
    return random_code(10)


class AssessedPathway(models.Model):
    """A pathway an organiser assessed for a participant (with the evidence: the training and
    its scores). Shown beside, and differently from, the pathways the creator declared."""

    creator = models.ForeignKey(
        "creators.CreatorProfile", on_delete=models.CASCADE, related_name="assessed_pathways"
    )
    pathway = models.CharField(_("jalur"), max_length=20, choices=Pathway.choices)
    training = models.ForeignKey(
        "trainings.Training",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessed_pathways",
    )
    note = models.TextField(_("catatan"), max_length=1000, blank=True)
    # {"training": public_id, "title": …, "post_test": 87.5, "attendance": 100, "completed": true}
    evidence = models.JSONField(_("bukti"), default=dict, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(_("dinilai pada"), default=timezone.now)

    class Meta:
        ordering = ["-assessed_at", "pk"]
        verbose_name = _("jalur talenta hasil penilaian")
        verbose_name_plural = _("jalur talenta hasil penilaian")
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "pathway", "training"],
                condition=Q(training__isnull=False),
                name="assessed_pathway_unique_per_training",
            ),
            models.UniqueConstraint(
                fields=["creator", "pathway"],
                condition=Q(training__isnull=True),
                name="assessed_pathway_unique_without_training",
            ),
        ]
        indexes = [models.Index(fields=["pathway", "creator"], name="assessed_pathway_filter")]

    def __str__(self):
        return self.get_pathway_display()


class DirectoryEntry(models.Model):
    """The talent directory's search document of one creator (rebuilt on every change).

    `text` is the unaccented, lower-cased concatenation the SQLite fallback and the trigram
    similarity read; `facets` the filters (see `search.facets`); `document` the PostgreSQL
    tsvector (`simple` configuration) of both. `document` is null on SQLite.
    """

    creator = models.OneToOneField(
        "creators.CreatorProfile",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="directory_entry",
    )
    text = models.TextField(blank=True)
    # The directory's filters as words of their own (" listed ss=kuliner pwa=narasumber
    # kc=3573010 pf=instagram "): on PostgreSQL they are lexemes of `document` too, so text and
    # filters are answered by one GIN index scan; "=" never survives in a word of the text.
    facets = models.TextField(blank=True, default="")
    document = SearchVectorField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("entri direktori talenta")
        verbose_name_plural = _("entri direktori talenta")
        # The GIN indexes on `document` and trigram on `text` are PostgreSQL-only and live in
        # the database only (migration 0001's RunPython), as creators' search indexes do.


class SpeakerRequest(models.Model):
    """An agency's request for a narasumber or motivator at one event."""

    class Format(models.TextChoices):
        TALK = "talk", _("Ceramah/paparan")
        PANEL = "panel", _("Diskusi panel")
        WORKSHOP = "workshop", _("Lokakarya")
        MENTORING = "mentoring", _("Pendampingan")
        ONLINE = "online", _("Daring")

    class Status(models.TextChoices):
        OPEN = "open", _("Mencari pembicara")
        BOOKED = "booked", _("Pembicara terkonfirmasi")
        COMPLETED = "completed", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    SPEAKER_PATHWAYS = (Pathway.NARASUMBER, Pathway.MOTIVATOR)

    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        related_name="speaker_requests",
        verbose_name=_("perangkat daerah"),
    )
    event = models.CharField(_("nama kegiatan"), max_length=200)
    topic = models.CharField(_("topik"), max_length=200)
    pathway = models.CharField(
        _("yang dicari"),
        max_length=20,
        choices=[(p.value, p.label) for p in SPEAKER_PATHWAYS],
        default=Pathway.NARASUMBER,
    )
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    region = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah (kecamatan/kelurahan)"),
    )
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    audience = models.CharField(_("peserta"), max_length=200, blank=True)
    audience_size = models.PositiveIntegerField(_("jumlah peserta"), null=True, blank=True)
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, default=Format.TALK
    )
    honorarium = models.PositiveIntegerField(_("honorarium (Rp)"), null=True, blank=True)
    travel = models.CharField(_("transportasi/akomodasi"), max_length=200, blank=True)
    speakers_needed = models.PositiveSmallIntegerField(_("jumlah pembicara"), default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("permintaan narasumber")
        verbose_name_plural = _("permintaan narasumber")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="speaker_request_period"
            ),
            models.CheckConstraint(
                condition=Q(speakers_needed__gte=1), name="speaker_request_needs_one"
            ),
        ]
        indexes = [models.Index(fields=["agency", "starts_at"], name="speaker_request_agency")]

    def __str__(self):
        return f"{self.event} — {self.topic}"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SpeakerBooking(models.Model):
    """One creator on one request's shortlist, and what became of it.

    shortlisted → accepted (by the speaker) → completed (rated by the agency); or shortlisted →
    declined (by the speaker) / withdrawn (by staff, or when the request is cancelled or full).
    """

    class Status(models.TextChoices):
        SHORTLISTED = "shortlisted", _("Masuk daftar pendek, menunggu jawaban")
        ACCEPTED = "accepted", _("Diterima pembicara")
        DECLINED = "declined", _("Ditolak pembicara")
        WITHDRAWN = "withdrawn", _("Ditarik")
        COMPLETED = "completed", _("Selesai")

    HOLDING = (Status.ACCEPTED, Status.COMPLETED)  # the statuses that commit the speaker's time

    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    request = models.ForeignKey(SpeakerRequest, on_delete=models.CASCADE, related_name="bookings")
    creator = models.ForeignKey(
        "creators.CreatorProfile", on_delete=models.CASCADE, related_name="speaker_bookings"
    )
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SHORTLISTED)
    note = models.TextField(_("catatan untuk pembicara"), max_length=1000, blank=True)
    decline_reason = models.CharField(_("alasan"), max_length=300, blank=True)
    shortlisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shortlisted_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    rating = models.PositiveSmallIntegerField(
        _("penilaian"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("komentar"), max_length=2000, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("jadwal narasumber")
        verbose_name_plural = _("jadwal narasumber")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "creator"], name="speaker_booking_once_per_request"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="speaker_booking_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="speaker_booking_period"
            ),
            no_overlap(
                name="speaker_booking_no_overlap",
                resource="creator",
                start="starts_at",
                until="ends_at",
                condition=Q(status__in=["accepted", "completed"]),
            ),
        ]
        indexes = [
            models.Index(fields=["creator", "status", "starts_at"], name="speaker_booking_busy"),
        ]

    def __str__(self):
        return f"{self.creator} @ {self.request}"
