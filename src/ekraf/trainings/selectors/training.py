"""One training by its public id, and who may open it: anyone for a published one (a draft
only to its organisers; otherwise 404), its organisers for the management pages (another
agency's training is refused, 403); a session of it; and its quota categories with the seats
held, left and waiting."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import NotFound

from ..models import QuotaCategory, Registration, Session, Training
from .common import Status, TStatus, is_public_id


def categories_with_counts(training: Training) -> list[QuotaCategory]:
    """Each category with `held` (confirmed + offered), `waiting` and `left` seats."""
    categories = list(
        training.categories.annotate(
            held=Count(
                "registrations", filter=Q(registrations__status__in=Registration.HOLDS_SEAT)
            ),
            waiting=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
            confirmed=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
            offered=Count("registrations", filter=Q(registrations__status=Status.OFFERED)),
            applied=Count("registrations", filter=Q(registrations__status=Status.APPLIED)),
        ).order_by("position", "pk")
    )
    for category in categories:
        category.left = max(category.seats - category.held, 0)
    return categories


def training_for_public(public_id: str, user=None) -> Training:
    """A training anyone may see (drafts only to its organisers)."""
    if not is_public_id(public_id):
        raise NotFound(_("Pelatihan tidak ditemukan."))
    from ..services.questions import with_has_questions

    training = (
        with_has_questions(Training.objects)
        .select_related("agency")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.select_related("space")),
            "subsectors",
        )
        .filter(public_id=public_id)
        .first()
    )
    if training is None:
        raise NotFound(_("Pelatihan tidak ditemukan."))
    if training.status == TStatus.DRAFT and not permissions.can_manage_training(user, training):
        raise NotFound(_("Pelatihan tidak ditemukan."))
    return training


def training_for_manager(user, public_id: str) -> Training:
    """A training the user organises; another agency's training is refused (403)."""
    if not is_public_id(public_id):
        raise NotFound(_("Pelatihan tidak ditemukan."))
    training = (
        Training.objects.select_related("agency")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.select_related("space")),
            "subsectors",
        )
        .filter(public_id=public_id)
        .first()
    )
    if training is None:
        raise NotFound(_("Pelatihan tidak ditemukan."))
    permissions.require(
        permissions.can_manage_training(user, training),
        "Pelatihan ini milik perangkat daerah lain; Anda tidak bisa mengelolanya.",
    )
    return training


def session_of(training: Training, session_public_id: str) -> Session:
    for session in training.sessions.all():
        if session.public_id == session_public_id:
            return session
    raise NotFound(_("Sesi tidak ditemukan."))
