"""Recommendations for a programme role: hard filters, a transparent score, fair exposure.

Everything is computed by the database for the candidate set (one query for the ranked page,
one for the excluded sample and one for the exclusion counts); Python only turns the annotated
numbers of the rows on the page into reasons. The page and the API call `recommend()` and show
the same `Candidate.reasons`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
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
    State,
)


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


def _annotate_filters(qs, role):
    programme = role.programme
    now = timezone.now()
    committed = Engagement.objects.filter(
        creator=OuterRef("pk"),
        state__in=(*COMMITTED_STATES, State.INVITED),
        programme__starts_on__lte=programme.ends_on,
        programme__ends_on__gte=programme.starts_on,
    ).exclude(programme=programme)
    qs = qs.annotate(
        f_no_consent=~Exists(
            Consent.objects.filter(
                profile=OuterRef("pk"),
                purpose=Consent.Purpose.TALENT_DIRECTORY,
                withdrawn_at__isnull=True,
            )
        ),
        f_committed=Exists(committed) | Exists(_talent_commitments(programme)),
        f_minor=ExpressionWrapper(
            Q(birth_year__isnull=False, birth_year__gt=now.year - 18)
            & ~Exists(GuardianConsent.objects.filter(creator=OuterRef("pk"))),
            output_field=BooleanField(),
        ),
        f_conflict=Exists(
            ConflictOfInterest.objects.filter(creator=OuterRef("pk"), agency=programme.agency_id)
        ),
    )
    return qs


def _talent_commitments(programme):
    """Speaker bookings of the talent app in the programme's period (an empty set without it)."""
    try:
        booking = apps.get_model("talent", "SpeakerBooking")
    except LookupError:
        return Engagement.objects.none()
    return booking.objects.filter(
        creator=OuterRef("pk"),
        status__in=("accepted", "completed"),
        starts_at__date__lte=programme.ends_on,
        ends_at__date__gte=programme.starts_on,
    )


def _annotate_score(qs, role, subsector_ids):
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
        p_reach=Round(
            Least(
                Value(float(w.reach_max)),
                Value(w.reach_per_decade) * Log(10, _f("followers_n") + Value(1.0)),
            ),
            1,
            output_field=FloatField(),
        ),
        p_certificates=Least(
            Value(float(w.certificate_max)),
            _f("certs_n") * Value(float(w.certificate)),
            output_field=FloatField(),
        ),
        p_pathway=Case(
            When(has_assessed=True, then=Value(float(w.assessed_pathway))),
            When(has_declared=True, then=Value(float(w.declared_pathway))),
            default=Value(0.0),
            output_field=FloatField(),
        ),
        p_delivery=Round(
            Value(float(w.delivery))
            * (_f("on_time_n") + Value(1.0))
            / (_f("finished_n") + Value(2.0)),
            1,
            output_field=FloatField(),
        ),
    )
    qs = qs.annotate(
        score=ExpressionWrapper(
            F("p_subsector")
            + F("p_district")
            + F("p_reach")
            + F("p_certificates")
            + F("p_pathway")
            + F("p_delivery"),
            output_field=FloatField(),
        )
    ).annotate(band=Floor(F("score") / Value(float(w.tolerance)), output_field=FloatField()))
    return qs


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


def recommend(role, *, viewer=None, log_exposure: bool = True, limit: int | None = None):
    """The ranked page of candidates for `role` and a sample of those the hard filters excluded.

    Each candidate shown is logged once in Exposure (one bulk insert), so fairness can be
    audited and later lists take it into account.
    """
    limit = limit or WEIGHTS.page_size
    base, subsector_ids = _candidate_set(role)
    qs = _annotate_filters(base, role)
    eligible = qs.filter(f_no_consent=False, f_committed=False, f_minor=False, f_conflict=False)
    ranked = (
        _annotate_score(eligible, role, subsector_ids)
        .exclude(engagements__role=role)
        .select_related("kelurahan__parent", "user")
        .order_by("-band", "programmes_12m", "appearances_12m", "-score", "pk")[:limit]
    )
    candidates = []
    for position, row in enumerate(ranked, start=1):
        reasons = _reasons(row)
        candidates.append(
            Candidate(
                profile=row,
                score=round(sum(r.points for r in reasons), 1),
                reasons=reasons,
                programmes_this_year=row.programmes_year,
                appearances=row.appearances_12m,
                position=position,
            )
        )
    excluded_rows = (
        qs.filter(Q(f_no_consent=True) | Q(f_committed=True) | Q(f_minor=True) | Q(f_conflict=True))
        .select_related("kelurahan")
        .order_by("pk")[:limit]
    )
    excluded = [
        Excluded(
            row,
            [Reason(code, filter_label(code), 0) for code in FILTERS if getattr(row, f"f_{code}")],
        )
        for row in excluded_rows
    ]
    counts = qs.aggregate(
        **{code: Count("pk", filter=Q(**{f"f_{code}": True})) for code in FILTERS}
    )
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
    return Recommendations(candidates, excluded, counts)
