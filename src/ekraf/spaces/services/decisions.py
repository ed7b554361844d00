"""The space manager's decisions — approve (a request, or a whole series, with its clashing
dates skipped if they say so), decline — and the lapse of requests nobody decided in time.

Approving one request refuses every open request that overlaps it (buffers included), each
with the reason, and its requester is told. How concurrent approvals stay exact: an approval
locks the rows it decides — the request(s) it approves and every open request they overlap —
in one statement ordered by primary key, so two approvals that share a row take their locks in
the same order and run one after the other (no deadlock); the second then finds its request
already decided (409). The hold itself is written through `write_hold`, so an approved booking
or a training session that slipped in meanwhile is refused by the exclusion constraint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import Conflict, DomainError
from ekraf.core.services import audit
from ekraf.core.templatetags.ekraf import jam, tanggal

from .. import notices
from ..models import Booking, UseClass
from .holds import clash_message, describe_clash, find_clash, write_hold
from .requests import promote_queued
from .rules import quote

S = Booking.Status


@dataclass
class Plan:
    """What approving would do: approve these, refuse those (they overlap), and for a series,
    the dates that clash with something already approved (skipped, or the approval is refused)."""

    approve: list[Booking] = field(default_factory=list)
    refuse: list[Booking] = field(default_factory=list)
    blocked: list[tuple[Booking, Booking]] = field(default_factory=list)  # (date, its clash)


def _require_manager(actor) -> None:
    permissions.require(
        permissions.can_manage_spaces(actor),
        _("Hanya pengelola ruang yang bisa memutus permohonan."),
    )


def _targets(booking: Booking, whole_series: bool):
    if whole_series and booking.series_id:
        return Booking.objects.filter(series_id=booking.series_id, status__in=Booking.OPEN)
    return Booking.objects.filter(pk=booking.pk)


def _overlapping_open(targets: list[Booking]):
    """Open requests (pending or queued) overlapping any target, other than the targets."""
    if not targets:
        return Booking.objects.none()
    overlap = Q()
    for t in targets:
        overlap |= Q(space_id=t.space_id, starts_at__lt=t.until, until__gt=t.starts_at)
    return (
        Booking.objects.filter(overlap, status__in=Booking.OPEN)
        .exclude(pk__in=[t.pk for t in targets])
        .select_related("space")
    )


def plan_approval(booking: Booking, *, whole_series: bool = False) -> Plan:
    """What approving `booking` (or its series) would do, for the approval page and the API."""
    targets = list(_targets(booking, whole_series).select_related("space"))
    if booking.status not in Booking.OPEN:
        return Plan()
    others = list(_overlapping_open(targets))
    skip = [t.pk for t in targets] + [o.pk for o in others]
    plan = Plan()
    for target in targets:
        clash = find_clash(target.space_id, target.starts_at, target.until, skip)
        if clash is not None:
            plan.blocked.append((target, clash))
        else:
            plan.approve.append(target)
    approved_ranges = [(t.space_id, t.starts_at, t.until) for t in plan.approve]
    plan.refuse = [
        o
        for o in others
        if any(o.space_id == s and o.starts_at < u and o.until > b for s, b, u in approved_ranges)
    ]
    return plan


def approve(
    actor, booking: Booking, *, whole_series: bool = False, skip_clashes: bool = False, now=None
) -> Plan:
    """Approve a request (or every open date of its series). Overlapping open requests are
    refused with the reason. A series date that clashes with an approved booking or a training
    refuses the whole approval (409 naming it) unless `skip_clashes`, which declines those dates
    ("skipped") and approves the rest."""
    _require_manager(actor)
    now = now or timezone.now()
    with transaction.atomic():
        # Lock everything this decision touches, in primary-key order (see the module docstring).
        targets = list(_targets(booking, whole_series))
        others = list(_overlapping_open(targets))
        locked = {
            b.pk: b
            for b in Booking.objects.select_for_update(of=("self",))
            .filter(pk__in=[b.pk for b in targets + others] + [booking.pk])
            .order_by("pk")
        }
        current = locked.get(booking.pk)
        if current is None or current.status not in Booking.OPEN:
            status = current.get_status_display().lower() if current else _("dihapus")
            raise Conflict(
                _("Permohonan ini sudah %(status)s.") % {"status": status},
                code="illegal_transition",
            )
        if current.starts_at <= now:
            raise Conflict(
                _("Waktu pemakaian sudah lewat; permohonan ini tidak bisa disetujui lagi."),
                code="illegal_transition",
            )
        plan = plan_approval(current, whole_series=whole_series)
        if plan.blocked and not skip_clashes:
            date, clash = plan.blocked[0]
            from ekraf.core.overlap import Overlap

            raise Overlap(
                _("%(date)s: %(message)s")
                % {"date": tanggal(date.starts_at), "message": clash_message(True)(clash)},
                clash=clash,
                data={
                    "clash": describe_clash(True)(clash),
                    "blocked": [b.public_id for b, _c in plan.blocked],
                },
            )
        if not plan.approve:
            raise Conflict(
                _("Semua tanggal permohonan ini bentrok dengan jadwal lain."), code="overlap"
            )
        first = plan.approve[0]
        reason = _("Bentrok dengan pemakaian lain yang disetujui: %(when)s.") % {
            "when": f"{tanggal(first.starts_at)} {jam(first.starts_at)}–{jam(first.ends_at)}"
        }
        for other in plan.refuse:
            _close(other, S.DECLINED, reason, actor, now)
            audit(actor, "room.refuse", other, detail={"because": first.public_id})
            notices.declined(other, "declined")
        for date, clash in plan.blocked:
            skipped = _("Tanggal ini bentrok dengan jadwal lain (%(when)s) dan dilewati.") % {
                "when": f"{tanggal(clash.starts_at)} {jam(clash.starts_at)}–{jam(clash.ends_at)}"
            }
            _close(date, S.DECLINED, skipped, actor, now)
            audit(actor, "room.skip", date, detail={"clash": clash.public_id})
        for target in plan.approve:
            target.status = S.APPROVED
            target.decided_at, target.decided_by = now, actor
            target.expires_at = None
            target.price = (
                0
                if target.use_class == UseClass.FREE
                else quote(target.space, target.use_class, target.starts_at, target.ends_at).total
            )
            target.price_frozen_at = now
            write_hold(target, target.save, details=True)
            audit(actor, "room.approve", target, detail={"price": target.price})
        notices.approved(first, f"approved:{int(now.timestamp())}")
        for other in plan.refuse:
            promote_queued(other.space_id, other.starts_at, other.until, now=now)
    return plan


def _close(booking: Booking, status: str, reason: str, actor, now) -> None:
    booking.status = status
    booking.reason = reason[:300]
    booking.decided_at, booking.decided_by = now, actor
    booking.save(update_fields=["status", "reason", "decided_at", "decided_by", "updated_at"])


def decline(actor, booking: Booking, reason: str, *, whole_series: bool = False, now=None):
    """Decline with a reason the requester reads; the slot goes to the next in the queue."""
    _require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tuliskan alasan penolakan; pemohon akan membacanya."), field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        targets = list(
            Booking.objects.select_for_update(of=("self",))
            .select_related("space")
            .filter(pk__in=list(_targets(booking, whole_series).values_list("pk", flat=True)))
            .order_by("pk")
        )
        current = next((b for b in targets if b.pk == booking.pk), None)
        if current is None:
            current = Booking.objects.get(pk=booking.pk)
        if current.status not in Booking.OPEN:
            raise Conflict(
                _("Permohonan ini sudah %(status)s.")
                % {"status": current.get_status_display().lower()},
                code="illegal_transition",
            )
        for target in targets:
            if target.status in Booking.OPEN:
                _close(target, S.DECLINED, reason, actor, now)
                audit(actor, "room.decline", target, detail={"reason": reason})
        notices.declined(current, "declined")
        for target in targets:
            promote_queued(target.space_id, target.starts_at, target.until, now=now)
    return current


def lapse_open_requests(now=None) -> int:
    """Periodic: open requests not decided by their time (or whose start has come) lapse, and
    the slots they held go to the queue. Idempotent; rows being decided are skipped."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        due = list(
            Booking.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("space", "requester")
            .filter(status__in=Booking.OPEN)
            .filter(Q(expires_at__lte=now) | Q(starts_at__lte=now))
            .order_by("pk")[:500]
        )
        for booking in due:
            held = booking.status == S.PENDING
            _close(booking, S.LAPSED, _("Tidak diputus tepat waktu."), None, now)
            audit(None, "room.lapse", booking)
            notices.lapsed(booking, "lapsed")
            if held:
                promote_queued(booking.space_id, booking.starts_at, booking.until, now=now)
            count += 1
    return count
