"""Personal data (UU PDP): a person's trainings exported, and erased with the
account.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Feedback, Registration, RegistrationAnswer
from .common import Status, TStatus
from .locking import _lock
from .waitinglist import _offer_free_seats


def export_person(user) -> list[dict]:
    rows = []
    for r in (
        Registration.objects.filter(user=user)
        .select_related("training__agency", "category", "kelurahan")
        .prefetch_related("attendances__session", "answers__question")
        .order_by("created_at")
    ):
        feedback = Feedback.objects.filter(registration=r).first()
        rows.append(
            {
                "training": r.training.title,
                "agency": r.training.agency.short_name,
                "category": r.category.name,
                "status": r.status,
                "ticket_code": r.ticket_code,
                "full_name": r.full_name,
                "email": r.email,
                "phone": r.phone,
                "gender": r.gender,
                "birth_year": r.birth_year,
                "kelurahan": r.kelurahan.name if r.kelurahan else "",
                "origin": r.origin,
                "audience": r.audience,
                "motivation": r.motivation,
                "registered_at": r.created_at.isoformat(),
                "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None,
                "pre_test_score": str(r.pre_test_score) if r.pre_test_score is not None else None,
                "post_test_score": str(r.post_test_score)
                if r.post_test_score is not None
                else None,
                "completed": r.completed,
                "completion_reason": r.completion_reason,
                "attendance": [
                    {
                        "session": a.session.starts_at.isoformat(),
                        "checked_in_at": a.checked_in_at.isoformat(),
                    }
                    for a in r.attendances.all()
                ],
                "answers": [
                    {"question": a.question.label, "answer": a.value} for a in r.answers.all()
                ],
                "feedback": {
                    "rating": feedback.rating,
                    "aspects": feedback.aspect_ratings,
                    "open_answers": feedback.open_answers,
                    "comment": feedback.comment,
                }
                if feedback
                else None,
            }
        )
    return rows


def erase_person(user) -> None:
    """Run inside the account deletion: give up seats still to come, then clear what the
    registrations and feedback kept about the person.

    Removed everywhere: e-mail, phone, gender, birth year, kelurahan, origin, audience, the
    free-text motivation, the answers to a training's own questions, and feedback comments
    and open answers. Kept, because a legal record needs it: the
    name, status, attendance, scores and completion of registrations that were attended
    (the agency's filed attendance sheets and activity report, and issued certificates, which
    must stay verifiable) and feedback ratings (only counted in reports). A registration never
    attended (cancelled, or still to come) is no one's record: its name goes too.
    The account deletion page says this (creators/delete_account.html, docs/privacy.md)."""
    now = timezone.now()
    for registration in Registration.objects.filter(
        user=user,
        status__in=Registration.ACTIVE,
        training__status__in=(TStatus.DRAFT, TStatus.PUBLISHED, TStatus.CLOSED),
    ).select_related("training__agency", "category", "user"):
        with transaction.atomic():
            locked = _lock(registration)
            held = locked.status in Registration.HOLDS_SEAT
            locked.status = Status.CANCELLED
            locked.cancelled_at = now
            locked.cancel_reason = _("Akun dihapus")
            locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
            if held:
                _offer_free_seats(locked.category, now)
    mine = Registration.objects.filter(user=user)
    mine.update(
        email="",
        phone="",
        motivation="",
        gender="",
        birth_year=None,
        kelurahan=None,
        origin="",
        audience="",
    )
    mine.filter(attendances__isnull=True, status=Status.CANCELLED).update(
        full_name=_("Akun dihapus")
    )
    RegistrationAnswer.objects.filter(registration__user=user).delete()
    Feedback.objects.filter(registration__user=user).update(comment="", open_answers={})
