"""The committee's indicators."""

from __future__ import annotations

from ekraf.accounts.models import Role

from .roles import has_role


def can_view_insights(user) -> bool:
    """Committee members and administrators read the ecosystem's indicators."""
    return bool(getattr(user, "is_authenticated", False)) and has_role(
        user, Role.COMMITTEE, Role.ADMIN
    )
