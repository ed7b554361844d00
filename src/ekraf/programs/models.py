"""Tables of the programs app: agencies' programmes and their roles, the engagements of creators
(one state machine for invitations and applications, every transition kept), deliverables with
their metric readings, the exposure log of recommendation lists, and the staff's records that
matching's hard filters read (conflicts of interest, guardian consent for minors).

Names follow /work/wt/CONTRACT.md (Programme, ProgrammeRole, Engagement, Deliverable,
MetricReading, Exposure).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ekraf.core.ids import random_code
from ekraf.creators.models import Channel, Pathway


def _public_id() -> str:
    return random_code(12)


class Programme(models.Model):
    """An agency's campaign or event that needs creators or speakers."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        OPEN = "open", _("Terbuka")
        RUNNING = "running", _("Berjalan")
        CLOSED = "closed", _("Selesai")

    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="programmes")
    title = models.CharField(_("judul"), max_length=200)
    objective = models.TextField(_("tujuan"), max_length=2000)
    hashtags = models.JSONField(_("tagar"), default=list, blank=True)
    mentions = models.JSONField(_("akun yang disebut"), default=list, blank=True)
    subsectors = models.ManyToManyField(
        "core.Subsector", blank=True, related_name="programmes", verbose_name=_("subsektor")
    )
    districts = models.ManyToManyField(
        "core.Region", blank=True, related_name="programmes", verbose_name=_("kecamatan")
    )
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    open_call = models.BooleanField(_("panggilan terbuka"), default=True)
    # The deliverable specification.
    platform = models.CharField(
        _("platform"), max_length=12, choices=Channel.Platform.choices, default="instagram"
    )
    content_format = models.CharField(_("format konten"), max_length=80, blank=True)
    deliverables_per_creator = models.PositiveSmallIntegerField(_("jumlah konten"), default=1)
    due_on = models.DateField(_("tenggat konten"), null=True, blank=True)
    paid_partnership = models.BooleanField(_("wajib label kemitraan berbayar"), default=False)
    usage_rights_until = models.DateField(_("hak pakai konten sampai"), null=True, blank=True)
    honorarium = models.PositiveIntegerField(_("honorarium (Rp)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("program")
        verbose_name_plural = _("program")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="programme_period_order"
            )
        ]
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self):
        return self.title


class ProgrammeRole(models.Model):
    """One kind of person a programme needs, and how many."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    pathway = models.CharField(_("jalur"), max_length=20, choices=Pathway.choices)
    seats = models.PositiveSmallIntegerField(_("jumlah orang"), default=1)

    class Meta:
        ordering = ["programme", "pk"]
        verbose_name = _("peran program")
        verbose_name_plural = _("peran program")
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="programmerole_seats_positive")
        ]

    def __str__(self):
        return f"{self.programme} · {self.get_pathway_display()}"


class State(models.TextChoices):
    INVITED = "invited", _("Diundang")
    APPLIED = "applied", _("Mendaftar")
    ACCEPTED = "accepted", _("Diterima")
    DECLINED = "declined", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dibatalkan")
    DELIVERED = "delivered", _("Konten dikirim")
    REVISION_REQUESTED = "revision_requested", _("Perlu revisi")
    APPROVED = "approved", _("Disetujui")
    COMPLETED = "completed", _("Selesai")


# An engagement in one of these states holds its creator for the programme's period.
COMMITTED_STATES = (
    State.ACCEPTED,
    State.DELIVERED,
    State.REVISION_REQUESTED,
    State.APPROVED,
    State.COMPLETED,
)


class Engagement(models.Model):
    """A creator in a programme role: invited by staff or applied to an open call."""

    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="engagements")
    role = models.ForeignKey(ProgrammeRole, on_delete=models.CASCADE, related_name="engagements")
    creator = models.ForeignKey(
        "creators.CreatorProfile", on_delete=models.CASCADE, related_name="engagements"
    )
    state = models.CharField(max_length=20, choices=State.choices)
    pitch = models.TextField(_("pesan singkat"), max_length=1000, blank=True)
    links = models.JSONField(_("tautan karya"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("keterlibatan")
        verbose_name_plural = _("keterlibatan")
        constraints = [
            models.UniqueConstraint(fields=["role", "creator"], name="engagement_once_per_role")
        ]
        indexes = [models.Index(fields=["creator", "state"])]

    def __str__(self):
        return f"{self.creator} · {self.role}"


class Transition(models.Model):
    """One step of an engagement's state machine: who moved it, when, with what note."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(blank=True, max_length=1000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


def evidence_path(instance, filename: str) -> str:
    return f"programs/evidence/{filename}"


