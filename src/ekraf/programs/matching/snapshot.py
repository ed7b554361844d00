"""The per-role snapshot of scored candidates (RoleCandidate): built, rescored for a few
creators, and rebuilt in the background when stale."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Count,
    F,
    IntegerField,
    Q,
    Value,
)
from django.utils import timezone

from ..models import (
    ProgrammeRole,
    RoleCandidate,
    RoleSnapshot,
)
from .scoring import (
    FILTERS,
    _annotate_filters,
    _annotate_numbers,
    _candidate_set,
    _part_exprs,
)

log = logging.getLogger(__name__)

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
    from ..tasks import rebuild_recommendations

    try:
        rebuild_recommendations.enqueue(role_id, seen_built_at.isoformat())
    except Exception:  # noqa: BLE001 - the stale snapshot is still served; next request retries
        log.exception("could not enqueue the recommendation snapshot of role %s", role_id)
        RoleSnapshot.objects.filter(role_id=role_id).update(rebuild_requested_at=None)
