"""Who holds which role, read once per request; the scoping of agency-owned records; `require`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ekraf.accounts.models import AGENCY_ROLES, Role
from ekraf.core.errors import NotAllowed

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


def can_manage_users(user) -> bool:
    return is_admin(user)


def can_use_api_tokens(user) -> bool:
    return is_staff_member(user)


def require(allowed: bool, message: str | None = None) -> None:
    """Raise NotAllowed (403 on pages and in the API) unless `allowed`."""
    if not allowed:
        raise NotAllowed(message or _("Anda tidak berwenang untuk tindakan ini."))
