"""The editorial workflow, written once: the table of transitions and one function per step.

    draft ─submit→ submitted ─review→ in_review ─request_changes→ changes_requested ─submit→ …
                                       in_review ─approve→ approved ─publish→ published
                                                            approved ─publish(at)→ scheduled
                                                                     (the periodic job) → published
    submitted | in_review ─reject→ rejected        published ─correct→ published (+ correction)
                                                   published ─retract→ retracted (public notice)

Anything else is refused with Conflict (409 in the API, code `illegal_transition`). The page
and the API call the same functions; each records an audit event and tells the writer through
the outbox.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError
from ekraf.core.services import audit

from .. import notices
from ..models import Correction, Story, StoryRevision
from . import markdown
from .common import after_commit_clear_portal, hold_lock, locked_story, release_lock, revise

S = Story.Status

# action -> (the states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.SUBMITTED),
    "review": (frozenset({S.SUBMITTED, S.IN_REVIEW}), S.IN_REVIEW),
    "request_changes": (frozenset({S.IN_REVIEW}), S.CHANGES_REQUESTED),
    "approve": (frozenset({S.IN_REVIEW}), S.APPROVED),
    "publish": (frozenset({S.APPROVED, S.SCHEDULED}), S.PUBLISHED),
    "reject": (frozenset({S.SUBMITTED, S.IN_REVIEW}), S.REJECTED),
    "correct": (frozenset({S.PUBLISHED}), S.PUBLISHED),
    "retract": (frozenset({S.PUBLISHED}), S.RETRACTED),
}
ACTIONS = tuple(TRANSITIONS)


def allowed_actions(story: Story) -> list[str]:
    return [a for a, (sources, _to) in TRANSITIONS.items() if story.status in sources]


def _check(story: Story, action: str) -> None:
    sources, _target = TRANSITIONS[action]
    if story.status not in sources:
        raise Conflict(
            _("Tindakan ini tidak bisa dilakukan pada berita berstatus %(status)s.")
            % {"status": story.get_status_display()},
            code="illegal_transition",
            data={"status": story.status, "action": action},
        )


def _editor(actor) -> None:
    permissions.require(
        permissions.can_edit_newsroom(actor), _("Hanya editor yang bisa melakukan ini.")
    )


def _done(story: Story, actor, action: str, before: str, *, request=None, **detail) -> Story:
    story.save()
    audit(
        actor,
        f"newsroom.story.{action}",
        story,
        detail={"from": before, "to": story.status, **detail},
        request=request,
    )
    return story


def run(action: str, story_or_id, actor, *, request=None, **kwargs) -> Story:
    """Perform one workflow step by its name (the API's path segment, with `-` as `_`)."""
    if action not in TRANSITIONS:
        raise DomainError(_("Tindakan tidak dikenal."), code="unknown_action")
    return STEPS[action](story_or_id, actor, request=request, **kwargs)


@transaction.atomic
def submit(story_or_id, actor, *, request=None) -> Story:
    story = locked_story(story_or_id)
    permissions.require(story.author_id == actor.pk or permissions.can_edit_newsroom(actor))
    _check(story, "submit")
    missing = [
        label
        for label, value in (
            (_("judul"), story.title),
            (_("teras berita"), story.lead),
            (_("isi"), story.body),
            (_("kelurahan"), story.region_id),
        )
        if not value
    ]
    if missing:
        raise DomainError(
            _("Lengkapi dulu: %(fields)s.") % {"fields": ", ".join(str(m) for m in missing)},
            code="incomplete",
        )
    before = story.status
    story.status = S.SUBMITTED
    story.submitted_at = timezone.now()
    revise(story, actor, StoryRevision.Kind.SUBMITTED)
    notices.tell_writer(story, "submitted")
    notices.tell_editors(
        _("Berita baru menunggu ditinjau: %(title)s") % {"title": story.title},
        story.title,
        f"newsroom:{story.pk}:queued:{story.revision_count}",
    )
    return _done(story, actor, "submit", before, request=request)


@transaction.atomic
def review(story_or_id, actor, *, request=None) -> Story:
    """An editor takes the story: the lock shows who, and expires (LOCK_DURATION)."""
    story = locked_story(story_or_id)
    _editor(actor)
    _check(story, "review")
    before = story.status
    hold_lock(story, actor)
    story.status = S.IN_REVIEW
    if before != S.IN_REVIEW:
        notices.tell_writer(story, "review")
    return _done(story, actor, "review", before, request=request)


def _in_my_review(story_or_id, actor, action: str) -> Story:
    story = locked_story(story_or_id)
    _editor(actor)
    _check(story, action)
    hold_lock(story, actor)
    return story


@transaction.atomic
def request_changes(story_or_id, actor, *, notes: str = "", request=None) -> Story:
    story = _in_my_review(story_or_id, actor, "request_changes")
    notes = validation.text(
        notes, field="notes", max_length=4000, required=True, label=_("Catatan untuk penulis")
    )
    before = story.status
    story.status = S.CHANGES_REQUESTED
    story.editor_notes = notes
    release_lock(story)
    notices.tell_writer(story, "request_changes", notes)
    return _done(story, actor, "request_changes", before, request=request)


@transaction.atomic
def approve(story_or_id, actor, *, request=None) -> Story:
    story = _in_my_review(story_or_id, actor, "approve")
    before = story.status
    story.status = S.APPROVED
    release_lock(story)
    notices.tell_writer(story, "approve")
    return _done(story, actor, "approve", before, request=request)


@transaction.atomic
def reject(story_or_id, actor, *, reason: str = "", request=None) -> Story:
    story = locked_story(story_or_id)
    _editor(actor)
    _check(story, "reject")
    if story.status == S.IN_REVIEW:
        hold_lock(story, actor)
    reason = validation.text(
        reason, field="reason", max_length=4000, required=True, label=_("Alasan penolakan")
    )
    before = story.status
    story.status = S.REJECTED
    story.rejection_reason = reason
    release_lock(story)
    notices.tell_writer(story, "reject", reason)
    return _done(story, actor, "reject", before, request=request, reason=reason)


@transaction.atomic
def publish(story_or_id, actor, *, at: datetime | None = None, request=None) -> Story:
    """Publish now, or schedule for `at` (the periodic job publishes it then, once)."""
    story = locked_story(story_or_id)
    _editor(actor)
    _check(story, "publish")
    before = story.status
    if at is not None and at > timezone.now():
        story.status = S.SCHEDULED
        story.scheduled_at = at
        story.published_by = actor
        notices.tell_writer(story, "scheduled")
        return _done(story, actor, "schedule", before, request=request, at=at.isoformat())
    return _publish(story, actor, before, request=request)


def _publish(story: Story, actor, before: str, *, request=None) -> Story:
    story.status = S.PUBLISHED
    story.published_at = story.published_at or timezone.now()
    story.published_by = actor or story.published_by
    story.scheduled_at = None
    release_lock(story)
    revise(story, actor, StoryRevision.Kind.PUBLISHED)
    after_commit_clear_portal()
    notices.tell_writer(story, "published")
    return _done(story, actor, "publish", before, request=request)


def publish_due() -> int:
    """The periodic job: publish every scheduled story whose time has come. Rows are locked
    and skipped when another scheduler holds them, and a story that is no longer scheduled is
    left alone, so two schedulers never publish one story twice."""
    count = 0
    while True:
        with transaction.atomic():
            story = (
                Story.objects.select_for_update(skip_locked=True)
                .filter(status=S.SCHEDULED, scheduled_at__lte=timezone.now())
                .order_by("scheduled_at")
                .first()
            )
            if story is None:
                return count
            _publish(story, None, S.SCHEDULED)
            count += 1


@transaction.atomic
def correct(
    story_or_id,
    actor,
    *,
    summary: str,
    title: str | None = None,
    lead: str | None = None,
    body: str | None = None,
    request=None,
) -> Correction:
    """A correction of a published story: the new text, and a note with what changed that is
    shown on the story (with its date) and on the public corrections page."""
    story = locked_story(story_or_id)
    _editor(actor)
    _check(story, "correct")
    summary = validation.text(
        summary, field="summary", max_length=2000, required=True, label=_("Yang dikoreksi")
    )
    if title is not None:
        story.title = validation.line(title, field="title", max_length=160, required=True)
    if lead is not None:
        story.lead = validation.text(lead, field="lead", max_length=600, required=True)
    if body is not None:
        story.body = validation.text(body, field="body", max_length=40_000, required=True)
        story.body_html = markdown.render(story.body)
    revision = revise(story, actor, StoryRevision.Kind.CORRECTION)
    correction = Correction.objects.create(
        story=story, summary=summary, revision=revision, created_by=actor
    )
    after_commit_clear_portal()
    notices.tell_writer(story, "correct", summary)
    _done(story, actor, "correct", S.PUBLISHED, request=request, summary=summary)
    return correction


@transaction.atomic
def retract(story_or_id, actor, *, reason: str, note: str = "", request=None) -> Story:
    """Retraction only for one of the listed reasons; the story's address keeps a notice."""
    story = locked_story(story_or_id)
    _editor(actor)
    _check(story, "retract")
    if reason not in Story.RetractionReason.values:
        raise DomainError(_("Pilih alasan pencabutan dari daftar."), field="reason")
    note = validation.text(note, field="note", max_length=2000)
    before = story.status
    story.status = S.RETRACTED
    story.retraction_reason = reason
    story.retraction_note = note
    story.retracted_at = timezone.now()
    after_commit_clear_portal()
    notices.tell_writer(story, "retract", note)
    return _done(story, actor, "retract", before, request=request, reason=reason)


STEPS = {
    "submit": submit,
    "review": review,
    "request_changes": request_changes,
    "approve": approve,
    "publish": publish,
    "reject": reject,
    "correct": correct,
    "retract": retract,
}
