"""The waiting list: offering freed seats to the next person in line, accepting,
declining and expiring offers, and the organiser's decisions in selection mode. Every seat
decision here runs under the category lock (see locking.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.services import audit

from .. import notices
from ..models import QuotaCategory, Registration, Training
from .common import Status, TStatus, _now, _tell, cancellation_deadline, require_manager
from .locking import _lock, _seat_counts


def _offer_expiry(training: Training, now: datetime) -> datetime:
    """offer_hours from now, but never past the start of the first session still to come."""
    expires = now + timedelta(hours=training.offer_hours)
    next_start = training.sessions.filter(starts_at__gt=now).aggregate(first=Min("starts_at"))[
        "first"
    ]
    if next_start is not None and next_start < expires:
        expires = next_start
    return expires


def _offer_free_seats(category: QuotaCategory, now: datetime) -> list[Registration]:
    """Offer every free seat of a category to the next waitlisted people, one seat each.

    The caller holds the category lock. An offer holds its seat, so a seat is offered to
    one person at a time; it returns to this function only when the offer ends."""
    training = category.training
    if training.status not in (TStatus.PUBLISHED, TStatus.CLOSED):
        return []
    last_end = training.sessions.aggregate(last=Max("ends_at"))["last"]
    if last_end is not None and last_end <= now:
        return []
    free = (
        category.seats - category.registrations.filter(status__in=Registration.HOLDS_SEAT).count()
    )
    if free <= 0:
        return []
    nxt = list(
        category.registrations.filter(status=Status.WAITLISTED)
        .select_related("training__agency", "category", "user")
        .order_by("created_at", "pk")[:free]
    )
    if not nxt:
        return []
    if training.offer_hours == 0:
        # No time to wait for an answer: the next in line is confirmed straight away.
        deadline = cancellation_deadline(training)
        sessions = list(training.sessions.select_related("space"))
        for registration in nxt:
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            _tell(registration, notices.confirmed(registration, sessions, deadline), "promoted")
        return nxt
    expires = _offer_expiry(training, now)
    for registration in nxt:
        registration.status = Status.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = expires
        registration.save(update_fields=["status", "offered_at", "offer_expires_at"])
        _tell(registration, notices.offer(registration), f"offer{int(now.timestamp())}")
    return nxt


def fill_from_waitlist(category_id: int, now=None) -> list[Registration]:
    """Offer a category's free seats to its queue (after seats were added)."""
    with transaction.atomic():
        category = (
            QuotaCategory.objects.select_for_update(no_key=True).filter(pk=category_id).first()
        )
        if category is None:
            return []
        return _offer_free_seats(category, _now(now))


def load_offer(token: str) -> Registration:
    """The registration an offer link names, if that offer is the current one."""
    try:
        data = signing.loads(token, salt=notices.OFFER_SALT)
    except signing.BadSignature as exc:
        raise NotFound(_("Tautan tawaran tidak sah.")) from exc
    registration = (
        Registration.objects.select_related("training__agency", "category", "user")
        .filter(public_id=data.get("r"))
        .first()
    )
    if registration is None:
        raise NotFound(_("Tautan tawaran tidak sah."))
    current = registration.offer_expires_at
    if (
        registration.status != Status.OFFERED
        or current is None
        or int(current.timestamp()) != data.get("x")
    ):
        raise Conflict(_("Tawaran ini sudah tidak berlaku."), code="offer_gone")
    return registration


def accept_offer(registration: Registration, *, actor=None, now=None) -> Registration:
    now = _now(now)
    if actor is not None:
        permissions.require(permissions.can_view_registration(actor, registration))
    deadline = cancellation_deadline(registration.training)
    sessions = list(registration.training.sessions.select_related("space"))
    with transaction.atomic():
        registration = _lock(registration)
        if registration.status == Status.CONFIRMED:
            return registration  # the link was clicked twice
        if registration.status != Status.OFFERED:
            raise Conflict(_("Tawaran ini sudah tidak berlaku."), code="offer_gone")
        if registration.offer_expires_at and registration.offer_expires_at <= now:
            raise Conflict(_("Tawaran ini sudah berakhir."), code="offer_expired")
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
        _tell(registration, notices.confirmed(registration, sessions, deadline), "accepted")
        audit(actor or registration.user, "training.registration.accept_offer", registration)
    return registration


