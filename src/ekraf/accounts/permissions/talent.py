"""Pathways, the talent directory and speaker requests."""

from __future__ import annotations

from django.db.models import QuerySet

from ekraf.accounts.models import Role

from .roles import can_act_for, can_organise_for, has_role, scope_to_agencies


def can_use_talent_directory(user) -> bool:
    """The directory (and the staff view of a creator in it): agency staff, organisers,
    administrators."""
    return has_role(user, Role.ADMIN, Role.ORGANISER, Role.AGENCY_STAFF)


def can_assess_pathways(user, training) -> bool:
    """Recording pathways after a training is its organisers' (and administrators') work."""
    return training is not None and can_organise_for(user, training.agency_id)


def can_request_speakers(user) -> bool:
    """Asking for a narasumber/motivator: anyone acting for an agency."""
    return has_role(user, Role.ADMIN, Role.ORGANISER, Role.AGENCY_STAFF)


def can_manage_speaker_request(user, speaker_request) -> bool:
    """Shortlist, cancel, rate: the requesting agency's staff and administrators."""
    return speaker_request is not None and can_act_for(user, speaker_request.agency_id)


def speaker_requests_visible(user, queryset: QuerySet) -> QuerySet:
    return scope_to_agencies(user, queryset, "agency")


def can_answer_speaker_booking(user, booking) -> bool:
    """Only the shortlisted speaker accepts or declines."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and booking is not None
        and booking.creator.user_id == user.pk
    )
