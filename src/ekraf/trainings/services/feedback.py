"""Participants' feedback after the training."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError, NotAllowed

from ..models import Feedback, Registration
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


def give_feedback(
    user, registration: Registration, rating: int, comment: str = "", now=None
) -> Feedback:
    if registration.user_id != getattr(user, "pk", None):
        raise NotAllowed(_("Hanya peserta sendiri yang bisa memberi umpan balik."))
    refusal = feedback_refusal(registration, now)
    if refusal:
        raise Conflict(refusal, code="feedback_closed")
    if rating not in (1, 2, 3, 4, 5):
        raise DomainError(_("Pilih nilai 1 sampai 5."), field="rating")
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                registration=registration,
                rating=rating,
                comment=validation.text(comment, field="comment", max_length=2000),
            )
    except IntegrityError as exc:
        raise Conflict(_("Terima kasih, umpan balik Anda sudah kami terima.")) from exc
