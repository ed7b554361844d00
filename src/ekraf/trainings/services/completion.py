"""Completion: the training's rule applied to each confirmed participant, stored with
its reason; completers of a finished training are told.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from ekraf.core.services import audit

from .. import notices
from ..models import Registration, Training
from .common import Status, TStatus, _tell, require_manager


def _fmt(score: Decimal) -> str:
    text = f"{score:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def completion_of(training: Training, sessions_total: int, attended: int, post) -> tuple[bool, str]:
    """(completed, reason) by the training's rule, e.g. (False, "hadir 1/2 sesi")."""
    reasons, ok = [], True
    needed = math.ceil(sessions_total * training.completion_min_attendance / 100)
    attendance_text = _("hadir %(n)s/%(total)s sesi") % {"n": attended, "total": sessions_total}
    if attended < needed:
        ok = False
        reasons.append(attendance_text)
    minimum = training.completion_min_post_test
    if minimum is not None:
        if post is None:
            ok = False
            reasons.append(_("post-test belum ada"))
        elif post < minimum:
            ok = False
            reasons.append(
                _("post-test %(score)s < %(min)s") % {"score": _fmt(post), "min": _fmt(minimum)}
            )
        elif ok:
            reasons.append(
                _("post-test %(score)s ≥ %(min)s") % {"score": _fmt(post), "min": _fmt(minimum)}
            )
    if ok:
        reasons.insert(0, attendance_text)
    return ok, ", ".join(reasons)


def compute_completion(actor, training: Training, *, only: list[int] | None = None) -> dict:
    """Apply the completion rule to every confirmed participant and store the outcome and its
    reason. Once the training is finished, completers are notified (once each)."""
    require_manager(actor, training)
    outcome = _compute_completion(training, only=only)
    audit(actor, "training.completion", training, detail={"only": len(only) if only else None})
    return outcome


def _compute_completion(training: Training, *, only: list[int] | None = None) -> dict:
    sessions_total = training.sessions.count()
    qs = (
        training.registrations.filter(status=Status.CONFIRMED)
        .select_related("training__agency", "category", "user")
        .annotate(attended=Count("attendances"))
    )
    if only is not None:
        qs = qs.filter(pk__in=only)
    changed, counts = [], {"completed": 0, "not_completed": 0}
    finished = training.status == TStatus.FINISHED
    with transaction.atomic():
        for registration in qs:
            ok, reason = completion_of(
                training, sessions_total, registration.attended, registration.post_test_score
            )
            counts["completed" if ok else "not_completed"] += 1
            if (registration.completed, registration.completion_reason) != (ok, reason[:200]):
                registration.completed, registration.completion_reason = ok, reason[:200]
                changed.append(registration)
            if ok and finished:
                _tell(registration, notices.completed(registration), "completed")
        Registration.objects.bulk_update(
            changed, ["completed", "completion_reason"], batch_size=500
        )
    return counts


def _recompute_if_finished(training: Training, ids: list[int]) -> None:
    """After scores change: keep completion current wherever it has been computed before."""
    if not ids:
        return
    if (
        training.status == TStatus.FINISHED
        or training.registrations.filter(pk__in=ids, completed__isnull=False).exists()
    ):
        _compute_completion(training, only=ids)
