"""Reads of the talent app that views, the API and other apps need (no N+1)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, time

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ekraf.creators.models import Channel, Consent, CreatorProfile

from .models import AssessedPathway, SpeakerBooking, SpeakerRequest


def committed_creator_ids(start, end):
    """Ids of creators committed somewhere in [start, end): accepted or completed speaker
    bookings overlapping the period (a queryset of ids, usable in `pk__in` without a round trip).

    The programs app adds its engagements here when it lands (it may extend this function);
    talent never imports programs at module level.
    """
    bookings = SpeakerBooking.objects.filter(
        status__in=SpeakerBooking.HOLDING, starts_at__lt=end, ends_at__gt=start
    ).values_list("creator_id", flat=True)
    # The programs app's engagements (accepted and later) in a programme overlapping the period.
    from ekraf.programs.selectors import committed_engagement_creator_ids

    engaged = committed_engagement_creator_ids(_as_date(start), _as_date(end))
    return (
        CreatorProfile.objects.filter(Q(pk__in=bookings) | Q(pk__in=engaged))
        .values_list("pk", flat=True)
        .distinct()
    )


def _as_date(value):
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


# --- the talent directory ----------------------------------------------------------------------

SORTS = {
    "nama": ("full_name", "pk"),
    "-pengikut": ("-max_followers", "full_name", "pk"),
    "terbaru": ("-created_at", "pk"),
    "relevansi": ("-relevance", "full_name", "pk"),
}


@dataclass
class DirectoryFilters:
    """The directory's search, filters and order; the page and `GET /api/v1/talent` share it.

    Regions use Kemendagri codes, `certificate` a training's public id, `available_from` /
    `available_to` ISO date-times (both needed to filter on availability).
    """

    q: str = ""
    pathway: str = ""
    pathway_kind: str = ""  # "" (assessed or declared), "assessed", "declared"
    subsector: str = ""
    kecamatan: str = ""
    kelurahan: str = ""
    platform: str = ""
    min_followers: int | None = None
    certificate: str = ""
    available_from: datetime | None = None
    available_to: datetime | None = None
    sort: str = ""

    @classmethod
    def from_query(cls, params) -> DirectoryFilters:
        def text(name):
            return (params.get(name) or "").strip()[:100]

        values = {
            f.name: text(f.name)
            for f in fields(cls)
            if f.name not in ("min_followers", "available_from", "available_to")
        }
        values["min_followers"] = _int(text("min_followers"))
        values["available_from"] = _moment(text("available_from"))
        values["available_to"] = _moment(text("available_to"))
        return cls(**values)

    def any(self) -> bool:
        return any(
            getattr(self, f.name) not in ("", None) for f in fields(self) if f.name != "sort"
        )

    @property
    def order(self) -> str:
        if self.sort in SORTS and (self.sort != "relevansi" or self.q):
            return self.sort
        return "relevansi" if self.q else "nama"


def _int(value: str) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return max(0, min(number, 2_000_000_000))


def _moment(value: str) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            return None
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _directory_base() -> QuerySet:
    """Only creators with an active talent-directory consent (annotated as such, so contact
    visibility is decided per row without a query)."""
    from ekraf.accounts import permissions

    # Filtered on the EXISTS, annotated as a constant: selecting the EXISTS too made
    # PostgreSQL hash every consent of the city (80,000 rows at full scale) for every page.
    return (
        CreatorProfile.objects.filter(deleted_at__isnull=True)
        .filter(_consent())
        .annotate(**{permissions.DIRECTORY_CONSENT: Value(True, output_field=BooleanField())})
    )


def _consent():
    return Exists(
        Consent.objects.filter(
            profile=OuterRef("pk"),
            purpose=Consent.Purpose.TALENT_DIRECTORY,
            withdrawn_at__isnull=True,
        )
    )


def _details(qs: QuerySet, *, skills: bool = False) -> QuerySet:
    """What a directory row shows (and, with `skills`, the staff view of one creator)."""
    return qs.select_related("user", "kelurahan__parent").prefetch_related(
        "subsectors",
        *(["skills"] if skills else []),
        Prefetch("channels", queryset=Channel.objects.order_by("platform", "handle")),
        "pathway_interests",
        Prefetch(
            "assessed_pathways",
            queryset=AssessedPathway.objects.select_related("training").order_by("pathway"),
        ),
    )


def search_directory(filters: DirectoryFilters) -> QuerySet:
    """The directory: consented creators, searched, filtered and ordered, with what lists show.

    Text, pathway, subsector, region and platform are answered by the search document (one
    GIN index scan on PostgreSQL, see `search`); consent is checked live on top, and followers,
    certificates and availability are EXISTS conditions in the same query (and its count): no
    Python loop over the registry.
    """
    from . import search

    groups = [[search.LISTED]]
    if filters.pathway:
        kinds = {"assessed": ["pwa"], "declared": ["pwd"]}.get(filters.pathway_kind, ["pwa", "pwd"])
        groups.append([search.facet(kind, filters.pathway) for kind in kinds])
    if filters.subsector:
        groups.append([search.facet("ss", filters.subsector)])
    if filters.kelurahan:
        groups.append([search.facet("kl", filters.kelurahan)])
    elif filters.kecamatan:
        groups.append([search.facet("kc", filters.kecamatan)])
    if filters.platform:
        groups.append([search.facet("pf", filters.platform)])
    qs = _directory_base().filter(pk__in=search.matching_ids(filters.q, groups))
    if filters.min_followers:
        channels = Channel.objects.filter(profile=OuterRef("pk"))
        if filters.platform:
            channels = channels.filter(platform=filters.platform)
        if filters.min_followers:
            channels = channels.filter(followers__gte=filters.min_followers)
        qs = qs.filter(Exists(channels))
    if filters.certificate:
        from ekraf.credentials.models import Certificate

        qs = qs.filter(
            Exists(
                Certificate.objects.filter(
                    holder=OuterRef("user"),
                    training__public_id=filters.certificate,
                    revoked_at__isnull=True,
                )
            )
        )
    if filters.available_from and filters.available_to:
        qs = qs.exclude(pk__in=committed_creator_ids(filters.available_from, filters.available_to))
    order = filters.order
    if order == "relevansi":
        qs = qs.annotate(relevance=search.relevance(filters.q) or Value(0.0))
    if order == "-pengikut":
        qs = qs.annotate(
            max_followers=Coalesce(
                Subquery(
                    Channel.objects.filter(
                        profile=OuterRef("pk"),
                        **({"platform": filters.platform} if filters.platform else {}),
                    )
                    .order_by(F("followers").desc(nulls_last=True))
                    .values("followers")[:1]
                ),
                0,
            )
        )
    return _details(qs).order_by(*SORTS[order])


def mark_for_viewer(viewer, profiles) -> list[CreatorProfile]:
    """Each profile with `contact_visible` (permissions.can_see_creator_contact) and its
    declared pathways not also assessed, for the list to show the two kinds apart."""
    from ekraf.accounts import permissions

    profiles = list(profiles)
    for profile in profiles:
        profile.contact_visible = permissions.can_see_creator_contact(viewer, profile)
        assessed = {a.pathway for a in profile.assessed_pathways.all()}
        profile.assessed_list = sorted(
            {a.pathway: a for a in profile.assessed_pathways.all()}.values(),
            key=lambda a: a.pathway,
        )
        profile.declared_only = [
            i for i in profile.pathway_interests.all() if i.pathway not in assessed
        ]
    return profiles


def directory_creator(public_id: str) -> CreatorProfile | None:
    """A consented creator for the staff view (None when absent or not in the directory)."""
    return _details(_directory_base().filter(public_id=public_id), skills=True).first()


@dataclass
class SpeakerRecord:
    bookings: list
    completed: int
    rated: int
    average: float | None


def speaker_record(creator) -> SpeakerRecord:
    """The creator's engagements as a speaker (one query), with the agencies' ratings."""
    bookings = list(
        SpeakerBooking.objects.filter(creator=creator)
        .exclude(status=SpeakerBooking.Status.WITHDRAWN)
        .select_related("request__agency")
        .order_by("-starts_at", "pk")
    )
    ratings = [b.rating for b in bookings if b.rating]
    return SpeakerRecord(
        bookings=bookings,
        completed=sum(1 for b in bookings if b.status == SpeakerBooking.Status.COMPLETED),
        rated=len(ratings),
        average=round(sum(ratings) / len(ratings), 2) if ratings else None,
    )


def programme_history(creator) -> list:
    """The creator's programme engagements with their ratings — the hook the programs app fills.

    When `ekraf.programs.selectors.history_for_creator(creator)` exists (the programs app has
    landed) its rows are returned; until then the history is empty. Imported lazily: talent must
    not import programs at module level.
    """
    try:
        from ekraf.programs import selectors as programme_selectors
    except ImportError:
        return []
    history = getattr(programme_selectors, "history_for_creator", None)
    return list(history(creator)) if history is not None else []


def creator_trainings(creator):
    """The creator's training registrations (newest first) and certificates (two queries)."""
    from ekraf.credentials.models import Certificate
    from ekraf.trainings.models import Registration

    registrations = list(
        Registration.objects.filter(user_id=creator.user_id)
        .select_related("training__agency")
        .order_by("-created_at", "-pk")[:50]
    )
    certificates = list(
        Certificate.objects.filter(holder_id=creator.user_id)
        .select_related("training")
        .order_by("-issued_on", "-pk")
    )
    return registrations, certificates


