"""Participants' feedback after the training."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError, NotAllowed

from ..models import FEEDBACK_ASPECTS, FEEDBACK_OPEN_QUESTIONS, Feedback, Registration
from .common import Status, _now


def feedback_refusal(registration: Registration, now=None) -> str | None:
    if registration.status != Status.CONFIRMED:
        return _("Umpan balik hanya untuk peserta terkonfirmasi.")
    last = registration.training.sessions.aggregate(last=Max("starts_at"))["last"]
    if last is None or _now(now) < last:
        return _("Umpan balik dibuka setelah sesi terakhir dimulai.")
    if not registration.attendances.exists():
        return _("Umpan balik hanya untuk peserta yang hadir.")
    if Feedback.objects.filter(registration=registration).exists():
        return _("Terima kasih, umpan balik Anda sudah kami terima.")
    return None


def _rating(value, field: str) -> int:
    if isinstance(value, bool) or value not in (1, 2, 3, 4, 5):
        raise DomainError(_("Pilih nilai 1 sampai 5."), field=field)
    return value


def clean_feedback(
    rating, aspects: dict | None = None, open_answers: dict | None = None, comment: str = ""
) -> dict:
    """The feedback's fields, checked: the overall rating 1–5, a rating 1–5 per aspect given
    (FEEDBACK_ASPECTS; unknown aspects refused), the open answers (FEEDBACK_OPEN_QUESTIONS)
    and the comment as text."""
    aspects = dict(aspects or {})
    open_answers = dict(open_answers or {})
    unknown = [k for k in aspects if k not in FEEDBACK_ASPECTS] + [
        k for k in open_answers if k not in FEEDBACK_OPEN_QUESTIONS
    ]
    if unknown:
        raise DomainError(
            _("Pertanyaan umpan balik tidak dikenal: %(keys)s.") % {"keys": ", ".join(unknown)},
            field="aspects",
        )
    return {
        "rating": _rating(rating, "rating"),
        "aspect_ratings": {
            key: _rating(aspects[key], f"aspect_{key}")
            for key in FEEDBACK_ASPECTS
            if key in aspects
        },
        "open_answers": {
            key: text
            for key in FEEDBACK_OPEN_QUESTIONS
            if (
                text := validation.text(
                    open_answers.get(key, ""), field=f"open_{key}", max_length=2000
                )
            )
        },
        "comment": validation.text(comment, field="comment", max_length=2000),
    }


def give_feedback(
    user,
    registration: Registration,
    rating: int,
    comment: str = "",
    now=None,
    *,
    aspects: dict | None = None,
    open_answers: dict | None = None,
) -> Feedback:
    """The participant's feedback: the overall rating, ratings per aspect, open answers."""
    if registration.user_id != getattr(user, "pk", None):
        raise NotAllowed(_("Hanya peserta sendiri yang bisa memberi umpan balik."))
    refusal = feedback_refusal(registration, now)
    if refusal:
        raise Conflict(refusal, code="feedback_closed")
    fields = clean_feedback(rating, aspects, open_answers, comment)
    try:
        with transaction.atomic():
            return Feedback.objects.create(registration=registration, **fields)
    except IntegrityError as exc:
        raise Conflict(_("Terima kasih, umpan balik Anda sudah kami terima.")) from exc
