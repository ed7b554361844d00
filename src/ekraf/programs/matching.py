"""Recommendations for a programme role: hard filters, a transparent score, fair exposure.

Everything is computed by the database. Scoring the whole candidate set takes seconds over
100k creators, so it is done per role into a snapshot (RoleCandidate rows, `build_snapshot`:
one INSERT … SELECT and one UPDATE) and a page reads 20 rows of it through the ranking index,
applying the hard filters live (one query), plus one query for the excluded sample of the
snapshot. Python only turns the numbers of the rows on the page into reasons. The page and the
API call `recommend()` and show the same `Candidate.reasons`.

Freshness: engagement moves, closing a programme and pathway assessments rescore the creators
concerned (`refresh_creators`), exposures bump the appearance counters in place, and a snapshot
older than EKRAF_MATCHING_SNAPSHOT_SECONDS is served while a django-tasks job rebuilds it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Floor, Least, Log, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.creators.models import Channel, Consent, CreatorProfile, PathwayInterest

from .models import (
    COMMITTED_STATES,
    ConflictOfInterest,
    Deliverable,
    Engagement,
    Exposure,
    GuardianConsent,
    ProgrammeRole,
    RoleCandidate,
    RoleSnapshot,
    State,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Weights:
    """Every weight of the matching score, in one place.

    Each part is rounded to one decimal in the database and the total is the sum of the rounded
    parts, so the reasons shown always add up to the score:

    - `subsector`: the creator works in at least one of the programme's subsectors;
    - `district`: the creator lives in one of the programme's kecamatan;
    - `reach_per_decade` × log10(followers + 1) on the programme's platform, capped at
      `reach_max` (10 000 followers ≈ 4 decades; log-scaled so big accounts do not swamp);
    - `certificate` per e-certificate of a training in the programme's subsectors, at most
      `certificate_max`;
    - `assessed_pathway` when an organiser assessed the creator into the role's pathway after a
      training, `declared_pathway` (smaller) when the creator only declared the interest;
    - `delivery` × (on-time approved + 1) / (finished + 2): the delivery record, smoothed so a
      newcomer starts at half (not zero) and one late job does not sink anyone.

    Fair exposure: candidates whose totals fall in the same band of `tolerance` points are
    ordered by fewer programmes, then fewer appearances in lists, over `fairness_days`.
    """

    subsector: float = 25
    district: float = 15
    reach_per_decade: float = 6
    reach_max: float = 30
    certificate: float = 10
    certificate_max: float = 20
    assessed_pathway: float = 20
    declared_pathway: float = 5
    delivery: float = 20
    tolerance: float = 5
    fairness_days: int = 365
    page_size: int = 20


WEIGHTS = Weights()


@dataclass
class Reason:
    code: str
    label: str
    points: float


@dataclass
class Candidate:
    profile: CreatorProfile
    score: float
    reasons: list[Reason]
    programmes_this_year: int
    appearances: int
    position: int = 0


@dataclass
class Excluded:
    profile: CreatorProfile
    reasons: list[Reason]


@dataclass
class Recommendations:
    candidates: list[Candidate]
    excluded: list[Excluded]
    excluded_counts: dict[str, int] = field(default_factory=dict)
    built_at: datetime | None = None


FILTERS = ("no_consent", "committed", "minor", "conflict")


def filter_label(code: str) -> str:
    return {
        "no_consent": _("Tidak bersedia masuk direktori talenta"),
        "committed": _("Sudah terikat program atau undangan lain pada periode ini"),
        "minor": _("Di bawah 18 tahun tanpa izin orang tua/wali"),
        "conflict": _("Ada konflik kepentingan yang dicatat staf"),
    }[code]


def assessed_pathway_model():
    """talent.AssessedPathway when the talent app has it (CONTRACT.md), else None."""
    try:
        return apps.get_model("talent", "AssessedPathway")
    except LookupError:
        return None


def _candidate_set(role):
    """Creators who could fill the role: the pathway (declared or assessed) or a subsector."""
    programme = role.programme
    condition = Q(
        Exists(PathwayInterest.objects.filter(profile=OuterRef("pk"), pathway=role.pathway))
    )
    assessed = assessed_pathway_model()
    if assessed is not None:
        condition |= Q(
            Exists(assessed.objects.filter(creator=OuterRef("pk"), pathway=role.pathway))
        )
    subsector_ids = [s.pk for s in programme.subsectors.all()]
    if subsector_ids:
        condition |= Q(
            Exists(
                CreatorProfile.subsectors.through.objects.filter(
                    creatorprofile_id=OuterRef("pk"), subsector_id__in=subsector_ids
                )
            )
        )
    return CreatorProfile.objects.filter(condition, deleted_at__isnull=True), subsector_ids


def _filter_exprs(role, ref="pk", prefix=""):
    """The four hard filters as expressions over a creator reached by `ref` (its pk) and
    `prefix` (the path to its fields): used on CreatorProfile when the snapshot is built and on
    RoleCandidate, live, when the ranked page is read."""
    programme = role.programme
    now = timezone.now()
    committed = Engagement.objects.filter(
        creator=OuterRef(ref),
        state__in=(*COMMITTED_STATES, State.INVITED),
        programme__starts_on__lte=programme.ends_on,
        programme__ends_on__gte=programme.starts_on,
    ).exclude(programme=programme)
    consent = Exists(
        Consent.objects.filter(
            profile=OuterRef(ref),
            purpose=Consent.Purpose.TALENT_DIRECTORY,
            withdrawn_at__isnull=True,
        )
    )
    guardian = Exists(GuardianConsent.objects.filter(creator=OuterRef(ref)))
    adult = Q(**{f"{prefix}birth_year__isnull": True}) | Q(
        **{f"{prefix}birth_year__lte": now.year - 18}
    )
    return {
        "consent": consent,
        "committed": Exists(committed),
        "talent_committed": Exists(_talent_commitments(programme, ref)),
        "adult": adult,
        "guardian": guardian,
        "conflict": Exists(
            ConflictOfInterest.objects.filter(creator=OuterRef(ref), agency=programme.agency_id)
        ),
    }


def _annotate_filters(qs, role):
    x = _filter_exprs(role)
    return qs.annotate(
        f_no_consent=~x["consent"],
        f_committed=x["committed"] | x["talent_committed"],
        f_minor=ExpressionWrapper(~x["adult"] & ~x["guardian"], output_field=BooleanField()),
        f_conflict=x["conflict"],
    )


def _talent_commitments(programme, ref="pk"):
    """Speaker bookings of the talent app in the programme's period (an empty set without it)."""
    try:
        booking = apps.get_model("talent", "SpeakerBooking")
    except LookupError:
        return Engagement.objects.none()
    return booking.objects.filter(
        creator=OuterRef(ref),
        status__in=("accepted", "completed"),
        starts_at__date__lte=programme.ends_on,
        ends_at__date__gte=programme.starts_on,
    )


