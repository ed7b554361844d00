"""Citizen reporters' stories and the editorial desk.

Writers: creators who chose the citizen-reporter pathway (creators.PathwayInterest) or whom an
editor granted it (newsroom.ReporterGrant). Editors (`editor` role) and administrators run the
desk. Readers of the portal need no account.
"""

from __future__ import annotations

from ekraf.accounts.models import Role

from .roles import has_role, is_admin

_WRITER_CACHE = "_ekraf_may_write_stories"


def can_edit_newsroom(user) -> bool:
    """The editors' desk: the queue, reviews, publication, corrections, complaints, grants."""
    return is_admin(user) or has_role(user, Role.EDITOR)


def can_write_stories(user) -> bool:
    """Write stories at /pewarta/ (read once per request, cached on the user)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, _WRITER_CACHE, None)
    if cached is None:
        from ekraf.creators.models import Pathway, PathwayInterest
        from ekraf.newsroom.models import ReporterGrant

        cached = (
            can_edit_newsroom(user)
            or ReporterGrant.objects.filter(user=user).exists()
            or PathwayInterest.objects.filter(
                profile__user=user,
                profile__deleted_at__isnull=True,
                pathway=Pathway.CITIZEN_REPORTER,
            ).exists()
        )
        setattr(user, _WRITER_CACHE, cached)
    return cached


def can_change_story(user, story) -> bool:
    """Edit the text: its author while it is theirs to edit; an editor holding the lock."""
    from ekraf.newsroom.models import Story

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    editable_by_author = (
        Story.Status.DRAFT,
        Story.Status.CHANGES_REQUESTED,
        Story.Status.SUBMITTED,
        Story.Status.APPROVED,
        Story.Status.SCHEDULED,
    )
    if story.author_id == user.pk and story.status in editable_by_author:
        return True
    return can_edit_newsroom(user) and story.status not in (
        Story.Status.PUBLISHED,
        Story.Status.RETRACTED,
        Story.Status.REJECTED,
    )


def can_view_story_draft(user, story) -> bool:
    """An unpublished story (and its photos): its author and the editors."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return story.author_id == user.pk or can_edit_newsroom(user)
