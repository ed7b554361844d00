"""The activity report (laporan kegiatan) of a training: participants by gender and district,
attendance and completion rates, test averages, feedback, and the demand beside the seats
(applied, waited, offered, declined), from a handful of aggregate queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q

from ..models import Attendance, QuotaCategory, Session, Training
from .common import Status
from .feedback import FeedbackSummary, feedback_summary
from .training import categories_with_counts


@dataclass
class ReportData:
    training: Training
    sessions: list[Session]
    categories: list[QuotaCategory]
    confirmed: int
    by_gender: list[tuple[str, int]]
    by_district: list[tuple[str, int]]
    attendance: list[tuple[Session, int]]
    attendance_rate: Decimal | None
    completed: int
    completion_rate: Decimal | None
    pre_average: Decimal | None
    post_average: Decimal | None
    feedback: FeedbackSummary
    cancelled: int
    demand: dict = field(default_factory=dict)


def demand_of(training: Training) -> dict:
    """How many wanted a seat, beside the seats (one query). There is no status history, so
    "waitlisted" counts everyone whose registration shows they waited: still waiting, offered
    a seat at some time, or told at the end there was none. "declined" is an offer refused
    or left to expire; "cancelled" the other cancellations."""
    offered_ever = Q(offered_at__isnull=False)
    return training.registrations.aggregate(
        applied=Count("pk"),
        waitlisted=Count(
            "pk", filter=Q(status__in=(Status.WAITLISTED, Status.UNSEATED)) | offered_ever
        ),
        offered=Count("pk", filter=offered_ever),
        declined=Count("pk", filter=offered_ever & Q(status=Status.CANCELLED)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED, offered_at__isnull=True)),
        unseated=Count("pk", filter=Q(status=Status.UNSEATED)),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
    )


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def report(training: Training) -> ReportData:
    """What the activity report (laporan kegiatan) states, from a handful of aggregate queries."""
    sessions = list(training.sessions.select_related("space").order_by("starts_at"))
    confirmed_qs = training.registrations.filter(status=Status.CONFIRMED)
    confirmed = confirmed_qs.count()
    gender_names = {"L": "Laki-laki", "P": "Perempuan", "": "Tidak diisi"}
    by_gender = [
        (gender_names.get(row["gender"], row["gender"]), row["n"])
        for row in confirmed_qs.values("gender").annotate(n=Count("pk")).order_by("-n", "gender")
    ]
    by_district = [
        (row["kelurahan__parent__name"] or "Luar kota / tidak diisi", row["n"])
        for row in confirmed_qs.values("kelurahan__parent__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "kelurahan__parent__name")
    ]
    per_session = dict(
        Attendance.objects.filter(session__training=training)
        .values_list("session")
        .annotate(n=Count("pk"))
    )
    attendance = [(s, per_session.get(s.pk, 0)) for s in sessions]
    total_possible = confirmed * len(sessions)
    scores = confirmed_qs.aggregate(
        pre=Avg("pre_test_score"),
        post=Avg("post_test_score"),
        completed=Count("pk", filter=Q(completed=True)),
    )

    def _q(value):
        return None if value is None else Decimal(value).quantize(Decimal("0.1"))

    return ReportData(
        training=training,
        sessions=sessions,
        categories=categories_with_counts(training),
        confirmed=confirmed,
        by_gender=by_gender,
        by_district=by_district,
        attendance=attendance,
        attendance_rate=_rate(sum(per_session.values()), total_possible),
        completed=scores["completed"],
        completion_rate=_rate(scores["completed"], confirmed),
        pre_average=_q(scores["pre"]),
        post_average=_q(scores["post"]),
        feedback=feedback_summary(training),
        cancelled=training.registrations.filter(status=Status.CANCELLED).count(),
        demand=demand_of(training),
    )
