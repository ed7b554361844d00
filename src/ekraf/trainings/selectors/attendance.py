"""Who came: the numbers at the door of a session (confirmed, checked in, the latest
check-ins), a session's attendance sheet, and the score grid, which shows beside each confirmed
participant how many sessions they attended."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery

from ..models import Attendance, Registration, Session, Training
from .common import Status


def checkin_board(session: Session, limit: int = 8) -> dict:
    """Numbers for the door: confirmed, checked in, and the latest check-ins."""
    confirmed = session.training.registrations.filter(status=Status.CONFIRMED).count()
    recent = list(
        Attendance.objects.filter(session=session)
        .select_related("registration__category")
        .order_by("-checked_in_at")[:limit]
    )
    checked_in = Attendance.objects.filter(session=session).count()
    return {"confirmed": confirmed, "checked_in": checked_in, "recent": recent}


def sheet_rows(session: Session) -> list[Registration]:
    """The attendance sheet of a session: every confirmed participant (and anyone who checked
    in), with their check-in time at this session when there is one."""
    attendance = Attendance.objects.filter(session=session, registration=OuterRef("pk"))
    return list(
        session.training.registrations.filter(
            Q(status=Status.CONFIRMED) | Q(attendances__session=session)
        )
        .distinct()
        .select_related("category", "kelurahan__parent")
        .annotate(checked_in_at=Subquery(attendance.values("checked_in_at")[:1]))
        .order_by("full_name", "pk")
    )


def score_grid(training: Training) -> list[Registration]:
    return list(
        training.registrations.filter(status=Status.CONFIRMED)
        .select_related("category")
        .annotate(attended=Count("attendances"))
        .order_by("full_name", "pk")
    )
