"""The creator registry: profiles, social channels, consent, and protected personal data.

NIK is never stored in clear: `nik_encrypted` holds it Fernet-encrypted (keys from settings),
`nik_hash` an HMAC that finds a second account with the same NIK, `nik_masked` what pages show.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ekraf.core.ids import random_code


def _public_id() -> str:
    return random_code(10)


def photo_path(instance, filename: str) -> str:
    # Under private/: never served from /media/, only through a view that checks consent.
    return f"private/creators/photos/{instance.public_id}/{random_code(8)}.jpg"


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Pathway(models.TextChoices):
    """Talent pathways (jalur talenta) a trained person can head for."""

    CONTENT_CREATOR = "content_creator", _("Konten kreator")
    MOTIVATOR = "motivator", _("Motivator")
    NARASUMBER = "narasumber", _("Narasumber")
    CITIZEN_REPORTER = "citizen_reporter", _("Pewarta warga")


class Skill(models.Model):
    """A free-form skill tag ("editing video", "fotografi produk"), shared across profiles."""

    name = models.CharField(_("keterampilan"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("keterampilan")
        verbose_name_plural = _("keterampilan")
        constraints = [models.UniqueConstraint(Lower("name"), name="skill_name_unique_ci")]

    def __str__(self):
        return self.name


class CreatorProfile(models.Model):
    """A person in the registry (pelaku ekraf)."""

    class Source(models.TextChoices):
        SIGNUP = "signup", _("Daftar sendiri")
        IMPORT = "import", _("Impor penyelenggara")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="creator_profile"
    )
    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    display_name = models.CharField(_("nama tampilan"), max_length=80, blank=True)
    photo = models.ImageField(_("foto"), upload_to=photo_path, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("tahun lahir"), null=True, blank=True)
    kelurahan = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="creators",
        limit_choices_to={"level": "kelurahan"},
        verbose_name=_("kelurahan"),
    )
    subsectors = models.ManyToManyField(
        "core.Subsector", blank=True, related_name="creators", verbose_name=_("subsektor")
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="creators")
    bio = models.TextField(_("bio singkat"), max_length=600, blank=True)
    phone = models.CharField(_("nomor telepon/WhatsApp"), max_length=20, blank=True)
    nik_encrypted = models.TextField(blank=True, editable=False)
    nik_hash = models.CharField(max_length=64, blank=True, editable=False)
    nik_masked = models.CharField(_("NIK"), max_length=20, blank=True, editable=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SIGNUP)
    source_agency = models.ForeignKey(
        "core.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_batch = models.ForeignKey(
        "creators.ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
    )
    # What the public profile shows, besides the name, subsectors, skills and pathways (only
    # while the public-profile consent is active). Never phone, NIK or birth year.
    show_photo = models.BooleanField(_("tampilkan foto"), default=False)
    show_area = models.BooleanField(_("tampilkan kelurahan dan kecamatan"), default=False)
    show_bio = models.BooleanField(_("tampilkan bio"), default=False)
    show_channels = models.BooleanField(_("tampilkan kanal media sosial"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("pelaku ekraf")
        verbose_name_plural = _("pelaku ekraf")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="creator_phone_unique"
            ),
            models.UniqueConstraint(
                fields=["nik_hash"], condition=~Q(nik_hash=""), name="creator_nik_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["kelurahan", "full_name"]),
            models.Index(Lower("full_name"), name="creator_name_lower"),
            # The registry's order (full_name, pk): its pages are read from this index
            # instead of sorting every profile. Substring search has trigram indexes
            # (PostgreSQL only, migration 0004).
            models.Index(fields=["full_name", "id"], name="creator_name_order"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.full_name


class PathwayInterest(models.Model):
    """A pathway the creator says they are interested in."""

    profile = models.ForeignKey(
        CreatorProfile, on_delete=models.CASCADE, related_name="pathway_interests"
    )
    pathway = models.CharField(max_length=20, choices=Pathway.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "pathway"], name="pathway_interest_unique")
        ]
        indexes = [models.Index(fields=["pathway", "profile"])]

    def __str__(self):
        return self.get_pathway_display()


class Channel(models.Model):
    """A social-media account of a creator, with its reach as last read."""

    class Platform(models.TextChoices):
        INSTAGRAM = "instagram", "Instagram"
        TIKTOK = "tiktok", "TikTok"
        YOUTUBE = "youtube", "YouTube"
        FACEBOOK = "facebook", "Facebook"
        X = "x", "X (Twitter)"
        THREADS = "threads", "Threads"
        LINKEDIN = "linkedin", "LinkedIn"
        PODCAST = "podcast", "Podcast"
        WEBSITE = "website", _("Situs web/blog")

    profile = models.ForeignKey(CreatorProfile, on_delete=models.CASCADE, related_name="channels")
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    handle = models.CharField(_("nama akun"), max_length=100, blank=True)
    url = models.URLField(_("tautan"), max_length=300)
    followers = models.PositiveIntegerField(_("pengikut"), null=True, blank=True)
    followers_read_on = models.DateField(_("jumlah pengikut per tanggal"), null=True, blank=True)

    class Meta:
        ordering = ["platform", "handle"]
        verbose_name = _("kanal")
        verbose_name_plural = _("kanal")
        constraints = [
            models.UniqueConstraint(fields=["profile", "url"], name="channel_unique_per_profile")
        ]
        indexes = [models.Index(fields=["platform", "profile"])]

    def __str__(self):
        return f"{self.get_platform_display()} {self.handle or self.url}"


class Consent(models.Model):
    """A consent given (and maybe withdrawn) for one purpose, under one version of its text."""

    class Purpose(models.TextChoices):
        PUBLIC_PROFILE = "public_profile", _("Profil publik")
        TALENT_DIRECTORY = "talent_directory", _("Direktori talenta untuk perangkat daerah")
        NIK = "nik", _("Pemrosesan NIK")

    profile = models.ForeignKey(CreatorProfile, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    # The version of the text the person agreed to ("2024.1"), or, for a NIK that came in an
    # agency's import, "impor:<agency code>:<version of the organiser's confirmation>".
    text_version = models.CharField(max_length=64)
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("persetujuan")
        verbose_name_plural = _("persetujuan")
        constraints = [
            # At most one live consent per purpose; history is kept as withdrawn rows.
            models.UniqueConstraint(
                fields=["profile", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
            )
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} v{self.text_version}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def version_label(self) -> str:
        """ "v2024.1", or for a NIK from an agency's import who vouched for it."""
        if self.text_version.startswith("impor:"):
            _prefix, agency, version = (self.text_version.split(":") + ["", ""])[:3]
            return _("dari impor %(agency)s (pernyataan v%(version)s)") % {
                "agency": agency,
                "version": version,
            }
        return f"v{self.text_version}"


