"""The locking scheme of the trainings services, written down once here, and the helpers that
take the locks. Every module of this package that changes seats follows it.

The seat guarantee — how no seat is ever sold twice
----------------------------------------------------
Every change to who holds a seat of a quota category happens inside one transaction that
first takes a row lock on that category (``SELECT … FOR NO KEY UPDATE`` on the QuotaCategory
row, as pretix locks its quotas), then counts the registrations holding a seat (confirmed or
offered), then decides and writes. NO KEY UPDATE (rather than plain FOR UPDATE) still excludes
every other seat decision on the category but not the foreign-key checks of rows that merely
point at it, so writes that never change seats (an application in selection mode) do not queue
behind the lock. The lock serialises all seat decisions of one category, while other
categories and trainings proceed in parallel. In READ COMMITTED (PostgreSQL's default, which
Django uses) each statement after the lock sees every transaction committed before it, so the
count is exact. The operations that take the lock:

* ``register`` (registration.py) — confirmed if a seat is free and nobody waits, else waitlisted;
* ``cancel_registration`` (registration.py), ``decline_offer`` / ``expire_offers``
  (waitinglist.py) and ``erase_person`` (personal_data.py) — release a seat and offer it
  to the next waitlisted person (``_offer_free_seats``). An offered registration *holds* the
  seat until it is accepted, declined or expires, so each freed seat is offered exactly once at
  a time;
* ``accept_offer``, ``decide_applications`` (waitinglist.py), seat changes in
  ``update_training`` and ``finish_training`` / ``cancel_training`` (editing.py).

Lock order is always category → registration rows, one category at a time, so two of these
never deadlock. Nothing slow happens under the lock: texts are built before it, e-mail and PDF
work happen after commit (the outbox row is an INSERT in the same transaction, sent by the
worker later). On SQLite ``select_for_update`` is a no-op, but the settings open every
transaction with ``BEGIN IMMEDIATE``, so writers are serialised by the database file lock.

The one-active-registration-per-person rule and the one-check-in-per-session rule are enforced
by unique constraints (models.py); the services turn their IntegrityError into a clear answer.
"""

from __future__ import annotations

from django.db.models import Count, Q

from ..models import QuotaCategory, Registration
from .common import Status


def _seat_counts(category_id: int) -> dict:
    return Registration.objects.filter(
        category_id=category_id, status__in=(*Registration.HOLDS_SEAT, Status.WAITLISTED)
    ).aggregate(
        held=Count("pk", filter=Q(status__in=Registration.HOLDS_SEAT)),
        waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )


def _lock(registration: Registration) -> Registration:
    """Take the category's seat lock and re-read the registration under it."""
    QuotaCategory.objects.select_for_update(no_key=True).get(pk=registration.category_id)
    return (
        Registration.objects.select_related("training__agency", "category", "user")
        .select_for_update(no_key=True, of=("self",) if _supports_of() else ())
        .get(pk=registration.pk)
    )


def _supports_of() -> bool:
    from django.db import connection

    return connection.features.has_select_for_update_of
