"""What participants said: the overall rating and each aspect's average and distribution, the
open answers and the comments of a training, from one query."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import Feedback, Training


@dataclass
class AspectSummary:
    key: str
    label: str
    count: int = 0
    average: Decimal | None = None
    distribution: list[tuple[int, int]] = field(default_factory=list)  # (rating, count) 5..1


@dataclass
class FeedbackSummary:
    count: int = 0
    average: Decimal | None = None
    distribution: list[tuple[int, int]] = field(default_factory=list)  # (rating, count) 5..1
    comments: list[Feedback] = field(default_factory=list)
    # The overall rating first, then one per aspect (feedback given before aspects existed
    # counts only in the overall one).
    aspects: list[AspectSummary] = field(default_factory=list)
    open_answers: list[tuple[str, list[str]]] = field(default_factory=list)  # (question, texts)


def _aspect(key: str, label: str, ratings: list[int]) -> AspectSummary:
    if not ratings:
        return AspectSummary(key, label, distribution=[(r, 0) for r in (5, 4, 3, 2, 1)])
    counts = Counter(ratings)
    return AspectSummary(
        key,
        label,
        count=len(ratings),
        average=(Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.1")),
        distribution=[(r, counts.get(r, 0)) for r in (5, 4, 3, 2, 1)],
    )


def feedback_summary(training: Training) -> FeedbackSummary:
    """Averages and distributions of the overall rating and of each aspect, the open answers
    and the comments: one query."""
    from ..models import FEEDBACK_ASPECTS, FEEDBACK_OPEN_QUESTIONS

    feedback = list(
        Feedback.objects.filter(registration__training=training)
        .select_related("registration")
        .order_by("-created_at")
    )
    if not feedback:
        return FeedbackSummary()
    overall = _aspect("overall", _("Keseluruhan"), [f.rating for f in feedback])
    aspects = [overall] + [
        _aspect(
            key,
            str(label),
            [
                f.aspect_ratings[key]
                for f in feedback
                if isinstance((f.aspect_ratings or {}).get(key), int)
            ],
        )
        for key, label in FEEDBACK_ASPECTS.items()
    ]
    open_answers = [
        (
            str(label),
            [f.open_answers[key] for f in feedback if (f.open_answers or {}).get(key)],
        )
        for key, label in FEEDBACK_OPEN_QUESTIONS.items()
    ]
    return FeedbackSummary(
        count=len(feedback),
        average=overall.average,
        distribution=overall.distribution,
        comments=[f for f in feedback if f.comment],
        aspects=aspects,
        open_answers=open_answers,
    )
