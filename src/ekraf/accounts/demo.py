"""Demo logins, one per role, so a newcomer can see every screen."""

from ekraf.core.models import Agency

from . import services
from .models import Role, User

# (username, full name, role, agency code)
DEMO_USERS = [
    ("admin", "Rina Administrator", Role.ADMIN, None),
    ("penyelenggara", "Budi Santoso", Role.ORGANISER, "diskominfo"),
    ("penyelenggara2", "Sri Wahyuni", Role.ORGANISER, "diskopindag"),
    ("staf", "Agus Prasetyo", Role.AGENCY_STAFF, "disporapar"),
    ("disnaker", "Dewi Lestari", Role.AGENCY_STAFF, "disnaker-pmptsp"),
    ("editor", "Yusuf Hidayat", Role.EDITOR, None),
    ("ruang", "Putri Maharani", Role.SPACE_MANAGER, None),
    ("komite", "Hendra Wijaya", Role.COMMITTEE, None),
    ("kreator", "Ayu Kartika Sari", Role.CREATOR, None),
]


def build(ctx) -> None:
    from django.utils import timezone

    for username, full_name, role, agency_code in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                email=f"{username}@demo.ekraf.invalid",
                password=ctx.password,
                full_name=full_name,
            )
        user.email_verified_at = user.email_verified_at or timezone.now()
        user.save(update_fields=["email_verified_at"])
        agency = Agency.objects.get(code=agency_code) if agency_code else None
        services.grant_role(user, role, agency)


def demo_logins() -> list[tuple[str, str]]:
    present = set(
        User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).values_list(
            "username", flat=True
        )
    )
    rows = []
    for username, _name, role, agency_code in DEMO_USERS:
        if username in present:
            label = str(Role(role).label)
            if agency_code:
                label = f"{label} ({agency_code})"
            rows.append((label, username))
    return rows
