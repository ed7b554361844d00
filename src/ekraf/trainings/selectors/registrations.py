"""A person's registrations: their tickets, upcoming first; one ticket by its public id, for
whoever may view it (anyone else gets 404) or by the id alone for the signed ticket link,
whose signature is the key; the place on the waiting list; and, for other apps
(certificates), the completed ones."""

from __future__ import annotations

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import NotFound

from ..models import Registration, Session
from .common import Status, is_public_id


def my_registrations(user) -> list[Registration]:
    """The person's registrations, upcoming first; with sessions for the schedule."""
    qs = (
        Registration.objects.filter(user=user)
        .select_related("training__agency", "category")
        .prefetch_related(
            Prefetch("training__sessions", queryset=Session.objects.select_related("space"))
        )
        .annotate(
            first_start=Subquery(
                Session.objects.filter(training=OuterRef("training"))
                .order_by("starts_at")
                .values("starts_at")[:1]
            )
        )
        .order_by(F("first_start").desc(nulls_last=True), "-created_at")
    )
    return list(qs)


def registration_for(user, public_id: str) -> Registration:
    if not is_public_id(public_id):
        raise NotFound(_("Tiket tidak ditemukan."))
    registration = (
        Registration.objects.select_related("training__agency", "category", "kelurahan", "user")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None or not permissions.can_view_registration(user, registration):
        raise NotFound(_("Tiket tidak ditemukan."))
    return registration


def registration_by_public_id(public_id: str) -> Registration:
    if not is_public_id(public_id):
        raise NotFound(_("Pendaftaran tidak ditemukan."))
    registration = (
        Registration.objects.select_related("training__agency", "category", "kelurahan", "user")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None:
        raise NotFound(_("Pendaftaran tidak ditemukan."))
    return registration


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(category_id=registration.category_id, status=Status.WAITLISTED)
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def completion_of_user(user, training_ids=None) -> QuerySet:
    """For other apps (certificates): the user's completed registrations."""
    qs = Registration.objects.filter(user=user, completed=True).select_related("training__agency")
    if training_ids is not None:
        qs = qs.filter(training_id__in=training_ids)
    return qs
