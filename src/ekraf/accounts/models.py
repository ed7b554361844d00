"""Users, the roles they hold (per agency for organisers and agency staff), and API tokens."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CREATOR = "creator", _("Pelaku ekraf")
    ORGANISER = "organiser", _("Penyelenggara pelatihan")
    AGENCY_STAFF = "agency_staff", _("Staf perangkat daerah")
    EDITOR = "editor", _("Editor berita warga")
    SPACE_MANAGER = "space_manager", _("Pengelola ruang")
    COMMITTEE = "committee", _("Anggota Komite Ekraf")
    ADMIN = "admin", _("Administrator")


# Roles held for a particular agency; the others are city-wide.
AGENCY_ROLES = frozenset({Role.ORGANISER, Role.AGENCY_STAFF})


class EkrafUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who signs in. E-mail is unique (case-insensitive) and must be verified."""

    email = models.EmailField(_("alamat email"))
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    email_verified_at = models.DateTimeField(_("email terverifikasi"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("akun dihapus"), null=True, blank=True)

    objects = EkrafUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class RoleGrant(models.Model):
    """One role held by one user; organiser and agency-staff grants name their agency."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name=_("perangkat daerah"),
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peran")
        verbose_name_plural = _("peran")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(r.value for r in AGENCY_ROLES), agency__isnull=False)
                    | (~Q(role__in=sorted(r.value for r in AGENCY_ROLES)) & Q(agency__isnull=True))
                ),
                name="rolegrant_agency_iff_agency_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(agency__isnull=False),
                name="rolegrant_unique_per_agency",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(agency__isnull=True),
                name="rolegrant_unique_citywide",
            ),
        ]

    def __str__(self):
        label = self.get_role_display()
        return f"{label} · {self.agency}" if self.agency_id else str(label)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role in AGENCY_ROLES and self.agency_id is None:
            raise ValidationError(
                {"agency": _("Peran ini harus terikat pada satu perangkat daerah.")}
            )
        if self.role not in AGENCY_ROLES and self.agency_id is not None:
            raise ValidationError(
                {"agency": _("Peran ini berlaku untuk seluruh kota, tanpa perangkat daerah.")}
            )


class ApiToken(models.Model):
    """A personal access token. Only a hash is stored; the token is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama token"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("kedaluwarsa"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class UserSession(models.Model):
    """A signed-in browser of a person, so they can see and end it (Akun saya › Sesi dan token)
    and a password change can end all of them. Written at sign-in, deleted at sign-out."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="browser_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.CharField(_("alamat"), max_length=64, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sesi masuk")
        verbose_name_plural = _("sesi masuk")

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