def decline_offer(registration: Registration, *, actor=None, now=None) -> Registration:
    now = _now(now)
    if actor is not None:
        permissions.require(permissions.can_view_registration(actor, registration))
    with transaction.atomic():
        registration = _lock(registration)
        if registration.status != Status.OFFERED:
            raise Conflict(_("Tawaran ini sudah tidak berlaku."), code="offer_gone")
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.cancel_reason = _("Menolak tawaran kursi")
        registration.offer_expires_at = None
        registration.save(
            update_fields=["status", "cancelled_at", "cancel_reason", "offer_expires_at"]
        )
        _offer_free_seats(registration.category, now)
        audit(actor or registration.user, "training.registration.decline_offer", registration)
    return registration


def expire_offers(now=None) -> int:
    """Periodic job: end unanswered offers and pass each seat to the next person.

    Idempotent and safe to run from two schedulers at once: each category is handled under its
    seat lock, and only offers still open and past their time are touched."""
    now = _now(now)
    category_ids = list(
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .values_list("category_id", flat=True)
        .distinct()
    )
    expired = 0
    for category_id in category_ids:
        with transaction.atomic():
            category = QuotaCategory.objects.select_for_update(no_key=True).get(pk=category_id)
            gone = list(
                category.registrations.filter(
                    status=Status.OFFERED, offer_expires_at__lte=now
                ).select_related("training__agency", "category", "user")
            )
            for registration in gone:
                registration.status = Status.CANCELLED
                registration.cancelled_at = now
                registration.cancel_reason = _("Tawaran kursi tidak dijawab sampai batas waktu")
                registration.save(update_fields=["status", "cancelled_at", "cancel_reason"])
                _tell(registration, notices.offer_expired(registration), "offer_expired")
            expired += len(gone)
            _offer_free_seats(category, now)
            for registration in gone:
                audit(None, "training.registration.offer_expired", registration)
    return expired


def decide_applications(
    actor, training: Training, registration_ids: list[int], decision: str, now=None
) -> int:
    """Selection mode: the organiser confirms, waitlists or rejects applicants, all or none.

    Confirming takes seats under the category lock and refuses if there are not enough."""
    require_manager(actor, training)
    now = _now(now)
    if decision not in ("confirm", "waitlist", "reject"):
        raise DomainError(_("Keputusan tidak dikenal."))
    chosen = list(
        training.registrations.filter(pk__in=registration_ids)
        .select_related("training__agency", "category", "user")
        .order_by("category_id", "created_at")
    )
    if not chosen:
        raise DomainError(_("Pilih sedikitnya satu pendaftar."))
    allowed = {Status.APPLIED, Status.WAITLISTED} if decision == "confirm" else {Status.APPLIED}
    deadline = cancellation_deadline(training)
    sessions = list(training.sessions.select_related("space"))
    with transaction.atomic():
        by_category: dict[int, list[Registration]] = {}
        for registration in chosen:
            by_category.setdefault(registration.category_id, []).append(registration)
        for category_id, group in sorted(by_category.items()):
            category = QuotaCategory.objects.select_for_update(no_key=True).get(pk=category_id)
            fresh = list(
                Registration.objects.filter(pk__in=[r.pk for r in group]).select_related(
                    "training__agency", "category", "user"
                )
            )
            if any(r.status not in allowed for r in fresh):
                raise Conflict(_("Sebagian pendaftar yang dipilih sudah diputuskan sebelumnya."))
            if decision == "confirm":
                free = category.seats - _seat_counts(category_id)["held"]
                if len(fresh) > free:
                    raise Conflict(
                        _("Kategori %(name)s hanya punya %(free)s kursi kosong.")
                        % {"name": category.name, "free": max(free, 0)}
                    )
            for registration in fresh:
                if decision == "confirm":
                    registration.status = Status.CONFIRMED
                    registration.confirmed_at = now
                    notice, event = notices.confirmed(registration, sessions, deadline), "selected"
                elif decision == "waitlist":
                    registration.status = Status.WAITLISTED
                    position = category.registrations.filter(status=Status.WAITLISTED).count() + 1
                    notice, event = notices.waitlisted(registration, position), "waitlisted"
                else:
                    registration.status = Status.REJECTED
                    notice, event = notices.selection_rejected(registration), "rejected"
                registration.save(update_fields=["status", "confirmed_at"])
                _tell(registration, notice, event)
        audit(actor, f"training.applications.{decision}", training, detail={"n": len(chosen)})
    return len(chosen)
