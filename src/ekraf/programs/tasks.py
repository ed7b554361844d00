"""Background jobs of the programs app."""

from django.utils.dateparse import parse_datetime
from django_tasks import task


@task()
def rebuild_recommendations(role_id: int, seen_built_at: str | None = None) -> int:
    """Rebuild the recommendation snapshot of one role that a request found stale. Idempotent:
    a rebuild that finds the snapshot already rebuilt since `seen_built_at` does nothing."""
    from . import matching
    from .models import ProgrammeRole

    role = ProgrammeRole.objects.select_related("programme").filter(pk=role_id).first()
    if role is None:
        return 0
    seen = parse_datetime(seen_built_at) if seen_built_at else None
    return matching.build_snapshot(role, seen_built_at=seen).version
