"""Agency programmes, engagements, deliverables and speaker requests.

Agency staff (and organisers) of an agency manage that agency's programmes: post them, move
their status, see recommendations, invite, review deliverables. Administrators manage all.
Creators apply to open calls and act on their own engagements. Exposure statistics (who the
recommendation lists show) are for administrators.
"""

from __future__ import annotations

from ekraf.accounts.models import Role

from .roles import agency_ids, has_role, is_admin


def can_manage_programmes(user) -> bool:
    """The Kelola › Program pages: agency staff, organisers and administrators."""
    return is_admin(user) or bool(agency_ids(user, Role.AGENCY_STAFF, Role.ORGANISER))


def can_manage_programmes_of(user, agency_id) -> bool:
    if agency_id is None:
        return False
    return is_admin(user) or agency_id in agency_ids(user, Role.AGENCY_STAFF, Role.ORGANISER)


def can_manage_programme(user, programme) -> bool:
    return can_manage_programmes_of(user, programme.agency_id)


def can_apply_to_programmes(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and has_role(user, Role.CREATOR)
    )


def can_view_engagement(user, engagement) -> bool:
    """Both sides: the engaged creator and the programme's agency."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if engagement.creator.user_id == user.pk:
        return True
    return can_manage_programme(user, engagement.programme)


def can_view_exposure(user) -> bool:
    return is_admin(user)
