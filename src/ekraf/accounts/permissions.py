"""Every permission decision of the platform, in one place.

Services call these before they write or read, so a page and the API cannot disagree. A user's
roles are read once per request and cached on the user object.

Scoping rule: organisers and agency staff act only for the agencies they belong to. The creator
registry is the city's (every agency may look for talent in it); what an agency owns — its
imports, trainings, registrations, certificates — is visible only to that agency's staff and
to administrators.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ekraf.core.errors import NotAllowed

from .models import AGENCY_ROLES, Role

_CACHE = "_ekraf_role_grants"


def _grants(user) -> list[tuple[str, int | None]]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(user.role_grants.values_list("role", "agency_id"))
        setattr(user, _CACHE, cached)
    return cached


def forget(user) -> None:
    """Drop the cached roles (after a grant changes)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def roles(user) -> frozenset[str]:
    held = {role for role, _agency in _grants(user)}
    if getattr(user, "is_superuser", False) and user.is_active:
        held.add(Role.ADMIN)
    return frozenset(held)


def has_role(user, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def is_admin(user) -> bool:
    return Role.ADMIN in roles(user)


def agency_ids(user, *wanted: str) -> frozenset[int]:
    """Agencies the user acts for, in the given roles (all agency roles when none given)."""
    wanted_roles = set(wanted) or set(AGENCY_ROLES)
    return frozenset(
        agency for role, agency in _grants(user) if role in wanted_roles and agency is not None
    )


def is_staff_member(user) -> bool:
    """Any role beyond creator: such users see the Kelola menu."""
    return bool(roles(user) - {Role.CREATOR})


def is_creator(user) -> bool:
    return Role.CREATOR in roles(user)


# --- agency-owned records --------------------------------------------------------------------


def can_organise_for(user, agency_id: int | None) -> bool:
    """Run trainings (and own their records) for this agency."""
    if agency_id is None:
        return False
    return is_admin(user) or agency_id in agency_ids(user, Role.ORGANISER)


def can_act_for(user, agency_id: int | None) -> bool:
    """Any agency role (organiser or agency staff) for this agency."""
    if agency_id is None:
        return False
    return is_admin(user) or agency_id in agency_ids(user)


def scope_to_agencies(user, queryset: QuerySet, field: str = "agency", *wanted: str) -> QuerySet:
    """Only the rows of agencies the user acts for; everything for administrators."""
    if is_admin(user):
        return queryset
    return queryset.filter(**{f"{field}__in": agency_ids(user, *wanted)})


def organiser_agency_ids(user):
    """Agencies the user may organise for; None means all (administrator)."""
    return None if is_admin(user) else agency_ids(user, Role.ORGANISER)


# --- the creator registry --------------------------------------------------------------------


def can_view_creator_registry(user) -> bool:
    return has_role(user, Role.ADMIN, Role.ORGANISER, Role.AGENCY_STAFF)


def can_export_creators(user) -> bool:
    return has_role(user, Role.ADMIN, Role.ORGANISER)


def can_import_creators(user, agency_id: int | None) -> bool:
    return can_organise_for(user, agency_id)


def can_reveal_nik(user) -> bool:
    """Seeing a NIK in full (always audited) is for organisers and administrators only."""
    return has_role(user, Role.ADMIN, Role.ORGANISER)


def can_manage_users(user) -> bool:
    return is_admin(user)


def can_use_api_tokens(user) -> bool:
    return is_staff_member(user)


def require(allowed: bool, message: str | None = None) -> None:
    """Raise NotAllowed (403 on pages and in the API) unless `allowed`."""
    if not allowed:
        raise NotAllowed(message or _("Anda tidak berwenang untuk tindakan ini."))


# --- credentials (e-certificates and certification referrals) -------------------------------


def can_issue_certificates(user, agency_id: int | None) -> bool:
    """Issue e-certificates for a training: its agency's organisers and administrators."""
    return can_organise_for(user, agency_id)


def can_revoke_certificate(user, agency_id: int | None) -> bool:
    """Revoke a certificate: organisers of the issuing agency and administrators."""
    return can_organise_for(user, agency_id)


def can_manage_signatories(user, agency_id: int | None) -> bool:
    return can_organise_for(user, agency_id)


def can_view_certificate(user, certificate) -> bool:
    """Download a certificate's files: its holder, the issuing agency's staff, administrators."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return certificate.holder_id == user.pk or can_act_for(user, certificate.agency_id)


def can_request_referral(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_work_referrals(user, agency_id: int | None) -> bool:
    """Work the professional-certification referral queue: staff of the receiving agency."""
    return can_act_for(user, agency_id)


# --- creators --------------------------------------------------------------------------------


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


# --- trainings -------------------------------------------------------------------------------


def can_manage_trainings(user) -> bool:
    """Sees the organiser's pages at all (organiser of some agency, or administrator)."""
    return is_admin(user) or bool(agency_ids(user, Role.ORGANISER))


def can_manage_training(user, training) -> bool:
    """Edit, publish, cancel a training and run its participants, check-in, scores, papers."""
    return can_organise_for(user, training.agency_id)


def organised_trainings(user, queryset: QuerySet) -> QuerySet:
    """Only the trainings of agencies the user organises for (all for administrators)."""
    return scope_to_agencies(user, queryset, "agency", Role.ORGANISER)


def can_register_for_training(user) -> bool:
    """Register oneself: a signed-in, active account with a verified e-mail."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "email_verified_at", None) is not None
    )


def can_register_others(user, training) -> bool:
    """An organiser may register a creator (e.g. one who signed up on paper at the door)."""
    return can_manage_training(user, training)


def can_view_registration(user, registration) -> bool:
    """The person themselves, or an organiser of the training's agency."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return registration.user_id == user.pk or can_organise_for(
        user, registration.training.agency_id
    )


def can_cancel_registration(user, registration) -> bool:
    return can_view_registration(user, registration)


# --- insights (the committee dashboard) ---------------------------------------------------------


def can_view_insights(user) -> bool:
    """Committee members and administrators read the ecosystem's indicators."""
    return bool(getattr(user, "is_authenticated", False)) and has_role(
        user, Role.COMMITTEE, Role.ADMIN
    )


# --- creators: contact details (phone, e-mail) -----------------------------------------------

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


# --- navigation: creator entries --------------------------------------------------------------


def sees_creator_pages(user) -> bool:
    """ "Pelatihan saya", "Sertifikat saya": for creators, and for anyone else (an organiser, agency
    staff) who actually has a registration or a certificate. Decided from the roles cached for
    this request and a flag loaded with the user (accounts.participation): no query of its own."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_creator(user):
        return True
    from . import participation

    return participation.takes_part(user)
