"""Trainings (bimtek, workshops): sessions, quota categories, registrations, attendance, scores.

The guarantees the database itself enforces live here: one active registration per person per
training, one attendance per registration per session, one feedback per registration. The seat
guarantee (never more confirmed than seats) needs a lock and lives in services/locking.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ekraf.core.ids import random_code


def _public_id() -> str:
    return random_code(10)


def _ticket_code() -> str:
    """10 Crockford symbols (50 bits). Codes of 8 (40 bits) issued before stay valid; at
    half a million tickets those collided too often. A clash is still possible, and
    `services.register` draws again when the database refuses one."""
    return random_code(10)


class Training(models.Model):
    class Kind(models.TextChoices):
        BIMTEK = "bimtek", _("Bimbingan teknis (bimtek)")
        WORKSHOP = "workshop", _("Workshop")
        PELATIHAN = "pelatihan", _("Pelatihan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Dibuka")
        CLOSED = "closed", _("Pendaftaran ditutup")
        FINISHED = "finished", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    class SelectionMode(models.TextChoices):
        FIRST_COME = "fcfs", _("Siapa cepat dia dapat")
        SELECTION = "selection", _("Seleksi oleh penyelenggara")

    class CertificateKind(models.TextChoices):
        PARTICIPATION = "participation", _("Keikutsertaan")
        COMPLETION = "completion", _("Kelulusan")

    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("penyelenggara"),
    )
    title = models.CharField(_("judul"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.BIMTEK)
    audience = models.CharField(_("sasaran peserta"), max_length=200, blank=True)
    description = models.TextField(_("deskripsi"), blank=True)
    learning_outcomes = models.TextField(_("capaian pembelajaran"), blank=True)
    hours = models.PositiveSmallIntegerField(_("jam pelajaran (JP)"), default=0)
    subsectors = models.ManyToManyField(
        "core.Subsector", blank=True, related_name="trainings", verbose_name=_("subsektor")
    )
    registration_opens_at = models.DateTimeField(_("pendaftaran dibuka"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("pendaftaran ditutup"), null=True, blank=True)
    cancellation_deadline = models.DateTimeField(
        _("batas pembatalan oleh peserta"), null=True, blank=True
    )
    selection_mode = models.CharField(
        _("cara seleksi"),
        max_length=10,
        choices=SelectionMode.choices,
        default=SelectionMode.FIRST_COME,
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("masa berlaku tawaran kursi (jam)"), default=48
    )
    completion_min_attendance = models.PositiveSmallIntegerField(
        _("kehadiran minimal (%)"), default=100
    )
    completion_min_post_test = models.DecimalField(
        _("nilai post-test minimal"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    certificate_kind = models.CharField(
        _("jenis e-sertifikat"),
        max_length=14,
        choices=CertificateKind.choices,
        default=CertificateKind.COMPLETION,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    cancelled_reason = models.TextField(_("alasan pembatalan"), blank=True)
    # Profile fields a registration must carry (a subset of PROFILE_FIELDS), so the report
    # shows no "Tidak diisi": e.g. ["gender", "kelurahan"].
    required_profile_fields = models.JSONField(_("data profil wajib"), default=list, blank=True)
    published_at = models.DateTimeField(_("diumumkan"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pelatihan")
        verbose_name_plural = _("pelatihan")
        indexes = [
            models.Index(fields=["status", "registration_closes_at"]),
            # The default order: lists of the newest trainings (e.g. the directory's
            # certificate filter, which stops after 200) walk it instead of sorting them all.
            models.Index(fields=["-created_at"], name="training_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_min_attendance__lte=100),
                name="training_attendance_percent",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="training_registration_window",
            ),
        ]

    def __str__(self):
        return self.title


#: Profile fields an organiser may make required at registration (fixed, small).
PROFILE_FIELDS = {
    "gender": _("Jenis kelamin"),
    "kelurahan": _("Kelurahan tempat tinggal"),
    "birth_year": _("Tahun lahir"),
    "origin": _("Asal instansi/komunitas/sekolah"),
}


class Session(models.Model):
    """One dated meeting of a training, in a creative-centre room, elsewhere, or online."""

    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("judul sesi"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    space = models.ForeignKey(
        "core.Space",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("ruang"),
    )
    address = models.CharField(_("alamat lain"), max_length=255, blank=True)
    online_url = models.URLField(_("tautan daring"), blank=True)
    self_checkin = models.BooleanField(_("presensi mandiri (QR di layar)"), default=False)
    checkin_secret = models.CharField(max_length=64, blank=True, editable=False)
    # When the reminder job first told this session's participants (late confirmations are told later).
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title or f"{self.training} · {self.starts_at:%Y-%m-%d}"


class QuotaCategory(models.Model):
    """Seats of one kind (e.g. Umum 70, ASN 70), each with its own eligibility."""

    class Audience(models.TextChoices):
        ANYONE = "semua", _("Semua")
        PUBLIC = "umum", _("Masyarakat umum")
        CIVIL_SERVANT = "asn", _("ASN")
        STUDENT = "pelajar", _("Pelajar/mahasiswa")

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("nama kategori"), max_length=60)
    seats = models.PositiveIntegerField(_("kursi"))
    audience = models.CharField(
        _("sasaran"), max_length=10, choices=Audience.choices, default=Audience.ANYONE
    )
    residents_only = models.BooleanField(_("khusus warga kota"), default=False)
    min_age = models.PositiveSmallIntegerField(_("usia minimal"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("usia maksimal"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("kategori kuota")
        verbose_name_plural = _("kategori kuota")
        constraints = [
            models.UniqueConstraint(fields=["training", "name"], name="category_name_unique"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="category_age_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.seats})"


class Registration(models.Model):
    """A person's place in a training: confirmed, waitlisted, offered a freed seat, cancelled.

    Name, contact and origin are copied from the profile at registration, because attendance
    sheets and reports must show what was true on the day, and survive account deletion.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("Mendaftar (menunggu seleksi)")
        CONFIRMED = "confirmed", _("Terkonfirmasi")
        WAITLISTED = "waitlisted", _("Daftar tunggu")
        OFFERED = "offered", _("Ditawari kursi")
        CANCELLED = "cancelled", _("Dibatalkan")
        REJECTED = "rejected", _("Tidak lolos seleksi")
        # Still waiting (or holding an unanswered offer) when the training finished: told so,
        # and not counted as a cancellation — they never had a seat to cancel.
        UNSEATED = "unseated", _("Tidak mendapat kursi")

    ACTIVE = (Status.APPLIED, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
    HOLDS_SEAT = (Status.CONFIRMED, Status.OFFERED)

    class Audience(models.TextChoices):
        """Who the person is, matched against a category's audience (ASN seats, students…)."""

        PUBLIC = "umum", _("Masyarakat umum")
        CIVIL_SERVANT = "asn", _("ASN")
        STUDENT = "pelajar", _("Pelajar/mahasiswa")

    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="registrations")
    category = models.ForeignKey(
        QuotaCategory, on_delete=models.PROTECT, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations"
    )
    ticket_code = models.CharField(max_length=12, unique=True, default=_ticket_code, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices)
    full_name = models.CharField(_("nama"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    origin = models.CharField(_("asal/instansi"), max_length=150, blank=True)
    kelurahan = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gender = models.CharField(_("jenis kelamin"), max_length=1, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("tahun lahir"), null=True, blank=True)
    audience = models.CharField(
        _("status peserta"), max_length=10, choices=Audience.choices, blank=True
    )
    motivation = models.TextField(_("alasan mengikuti"), max_length=2000, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    pre_test_score = models.DecimalField(
        _("nilai pre-test"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    post_test_score = models.DecimalField(
        _("nilai post-test"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    completed = models.BooleanField(_("lulus"), null=True, blank=True)
    completion_reason = models.CharField(_("keterangan kelulusan"), max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pendaftaran")
        verbose_name_plural = _("pendaftaran")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "user"],
                condition=Q(status__in=["applied", "confirmed", "waitlisted", "offered"]),
                name="registration_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=Q(pre_test_score__isnull=True)
                | Q(pre_test_score__gte=0, pre_test_score__lte=100),
                name="registration_pre_test_range",
            ),
            models.CheckConstraint(
                condition=Q(post_test_score__isnull=True)
                | Q(post_test_score__gte=0, post_test_score__lte=100),
                name="registration_post_test_range",
            ),
        ]
        indexes = [
            models.Index(fields=["category", "status", "created_at"]),
            models.Index(fields=["training", "status"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self):
        return f"{self.full_name} · {self.training}"

    def save(self, *args, **kwargs):
        if getattr(self, "contact_masked", False):
            # A copy whose contact was blanked for a viewer (selectors.hide_contacts) would
            # erase the stored phone and e-mail.
            raise RuntimeError("a registration read with its contact hidden is never saved")
        super().save(*args, **kwargs)


class RegistrationQuestion(models.Model):
    """An organiser's own question on a training's registration form."""

    class Kind(models.TextChoices):
        SHORT = "short", _("Jawaban singkat")
        LONG = "long", _("Jawaban panjang")
        SINGLE = "single", _("Pilih satu")
        MULTIPLE = "multiple", _("Pilih beberapa")
        YESNO = "yesno", _("Ya/tidak")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    kind = models.CharField(_("jenis jawaban"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("pertanyaan"), max_length=200)
    help_text = models.CharField(_("keterangan"), max_length=300, blank=True)
    choices = models.JSONField(_("pilihan"), default=list, blank=True)
    required = models.BooleanField(_("wajib dijawab"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("pertanyaan pendaftaran")
        verbose_name_plural = _("pertanyaan pendaftaran")

    def __str__(self):
        return self.label


class RegistrationAnswer(models.Model):
    """A registrant's answer to one question: text, a choice, a list of choices, or a bool."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        RegistrationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    value = models.JSONField()

    class Meta:
        verbose_name = _("jawaban pendaftaran")
        verbose_name_plural = _("jawaban pendaftaran")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="answer_once_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question} · {self.registration}"

    @property
    def text(self) -> str:
        return answer_text(self.value)


def answer_text(value) -> str:
    """An answer as one line of text (the participant list, the spreadsheet)."""
    if value is True:
        return "Ya"
    if value is False:
        return "Tidak"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


class Attendance(models.Model):
    """A check-in of a registration at a session; at most one, whoever scans first."""

    class Method(models.TextChoices):
        SCAN = "scan", _("Pindai QR tiket")
        TYPED = "typed", _("Kode diketik")
        MANUAL = "manual", _("Manual oleh penyelenggara")
        SELF = "self", _("Presensi mandiri")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    checked_in_at = models.DateTimeField()
    method = models.CharField(max_length=8, choices=Method.choices)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["checked_in_at"]
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="attendance_once_per_session"
            )
        ]
        indexes = [models.Index(fields=["session", "checked_in_at"])]

    def __str__(self):
        return f"{self.registration} @ {self.session}"


#: Aspects rated 1–5 on the feedback form, besides the overall `rating` (which older
#: feedback, given before aspects existed, carries alone).
FEEDBACK_ASPECTS = {
    "materi": _("Materi"),
    "narasumber": _("Narasumber"),
    "tempat": _("Tempat"),
    "waktu": _("Waktu"),
}

#: Open questions on the feedback form, besides the comment (saran).
FEEDBACK_OPEN_QUESTIONS = {
    "bermanfaat": _("Apa yang paling bermanfaat dari pelatihan ini?"),
    "topik": _("Topik pelatihan apa yang Anda perlukan berikutnya?"),
}


class Feedback(models.Model):
    """A participant's ratings and answers, given once after the last session: the overall
    rating, one rating per aspect (FEEDBACK_ASPECTS; empty on feedback given before aspects
    existed), answers to the open questions, and a comment."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(_("penilaian (1–5)"))
    aspect_ratings = models.JSONField(_("penilaian per aspek"), default=dict, blank=True)
    open_answers = models.JSONField(_("jawaban terbuka"), default=dict, blank=True)
    comment = models.TextField(_("komentar"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("umpan balik")
        verbose_name_plural = _("umpan balik")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"
            )
        ]

    def __str__(self):
        return f"{self.rating}/5 · {self.registration}"
