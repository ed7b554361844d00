"""Reads of the talent app that views, the API and other apps need (no N+1)."""

from __future__ import annotations

from .models import SpeakerBooking


def committed_creator_ids(start, end):
    """Ids of creators committed somewhere in [start, end): accepted or completed speaker
    bookings overlapping the period (a queryset of ids, usable in `pk__in` without a round trip).

    The programs app adds its engagements here when it lands (it may extend this function);
    talent never imports programs at module level.
    """
    return (
        SpeakerBooking.objects.filter(
            status__in=SpeakerBooking.HOLDING, starts_at__lt=end, ends_at__gt=start
        )
        .values_list("creator_id", flat=True)
        .distinct()
    )
