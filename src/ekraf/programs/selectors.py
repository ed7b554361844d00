"""Reads of the programs app for pages, the API and other apps, without N+1 queries."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import NotFound

from .models import (
    COMMITTED_STATES,
    Deliverable,
    Engagement,
    Exposure,
    MetricReading,
    Programme,
    ProgrammeRole,
    State,
    Transition,
)

S = Programme.Status


def _programmes():
    return Programme.objects.select_related("agency").prefetch_related(
        "subsectors", "districts", Prefetch("roles", ProgrammeRole.objects.order_by("pk"))
    )


def managed_programmes(user):
    return permissions.scope_to_agencies(user, _programmes()).order_by("-starts_on", "pk")


def open_calls():
    return _programmes().filter(status=S.OPEN, open_call=True).order_by("starts_on", "pk")


def programme(public_id: str) -> Programme:
    found = _programmes().filter(public_id=public_id).first()
    if found is None:
        raise NotFound(_("Program tidak ditemukan."))
    return found


def visible_programme(user, public_id: str) -> Programme:
    """Open calls (and running/closed programmes that had one) for everyone; drafts and
    invite-only programmes for their agency only."""
    found = programme(public_id)
    if permissions.can_manage_programme(user, found):
        return found
    if found.open_call and found.status != S.DRAFT:
        return found
    raise NotFound(_("Program tidak ditemukan."))


def engagements_of(programme_obj):
    return (
        Engagement.objects.filter(programme=programme_obj)
        .select_related("creator__user", "role")
        .prefetch_related(
            Prefetch("transitions", Transition.objects.select_related("actor")),
            Prefetch("deliverables", _deliverables()),
        )
        .order_by("role_id", "created_at")
    )


def _deliverables():
    latest = MetricReading.objects.filter(deliverable=OuterRef("pk")).order_by("-read_at", "-pk")
    return Deliverable.objects.annotate(
        views=Subquery(latest.values("views")[:1]),
        engagements=Subquery(
            latest.annotate(e=F("likes") + F("comments") + F("shares") + F("saves")).values("e")[:1]
        ),
    ).prefetch_related("readings")


def my_engagements(user):
    return (
        Engagement.objects.filter(creator__user=user)
        .select_related("programme__agency", "role")
        .order_by("-created_at")
    )


def engagement(public_id: str) -> Engagement:
    found = (
        Engagement.objects.filter(public_id=public_id)
        .select_related("programme__agency", "role", "creator__user")
        .prefetch_related(
            Prefetch("transitions", Transition.objects.select_related("actor")),
            Prefetch("deliverables", _deliverables()),
        )
        .first()
    )
    if found is None:
        raise NotFound(_("Keterlibatan tidak ditemukan."))
    return found


def visible_engagement(user, public_id: str) -> Engagement:
    found = engagement(public_id)
    if not permissions.can_view_engagement(user, found):
        raise NotFound(_("Keterlibatan tidak ditemukan."))
    return found


def seats_taken(programme_obj) -> dict[int, int]:
    return dict(
        Engagement.objects.filter(programme=programme_obj, state__in=COMMITTED_STATES)
        .values_list("role_id")
        .annotate(n=Count("pk"))
    )


def _latest_readings():
    """Each deliverable's latest reading (the one that counts for totals)."""
    newer = MetricReading.objects.filter(deliverable=OuterRef("deliverable")).filter(
        Q(read_at__gt=OuterRef("read_at")) | Q(read_at=OuterRef("read_at"), pk__gt=OuterRef("pk"))
    )
    return MetricReading.objects.filter(~Exists(newer))


def reach_totals(programmes=None, by: str = "programme"):
    """Reach (views) and engagement (likes + comments + shares + saves) from each approved or
    submitted deliverable's latest reading, summed per programme, agency, hashtag or month."""
    readings = _latest_readings().filter(deliverable__engagement__state__in=COMMITTED_STATES)
    if programmes is not None:
        readings = readings.filter(deliverable__engagement__programme__in=programmes)
    total = {
        "reach": Sum("views"),
        "engagement": Sum(F("likes") + F("comments") + F("shares") + F("saves")),
    }
    if by == "programme":
        keys = ("deliverable__engagement__programme__title",)
    elif by == "agency":
        keys = ("deliverable__engagement__programme__agency__short_name",)
    elif by == "month":
        readings = readings.annotate(month=TruncMonth("deliverable__posted_on"))
        keys = ("month",)
    elif by == "hashtag":
        rows = readings.values_list(
            "deliverable__hashtags", "views", "likes", "comments", "shares", "saves"
        )
        out: dict[str, dict] = {}
        for tags, views, likes, comments, shares, saves in rows:
            for tag in tags or []:
                entry = out.setdefault(tag, {"key": tag, "reach": 0, "engagement": 0})
                entry["reach"] += views
                entry["engagement"] += likes + comments + shares + saves
        return sorted(out.values(), key=lambda e: -e["reach"])
    else:
        raise ValueError(by)
    return [
        {"key": row[keys[0]], "reach": row["reach"] or 0, "engagement": row["engagement"] or 0}
        for row in readings.values(*keys).annotate(**total).order_by(*keys)
    ]


def exposure_report(limit: int = 50):
    """Appearances in recommendation lists per creator, kecamatan and subsector, beside each
    group's share of all the creators who were candidates (shown at least once or engaged)."""
    total = Exposure.objects.count() or 1
    by_creator = list(
        Exposure.objects.values("creator__public_id", "creator__full_name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:limit]
    )
    candidates = Exposure.objects.values("creator").distinct().count() or 1
    by_district = list(
        Exposure.objects.values(name=F("creator__kelurahan__parent__name"))
        .annotate(n=Count("pk"), people=Count("creator", distinct=True))
        .order_by("-n")
    )
    by_subsector = list(
        Exposure.objects.values(name=F("creator__subsectors__name_id"))
        .annotate(n=Count("pk"), people=Count("creator", distinct=True))
        .order_by("-n")
    )
    for rows in (by_district, by_subsector):
        for row in rows:
            row["share"] = round(100 * row["n"] / total, 1)
            row["candidate_share"] = round(100 * row["people"] / candidates, 1)
    for row in by_creator:
        row["share"] = round(100 * row["n"] / total, 1)
    return {
        "total": Exposure.objects.count(),
        "by_creator": by_creator,
        "by_district": by_district,
        "by_subsector": by_subsector,
    }


def committed_engagement_creator_ids(start, end):
    """Creators held by an engagement of a programme overlapping [start, end]."""
    return (
        Engagement.objects.filter(
            state__in=(*COMMITTED_STATES,),
            programme__starts_on__lte=end,
            programme__ends_on__gte=start,
        )
        .exclude(state=State.COMPLETED)
        .values_list("creator_id", flat=True)
    )