class Deliverable(models.Model):
    """One piece of content a creator made for a programme."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Dikirim")
        REVISION_REQUESTED = "revision_requested", _("Perlu revisi")
        APPROVED = "approved", _("Disetujui")

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="deliverables"
    )
    platform = models.CharField(_("platform"), max_length=12, choices=Channel.Platform.choices)
    url = models.URLField(_("tautan konten"), max_length=300)
    posted_on = models.DateField(_("tanggal unggah"))
    state = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    hashtags = models.JSONField(_("tagar yang dipakai"), default=list, blank=True)
    missing_hashtags = models.JSONField(default=list, blank=True)
    screenshot = models.FileField(upload_to=evidence_path, blank=True)
    review_note = models.TextField(blank=True, max_length=1000)
    submitted_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("luaran konten")
        verbose_name_plural = _("luaran konten")


class MetricReading(models.Model):
    """The numbers of a deliverable as read at one moment, from one source; history is kept."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="readings")
    read_at = models.DateTimeField(_("waktu dibaca"))
    views = models.PositiveIntegerField(_("tayangan"), default=0)
    likes = models.PositiveIntegerField(_("suka"), default=0)
    comments = models.PositiveIntegerField(_("komentar"), default=0)
    shares = models.PositiveIntegerField(_("dibagikan"), default=0)
    saves = models.PositiveIntegerField(_("disimpan"), default=0)
    source = models.CharField(_("sumber angka"), max_length=120)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["deliverable", "read_at", "pk"]
        indexes = [models.Index(fields=["deliverable", "-read_at"])]


class Exposure(models.Model):
    """One appearance of a creator in a recommendation list shown to someone."""

    creator = models.ForeignKey(
        "creators.CreatorProfile", on_delete=models.CASCADE, related_name="exposures"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="exposures")
    role = models.ForeignKey(ProgrammeRole, on_delete=models.CASCADE, related_name="exposures")
    shown_at = models.DateTimeField(auto_now_add=True)
    shown_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["creator", "shown_at"])]


class ConflictOfInterest(models.Model):
    """Staff recorded that this creator must not be chosen for this agency's programmes."""

    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+")
    creator = models.ForeignKey(
        "creators.CreatorProfile", on_delete=models.CASCADE, related_name="conflicts"
    )
    note = models.CharField(_("keterangan"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "creator"], name="conflict_once_per_agency")
        ]


class GuardianConsent(models.Model):
    """A parent's or guardian's consent for a creator under 18 to take part in programmes."""

    creator = models.OneToOneField(
        "creators.CreatorProfile", on_delete=models.CASCADE, related_name="guardian_consent"
    )
    guardian_name = models.CharField(_("nama orang tua/wali"), max_length=150)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)


class RoleSnapshot(models.Model):
    """When the candidates of a role were last scored (matching's snapshot), and what the hard
    filters excluded at that moment. One row per role; its row lock serialises the rebuilds of
    that role, `rebuild_requested_at` keeps a stale snapshot from queueing a rebuild per request.
    """

    role = models.OneToOneField(ProgrammeRole, on_delete=models.CASCADE, related_name="snapshot")
    built_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    rebuild_requested_at = models.DateTimeField(null=True, blank=True)
    excluded_counts = models.JSONField(default=dict, blank=True)


class RoleCandidate(models.Model):
    """One creator who could fill a role, with the score's parts as matching computed them at
    the snapshot's build. The ranked page walks `rolecandidate_rank` and stops after one page;
    the hard filters are checked live on that walk, the `f_*` flags only feed the excluded
    sample and counts. `appearances_12m` is incremented each time the creator is shown."""

    role = models.ForeignKey(ProgrammeRole, on_delete=models.CASCADE, related_name="+")
    # The build that wrote the row (RoleSnapshot.version when current). A rebuild inserts the
    # next version beside the current one and deletes the old rows only after it committed, so
    # the page and the appearance counters never wait for a build.
    version = models.PositiveIntegerField(default=0)
    creator = models.ForeignKey(
        "creators.CreatorProfile", on_delete=models.CASCADE, related_name="+"
    )
    p_subsector = models.FloatField(default=0)
    p_district = models.FloatField(default=0)
    p_reach = models.FloatField(default=0)
    p_certificates = models.FloatField(default=0)
    p_pathway = models.FloatField(default=0)
    p_delivery = models.FloatField(default=0)
    score = models.FloatField(default=0)
    band = models.FloatField(default=0)
    followers_n = models.BigIntegerField(default=0)
    certs_n = models.IntegerField(default=0)
    finished_n = models.IntegerField(default=0)
    on_time_n = models.IntegerField(default=0)
    has_assessed = models.BooleanField(default=False)
    has_declared = models.BooleanField(default=False)
    programmes_12m = models.IntegerField(default=0)
    programmes_year = models.IntegerField(default=0)
    appearances_12m = models.IntegerField(default=0)
    f_no_consent = models.BooleanField(default=False)
    f_committed = models.BooleanField(default=False)
    f_minor = models.BooleanField(default=False)
    f_conflict = models.BooleanField(default=False)
    f_any = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["role", "version", "creator"], name="rolecandidate_once"
            )
        ]
        indexes = [
            models.Index(
                fields=[
                    "role",
                    "version",
                    "-band",
                    "programmes_12m",
                    "appearances_12m",
                    "-score",
                    "creator",
                ],
                name="rolecandidate_rank",
            ),
            models.Index(fields=["creator"], name="rolecandidate_creator"),
            models.Index(
                fields=["role", "version", "creator"],
                condition=Q(f_any=True),
                name="rolecandidate_excluded",
            ),
        ]