def in_directory(profile) -> bool:
    return _directory_base().filter(pk=profile.pk).exists()


# --- pathways -----------------------------------------------------------------------------------


@dataclass
class GridRow:
    registration: object
    profile: CreatorProfile | None
    assessed: set
    note: str


def pathway_grid(training) -> list[GridRow]:
    """The class of a training (confirmed participants) with their assessed pathways of it
    (three queries whatever the class size)."""
    from ekraf.trainings.models import Registration

    registrations = list(
        training.registrations.filter(status=Registration.Status.CONFIRMED).order_by(
            "full_name", "pk"
        )
    )
    profiles = {
        p.user_id: p
        for p in CreatorProfile.objects.filter(
            user_id__in=[r.user_id for r in registrations], deleted_at__isnull=True
        )
    }
    assessed: dict[int, dict] = {}
    for row in AssessedPathway.objects.filter(training=training):
        entry = assessed.setdefault(row.creator_id, {"pathways": set(), "note": ""})
        entry["pathways"].add(row.pathway)
        entry["note"] = entry["note"] or row.note
    rows = []
    for registration in registrations:
        profile = profiles.get(registration.user_id)
        entry = assessed.get(profile.pk, {}) if profile else {}
        rows.append(
            GridRow(registration, profile, entry.get("pathways", set()), entry.get("note", ""))
        )
    return rows


# --- speaker requests ---------------------------------------------------------------------------


def speaker_requests_for(user) -> list[SpeakerRequest]:
    from ekraf.accounts import permissions

    return list(
        permissions.speaker_requests_visible(
            user, SpeakerRequest.objects.select_related("agency", "region")
        )
        .annotate(
            shortlisted=Count("bookings"),
            accepted=Count("bookings", filter=Q(bookings__status__in=SpeakerBooking.HOLDING)),
        )
        .order_by("-starts_at", "pk")[:200]
    )


def speaker_request(public_id: str) -> SpeakerRequest | None:
    return (
        SpeakerRequest.objects.select_related("agency", "region__parent", "created_by")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=SpeakerBooking.objects.select_related(
                    "creator__user", "creator__kelurahan"
                ).order_by("shortlisted_at", "pk"),
            )
        )
        .filter(public_id=public_id)
        .first()
    )


def open_requests_for(user) -> list[SpeakerRequest]:
    """Open requests of the viewer's agencies (to shortlist a creator from their page)."""
    from ekraf.accounts import permissions

    return list(
        permissions.speaker_requests_visible(
            user, SpeakerRequest.objects.filter(status=SpeakerRequest.Status.OPEN)
        ).order_by("starts_at")[:20]
    )
