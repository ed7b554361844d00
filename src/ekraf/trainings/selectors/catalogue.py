"""Lists of trainings: the public catalogue with its filters, the home page's next trainings,
and the organiser's own list. All three go through `with_summary`, which annotates what a list
row shows (first and last session, seats, seats held, people waiting) from correlated
subqueries, so a list is one query whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ekraf.accounts import permissions

from ..models import QuotaCategory, Registration, Session, Training
from .common import PUBLIC_STATUSES, Status, TStatus, _count, clean_text


def with_summary(qs: QuerySet) -> QuerySet:
    """Trainings annotated with what a list needs: first/last session, number of sessions,
    seats, seats held, people waiting, and the place of the first session."""
    sessions = Session.objects.filter(training=OuterRef("pk"))
    first = sessions.order_by("starts_at")
    return qs.select_related("agency").annotate(
        first_start=Subquery(first.values("starts_at")[:1]),
        last_end=Subquery(sessions.order_by("-ends_at").values("ends_at")[:1]),
        first_space=Subquery(first.values("space__name")[:1]),
        first_address=Subquery(first.values("address")[:1]),
        first_online=Subquery(first.values("online_url")[:1]),
        session_count=_count(Session.objects.filter(training=OuterRef("pk"))),
        seats_total=Coalesce(
            Subquery(
                QuotaCategory.objects.filter(training=OuterRef("pk"))
                .order_by()
                .values("training_id")
                .annotate(n=Sum("seats"))
                .values("n")[:1]
            ),
            Value(0),
        ),
        seats_held=_count(
            Registration.objects.filter(training=OuterRef("pk"), status__in=Registration.HOLDS_SEAT)
        ),
        waiting=_count(
            Registration.objects.filter(training=OuterRef("pk"), status=Status.WAITLISTED)
        ),
        applied=_count(Registration.objects.filter(training=OuterRef("pk"), status=Status.APPLIED)),
    )


@dataclass
class CatalogueFilters:
    q: str = ""
    kind: str = ""
    agency: str = ""  # agency code
    subsector: str = ""  # subsector code
    month: str = ""  # YYYY-MM of the first session
    mode: str = ""  # "luring" | "daring"
    when: str = "mendatang"  # "mendatang" | "lalu"
    open_only: bool = False


def catalogue(filters: CatalogueFilters | None = None, now: datetime | None = None) -> QuerySet:
    """Public trainings, soonest first (upcoming) or latest first (past)."""
    filters = filters or CatalogueFilters()
    now = now or timezone.now()
    qs = with_summary(Training.objects.filter(status__in=PUBLIC_STATUSES))
    if filters.when == "lalu":
        qs = qs.filter(last_end__lt=now).order_by("-first_start", "pk")
    else:
        qs = qs.filter(last_end__gte=now).exclude(status=TStatus.CANCELLED)
        qs = qs.order_by("first_start", "pk")
    q = clean_text(filters.q)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.agency:
        qs = qs.filter(agency__code=clean_text(filters.agency, 40))
    if filters.subsector:
        qs = qs.filter(subsectors__code=clean_text(filters.subsector, 40))
    if filters.month:
        try:
            year, month = (int(p) for p in filters.month.split("-", 1))
            qs = qs.filter(first_start__year=year, first_start__month=month)
        except ValueError:
            pass
    online = Session.objects.filter(training=OuterRef("pk")).exclude(online_url="")
    onsite = Session.objects.filter(training=OuterRef("pk")).filter(
        Q(space__isnull=False) | ~Q(address="")
    )
    if filters.mode == "daring":
        qs = qs.filter(Exists(online))
    elif filters.mode == "luring":
        qs = qs.filter(Exists(onsite))
    if filters.open_only:
        qs = qs.filter(status=TStatus.PUBLISHED).filter(
            Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now),
            Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now),
            first_start__gt=now,
        )
    return qs


def upcoming(limit: int = 4, now=None) -> list[Training]:
    """For the home page: the next trainings open to the public (one query)."""
    now = now or timezone.now()
    return list(
        with_summary(Training.objects.filter(status__in=(TStatus.PUBLISHED, TStatus.CLOSED)))
        .filter(last_end__gte=now)
        .order_by("first_start", "pk")[:limit]
    )


def organiser_trainings(user, status: str = "", q: str = "") -> QuerySet:
    qs = with_summary(permissions.organised_trainings(user, Training.objects.all()))
    if status:
        qs = qs.filter(status=status)
    q = clean_text(q)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by(F("first_start").desc(nulls_first=True), "-pk")
