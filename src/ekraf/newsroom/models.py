"""Citizen reporters' stories and the editorial desk.

A story moves through the states of `Story.Status`; the only code that changes a status is
`services/workflow.py` (one table of transitions). Every save of the text (autosave included)
is a `StoryRevision`, so the editor can compare any two versions; photos are snapshotted into
each revision with their captions.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ekraf.core.ids import random_code

# The answer to a complaint is due within 2 × 24 hours (Pedoman Pemberitaan Media Siber).
COMPLAINT_DEADLINE = timedelta(hours=48)
# An editor's lock on a story in review lasts this long after their last action.
LOCK_DURATION = timedelta(minutes=30)
MAX_PHOTOS = 10


def _public_id() -> str:
    return random_code(12)


class Topic(models.TextChoices):
    UMKM = "umkm", _("UMKM")
    TOURISM = "wisata", _("Wisata")
    CULTURE = "budaya", _("Budaya")
    CULINARY = "kuliner", _("Kuliner")
    ENVIRONMENT = "lingkungan", _("Lingkungan")
    EDUCATION = "pendidikan", _("Pendidikan")
    SPORTS = "olahraga", _("Olahraga")
    ARTS = "seni", _("Seni")
    COMMUNITY = "komunitas", _("Komunitas")


class ReporterGrant(models.Model):
    """An editor's permission for someone to write, beside the citizen-reporter pathway."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reporter_grant"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("izin pewarta")
        verbose_name_plural = _("izin pewarta")


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Dikirim")
        IN_REVIEW = "in_review", _("Sedang ditinjau")
        CHANGES_REQUESTED = "changes_requested", _("Perlu perbaikan")
        APPROVED = "approved", _("Disetujui")
        SCHEDULED = "scheduled", _("Terjadwal")
        PUBLISHED = "published", _("Terbit")
        REJECTED = "rejected", _("Ditolak")
        RETRACTED = "retracted", _("Dicabut")

    class RetractionReason(models.TextChoices):
        FALSE = "false", _("Isi berita terbukti tidak benar")
        SARA = "sara", _("Mengandung SARA")
        DEFAMATION = "defamation", _("Mencemarkan nama baik")
        PRIVACY = "privacy", _("Melanggar privasi atau melibatkan anak/korban")
        COURT = "court", _("Perintah pengadilan atau Dewan Pers")
        PLAGIARISM = "plagiarism", _("Plagiat atau melanggar hak cipta")

    public_id = models.CharField(max_length=12, unique=True, default=_public_id, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stories"
    )
    region = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
        limit_choices_to={"level": "kelurahan"},
        verbose_name=_("kelurahan"),
    )
    # The kelurahan's kecamatan, kept beside it so the portal filters on one indexed column.
    district = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("judul"), max_length=160, blank=True)
    lead = models.TextField(_("teras berita"), max_length=600, blank=True)
    body = models.TextField(_("isi (Markdown)"), max_length=40_000, blank=True)
    # The body rendered and sanitised (services/markdown.py) whenever it is saved.
    body_html = models.TextField(blank=True, editable=False)
    tags = models.JSONField(_("topik"), default=list, blank=True)
    subsectors = models.ManyToManyField("core.Subsector", blank=True, related_name="stories")
    sources = models.JSONField(_("narasumber"), default=list, blank=True)
    byline_consent = models.BooleanField(_("tampilkan nama saya sebagai penulis"), default=False)
    revision_count = models.PositiveIntegerField(default=0)
    editor_notes = models.TextField(_("catatan editor"), blank=True)
    rejection_reason = models.TextField(blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    locked_until = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retraction_reason = models.CharField(
        max_length=20, choices=RetractionReason.choices, blank=True
    )
    retraction_note = models.TextField(blank=True)
    retracted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("berita")
        verbose_name_plural = _("berita")
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["district", "status", "-published_at"]),
            models.Index(fields=["region", "status", "-published_at"]),
            models.Index(fields=["status", "scheduled_at"]),
        ]

    def __str__(self):
        return self.title or _("(tanpa judul)")

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.RETRACTED)


class StoryPhoto(models.Model):
    class Licence(models.TextChoices):
        CC_BY = "cc-by-4.0", _("CC BY 4.0 (boleh dipakai dengan menyebut sumber)")
        CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0")
        PERMISSION = "permission", _("Hak cipta pemilik, dipakai dengan izin")

    public_id = models.CharField(max_length=12, unique=True, default=_public_id, editable=False)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="berita/foto/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)
    caption = models.CharField(_("keterangan foto"), max_length=300)
    credit = models.CharField(_("kredit foto"), max_length=120)
    licence = models.CharField(_("lisensi"), max_length=20, choices=Licence.choices)
    taken_by_reporter = models.BooleanField(_("saya sendiri yang memotret"), default=True)
    owner = models.CharField(_("pemilik foto (bila bukan Anda)"), max_length=120, blank=True)
    identifiable_people = models.BooleanField(_("ada orang yang bisa dikenali"), default=False)
    minor_or_victim = models.BooleanField(_("ada anak di bawah umur atau korban"), default=False)
    people_consent = models.BooleanField(_("orang di foto sudah setuju"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # The press council's rule on children and victims, where the database can hold it.
            models.CheckConstraint(
                condition=Q(minor_or_victim=False) | Q(people_consent=True),
                name="story_photo_minor_needs_consent",
            )
        ]

    def __str__(self):
        return self.caption


class StoryRevision(models.Model):
    """One saved version: the text and the photos (with captions) as they were."""

    class Kind(models.TextChoices):
        AUTOSAVE = "autosave", _("Simpan otomatis")
        SAVE = "save", _("Disimpan")
        SUBMITTED = "submitted", _("Dikirim ke editor")
        EDITOR = "editor", _("Suntingan editor")
        PUBLISHED = "published", _("Terbit")
        CORRECTION = "correction", _("Koreksi")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=160, blank=True)
    lead = models.TextField(blank=True)
    body = models.TextField(blank=True)
    photos = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["story", "number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "number"], name="story_revision_number")
        ]


class Correction(models.Model):
    """A correction shown on the story with its date and what changed."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="corrections")
    summary = models.TextField(_("yang dikoreksi"))
    revision = models.ForeignKey(StoryRevision, on_delete=models.SET_NULL, null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class Complaint(models.Model):
    """Anyone's report on a published story, answered within COMPLAINT_DEADLINE."""

    class Reason(models.TextChoices):
        INACCURATE = "inaccurate", _("Tidak akurat")
        REPLY = "reply", _("Saya ingin menggunakan hak jawab")
        PRIVACY = "privacy", _("Melanggar privasi")
        SARA = "sara", _("SARA atau ujaran kebencian")
        COPYRIGHT = "copyright", _("Hak cipta")
        OTHER = "other", _("Lainnya")

    class Outcome(models.TextChoices):
        CORRECTION = "correction", _("Dikoreksi")
        REPLY = "reply", _("Hak jawab diterbitkan")
        RETRACTION = "retraction", _("Berita dicabut")
        REJECTED = "rejected", _("Ditolak dengan alasan")

    public_id = models.CharField(max_length=12, unique=True, default=_public_id, editable=False)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="complaints")
    reason = models.CharField(_("alasan"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("penjelasan"), max_length=4000)
    name = models.CharField(_("nama"), max_length=120)
    contact = models.CharField(_("e-mail atau nomor WhatsApp"), max_length=160)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    reply_text = models.TextField(_("hak jawab"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["outcome", "due_at"])]
