"""Reads of the creator registry, each a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from ekraf.core.models import Region

from .models import Channel, Consent, CreatorProfile, ImportBatch, PathwayInterest


def profile_of(user) -> CreatorProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        CreatorProfile.objects.filter(user=user)
        .select_related("kelurahan__parent")
        .prefetch_related("subsectors", "skills", "channels", "pathway_interests")
        .first()
    )


def _with_details(qs: QuerySet) -> QuerySet:
    return qs.select_related("user", "kelurahan__parent", "source_agency").prefetch_related(
        "subsectors",
        "skills",
        Prefetch("channels", queryset=Channel.objects.order_by("platform", "handle")),
        "pathway_interests",
    )


def _active_consent(purpose: str):
    return Exists(
        Consent.objects.filter(profile=OuterRef("pk"), purpose=purpose, withdrawn_at__isnull=True)
    )


def public_profile(public_id: str) -> CreatorProfile | None:
    """The profile behind /kreator/<public_id>/, only while its public-profile consent is active."""
    return (
        _with_details(CreatorProfile.objects.filter(public_id=public_id, deleted_at__isnull=True))
        .filter(_active_consent(Consent.Purpose.PUBLIC_PROFILE))
        .first()
    )


def has_public_profile(profile: CreatorProfile) -> bool:
    return profile.consents.filter(
        purpose=Consent.Purpose.PUBLIC_PROFILE, withdrawn_at__isnull=True
    ).exists()


def profile_for_photo(public_id: str) -> tuple[CreatorProfile | None, bool]:
    """The profile and whether its photo is published (active consent and chosen to show)."""
    profile = (
        CreatorProfile.objects.filter(public_id=public_id)
        .annotate(published=_active_consent(Consent.Purpose.PUBLIC_PROFILE))
        .first()
    )
    if profile is None:
        return None, False
    return profile, bool(profile.published and profile.show_photo)


def in_talent_directory() -> QuerySet:
    """Creators who consented to the talent directory (for the talent app)."""
    return CreatorProfile.objects.filter(deleted_at__isnull=True).filter(
        _active_consent(Consent.Purpose.TALENT_DIRECTORY)
    )


@dataclass
class CreatorFilters:
    """The staff list's search and filters; region filters use Kemendagri codes."""

    q: str = ""
    subsector: str = ""
    kecamatan: str = ""
    kelurahan: str = ""
    platform: str = ""
    pathway: str = ""

    @classmethod
    def from_query(cls, params) -> CreatorFilters:
        return cls(**{f.name: (params.get(f.name) or "").strip()[:100] for f in fields(cls)})

    def any(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def _phone_variants(q: str) -> list[str]:
    digits = re.sub(r"\D", "", q)
    if len(digits) < 4 or len(digits) < len(q.replace(" ", "").replace("-", "")) - 1:
        return []
    if digits.startswith("0"):
        return ["+62" + digits[1:]]
    if digits.startswith("62"):
        return ["+" + digits]
    return [digits]


def _with_contact_consent(qs: QuerySet) -> QuerySet:
    """Each row carries whether its talent-directory consent is active, in the same query, so
    permissions.can_see_creator_contact decides per row without another query."""
    from ekraf.accounts import permissions

    return qs.annotate(
        **{permissions.DIRECTORY_CONSENT: _active_consent(Consent.Purpose.TALENT_DIRECTORY)}
    )


def _matching(q: str, viewer) -> QuerySet:
    """Ids of the profiles a search term matches, as one UNION of per-column lookups.

    Each part is a substring match (`icontains`, i.e. UPPER(col) LIKE UPPER('%q%')) that
    PostgreSQL answers from a trigram index (migration creators 0004); as one OR over the
    joined rows with EXISTS arms, the same test could only be a sequential scan.
    """
    from ekraf.accounts import permissions
    from ekraf.accounts.models import User

    by_name = CreatorProfile.objects.filter(
        Q(full_name__icontains=q) | Q(display_name__icontains=q)
    )
    by_handle = Channel.objects.filter(handle__icontains=q.lstrip("@"))
    # Contacts match only where the viewer may see them; each contact part starts from its
    # own index (the matching users, the matching phones) and checks visibility after.
    contacts = [Q(user__in=User.objects.filter(email__icontains=q).values("pk"))]
    contacts += [Q(phone__contains=variant) for variant in _phone_variants(q)]
    visible = permissions.creator_contacts_visible(viewer)
    by_contact = []
    for contact in contacts:
        part = _with_contact_consent(CreatorProfile.objects.filter(contact))
        by_contact.append(part.filter(visible) if visible is not None else part)
    ids = [
        by_name.values("pk"),
        by_handle.values("profile_id"),
        *(part.values("pk") for part in by_contact),
    ]
    first, *rest = [part.order_by() for part in ids]  # a UNION's parts take no ORDER BY
    return first.union(*rest)


def search_creators(filters: CreatorFilters, *, viewer) -> QuerySet:
    """The registry (without deleted profiles), searched and filtered, with what lists show.

    A search term matches names and channel handles of everyone, but e-mail addresses and phone
    numbers only of the creators whose contact details the viewer may see: otherwise probing
    with "0812", "08123", … would spell out a number the person chose not to share.
    """

    qs = _with_contact_consent(CreatorProfile.objects.filter(deleted_at__isnull=True))
    if filters.q:
        qs = qs.filter(pk__in=_matching(filters.q, viewer))
    if filters.subsector:
        qs = qs.filter(
            Exists(
                CreatorProfile.subsectors.through.objects.filter(
                    creatorprofile_id=OuterRef("pk"), subsector__code=filters.subsector
                )
            )
        )
    if filters.kelurahan:
        qs = qs.filter(kelurahan__code=filters.kelurahan)
    elif filters.kecamatan:
        qs = qs.filter(kelurahan__parent__code=filters.kecamatan)
    if filters.platform:
        qs = qs.filter(
            Exists(Channel.objects.filter(profile=OuterRef("pk"), platform=filters.platform))
        )
    if filters.pathway:
        qs = qs.filter(
            Exists(PathwayInterest.objects.filter(profile=OuterRef("pk"), pathway=filters.pathway))
        )
    return _with_details(qs).order_by("full_name", "pk")


def creator_for_staff(public_id: str) -> CreatorProfile | None:
    return (
        _with_details(_with_contact_consent(CreatorProfile.objects.filter(public_id=public_id)))
        .prefetch_related("consents")
        .first()
    )


def profiles_for_contact(user_ids) -> dict[int, CreatorProfile]:
    """The live profiles of these users, by user id, each annotated so that
    permissions.can_see_creator_contact decides without a query of its own (one query)."""
    if not user_ids:
        return {}
    rows = _with_contact_consent(
        CreatorProfile.objects.filter(user_id__in=list(user_ids), deleted_at__isnull=True)
    )
    return {profile.user_id: profile for profile in rows}


def mark_contact_visibility(viewer, profiles) -> list[CreatorProfile]:
    """The profiles, each with `contact_visible` set for this viewer (for templates)."""
    from ekraf.accounts import permissions

    profiles = list(profiles)
    for profile in profiles:
        profile.contact_visible = permissions.can_see_creator_contact(viewer, profile)
    return profiles


def villages_by_district() -> list[tuple[Region, list[Region]]]:
    """Kelurahan grouped under their kecamatan, for pickers (one query)."""
    from ekraf.core.selectors import villages

    groups: dict[int, tuple[Region, list[Region]]] = {}
    for village in villages():
        groups.setdefault(village.parent_id, (village.parent, []))[1].append(village)
    return list(groups.values())


def import_batches(user) -> QuerySet:
    from ekraf.accounts import permissions
    from ekraf.accounts.models import Role

    return permissions.scope_to_agencies(
        user, ImportBatch.objects.select_related("agency", "created_by"), "agency", Role.ORGANISER
    )


def import_batch(public_id: str) -> ImportBatch | None:
    return (
        ImportBatch.objects.select_related("agency", "created_by")
        .filter(public_id=public_id)
        .first()
    )
