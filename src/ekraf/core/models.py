"""The city as data: the tenant city, its regions, subsectors, agencies and creative-centre rooms.

Nothing in code or templates names Kota Malang; `load_city` fills these tables from CSV files.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class City(models.Model):
    """The one city this installation serves (a singleton row)."""

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    short_name = models.CharField(
        _("nama singkat"),
        max_length=60,
        help_text=_("Dipakai untuk tempat: 'Malang, 25 Januari 2024'."),
    )
    province = models.CharField(_("provinsi"), max_length=120, blank=True)
    platform_name = models.CharField(_("nama platform"), max_length=120)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    website = models.URLField(_("situs web"), blank=True)
    logo = models.FileField(_("logo"), upload_to="city/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kota")
        verbose_name_plural = _("kota")

    def __str__(self):
        return self.name


class Region(models.Model):
    """A Kemendagri administrative region: the city, its kecamatan and kelurahan."""

    class Level(models.TextChoices):
        CITY = "kota", _("Kota")
        DISTRICT = "kecamatan", _("Kecamatan")
        VILLAGE = "kelurahan", _("Kelurahan")

    code = models.CharField(_("kode"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        indexes = [models.Index(fields=["level", "name"])]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """'Dinoyo, Lowokwaru' for a kelurahan; just the name otherwise."""
        if self.level == self.Level.VILLAGE and self.parent_id:
            return f"{self.name}, {self.parent.name}"
        return self.name


class Subsector(models.Model):
    """One of the 17 official creative-economy subsectors."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name_id = models.CharField(_("nama (Indonesia)"), max_length=120)
    name_en = models.CharField(_("nama (Inggris)"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("subsektor")
        verbose_name_plural = _("subsektor")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class Agency(models.Model):
    """A perangkat daerah (OPD), the creative centre or the committee."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Perangkat daerah")
        VENUE = "venue", _("Fasilitas")
        COMMITTEE = "committee", _("Komite")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    short_name = models.CharField(_("nama singkat"), max_length=60)
    name = models.CharField(_("nama lengkap"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.AGENCY)
    logo = models.FileField(_("logo"), upload_to="agencies/", blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")

    def __str__(self):
        return self.short_name


class Space(models.Model):
    """A room or studio of the creative centre where trainings and events happen."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    floor = models.PositiveSmallIntegerField(_("lantai"), null=True, blank=True)
    kind = models.CharField(_("jenis"), max_length=30, blank=True)
    capacity = models.PositiveIntegerField(_("kapasitas"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["floor", "name"]
        verbose_name = _("ruang")
        verbose_name_plural = _("ruang")

    def __str__(self):
        return self.name


class AuditEvent(models.Model):
    """Who did what to which record: every staff read of personal data lands here.

    Rows form a hash chain (core/auditchain.py): `seq` numbers them without gaps, `prev_hash`
    is the previous row's `hash`, and `hash` covers the canonical JSON of this row's fields, so
    `python -m ekraf audit verify` finds a row that was deleted, altered or slipped in. The
    actor is hashed as `actor_ref` (the user's id at the time), not through the foreign key,
    so deleting an account (which nulls `actor`) leaves the chain intact.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_ref = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    seq = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class AuditChainHead(models.Model):
    """The one lock row of the audit chain: the last entry's number and hash.

    Every writer locks it (`select_for_update`) before numbering its entry, so two concurrent
    writers cannot both chain onto the same predecessor; and because it remembers the last
    hash, deleting the newest entries is detected too.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("kepala rantai audit")
        verbose_name_plural = _("kepala rantai audit")

    def __str__(self):
        return f"#{self.seq} {self.hash[:12]}"


class DemoStep(models.Model):
    """Marks a demo-data step as loaded, so `load_demo` can be rerun safely."""

    name = models.CharField(max_length=60, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class OutboxMessage(models.Model):
    """A notification waiting to be sent, or sent (see core.notifications)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu")
        SENT = "sent", _("terkirim")
        FAILED = "failed", _("gagal")
        SKIPPED = "skipped", _("dilewati")

    kind = models.CharField(_("jenis"), max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    to_email = models.EmailField(blank=True)
    to_phone = models.CharField(max_length=20, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    wa_text = models.TextField(blank=True)
    # Attachments are built when the message is sent, by the worker, not when it is queued:
    # a dotted path to a function (arg) -> [(filename, bytes, mimetype)], and its argument.
    attach_with = models.CharField(max_length=200, blank=True)
    attach_arg = models.CharField(max_length=64, blank=True)
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # After a failed attempt the sweep waits until then (backoff, core.notifications).
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.kind} → {self.to_email or self.to_phone}"

    def save(self, *args, **kwargs):
        if getattr(self, "contact_masked", False):
            # Read with its address hidden for a viewer: saving would lose where it goes.
            raise RuntimeError("an outbox message read with its contact hidden is never saved")
        super().save(*args, **kwargs)

    @property
    def wa_url(self) -> str:
        from .notifications import wa_link

        return wa_link(self.wa_text or self.body, self.to_phone)


def _sheet_id() -> str:
    from .ids import random_code

    return random_code(16)


class StoredSheet(models.Model):
    """An uploaded spreadsheet kept between its preview and its import (core.spreadsheets),
    with the preview's results: never in the session. Deleted after the import, or by the
    periodic purge when nobody came back for it."""

    public_id = models.CharField(max_length=20, unique=True, default=_sheet_id, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stored_sheets"
    )
    purpose = models.CharField(max_length=60)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=4)  # "csv" or "xlsx"
    file = models.FileField(upload_to="sheets/")
    preview = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lembar unggahan")
        verbose_name_plural = _("lembar unggahan")

    def __str__(self):
        return f"{self.purpose}: {self.original_name}"
