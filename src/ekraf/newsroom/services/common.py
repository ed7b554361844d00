"""Pieces every newsroom service uses: locking a story's row, the editor's lock, revisions."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.core.errors import Conflict, NotFound

from ..models import LOCK_DURATION, Story, StoryRevision


def locked_story(story_or_id) -> Story:
    """The story's row, locked for this transaction (callers are atomic)."""
    key = story_or_id.pk if isinstance(story_or_id, Story) else story_or_id
    field = "public_id" if isinstance(key, str) else "pk"
    story = Story.objects.select_for_update().filter(**{field: key}).first()
    if story is None:
        raise NotFound(_("Berita tidak ditemukan."))
    return story


def lock_holder(story: Story):
    """The editor whose lock on the story has not expired, or None."""
    if story.locked_by_id and story.locked_until and story.locked_until > timezone.now():
        return story.locked_by
    return None


def hold_lock(story: Story, editor) -> None:
    """Take or extend the editor's lock; refused (409) while another editor's lock runs."""
    holder = lock_holder(story)
    if holder is not None and holder.pk != editor.pk:
        raise Conflict(
            _("Berita ini sedang ditinjau %(name)s sampai %(time)s.")
            % {
                "name": holder,
                "time": timezone.localtime(story.locked_until).strftime("%H:%M"),
            },
            code="locked",
            data={"locked_by": str(holder), "locked_until": story.locked_until.isoformat()},
        )
    story.locked_by = editor
    story.locked_until = timezone.now() + LOCK_DURATION


def release_lock(story: Story) -> None:
    story.locked_by = None
    story.locked_until = None


def photo_snapshot(story: Story) -> list[dict]:
    return [
        {
            "id": p.public_id,
            "caption": p.caption,
            "credit": p.credit,
            "licence": p.licence,
            "file": p.image.name,
        }
        for p in story.photos.all()
    ]


def revise(story: Story, actor, kind: str) -> StoryRevision:
    """Record the story as it now is (text and photos) as its next revision."""
    story.revision_count += 1
    Story.objects.filter(pk=story.pk).update(revision_count=story.revision_count)
    return StoryRevision.objects.create(
        story=story,
        number=story.revision_count,
        kind=kind,
        title=story.title,
        lead=story.lead,
        body=story.body,
        photos=photo_snapshot(story),
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def after_commit_clear_portal() -> None:
    from .. import cache

    transaction.on_commit(cache.clear)
