"""Demo history for the committee's indicators: the demo creators signed up over the last
twelve months (not all on the day the demo loaded), so the trends have a shape; then the
monthly rollups are computed and last month's open-data release is published.

Runs last among the demo steps (INSTALLED_APPS order), after every app's demo data exists.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ekraf.creators.models import CreatorProfile
from ekraf.credentials.models import Referral

from . import rollups
from .opendata import releases


def _spread(model, ctx, days=365):
    now = timezone.now()
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        # Skewed towards recent months: the registry grows.
        back = int(days * (ctx.rng.random() ** 1.6))
        model.objects.filter(pk=pk).update(created_at=now - dt.timedelta(days=back))
    return len(ids)


def build(ctx) -> None:
    creators = _spread(CreatorProfile, ctx)
    _spread(Referral, ctx, days=200)
    result = rollups.periodic()
    release = releases.publish(rollups.previous_month(rollups.current_month()))
    ctx.out.write(
        f"  {creators} pelaku tersebar 12 bulan; rekap {result['months']} bulan; "
        f"rilis data terbuka {release.version}\n"
    )
