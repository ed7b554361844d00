"""The creator registry: who searches, exports, imports, reveals a NIK, sees a contact."""

from __future__ import annotations

from django.db.models import Q

from ekraf.accounts.models import Role

from .roles import agency_ids, can_organise_for, has_role, is_admin, is_creator


def can_view_creator_registry(user) -> bool:
    return has_role(user, Role.ADMIN, Role.ORGANISER, Role.AGENCY_STAFF)


def can_export_creators(user) -> bool:
    return has_role(user, Role.ADMIN, Role.ORGANISER)


def can_import_creators(user, agency_id: int | None) -> bool:
    return can_organise_for(user, agency_id)


def can_reveal_nik(user) -> bool:
    """Seeing a NIK in full (always audited) is for organisers and administrators only; for
    a particular person, `can_reveal_nik_of` also asks for a relation to them."""
    return has_role(user, Role.ADMIN, Role.ORGANISER)


def can_reveal_nik_of(user, profile) -> bool:
    """An organiser reveals the NIK only of a person their agency has a relation to: the
    agency imported them, or the person registered for one of the agency's trainings.
    Administrators (the data controller's officers) may reveal any; every reveal is audited."""
    if profile is None or profile.deleted_at is not None or not can_reveal_nik(user):
        return False
    if is_admin(user):
        return True
    mine = agency_ids(user, Role.ORGANISER)
    if profile.source_agency_id is not None and profile.source_agency_id in mine:
        return True
    if profile.user_id is None:
        return False
    from ekraf.trainings.models import Registration

    return Registration.objects.filter(
        user_id=profile.user_id, training__agency_id__in=mine
    ).exists()


def can_edit_creator_profile(user, profile) -> bool:
    """A creator edits only their own profile (staff correct data through the person)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and profile.user_id == user.pk
        and profile.deleted_at is None
    )


def can_see_creator_photo(user, profile, *, published: bool) -> bool:
    """The owner, registry staff, or anyone when the photo is on an active public profile."""
    if profile.deleted_at is not None:
        return False
    return published or can_edit_creator_profile(user, profile) or can_view_creator_registry(user)


def can_view_creator_import(user, batch) -> bool:
    """An import batch is its agency's: other agencies' organisers are refused."""
    return can_import_creators(user, batch.agency_id)


def can_delete_own_account(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# The name under which the creators' selectors annotate a profile with "has an active
# talent-directory consent" (an EXISTS subquery in the same query as the rows, so deciding per
# row costs nothing). Profiles read without it fall back to one query each.
DIRECTORY_CONSENT = "directory_consent"


def _directory_consent(profile) -> bool:
    known = getattr(profile, DIRECTORY_CONSENT, None)
    if known is None:
        known = profile.consents.filter(
            purpose="talent_directory", withdrawn_at__isnull=True
        ).exists()
        setattr(profile, DIRECTORY_CONSENT, known)
    return bool(known)


def can_see_creator_contact(user, profile) -> bool:
    """A creator's phone and e-mail, on pages, in exports and in the API alike.

    The talent-directory consent is the one that says agencies may contact the person, so
    registry staff see contact details only while it is active — or when their own agency
    imported the person (that agency collected the details itself) — and administrators always.
    A deleted profile shows none to anyone.
    """
    if profile is None or profile.deleted_at is not None:
        return False
    if getattr(user, "is_authenticated", False) and profile.user_id == user.pk:
        return True
    if is_admin(user):
        return True
    if not can_view_creator_registry(user):
        return False
    if profile.source_agency_id is not None and profile.source_agency_id in agency_ids(user):
        return True
    return _directory_consent(profile)


def creator_contacts_visible(user) -> Q | None:
    """can_see_creator_contact as a filter on CreatorProfile rows annotated with
    DIRECTORY_CONSENT (search by phone or e-mail matches only these); None means every row."""
    if is_admin(user):
        return None
    if not can_view_creator_registry(user):
        return Q(pk__in=[])
    return Q(**{DIRECTORY_CONSENT: True}) | Q(source_agency_id__in=agency_ids(user))


def sees_creator_pages(user) -> bool:
    """ "Pelatihan saya", "Sertifikat saya": for creators, and for anyone else (an organiser, agency
    staff) who actually has a registration or a certificate. Decided from the roles cached for
    this request and a flag loaded with the user (accounts.participation): no query of its own."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_creator(user):
        return True
    from ekraf.accounts import participation

    return participation.takes_part(user)
