"""E-certificates, their numbering, revocation status lists, issuance jobs, signatories and
professional-certification referrals.

What the database itself guarantees:
- at most one certificate per registration (so a rerun of an issuance job issues nothing twice);
- certificate numbers unique per agency and year, verification codes unique;
- each certificate holds its own slot in its agency's revocation status list.
The gap-free numbering needs a lock and lives in services.py (`issue_certificates`).

A certificate keeps a snapshot of everything printed on it (holder, training, agency, dates,
place, signatories), so the PDF, the verification page and the Open Badges credential always
agree, whatever changes later, and verification reads one row without joins.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ekraf.core.ids import random_code

from . import codes


def _job_id() -> str:
    return random_code(12)


def _referral_id() -> str:
    return random_code(10)


def signature_path(instance, filename: str) -> str:
    # Under private/: a scanned signature is never served from /media/.
    return f"private/credentials/signatures/{instance.agency_id}/{random_code(10)}.png"


class Kind(models.TextChoices):
    PARTICIPATION = "participation", _("Keikutsertaan")
    COMPLETION = "completion", _("Kelulusan")


class RevocationCategory(models.TextChoices):
    WRONG_DATA = "wrong_data", _("Data salah")
    MISCONDUCT = "misconduct", _("Pelanggaran atau kecurangan")
    ISSUED_IN_ERROR = "issued_in_error", _("Diterbitkan keliru")
    HOLDER_REQUEST = "holder_request", _("Permintaan peserta")
    OTHER = "other", _("Lainnya")


class Signatory(models.Model):
    """An official who signs an agency's certificates: name, NIP, position, scanned signature."""

    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        related_name="signatories",
        verbose_name=_("perangkat daerah"),
    )
    name = models.CharField(_("nama (dengan gelar)"), max_length=150)
    nip = models.CharField(
        _("NIP"), max_length=30, blank=True, help_text=_("Nomor Induk Pegawai, 18 digit.")
    )
    title = models.CharField(_("jabatan"), max_length=200)
    signature = models.ImageField(
        _("gambar tanda tangan"),
        upload_to=signature_path,
        blank=True,
        help_text=_("PNG berlatar transparan atau putih."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("penandatangan")
        verbose_name_plural = _("penandatangan")

    def __str__(self):
        return f"{self.name} · {self.title}"


class TrainingSignatories(models.Model):
    """Who signs a training's certificates: one or two of its agency's signatories."""

    training = models.OneToOneField(
        "trainings.Training", on_delete=models.CASCADE, related_name="certificate_signatories"
    )
    first = models.ForeignKey(
        Signatory, on_delete=models.PROTECT, related_name="+", verbose_name=_("penandatangan 1")
    )
    second = models.ForeignKey(
        Signatory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penandatangan 2 (opsional)"),
    )

    class Meta:
        verbose_name = _("penandatangan pelatihan")
        verbose_name_plural = _("penandatangan pelatihan")
        constraints = [
            models.CheckConstraint(
                condition=~Q(first=models.F("second")), name="training_signatories_distinct"
            )
        ]

    def __str__(self):
        return str(self.training)


class CertificateCounter(models.Model):
    """The last certificate number used by an agency in a year; locked while a number is taken."""

    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="certificate_counter_unique")
        ]

    def __str__(self):
        return f"{self.agency_id}/{self.year}: {self.last_sequence}"


class StatusList(models.Model):
    """One agency's revocation list (W3C Bitstring Status List), published as a signed VC.

    Slots are handed out in a scrambled order (an affine bijection on 0..size-1 with random
    parameters per list), so neighbouring certificates do not get neighbouring bits.
    """

    SIZE = 131_072  # 16 KiB of bits: the minimum the spec recommends for herd privacy

    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    size = models.PositiveIntegerField(default=SIZE)
    allocated = models.PositiveIntegerField(default=0)
    scramble_a = models.PositiveIntegerField()
    scramble_b = models.PositiveIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    needs_publish = models.BooleanField(default=True)
    file = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="status_list_unique"),
            models.CheckConstraint(
                condition=Q(allocated__lte=models.F("size")), name="status_list_not_over"
            ),
        ]

    def __str__(self):
        return f"{self.agency_id}#{self.number}"

    def slot(self, sequence: int) -> int:
        # a is odd and size a power of two, so this is a bijection on 0..size-1.
        return (self.scramble_a * sequence + self.scramble_b) % self.size