def _annotate_numbers(qs, role, subsector_ids):
    """The raw numbers of each candidate (each subquery once), and the two parts that need the
    creator's own rows (subsector, district); `_part_exprs` does the arithmetic afterwards."""
    w = WEIGHTS
    programme = role.programme
    now = timezone.now()
    since = now - timedelta(days=w.fairness_days)
    district_ids = [d.pk for d in programme.districts.all()]
    followers = Subquery(
        Channel.objects.filter(profile=OuterRef("pk"), platform=programme.platform)
        .order_by("-followers")
        .values("followers")[:1]
    )
    relevant_certs = Subquery(
        _certificates_in(subsector_ids)
        .filter(holder=OuterRef("user_id"))
        .values("holder")
        .annotate(n=Count("pk", distinct=True))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    finished = Engagement.objects.filter(
        creator=OuterRef("pk"), accepted_at__isnull=False, programme__status="closed"
    )
    on_time = Deliverable.objects.filter(
        engagement__creator=OuterRef("pk"),
        engagement__programme__status="closed",
        state=Deliverable.Status.APPROVED,
        posted_on__lte=Coalesce(
            F("engagement__programme__due_on"), F("engagement__programme__ends_on")
        ),
    )
    assessed = assessed_pathway_model()
    if assessed is not None:
        has_assessed = Exists(assessed.objects.filter(creator=OuterRef("pk"), pathway=role.pathway))
    else:
        has_assessed = Value(False)
    qs = qs.annotate(
        followers_n=Coalesce(followers, 0),
        certs_n=Coalesce(relevant_certs, 0),
        finished_n=Coalesce(_count(finished.values("creator")), 0),
        on_time_n=Coalesce(_count(on_time.values("engagement__creator"), "engagement"), 0),
        has_assessed=has_assessed,
        has_declared=Exists(
            PathwayInterest.objects.filter(profile=OuterRef("pk"), pathway=role.pathway)
        ),
        programmes_12m=Coalesce(
            _count(
                Engagement.objects.filter(
                    creator=OuterRef("pk"), state__in=COMMITTED_STATES, accepted_at__gte=since
                ).values("creator")
            ),
            0,
        ),
        programmes_year=Coalesce(
            _count(
                Engagement.objects.filter(
                    creator=OuterRef("pk"),
                    state__in=COMMITTED_STATES,
                    programme__starts_on__year=now.date().year,
                ).values("creator")
            ),
            0,
        ),
        appearances_12m=Coalesce(
            _count(
                Exposure.objects.filter(creator=OuterRef("pk"), shown_at__gte=since).values(
                    "creator"
                )
            ),
            0,
        ),
    )
    subsector_match = (
        Exists(
            CreatorProfile.subsectors.through.objects.filter(
                creatorprofile_id=OuterRef("pk"), subsector_id__in=subsector_ids
            )
        )
        if subsector_ids
        else Value(False)
    )
    district_match = (
        Q(kelurahan__parent_id__in=district_ids) | Q(kelurahan_id__in=district_ids)
        if district_ids
        else Value(False)
    )
    qs = qs.annotate(
        p_subsector=Case(
            When(subsector_match, then=Value(float(w.subsector))),
            default=Value(0.0),
            output_field=FloatField(),
        ),
        p_district=Case(
            When(district_match, then=Value(float(w.district))),
            default=Value(0.0),
            output_field=FloatField(),
        ),
    )
    return qs


def _part_exprs():
    """The score's parts computed from the stored numbers of a RoleCandidate row, and the
    total and band from those parts (an UPDATE reads the old column values, so the total
    repeats the part expressions instead of naming the columns). Same rounding as before: each
    part to one decimal, the total the sum of the rounded parts."""
    w = WEIGHTS
    parts = {
        "p_reach": Round(
            Least(
                Value(float(w.reach_max)),
                Value(w.reach_per_decade) * Log(10, _f("followers_n") + Value(1.0)),
            ),
            1,
            output_field=FloatField(),
        ),
        "p_certificates": Least(
            Value(float(w.certificate_max)),
            _f("certs_n") * Value(float(w.certificate)),
            output_field=FloatField(),
        ),
        "p_pathway": Case(
            When(has_assessed=True, then=Value(float(w.assessed_pathway))),
            When(has_declared=True, then=Value(float(w.declared_pathway))),
            default=Value(0.0),
            output_field=FloatField(),
        ),
        "p_delivery": Round(
            Value(float(w.delivery))
            * (_f("on_time_n") + Value(1.0))
            / (_f("finished_n") + Value(2.0)),
            1,
            output_field=FloatField(),
        ),
    }
    score = ExpressionWrapper(
        F("p_subsector")
        + F("p_district")
        + parts["p_reach"]
        + parts["p_certificates"]
        + parts["p_pathway"]
        + parts["p_delivery"],
        output_field=FloatField(),
    )
    return {
        **parts,
        "score": score,
        "band": Floor(score / Value(float(w.tolerance)), output_field=FloatField()),
    }


def _f(name):
    return Cast(F(name), FloatField())


def _count(values_qs, group="creator"):
    return Subquery(values_qs.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())


def _certificates_in(subsector_ids):
    certificate = apps.get_model("credentials", "Certificate")
    return certificate.objects.filter(
        revoked_at__isnull=True, training__subsectors__in=subsector_ids or [0]
    )


def _reasons(row) -> list[Reason]:
    w = WEIGHTS
    out = []
    if row.p_subsector:
        out.append(Reason("subsector", _("Subsektor sesuai program"), row.p_subsector))
    if row.p_district:
        out.append(Reason("district", _("Berdomisili di kecamatan sasaran"), row.p_district))
    if row.p_reach:
        out.append(
            Reason(
                "reach",
                _("Jangkauan %(n)s pengikut di platform program")
                % {"n": f"{row.followers_n:,}".replace(",", ".")},
                row.p_reach,
            )
        )
    if row.p_certificates:
        out.append(
            Reason(
                "certificates",
                _("%(n)s sertifikat pelatihan yang relevan") % {"n": row.certs_n},
                float(row.p_certificates),
            )
        )
    if row.has_assessed:
        out.append(
            Reason(
                "assessed_pathway",
                _("Dinilai penyelenggara cocok untuk peran ini"),
                w.assessed_pathway,
            )
        )
    elif row.has_declared:
        out.append(
            Reason("declared_pathway", _("Menyatakan minat pada peran ini"), w.declared_pathway)
        )
    out.append(
        Reason(
            "delivery",
            _("Rekam jejak: %(ok)s dari %(n)s program tepat waktu (pendatang baru tetap dihitung)")
            % {"ok": row.on_time_n, "n": row.finished_n},
            row.p_delivery,
        )
    )
    return [Reason(r.code, r.label, round(float(r.points), 1)) for r in out]


# --- the snapshot ---------------------------------------------------------------------------

# Columns of RoleCandidate filled by the INSERT … SELECT (the annotation names of the build
# query); the parts computed from them are filled by one UPDATE afterwards.
NUMBER_COLUMNS = (
    "followers_n",
    "certs_n",
    "finished_n",
    "on_time_n",
    "has_assessed",
    "has_declared",
    "programmes_12m",
    "programmes_year",
    "appearances_12m",
    "p_subsector",
    "p_district",
    "f_no_consent",
    "f_committed",
    "f_minor",
    "f_conflict",
)


def snapshot_seconds() -> int:
    return int(getattr(settings, "EKRAF_MATCHING_SNAPSHOT_SECONDS", 600))


def _fill(role, version: int, creator_ids=None) -> None:
    """Score the candidates of `role` (all of them, or only `creator_ids`) into RoleCandidate
    rows of `version`: one INSERT … SELECT of the raw numbers, one UPDATE for the parts, total
    and band. The caller holds the role's RoleSnapshot row lock and has deleted the rows it
    replaces."""
    base, subsector_ids = _candidate_set(role)
    if creator_ids is not None:
        base = base.filter(pk__in=creator_ids)
    qs = _annotate_numbers(_annotate_filters(base, role), role, subsector_ids)
    qs = qs.annotate(
        c_role=Value(role.pk, output_field=IntegerField()),
        c_version=Value(version, output_field=IntegerField()),
        c_creator=F("pk"),
    )
    qs = qs.values("c_role", "c_version", "c_creator", *NUMBER_COLUMNS).order_by()
    sql, params = qs.query.sql_with_params()
    qn = connection.ops.quote_name
    inner = ", ".join(qn(c) for c in ("c_role", "c_version", "c_creator", *NUMBER_COLUMNS))
    flags = " OR ".join(qn(f"f_{c}") for c in FILTERS)
    targets = ", ".join(
        qn(c) for c in ("role_id", "version", "creator_id", *NUMBER_COLUMNS, "f_any")
    )
    zero = ", ".join(
        qn(c) for c in ("p_reach", "p_certificates", "p_pathway", "p_delivery", "score", "band")
    )
    with connection.cursor() as cursor:
        # Names are quoted model columns; every value is a parameter.
        insert = f"INSERT INTO {qn(RoleCandidate._meta.db_table)} ({targets}, {zero}) "  # noqa: S608
        select = f"SELECT {inner}, ({flags}), 0, 0, 0, 0, 0, 0 FROM ({sql}) AS snapshot_rows"  # noqa: S608
        cursor.execute(insert + select, params)
    rows = RoleCandidate.objects.filter(role=role, version=version)
    if creator_ids is not None:
        rows = rows.filter(creator_id__in=creator_ids)
    rows.update(**_part_exprs())


def build_snapshot(role, *, seen_built_at=None, force=False) -> RoleSnapshot:
    """Build the role's next snapshot version and make it current in one transaction, then
    drop the previous version's rows. The RoleSnapshot row lock keeps two rebuilds of a role
    from running at once; one that waited finds the snapshot rebuilt by the other (built_at
    moved past `seen_built_at`) and returns it unless `force`. The old rows stay untouched (and
    readable) while the new ones are written, so pages and appearance updates never wait."""
    with transaction.atomic():
        RoleSnapshot.objects.get_or_create(role=role)
        snap = RoleSnapshot.objects.select_for_update().get(role=role)
        if not force and snap.built_at is not None and snap.built_at != seen_built_at:
            return snap
        version = snap.version + 1
        RoleCandidate.objects.filter(role=role, version=version).delete()  # a failed build's
        _fill(role, version)
        snap.excluded_counts = RoleCandidate.objects.filter(role=role, version=version).aggregate(
            **{code: Count("pk", filter=Q(**{f"f_{code}": True})) for code in FILTERS}
        )
        snap.built_at = timezone.now()
        snap.version = version
        snap.rebuild_requested_at = None
        snap.save()
    RoleCandidate.objects.filter(role=role).exclude(version=snap.version).delete()
    return snap


def refresh_creators(creator_ids) -> None:
    """Rescore `creator_ids` in every snapshot of a programme still running (an engagement
    moved, a programme closed, a pathway was assessed), inside the caller's transaction, so the
    next page reflects the change without waiting for a rebuild."""
    creator_ids = list(set(creator_ids))
    if not creator_ids:
        return
    with transaction.atomic():
        snaps = (
            RoleSnapshot.objects.select_for_update()
            .filter(built_at__isnull=False)
            .exclude(role__programme__status="closed")
            .order_by("pk")
        )
        versions = {s.role_id: s.version for s in snaps}
        if not versions:
            return
        for role in ProgrammeRole.objects.filter(pk__in=versions).select_related("programme"):
            version = versions[role.pk]
            RoleCandidate.objects.filter(
                role=role, version=version, creator_id__in=creator_ids
            ).delete()
            _fill(role, version, creator_ids)


def _current_snapshot(role) -> RoleSnapshot:
    """The role's snapshot: built now when there is none; a stale one (older than
    EKRAF_MATCHING_SNAPSHOT_SECONDS) is served while a background task rebuilds it."""
    snap = RoleSnapshot.objects.filter(role=role, built_at__isnull=False).first()
    if snap is None:
        return build_snapshot(role)
    now = timezone.now()
    max_age = timedelta(seconds=snapshot_seconds())
    # A rebuild asked for within max_age is on its way (or its worker is down: ask again
    # then); testing in Python first keeps the request off the row a running build has locked.
    pending = snap.rebuild_requested_at and now - snap.rebuild_requested_at <= max_age
    if now - snap.built_at > max_age and not pending:
        asked = (
            RoleSnapshot.objects.filter(pk=snap.pk)
            .filter(
                Q(rebuild_requested_at__isnull=True) | Q(rebuild_requested_at__lt=now - max_age)
            )
            .update(rebuild_requested_at=now)
        )
        if asked:
            _enqueue_rebuild(role.pk, snap.built_at)
    return snap


def _enqueue_rebuild(role_id: int, seen_built_at) -> None:
    from .tasks import rebuild_recommendations

    try:
        rebuild_recommendations.enqueue(role_id, seen_built_at.isoformat())
    except Exception:  # noqa: BLE001 - the stale snapshot is still served; next request retries
        log.exception("could not enqueue the recommendation snapshot of role %s", role_id)
        RoleSnapshot.objects.filter(role_id=role_id).update(rebuild_requested_at=None)


def _live_rows(role, snap):
    """The snapshot's rows of `role` that pass the hard filters now: a creator who withdrew
    consent, got committed, or was invited to this role a second ago is left out, even when
    the snapshot was built before."""
    x = _filter_exprs(role, ref="creator_id", prefix="creator__")
    return RoleCandidate.objects.filter(
        x["consent"],
        x["adult"] | x["guardian"],
        ~x["committed"],
        ~x["talent_committed"],
        ~x["conflict"],
        ~Exists(Engagement.objects.filter(role=role, creator=OuterRef("creator_id"))),
        role=role,
        version=snap.version,
        creator__deleted_at__isnull=True,
    )


# The ranked page's queryset depends only on these values, so each process keeps the last few
# unevaluated and clones one per request (`.all()`), skipping ~3.5 ms of filter building.
_RANKED: dict[tuple, object] = {}


def _ranked_page(role, snap, limit: int):
    programme = role.programme
    key = (
        connection.alias,
        connection.settings_dict.get("NAME"),
        role.pk,
        snap.version,
        limit,
        programme.pk,
        programme.agency_id,
        programme.starts_on,
        programme.ends_on,
        timezone.now().year,
    )
    qs = _RANKED.get(key)
    if qs is None:
        qs = (
            _live_rows(role, snap)
            # The page and the API show the creator's name and public id only: fewer joins.
            .select_related("creator")
            .order_by("-band", "programmes_12m", "appearances_12m", "-score", "creator_id")[:limit]
        )
        if len(_RANKED) >= 128:
            _RANKED.clear()
        _RANKED[key] = qs
    return qs


def recommend(role, *, viewer=None, log_exposure: bool = True, limit: int | None = None):
    """The ranked page of candidates for `role` and a sample of those the hard filters excluded.

    The page is read from the role's snapshot (RoleCandidate) through its ranking index, with
    the hard filters applied live; the excluded sample and counts are those of the snapshot's
    build (`Recommendations.built_at`). Each candidate shown is logged once in Exposure (one
    bulk insert) and its appearance counter in every snapshot goes up by one, so fair exposure
    keeps rotating between builds.
    """
    limit = limit or WEIGHTS.page_size
    snap = _current_snapshot(role)
    ranked = _ranked_page(role, snap, limit).all()
    candidates = []
    for position, row in enumerate(ranked, start=1):
        reasons = _reasons(row)
        candidates.append(
            Candidate(
                profile=row.creator,
                score=round(sum(r.points for r in reasons), 1),
                reasons=reasons,
                programmes_this_year=row.programmes_year,
                appearances=row.appearances_12m,
                position=position,
            )
        )
    excluded_rows = (
        RoleCandidate.objects.filter(role=role, version=snap.version, f_any=True)
        .select_related("creator")
        .order_by("creator_id")[:limit]
    )
    excluded = [
        Excluded(
            row.creator,
            [Reason(code, filter_label(code), 0) for code in FILTERS if getattr(row, f"f_{code}")],
        )
        for row in excluded_rows
    ]
    counts = {code: int(snap.excluded_counts.get(code, 0)) for code in FILTERS}
    if log_exposure and candidates:
        Exposure.objects.bulk_create(
            Exposure(
                creator=c.profile,
                programme_id=role.programme_id,
                role=role,
                shown_to=viewer if getattr(viewer, "pk", None) else None,
                position=c.position,
            )
            for c in candidates
        )
        RoleCandidate.objects.filter(creator_id__in=[c.profile.pk for c in candidates]).update(
            appearances_12m=F("appearances_12m") + 1
        )
    return Recommendations(candidates, excluded, counts, built_at=snap.built_at)
