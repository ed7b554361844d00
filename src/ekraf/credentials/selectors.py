"""Reads of the credentials app, each a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from ekraf.accounts import permissions
from ekraf.core.cache import speed_up
from ekraf.trainings.models import Registration, Training

from . import codes
from .models import (
    Certificate,
    IssuanceJob,
    Referral,
    ReferralEvent,
    Signatory,
    StatusList,
    TrainingSignatories,
)

log = logging.getLogger(__name__)

# What a certificate prints about its training (also what its Open Badges achievement says).
PRINTED_TRAINING_FIELDS = (
    "training_title",
    "training_kind",
    "agency_name",
    "agency_short_name",
    "hours",
    "starts_on",
    "ends_on",
    "place",
)
# The statuses of a verification answer (public_view's "status"): the page's HTML and the
# API's JSON are cached per status, so an answer whose status changed never meets old bytes.
ANSWER_STATUSES = ("valid", "revoked", "superseded")
# Exactly what a verifier may see: what is printed on the certificate, and revocation.
PUBLIC_FIELDS = (
    "code",
    "number",
    "kind",
    "holder_name",
    *PRINTED_TRAINING_FIELDS,
    "issued_on",
    "revoked_at",
    "revoked_reason",
    "revoked_category",
    "superseded_at",
    "superseded_by__code",
)


def certificate_for_verification(code: str) -> Certificate | None:
    """One query: the printed fields of a certificate (None for an unknown code), joined only
    to its successor's code when it was re-issued.

    A mistyped code (wrong check symbol) is refused before any query.
    """
    parsed = codes.parse(code)
    if parsed is None:
        return None
    # order_by(): the model's default ordering would add a needless sort to a unique lookup.
    found = (
        Certificate.objects.filter(code=parsed)
        .select_related("superseded_by")
        .only(*PUBLIC_FIELDS)
        .order_by()[:1]
    )
    return found[0] if found else None


def verification(code: str) -> dict | None:
    """The verification answer for a code (public_view), or None for an unknown code.

    A QR is scanned again and again, so the answer is kept in the default cache for
    VERIFY_CACHE_SECONDS: a repeat look-up costs one cache GET and no SQL. Revocation writes the
    revoked answer over it when it commits (remember_verification), so it shows at once; a
    look-up racing with it fills the cache with `add`, which never overwrites that. Unknown codes
    are not cached: codes are random and exist only from their issuance on, so nobody
    legitimately looks one up twice before it exists, and a later certificate is found at once.
    """
    return verification_and(code)[0]


def verification_keys(code: str, extra_keys=()) -> list[str]:
    """The cache keys verification_and() reads, for a caller that fetches them itself (in the
    rate limit's round trip); none when answers are not cached."""
    if not settings.VERIFY_CACHE_SECONDS:
        return []
    return [_cache_key(code), *extra_keys]


def verification_and(
    code: str, extra_keys: tuple[str, ...] = (), *, fetched: dict | None = None
) -> tuple[dict | None, dict]:
    """verification(), and the cache entries `extra_keys` fetched in the same round trip (the
    page's rendered HTML): one cache GET in all, or none when the caller passes what it already
    `fetched` of verification_keys()."""
    parsed = codes.parse(code)
    if parsed is None:
        return None, {}
    seconds = settings.VERIFY_CACHE_SECONDS
    extra: dict = {}
    if seconds:
        if fetched is None:
            wanted = verification_keys(parsed, extra_keys)
            fetched = speed_up(lambda: cache.get_many(wanted), log, "verification", {})
        extra = dict(fetched)
        answer = extra.pop(_cache_key(parsed), None)
        if answer is not None:
            return answer, extra
    cert = certificate_for_verification(parsed)
    if cert is None:
        return None, {}
    answer = public_view(cert)
    if seconds:
        speed_up(
            lambda: cache.add(_cache_key(parsed), answer, timeout=seconds), log, "verification"
        )
    return answer, extra


def keep_answer_bytes(key: str, body: bytes) -> None:
    """The page's HTML or the API's JSON of an answer, kept as long as answers are (under a key
    that holds the answer's status); skipped when answers are not cached, or Redis fails."""
    if settings.VERIFY_CACHE_SECONDS:
        seconds = settings.VERIFY_CACHE_SECONDS
        speed_up(lambda: cache.set(key, body, seconds), log, "verification bytes")


def remember_verification(cert: Certificate) -> None:
    """Put a certificate's current answer in the cache (after revocation commits).

    A Redis that fails here leaves the old answer in place once it answers again, for at most
    VERIFY_CACHE_SECONDS: `repair_withdrawn_answers` (a periodic job) writes it again within
    a minute of Redis's return."""
    if settings.VERIFY_CACHE_SECONDS:
        answer, seconds = public_view(cert), settings.VERIFY_CACHE_SECONDS
        speed_up(lambda: cache.set(_cache_key(cert.code), answer, seconds), log, "revocation")


def forget_verification(*codes_: str) -> None:
    """Drop the cached answers of these codes (a hook for anything else that changes one)."""
    if settings.VERIFY_CACHE_SECONDS and codes_:
        keys = [_cache_key(c) for c in codes_]
        speed_up(lambda: cache.delete_many(keys), log, "re-issue")


def repair_withdrawn_answers() -> int:
    """Write again the cached answers of the certificates revoked or superseded within the
    cache's lifetime (a periodic job, every minute): should Redis have failed when one was
    withdrawn, its old "valid" answer, still kept, is replaced as soon as Redis answers, not
    when it expires. A few rows, from the partial index of withdrawn certificates; the count.
    """
    if not settings.VERIFY_CACHE_SECONDS:
        return 0
    since = timezone.now() - dt.timedelta(seconds=settings.VERIFY_CACHE_SECONDS + 120)
    withdrawn = (
        Certificate.objects.filter(Q(revoked_at__gte=since) | Q(superseded_at__gte=since))
        .select_related("superseded_by")
        .only(*PUBLIC_FIELDS)
        .order_by()
    )
    answers = {_cache_key(cert.code): public_view(cert) for cert in withdrawn}
    if answers:
        seconds = settings.VERIFY_CACHE_SECONDS
        speed_up(lambda: cache.set_many(answers, seconds), log, "repair")
    return len(answers)


def _cache_key(code: str) -> str:
    return f"verify:v1:{code}"


def offline_status() -> dict:
    """The offline verifier's status document: when it was made, and the status hashes
    (codes.status_hash) of the revoked and of the superseded certificates, one query.

    The offline page checks a QR's signature with no network, but a signature stays valid
    after revocation or re-issue; this list, kept on the phone at each sync, lets it say
    "dicabut" or "diganti" offline too, as of `generated`. Hashes, not codes: the document is
    public (see status_hash). `generated` is read before the query, so nothing withdrawn
    before that moment is missing. A revoked certificate that was also superseded is listed
    as revoked only: revocation wins, as in public_view. The rows come from the partial index
    certificate_withdrawn (withdrawn certificates only, a few among all), streamed.
    """
    generated = timezone.localtime().replace(microsecond=0)
    revoked, superseded = [], []
    rows = (
        Certificate.objects.filter(Q(revoked_at__isnull=False) | Q(superseded_at__isnull=False))
        .order_by()
        .values_list("code", "revoked_at")
        .iterator(chunk_size=2000)
    )
    for code, revoked_at in rows:
        (revoked if revoked_at is not None else superseded).append(codes.status_hash(code))
    return {
        "generated": generated.isoformat(),
        "revoked": sorted(revoked),
        "superseded": sorted(superseded),
    }


def public_view(cert: Certificate) -> dict:
    """The verification answer: status and the printed fields (same for page and API)."""
    from .models import RevocationCategory

    if cert.revoked_at:
        status = "revoked"
    elif cert.superseded_at:
        status = "superseded"
    else:
        status = "valid"
    successor = cert.superseded_by.code if cert.superseded_at and cert.superseded_by else ""
    category = cert.revoked_category if cert.revoked_at else ""
    return {
        "status": status,
        "code": cert.code,
        "number": cert.number,
        "kind": cert.kind,
        "holder_name": cert.holder_name,
        "training": cert.training_title,
        "training_kind": cert.training_kind,
        "agency": cert.agency_name,
        "hours": cert.hours,
        "starts_on": cert.starts_on,
        "ends_on": cert.ends_on,
        "place": cert.place,
        "issued_on": cert.issued_on,
        "revoked_at": cert.revoked_at,
        "revoked_reason": cert.revoked_reason if cert.revoked_at else "",
        "revoked_category": category,
        "revoked_category_label": (
            str(RevocationCategory(category).label) if category in RevocationCategory.values else ""
        ),
        "superseded_at": cert.superseded_at,
        "superseded_by": successor,
        "superseded_by_url": f"{settings.BASE_URL}/verifikasi/{successor}" if successor else "",
    }


def certificate_with_relations(code: str) -> Certificate | None:
    parsed = codes.parse(code)
    if parsed is None:
        return None
    found = (
        Certificate.objects.filter(code=parsed)
        .select_related("agency", "training", "status_list", "holder")
        .order_by()[:1]
    )
    return found[0] if found else None


def latest_certificate(training: Training) -> Certificate | None:
    """The training's latest certificate, with what its Open Badges achievement needs."""
    return (
        Certificate.objects.filter(training=training)
        .only("kind", *PRINTED_TRAINING_FIELDS)
        .order_by("-issued_at", "-pk")
        .first()
    )


def holder_did(user) -> str:
    """The DID the holder bound to their credentials (the same on all of them), or ''."""
    return (
        Certificate.objects.filter(holder=user)
        .exclude(holder_did="")
        .values_list("holder_did", flat=True)
        .first()
        or ""
    )


def wallet(user):
    # A certificate re-issued with a correction is replaced by its successor.
    return Certificate.objects.filter(holder=user, superseded_at__isnull=True).order_by(
        "-issued_at"
    )


def trainings_for_certificates(user):
    """Trainings the user may issue for, with how many qualify and how many are issued."""
    qs = Training.objects.select_related("agency").exclude(status=Training.Status.DRAFT)
    qs = permissions.scope_to_agencies(user, qs, "agency", "organiser")
    return qs.annotate(
        completed_count=Count(
            "registrations",
            filter=Q(registrations__status="confirmed", registrations__completed=True),
            distinct=True,
        ),
        issued_count=Count(
            "certificates", filter=Q(certificates__superseded_at__isnull=True), distinct=True
        ),
    ).order_by("-created_at")


def training_registrations(training: Training):
    """Confirmed registrations with their certificate, and whether they attended."""
    from ekraf.trainings.models import Attendance

    return (
        Registration.objects.filter(training=training, status=Registration.Status.CONFIRMED)
        .select_related("certificate")
        .annotate(attended=Exists(Attendance.objects.filter(registration=OuterRef("pk"))))
        .order_by("full_name", "pk")
    )


def jobs_for(training: Training):
    return IssuanceJob.objects.filter(training=training).order_by("-created_at")[:5]


def job(public_id: str) -> IssuanceJob | None:
    return (
        IssuanceJob.objects.filter(public_id=public_id)
        .select_related("training__agency", "registration")
        .prefetch_related(
            Prefetch("failures", queryset=_failures()),
        )
        .first()
    )


def _failures():
    from .models import IssuanceFailure

    return IssuanceFailure.objects.select_related("registration").order_by("at")


def signatories(user):
    qs = Signatory.objects.select_related("agency")
    return permissions.scope_to_agencies(user, qs, "agency", "organiser").order_by(
        "agency__short_name", "name"
    )


def training_signatories(training: Training) -> TrainingSignatories | None:
    return (
        TrainingSignatories.objects.filter(training=training)
        .select_related("first", "second")
        .first()
    )


def status_list(agency_code: str, number: int) -> StatusList | None:
    return (
        StatusList.objects.filter(agency__code=agency_code, number=number)
        .select_related("agency")
        .first()
    )


def referrals_of(user):
    return Referral.objects.filter(user=user).prefetch_related(
        Prefetch("events", queryset=ReferralEvent.objects.order_by("at", "pk"))
    )


def referral_queue(user, status: str = ""):
    qs = Referral.objects.select_related("agency")
    qs = permissions.scope_to_agencies(user, qs)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at")


def referral(public_id: str) -> Referral | None:
    return (
        Referral.objects.filter(public_id=public_id)
        .select_related("agency", "user")
        .prefetch_related(
            Prefetch("events", queryset=ReferralEvent.objects.select_related("actor"))
        )
        .first()
    )


def certificates_with_changed_basis(training: Training) -> list[Certificate]:
    """The training's valid certificates whose basis no longer holds: the registration is no
    longer confirmed, a completion certificate's holder is no longer marked as passed, or a
    participation certificate's holder neither passed nor attended any more (an attendance
    undone). One query, whatever their number: for the organiser to act on (re-issue, revoke).
    """
    from ekraf.trainings.models import Attendance

    from .models import Kind

    attended = Exists(Attendance.objects.filter(registration=OuterRef("registration")))
    passed = Q(registration__completed=True)
    return list(
        Certificate.objects.filter(
            training=training, revoked_at__isnull=True, superseded_at__isnull=True
        )
        .alias(attended_any=attended)
        .filter(
            ~Q(registration__status=Registration.Status.CONFIRMED)
            | (Q(kind=Kind.COMPLETION) & ~passed)
            | (Q(kind=Kind.PARTICIPATION) & ~passed & ~Q(attended_any=True))
        )
        .only("code", "number", "holder_name", "kind", "registration__completion_reason")
        .select_related("registration")
        .order_by("number")
    )
