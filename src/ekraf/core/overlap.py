"""No two holds of one resource overlap in time: a room's bookings, a speaker's engagements.

The guarantee lives in the database, not in a check that two requests can both pass:

- PostgreSQL: an exclusion constraint (`btree_gist`) over (resource =, [start, until) &&) on the
  rows that hold the resource. Two transactions racing for the same slot both pass any check
  made in Python; the second to commit is refused by the constraint.
- SQLite: no exclusion constraints — but every write transaction there is serialised
  (`transaction_mode = IMMEDIATE` in settings), so checking and writing in one transaction is
  exact: nobody else writes in between.

A model declares the constraint with `no_overlap(...)` (a no-op on other databases) and every
write that can create or move a hold goes through `write_without_overlap`, which checks first
(for a clear answer naming the clashing row) and turns the constraint's refusal of a racing
write into the same answer: `Overlap`, a 409 naming the clash.

Buffers: a resource that needs time between holds (a room to be cleaned and set up) stores the
end of each hold plus that buffer in the `until` column, so two holds conflict exactly when one
starts less than a buffer after the other ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import F, Func, Q
from django.utils.translation import gettext as _

from .errors import Conflict


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class NoOverlap(ExclusionConstraint):
    """An ExclusionConstraint on PostgreSQL; nothing on other databases, where
    `write_without_overlap`'s check inside a serialised transaction gives the guarantee."""

    def _on_postgres(self, schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return (
            super().constraint_sql(model, schema_editor)
            if self._on_postgres(schema_editor)
            else None
        )

    def create_sql(self, model, schema_editor):
        return (
            super().create_sql(model, schema_editor) if self._on_postgres(schema_editor) else None
        )

    def remove_sql(self, model, schema_editor):
        return (
            super().remove_sql(model, schema_editor) if self._on_postgres(schema_editor) else None
        )

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)


def no_overlap(
    *, name: str, resource: str, start: str, until: str, condition: Q | None = None
) -> NoOverlap:
    """The constraint for a model whose rows hold `resource` from `start` to `until` ([)),
    counting only rows matching `condition` (e.g. approved or pending, not cancelled)."""
    return NoOverlap(
        name=name,
        expressions=[
            (F(resource), RangeOperators.EQUAL),
            (TsTzRange(start, until, RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=condition,
        violation_error_message=_("Waktu ini bertabrakan dengan jadwal lain."),
    )


def clashes(queryset, *, start, until, start_field: str = "starts_at", until_field: str = "until"):
    """Rows of `queryset` (already narrowed to the same resource and the holding states) whose
    [start, until) overlaps [start, until)."""
    return queryset.filter(**{f"{start_field}__lt": until, f"{until_field}__gt": start})


class Overlap(Conflict):
    """The slot is taken; `clash` is the row that holds it (for the message and the 409)."""

    code = "overlap"

    def __init__(
        self, message, *, clash: Any = None, field: str | None = None, data: dict | None = None
    ):
        super().__init__(message, field=field, data=data)
        self.clash = clash


def _is_exclusion_violation(exc: IntegrityError, name: str) -> bool:
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None) == name:
        return True
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate == "23P01" and name in str(exc)


def write_without_overlap(
    write: Callable[[], Any],
    find_clash: Callable[[], Any],
    *,
    constraint: str,
    message: Callable[[Any], str],
    describe: Callable[[Any], dict] | None = None,
):
    """Run `write` unless `find_clash()` finds a holding row in the way; on PostgreSQL a racing
    write that slipped past the check is refused by `constraint` and reported the same way.

    `message(clash)` words the refusal; `describe(clash)` (optional) gives the API's 409 body its
    `clash` object (no personal data for callers who may not see it: decide that in `describe`).
    Must be called inside the caller's transaction (it opens a savepoint for the write, so the
    caller's transaction stays usable after a refusal).
    """

    def refuse(clash, cause=None):
        data = {"clash": describe(clash)} if describe is not None and clash is not None else None
        raise Overlap(message(clash), clash=clash, data=data) from cause

    clash = find_clash()
    if clash is not None:
        refuse(clash)
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as exc:
        if not _is_exclusion_violation(exc, constraint):
            raise
        refuse(find_clash(), exc)  # the racing row has committed: it is visible now
