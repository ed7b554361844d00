"""Complaints and the right of reply: anyone may report a published story; the desk answers
within 2 × 24 hours and records the outcome."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.services import audit

from .. import notices
from ..models import COMPLAINT_DEADLINE, Complaint, Story
from . import workflow


@transaction.atomic
def file_complaint(
    story: Story, *, reason: str, detail: str, name: str, contact: str, request=None
):
    if story.status != Story.Status.PUBLISHED:
        raise NotFound(_("Berita tidak ditemukan."))
    if reason not in Complaint.Reason.values:
        raise DomainError(_("Pilih alasan pengaduan."), field="reason")
    now = timezone.now()
    complaint = Complaint.objects.create(
        story=story,
        created_at=now,
        reason=reason,
        detail=validation.text(
            detail, field="detail", max_length=4000, required=True, label=_("Penjelasan")
        ),
        name=validation.line(name, field="name", max_length=120, required=True, label=_("Nama")),
        contact=validation.line(
            contact, field="contact", max_length=160, required=True, label=_("Kontak")
        ),
        due_at=now + COMPLAINT_DEADLINE,
    )
    audit(
        None,
        "newsroom.complaint.file",
        story,
        detail={"complaint": complaint.public_id},
        request=request,
    )
    notices.tell_editors(
        _("Pengaduan baru (batas jawab 2 × 24 jam): %(title)s") % {"title": story.title},
        complaint.detail,
        f"newsroom:complaint:{complaint.pk}",
    )
    return complaint


@transaction.atomic
def decide_complaint(
    complaint_or_id,
    actor,
    *,
    outcome: str,
    note: str = "",
    reply_text: str = "",
    correction_summary: str = "",
    retraction_reason: str = "",
    request=None,
) -> Complaint:
    """Record the outcome; a correction or a retraction is made through the workflow here, a
    right of reply is published under the story."""
    permissions.require(permissions.can_edit_newsroom(actor))
    key = complaint_or_id.pk if isinstance(complaint_or_id, Complaint) else complaint_or_id
    complaint = Complaint.objects.select_for_update().filter(pk=key).first()
    if complaint is None:
        raise NotFound(_("Pengaduan tidak ditemukan."))
    if complaint.outcome:
        raise Conflict(_("Pengaduan ini sudah diputuskan."), code="illegal_transition")
    if outcome not in Complaint.Outcome.values:
        raise DomainError(_("Pilih hasil pengaduan."), field="outcome")
    note = validation.text(note, field="note", max_length=4000)
    if outcome == Complaint.Outcome.REJECTED and not note:
        raise DomainError(_("Tulis alasan penolakan pengaduan."), field="note")
    if outcome == Complaint.Outcome.REPLY:
        complaint.reply_text = validation.text(
            reply_text, field="reply_text", max_length=4000, required=True, label=_("Hak jawab")
        )
        transaction.on_commit(_clear_portal)
    elif outcome == Complaint.Outcome.CORRECTION:
        workflow.correct(complaint.story_id, actor, summary=correction_summary or note)
    elif outcome == Complaint.Outcome.RETRACTION:
        workflow.retract(complaint.story_id, actor, reason=retraction_reason, note=note)
    complaint.outcome = outcome
    complaint.outcome_note = note
    complaint.decided_at = timezone.now()
    complaint.decided_by = actor
    complaint.save()
    audit(
        actor,
        "newsroom.complaint.decide",
        complaint.story,
        detail={"outcome": outcome},
        request=request,
    )
    return complaint


def _clear_portal():
    from .. import cache

    cache.clear()
