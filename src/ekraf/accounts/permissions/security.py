"""Signing in: who may (and who must) use two-factor sign-in."""

from .roles import is_admin, is_staff_member

__all__ = ["can_use_two_factor", "must_use_two_factor"]


def can_use_two_factor(user) -> bool:
    """Staff (any role beyond creator) may protect their sign-in with a second factor."""
    return user.is_authenticated and (is_staff_member(user) or user.is_superuser)


def must_use_two_factor(user) -> bool:
    """Administrators must: they see everyone's data and hold the admin site."""
    return user.is_authenticated and (is_admin(user) or user.is_superuser)
