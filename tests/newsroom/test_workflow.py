"""The editorial workflow: the one table of transitions, the lock, revisions, scheduling."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ekraf.core.errors import Conflict, DomainError, NotAllowed
from ekraf.core.models import AuditEvent, OutboxMessage
from ekraf.newsroom import services
from ekraf.newsroom.models import Story, StoryRevision

from . import factories as nf

S = Story.Status
KWARGS = {
    "request_changes": {"notes": "Tambahkan nama narasumber."},
    "reject": {"reason": "Bukan berita."},
    "correct": {"summary": "Nama jalan diperbaiki."},
    "retract": {"reason": "false"},
}


def _force(story, status):
    Story.objects.filter(pk=story.pk).update(status=status, locked_by=None, locked_until=None)


def test_every_transition_outside_the_table_is_refused(reporter, editor):
    """All pairs (status × action): legal ones lead where the table says, the rest are 409."""
    story = nf.draft(reporter)
    refused = 0
    for status in S.values:
        for action in services.ACTIONS:
            _force(story, status)
            sources, target = services.TRANSITIONS[action]
            actor = reporter if action == "submit" else editor
            if status in sources:
                services.run(action, story, actor, **KWARGS.get(action, {}))
                assert Story.objects.get(pk=story.pk).status == target, (status, action)
                continue
            with pytest.raises(Conflict) as answer:
                services.run(action, story, actor, **KWARGS.get(action, {}))
            assert answer.value.code == "illegal_transition", (status, action)
            assert Story.objects.get(pk=story.pk).status == status
            refused += 1
    assert refused == len(S.values) * len(services.ACTIONS) - sum(
        len(sources) for sources, _t in services.TRANSITIONS.values()
    )


def test_journey_send_back_once_then_publish(reporter, editor):
    story = nf.draft(reporter)
    services.submit(story, reporter)
    services.review(story, editor)
    services.request_changes(story, editor, notes="Tambahkan foto dan narasumber kedua.")
    story.refresh_from_db()
    assert story.status == S.CHANGES_REQUESTED and story.editor_notes
    services.save_story(story, reporter, {"body": story.body + "\n\nNarasumber kedua: Bu Lurah."})
    services.submit(story, reporter)
    services.review(story, editor)
    services.approve(story, editor)
    services.publish(story, editor)
    story.refresh_from_db()
    assert story.status == S.PUBLISHED and story.published_at
    actions = set(
        AuditEvent.objects.filter(target_id=str(story.pk)).values_list("action", flat=True)
    )
    assert {
        "newsroom.story.submit",
        "newsroom.story.review",
        "newsroom.story.request_changes",
        "newsroom.story.approve",
        "newsroom.story.publish",
    } <= actions
    kinds = set(OutboxMessage.objects.filter(recipient=reporter).values_list("kind", flat=True))
    assert {"newsroom.request_changes", "newsroom.approve", "newsroom.published"} <= kinds


def test_only_editors_review_and_only_writers_write(reporter, editor, creator_user):
    story = nf.draft(reporter)
    services.submit(story, reporter)
    with pytest.raises(NotAllowed):
        services.review(story, reporter)
    with pytest.raises(NotAllowed):
        services.start_story(creator_user)  # no citizen-reporter pathway
    services.grant_reporter(editor, creator_user)
    creator_user.refresh_from_db()
    assert services.start_story(creator_user).author == creator_user


def test_the_editors_lock_shows_who_and_expires(reporter, editor):
    other = nf.editor()
    story = nf.draft(reporter)
    services.submit(story, reporter)
    services.review(story, editor)
    with pytest.raises(Conflict) as locked:
        services.approve(story, other)
    assert locked.value.code == "locked"
    Story.objects.filter(pk=story.pk).update(locked_until=timezone.now() - timedelta(minutes=1))
    services.review(story, other)
    services.approve(story, other)
    assert Story.objects.get(pk=story.pk).status == S.APPROVED


def test_substantive_edit_after_approval_goes_back_to_review(reporter, editor):
    story = nf.draft(reporter)
    services.submit(story, reporter)
    services.review(story, editor)
    services.approve(story, editor)
    services.save_story(story, reporter, {"tags": ["wisata"]})  # not substantive
    assert Story.objects.get(pk=story.pk).status == S.APPROVED
    services.save_story(story, reporter, {"title": "Judul yang lain sama sekali"})
    story.refresh_from_db()
    assert story.status == S.SUBMITTED
    kinds = OutboxMessage.objects.filter(recipient=reporter).values_list("kind", flat=True)
    assert "newsroom.back_to_review" in kinds


def test_a_new_photo_after_approval_goes_back_to_review(reporter, editor):
    story = nf.draft(reporter)
    services.submit(story, reporter)
    services.review(story, editor)
    services.approve(story, editor)
    services.add_photo(story, reporter, nf.upload(), caption="a", credit="b", licence="cc-by-4.0")
    assert Story.objects.get(pk=story.pk).status == S.SUBMITTED


def test_every_autosave_is_a_revision_and_comparisons_show_changes(reporter, editor):
    story = nf.draft(reporter)
    first = story.revision_count
    kind = StoryRevision.Kind.AUTOSAVE
    services.save_story(story, reporter, {"body": "Versi satu."}, kind=kind)
    services.save_story(story, reporter, {"body": "Versi satu."}, kind=kind)  # nothing new
    services.save_story(story, reporter, {"body": "Versi dua."}, kind=kind)
    assert story.revisions.count() == first + 2
    services.submit(story, reporter)
    services.review(story, editor)
    services.save_story(story, editor, {"body": "Versi tiga dari editor."})
    result = services.compare(Story.objects.get(pk=story.pk), "submitted")
    body = dict((label, html) for label, html, _changed in result["sections"])["Isi"]
    assert "<del>dua.</del>" in body and "<ins>tiga" in body
    assert result["current"].kind == StoryRevision.Kind.EDITOR
    services.approve(story, editor)
    services.publish(story, editor)
    services.correct(story, editor, summary="Ejaan", body="Versi empat.")
    result = services.compare(Story.objects.get(pk=story.pk), "published")
    assert result["base"].kind == StoryRevision.Kind.CORRECTION


def test_comparison_shows_photo_captions(reporter, editor):
    story = nf.draft(reporter)
    services.submit(story, reporter)
    services.review(story, editor)
    services.add_photo(
        story, editor, nf.upload(), caption="Mural baru", credit="Sari", licence="cc-by-4.0"
    )
    result = services.compare(Story.objects.get(pk=story.pk), "submitted")
    photos = dict((label, (html, changed)) for label, html, changed in result["sections"])["Foto"]
    assert photos[1] and "Mural baru" in photos[0]


def test_scheduled_publication_happens_once(reporter, editor):
    story = nf.draft(reporter)
    services.submit(story, reporter)
    services.review(story, editor)
    services.approve(story, editor)
    at = timezone.now() + timedelta(hours=2)
    services.publish(story, editor, at=at)
    assert Story.objects.get(pk=story.pk).status == S.SCHEDULED
    assert services.publish_due() == 0
    Story.objects.filter(pk=story.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    assert services.publish_due() == 1
    assert services.publish_due() == 0
    story.refresh_from_db()
    assert story.status == S.PUBLISHED
    assert story.revisions.filter(kind=StoryRevision.Kind.PUBLISHED).count() == 1
    assert OutboxMessage.objects.filter(recipient=reporter, kind="newsroom.published").count() == 1
    assert AuditEvent.objects.filter(action="newsroom.story.publish").count() == 1


def test_the_periodic_job_is_registered():
    from ekraf.core import periodic

    assert "newsroom.publish_due" in {job.name for job in periodic.jobs()}


def test_submission_needs_the_essentials(reporter):
    story = services.start_story(reporter)
    with pytest.raises(DomainError) as incomplete:
        services.submit(story, reporter)
    assert incomplete.value.code == "incomplete"


def test_retraction_needs_a_listed_reason(reporter, editor):
    story = nf.published(reporter, editor)
    with pytest.raises(DomainError):
        services.retract(story, editor, reason="bosan")
    services.retract(story, editor, reason="court", note="Putusan PN Malang")
    story.refresh_from_db()
    assert story.status == S.RETRACTED and story.retracted_at


def test_complaint_has_a_two_day_deadline_and_right_of_reply(reporter, editor):
    story = nf.published(reporter, editor)
    complaint = services.file_complaint(
        story, reason="reply", detail="Data saya salah.", name="Budi", contact="budi@contoh.id"
    )
    assert complaint.due_at - complaint.created_at == timedelta(hours=48)
    with pytest.raises(DomainError):
        services.decide_complaint(complaint, editor, outcome="reply")
    services.decide_complaint(complaint, editor, outcome="reply", reply_text="Hak jawab Budi.")
    with pytest.raises(Conflict):
        services.decide_complaint(complaint, editor, outcome="rejected", note="x")
