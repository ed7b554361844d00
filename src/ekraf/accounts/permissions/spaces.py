"""The creative centre's rooms and bookings.

The space manager (`ruang` role) and administrators run the rooms: the queue, decisions, the
front desk, rules and prices, and see who booked what. Anyone signed in with a verified e-mail
may ask for a room and follows their own requests. The public sees free/busy only.
"""

from __future__ import annotations

from ekraf.accounts.models import Role

from .roles import has_role, is_admin


def can_manage_spaces(user) -> bool:
    """The queue, approvals, the front desk, direct bookings, rules, photos and prices."""
    return is_admin(user) or has_role(user, Role.SPACE_MANAGER)


def can_request_booking(user) -> bool:
    """Ask for a room: a signed-in, active account with a verified e-mail."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "email_verified_at", None) is not None
    )


def can_view_booking(user, booking) -> bool:
    """A booking's details (who, why, the letter): its requester and the space manager."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return booking.requester_id == user.pk or can_manage_spaces(user)


def can_change_booking(user, booking) -> bool:
    """Move or cancel: the requester (their own request or booking) and the space manager.
    Training sessions' holds change only through the training."""
    if booking.source == "training":
        return False
    return can_view_booking(user, booking)


def sees_booking_details(user) -> bool:
    """Calendars with names, organisations and attendees instead of free/busy."""
    return can_manage_spaces(user)
