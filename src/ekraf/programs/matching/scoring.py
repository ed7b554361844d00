"""The score of one candidate for a role: the weights, the hard filters, the numbers and parts
the database computes, and the reasons Python makes of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

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

from ..models import (
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
