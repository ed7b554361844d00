"""Who registers for the demo trainings: profiles from the registry the creators demo made, or a
few made here when that demo did not run."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from ekraf.core.models import Region


def _people(ctx, needed: int) -> list:
    """Registry profiles to register (the creators demo made 300+); a few made here if not."""
    from ekraf.creators.models import CreatorProfile

    profiles = list(
        CreatorProfile.objects.filter(deleted_at__isnull=True)
        .exclude(user__username="kreator")
        .select_related("user", "kelurahan")
        .order_by("pk")[: needed * 2]
    )
    if len(profiles) < needed:
        profiles += _fallback_profiles(ctx, needed - len(profiles))
    ctx.rng.shuffle(profiles)
    return profiles


def _fallback_profiles(ctx, count: int) -> list:
    """Only when the creators demo did not run (an app tested on its own)."""
    from ekraf.accounts.models import Role, RoleGrant
    from ekraf.creators.models import CreatorProfile

    User = get_user_model()
    villages = list(Region.objects.filter(level=Region.Level.VILLAGE))
    users = User.objects.bulk_create(
        [
            User(
                username=f"peserta-demo-{i}",
                email=f"peserta-demo-{i}@demo.ekraf.invalid",
                full_name=ctx.faker.name(),
                password="!",  # unusable: these people never sign in
                email_verified_at=timezone.now(),
            )
            for i in range(count)
        ]
    )
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.CREATOR) for u in users])
    return list(
        CreatorProfile.objects.bulk_create(
            [
                CreatorProfile(
                    user=u,
                    full_name=u.full_name,
                    gender=ctx.rng.choice("LP"),
                    birth_year=ctx.rng.randint(1975, 2006),
                    kelurahan=ctx.rng.choice(villages) if villages else None,
                    phone=f"+62812{7000000 + i:07d}",
                )
                for i, u in enumerate(users)
            ]
        )
    )
