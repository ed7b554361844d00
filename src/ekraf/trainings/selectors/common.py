"""What every read of the trainings app shares: the statuses a public page may show, the shape
of a public id (checked before any query), the clean search term, and the correlated COUNT
subquery that keeps a training one row however many sessions and registrations it has."""

from __future__ import annotations

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ekraf.core import ids

from ..models import Registration, Training

Status = Registration.Status
TStatus = Training.Status
PUBLIC_STATUSES = (TStatus.PUBLISHED, TStatus.CLOSED, TStatus.FINISHED, TStatus.CANCELLED)


def _count(qs: QuerySet):
    """A correlated COUNT(*) subquery (0 when there are no rows)."""
    return Coalesce(
        Subquery(
            qs.order_by()
            .values(qs.model._meta.get_field("training").attname)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def is_public_id(value: str) -> bool:
    """Shaped like our random ids (so a NUL byte or junk never reaches the database)."""
    return bool(value) and len(value) <= 16 and ids.is_valid(value)


def clean_text(value: str, limit: int = 100) -> str:
    """A search term from a query string: no NUL bytes, trimmed, bounded."""
    return (value or "").replace("\x00", "").strip()[:limit]
