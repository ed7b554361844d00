"""Template helpers for the trainings pages: status badges, places, seat counts."""

from django import template

from ekraf.trainings import notices

register = template.Library()

BADGES = {
    # registrations
    "confirmed": "text-bg-success",
    "waitlisted": "text-bg-warning",
    "offered": "text-bg-info",
    "applied": "text-bg-secondary",
    "cancelled": "text-bg-light border",
    "rejected": "text-bg-light border",
    "unseated": "text-bg-light border",
    # trainings
    "draft": "text-bg-secondary",
    "published": "text-bg-success",
    "closed": "text-bg-warning",
    "finished": "text-bg-primary",
}


@register.filter
def badge(status: str) -> str:
    return BADGES.get(status, "text-bg-light border")


@register.filter
def place(session) -> str:
    """Where a session is, with its online link (participants' and organisers' pages)."""
    return notices.place_of(session)


@register.filter
def public_place(session) -> str:
    """Where a session is, for everyone: an online session says just "daring"."""
    return notices.place_of(session, reveal_link=False)


@register.filter
def seats_left(training) -> int:
    """Seats not held, from the catalogue's annotations."""
    return max((training.seats_total or 0) - (training.seats_held or 0), 0)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