class IssuanceJob(models.Model):
    """One background run issuing a training's certificates (to all who qualify, or to one)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Berjalan")
        FINISHED = "finished", _("Selesai")
        FAILED = "failed", _("Gagal")

    public_id = models.CharField(max_length=16, unique=True, default=_job_id, editable=False)
    training = models.ForeignKey(
        "trainings.Training", on_delete=models.PROTECT, related_name="certificate_jobs"
    )
    registration = models.ForeignKey(
        "trainings.Registration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Last sign of life of the run (its start, each certificate): a worker that died leaves
    # the job "running" with no progress, and that is how it is recognised (services).
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proses penerbitan")
        verbose_name_plural = _("proses penerbitan")
        indexes = [models.Index(fields=["training", "status"])]

    def __str__(self):
        return f"{self.public_id} · {self.training}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class IssuanceFailure(models.Model):
    """A registration the job could not issue to, and why (cleared when a rerun succeeds)."""

    job = models.ForeignKey(IssuanceJob, on_delete=models.CASCADE, related_name="failures")
    registration = models.ForeignKey(
        "trainings.Registration", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=500)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(fields=["job", "registration"], name="issuance_failure_once")
        ]

    def __str__(self):
        return self.reason


class Certificate(models.Model):
    """An e-sertifikat: proof of participation or completion, never a competency certificate."""

    code = models.CharField(max_length=codes.LENGTH, unique=True, editable=False)
    number = models.CharField(_("nomor"), max_length=80, unique=True)
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="certificates")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    # The registration's current certificate; empty on one superseded by a re-issue (its
    # successor holds the registration, so `registration.certificate` is always the current one).
    registration = models.OneToOneField(
        "trainings.Registration",
        on_delete=models.PROTECT,
        related_name="certificate",
        null=True,
        blank=True,
    )
    training = models.ForeignKey(
        "trainings.Training", on_delete=models.PROTECT, related_name="certificates"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(_("jenis"), max_length=14, choices=Kind.choices)
    # What is printed, as it was on the day of issue.
    holder_name = models.CharField(_("nama pemegang"), max_length=150)
    training_title = models.CharField(_("pelatihan"), max_length=200)
    training_kind = models.CharField(max_length=60)
    agency_name = models.CharField(max_length=200)
    agency_short_name = models.CharField(max_length=60)
    city_name = models.CharField(max_length=120, blank=True)
    hours = models.PositiveSmallIntegerField(_("jam pelajaran (JP)"), default=0)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=255, blank=True)
    signing_place = models.CharField(max_length=60, blank=True)
    issued_on = models.DateField(_("tanggal terbit"))
    signatories = models.JSONField(default=list, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    job = models.ForeignKey(
        IssuanceJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates"
    )
    pdf = models.CharField(max_length=200, blank=True)
    # When the certificate of the PDF's latest timestamp ends: before then the periodic job
    # adds the next archive timestamp (PAdES B-LTA, archive.py). Empty: no timestamp to keep.
    pdf_timestamped_until = models.DateTimeField(null=True, blank=True)
    # Open Badges: revocation slot, salt for the hashed recipient identity, credential id.
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="+")
    status_index = models.PositiveIntegerField()
    identity_salt = models.CharField(max_length=32)
    recipient_hash = models.CharField(max_length=80)
    credential_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The Open Badges credential, signed once (at issuance, or when the holder binds a DID) and
    # served as stored: the storage name of the .json; the .jwt sits beside it.
    openbadge = models.CharField(max_length=200, blank=True)
    # The holder's DID, when they gave one in their wallet: the credential subject's id.
    holder_did = models.CharField(_("DID pemegang"), max_length=300, blank=True)
    # Re-issued with a correction: the certificate that replaces this one ("diganti").
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("diganti oleh"),
    )
    superseded_at = models.DateTimeField(_("diganti"), null=True, blank=True)
    superseded_reason = models.CharField(_("alasan penggantian"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_category = models.CharField(
        _("jenis alasan pencabutan"), max_length=20, choices=RevocationCategory.choices, blank=True
    )
    revoked_reason = models.CharField(_("alasan pencabutan"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("e-sertifikat")
        verbose_name_plural = _("e-sertifikat")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "sequence"], name="certificate_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="certificate_status_slot_unique"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="certificate_revocation_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["holder", "issued_at"]),
            models.Index(fields=["pdf_timestamped_until"], name="certificate_archive_due"),
            # The offline verifier's status document reads every withdrawn certificate's code:
            # from this index of those rows only (a few), not a scan of all certificates.
            models.Index(
                fields=["code", "revoked_at"],
                name="certificate_withdrawn",
                condition=Q(revoked_at__isnull=False) | Q(superseded_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.holder_name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None

    @property
    def display_code(self) -> str:
        return codes.display(self.code)


class Referral(models.Model):
    """A creator's request for professional (BNSP) certification, forwarded to Disnaker-PMPTSP.

    It carries the person's training record as it was when they asked, so the agency sees what
    the platform knew, not what changed later.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Diterima")
        FORWARDED = "forwarded", _("Diteruskan ke LSP")
        SCHEDULED = "scheduled", _("Dijadwalkan uji kompetensi")
        CERTIFIED = "certified", _("Tersertifikasi")
        DECLINED = "declined", _("Tidak dapat diproses")

    OPEN = (Status.RECEIVED, Status.FORWARDED, Status.SCHEDULED)
    # What may follow each status.
    NEXT = {
        Status.RECEIVED: (Status.FORWARDED, Status.DECLINED),
        Status.FORWARDED: (Status.SCHEDULED, Status.DECLINED),
        Status.SCHEDULED: (Status.CERTIFIED, Status.DECLINED, Status.FORWARDED),
        Status.CERTIFIED: (),
        Status.DECLINED: (),
    }

    public_id = models.CharField(max_length=16, unique=True, default=_referral_id, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certification_referrals"
    )
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="referrals")
    full_name = models.CharField(_("nama"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=20, blank=True)
    scheme = models.CharField(
        _("bidang/skema yang diminati"),
        max_length=200,
        help_text=_("Misalnya: Content Creator, Fotografer, Desainer Grafis Muda."),
    )
    motivation = models.TextField(_("alasan dan pengalaman"), max_length=2000, blank=True)
    training_record = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    lsp_name = models.CharField(_("LSP tujuan"), max_length=200, blank=True)
    scheduled_for = models.DateField(_("jadwal uji kompetensi"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rujukan sertifikasi profesi")
        verbose_name_plural = _("rujukan sertifikasi profesi")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["received", "forwarded", "scheduled"]),
                name="referral_one_open_per_person",
            )
        ]
        indexes = [models.Index(fields=["agency", "status", "created_at"])]

    def __str__(self):
        return f"{self.full_name} · {self.scheme}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ReferralEvent(models.Model):
    """A step of a referral with the note the creator sees."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=Referral.Status.choices)
    note = models.TextField(_("catatan untuk pemohon"), max_length=2000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.referral_id}: {self.status}"
