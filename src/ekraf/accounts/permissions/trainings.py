"""Trainings: who organises, registers, sees a registration."""

from __future__ import annotations

from django.db.models import QuerySet

from ekraf.accounts.models import Role

from .creators import can_see_creator_contact
from .roles import agency_ids, can_organise_for, is_admin, scope_to_agencies


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


def can_see_registration_contact(user, registration, profile) -> bool:
    """The phone and e-mail on a registration (pages, peserta.xlsx, outbox links alike).

    A person who registers themselves gives their contact to that training's organisers for
    that training, so they see it. When someone else registered the person (an organiser, an
    administrator), the contact is the registry's, and `can_see_creator_contact` decides, now
    (a consent withdrawn later hides it again). `profile` is the person's creator profile,
    annotated as the creators' selectors do, or None.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if registration.user_id == user.pk or is_admin(user):
        return True
    if not can_view_registration(user, registration):
        return False
    if registration.registered_by_id is None:
        return True
    return can_see_creator_contact(user, profile)