def import_path(instance, filename: str) -> str:
    # Under private/: the organiser's spreadsheet holds personal data; deleted after commit.
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"private/creators/imports/{instance.public_id}/{random_code(8)}{suffix}"


class ImportBatch(models.Model):
    """A spreadsheet of creators an organiser uploaded: mapped, previewed, then committed.

    It belongs to the organiser's agency; only that agency's organisers (and administrators)
    see it. The file is kept only until the batch is committed or abandoned.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Diunggah, kolom belum dipetakan")
        PREVIEWED = "previewed", _("Pratinjau siap")
        COMMITTED = "committed", _("Sudah diimpor")
        ABANDONED = "abandoned", _("Dibatalkan")

    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        related_name="creator_imports",
        verbose_name=_("perangkat daerah"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(upload_to=import_path, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    duplicate_rows = models.PositiveIntegerField(default=0)
    # [{"line": 12, "column": "Nomor WhatsApp", "message": "…", "kind": "error"|"duplicate"}]
    problems = models.JSONField(default=list, blank=True)
    problems_truncated = models.BooleanField(default=False)
    sample = models.JSONField(default=list, blank=True)  # the first valid rows, for the preview
    created_count = models.PositiveIntegerField(default=0)
    # The organiser confirmed, under this version of the text, that the agency collected the
    # file's NIKs with each person's consent; without it the NIK column is ignored.
    nik_confirmed_at = models.DateTimeField(null=True, blank=True)
    nik_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nik_confirmation_version = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    previewed_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor pelaku ekraf")
        verbose_name_plural = _("impor pelaku ekraf")
        indexes = [models.Index(fields=["agency", "created_at"])]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def imports_nik(self) -> bool:
        """The NIK column is mapped and its lawful collection confirmed."""
        return "nik" in self.mapping and self.nik_confirmed_at is not None
