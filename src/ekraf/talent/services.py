"""Every write of the talent app: pathways after a training, speaker requests and bookings.

Each use case is one transactional function that checks `accounts.permissions` first and
raises `DomainError`s (Indonesian messages; 4xx in the API). Booking a speaker goes through the
shared no-overlap mechanism (`core.overlap.write_without_overlap`): two accepted engagements of
one creator never overlap, and on PostgreSQL the exclusion constraint `speaker_booking_no_overlap`
refuses the loser of a race that passed the check.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError
from ekraf.core.overlap import clashes, write_without_overlap
from ekraf.core.services import audit
from ekraf.creators.models import Pathway

from . import notices, search
from .models import AssessedPathway, SpeakerBooking, SpeakerRequest

CONSTRAINT = "speaker_booking_no_overlap"


class IllegalTransition(Conflict):
    code = "illegal_transition"


# --- pathways -----------------------------------------------------------------------------------


def _evidence(registration) -> dict:
    training = registration.training
    return {
        "training": training.public_id,
        "title": training.title,
        "pre_test": float(registration.pre_test_score)
        if registration.pre_test_score is not None
        else None,
        "post_test": float(registration.post_test_score)
        if registration.post_test_score is not None
        else None,
        "completed": registration.completed,
    }


def assess_class(
    actor, training, choices: dict[int, set[str]], notes: dict[int, str] | None = None
):
    """The grid: for each registration id of `training`, the pathways now assessed (the rest of
    that training's assessments of that participant are removed). Returns (added, removed)."""
    permissions.require(permissions.can_assess_pathways(actor, training))
    from ekraf.creators.models import CreatorProfile

    notes = notes or {}
    valid = set(Pathway.values)
    registrations = {
        r.pk: r
        for r in training.registrations.filter(pk__in=list(choices)).select_related("training")
    }
    profiles = {
        p.user_id: p
        for p in CreatorProfile.objects.filter(
            user_id__in=[r.user_id for r in registrations.values()], deleted_at__isnull=True
        )
    }
    added = removed = 0
    with transaction.atomic():
        existing = {}
        for row in AssessedPathway.objects.filter(
            training=training, creator__in=list(profiles.values())
        ):
            existing.setdefault(row.creator_id, {})[row.pathway] = row
        new_rows = []
        changed = set()
        for reg_id, wanted in choices.items():
            registration = registrations.get(reg_id)
            profile = profiles.get(registration.user_id) if registration else None
            if profile is None:
                continue
            wanted = {p for p in wanted if p in valid}
            note = validation.text(notes.get(reg_id, ""), field="note", max_length=1000)
            have = existing.get(profile.pk, {})
            for pathway in wanted - set(have):
                new_rows.append(
                    AssessedPathway(
                        creator=profile,
                        pathway=pathway,
                        training=training,
                        note=note,
                        evidence=_evidence(registration),
                        assessed_by=actor,
                    )
                )
            for pathway in wanted & set(have):
                row = have[pathway]
                if note and row.note != note:
                    row.note = note
                    row.save(update_fields=["note"])
            gone = [have[p].pk for p in set(have) - wanted]
            if gone:
                removed += AssessedPathway.objects.filter(pk__in=gone).delete()[0]
                changed.add(profile.pk)
        AssessedPathway.objects.bulk_create(new_rows)
        added = len(new_rows)
        changed.update(row.creator_id for row in new_rows)
        if changed:
            # An assessed pathway is part of programme matching's score, and a facet of the
            # directory's search document (bulk_create sends no signal to refresh it).
            from ekraf.programs import matching

            matching.refresh_creators(changed)
            for creator_id in changed:
                search.refresh_later(creator_id)
        audit(
            actor,
            "talent.pathways.assess",
            training,
            detail={"added": added, "removed": removed},
        )
    return added, removed


# --- speaker requests ---------------------------------------------------------------------------


def _period(starts_at, ends_at):
    if starts_at is None or ends_at is None:
        raise DomainError(_("Isi waktu mulai dan selesai."), field="starts_at")
    if ends_at <= starts_at:
        raise DomainError(_("Waktu selesai harus sesudah waktu mulai."), field="ends_at")
    if ends_at - starts_at > timezone.timedelta(hours=24):
        raise DomainError(_("Satu kegiatan paling lama 24 jam."), field="ends_at")


def create_request(actor, *, agency, request=None, **fields) -> SpeakerRequest:
    """An agency asks for a narasumber or motivator."""
    permissions.require(
        permissions.can_request_speakers(actor) and permissions.can_act_for(actor, agency.pk)
    )
    cleaned = {
        "event": validation.line(
            fields.get("event"),
            field="event",
            max_length=200,
            required=True,
            label=_("Nama kegiatan"),
        ),
        "topic": validation.line(
            fields.get("topic"), field="topic", max_length=200, required=True, label=_("Topik")
        ),
        "venue": validation.line(fields.get("venue", ""), field="venue", max_length=200),
        "audience": validation.line(fields.get("audience", ""), field="audience", max_length=200),
        "travel": validation.line(fields.get("travel", ""), field="travel", max_length=200),
    }
    pathway = fields.get("pathway") or Pathway.NARASUMBER
    if pathway not in SpeakerRequest.SPEAKER_PATHWAYS:
        raise DomainError(_("Pilih narasumber atau motivator."), field="pathway")
    fmt = fields.get("format") or SpeakerRequest.Format.TALK
    if fmt not in SpeakerRequest.Format.values:
        raise DomainError(_("Format tidak dikenal."), field="format")
    _period(fields.get("starts_at"), fields.get("ends_at"))
    if fields["starts_at"] < timezone.now():
        raise DomainError(_("Waktu kegiatan sudah lewat."), field="starts_at")
    for name in ("audience_size", "honorarium"):
        value = fields.get(name)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise DomainError(_("Isi dengan angka yang benar."), field=name)
    needed = fields.get("speakers_needed") or 1
    if not isinstance(needed, int) or not 1 <= needed <= 10:
        raise DomainError(_("Jumlah pembicara 1 sampai 10."), field="speakers_needed")
    with transaction.atomic():
        speaker_request = SpeakerRequest.objects.create(
            agency=agency,
            pathway=pathway,
            format=fmt,
            starts_at=fields["starts_at"],
            ends_at=fields["ends_at"],
            region=fields.get("region"),
            audience_size=fields.get("audience_size"),
            honorarium=fields.get("honorarium"),
            speakers_needed=needed,
            created_by=actor,
            **cleaned,
        )
        audit(actor, "talent.speaker_request.create", speaker_request, request=request)
    return speaker_request


def shortlist(actor, speaker_request, creator, *, note: str = "", request=None) -> SpeakerBooking:
    """Put a creator of the directory on the request's shortlist; they are asked to answer."""
    permissions.require(permissions.can_manage_speaker_request(actor, speaker_request))
    from .selectors import _directory_base

    if speaker_request.status != SpeakerRequest.Status.OPEN:
        raise IllegalTransition(_("Permintaan ini tidak lagi mencari pembicara."))
    if not _directory_base().filter(pk=creator.pk).exists():
        raise DomainError(
            _("Pelaku ini tidak ada di direktori talenta (belum memberi persetujuan)."),
            field="creator",
        )
    note = validation.text(note, field="note", max_length=1000)
    with transaction.atomic():
        booking, created = SpeakerBooking.objects.get_or_create(
            request=speaker_request,
            creator=creator,
            defaults={
                "starts_at": speaker_request.starts_at,
                "ends_at": speaker_request.ends_at,
                "note": note,
                "shortlisted_by": actor,
            },
        )
        if not created:
            if booking.status != SpeakerBooking.Status.WITHDRAWN:
                raise IllegalTransition(_("Pelaku ini sudah ada di daftar pendek."))
            booking.status = SpeakerBooking.Status.SHORTLISTED
            booking.note = note
            booking.shortlisted_at = timezone.now()
            booking.save(update_fields=["status", "note", "shortlisted_at"])
        audit(actor, "talent.speaker.shortlist", booking, request=request)
        notices.asked(booking)
    return booking


def _locked(booking) -> tuple[SpeakerBooking, SpeakerRequest]:
    speaker_request = SpeakerRequest.objects.select_for_update().get(pk=booking.request_id)
    fresh = (
        SpeakerBooking.objects.select_for_update()
        .select_related("creator__user", "request__agency")
        .get(pk=booking.pk)
    )
    return fresh, speaker_request


def _clash(booking):
    return (
        clashes(
            SpeakerBooking.objects.filter(
                creator_id=booking.creator_id, status__in=SpeakerBooking.HOLDING
            ).exclude(pk=booking.pk),
            start=booking.starts_at,
            until=booking.ends_at,
            until_field="ends_at",
        )
        .select_related("request")
        .order_by("starts_at", "pk")
        .first()
    )


def _clash_message(clash) -> str:
    from ekraf.core.templatetags.ekraf import jam, tanggal

    if clash is None:
        return _("Waktu ini bertabrakan dengan jadwal lain.")
    return _("Anda sudah terjadwal sebagai pembicara pada %(date)s %(start)s–%(end)s.") % {
        "date": tanggal(clash.starts_at),
        "start": jam(clash.starts_at),
        "end": jam(clash.ends_at),
    }


def accept(actor, booking, *, request=None) -> SpeakerBooking:
    """The speaker accepts: refused (409) when they are already booked at an overlapping time,
    when the request is full or no longer open, or when the booking is not awaiting an answer."""
    permissions.require(permissions.can_answer_speaker_booking(actor, booking))
    with transaction.atomic():
        booking, speaker_request = _locked(booking)
        if booking.status != SpeakerBooking.Status.SHORTLISTED:
            raise IllegalTransition(_("Undangan ini tidak lagi menunggu jawaban."))
        if speaker_request.status != SpeakerRequest.Status.OPEN:
            raise IllegalTransition(_("Permintaan ini tidak lagi mencari pembicara."))
        accepted = speaker_request.bookings.filter(status=SpeakerBooking.Status.ACCEPTED).count()
        if accepted >= speaker_request.speakers_needed:
            raise IllegalTransition(_("Kebutuhan pembicara untuk kegiatan ini sudah terpenuhi."))
        booking.status = SpeakerBooking.Status.ACCEPTED
        booking.responded_at = timezone.now()
        write_without_overlap(
            lambda: booking.save(update_fields=["status", "responded_at"]),
            lambda: _clash(booking),
            constraint=CONSTRAINT,
            message=_clash_message,
            describe=lambda clash: {
                "id": clash.public_id,
                "starts_at": clash.starts_at.isoformat(),
                "ends_at": clash.ends_at.isoformat(),
            },
        )
        if accepted + 1 >= speaker_request.speakers_needed:
            speaker_request.status = SpeakerRequest.Status.BOOKED
            speaker_request.save(update_fields=["status", "updated_at"])
        audit(actor, "talent.speaker.accept", booking, request=request)
        notices.accepted(booking)
    return booking


def decline(actor, booking, *, reason: str = "", request=None) -> SpeakerBooking:
    permissions.require(permissions.can_answer_speaker_booking(actor, booking))
    reason = validation.line(reason, field="reason", max_length=300)
    with transaction.atomic():
        booking, _speaker_request = _locked(booking)
        if booking.status != SpeakerBooking.Status.SHORTLISTED:
            raise IllegalTransition(_("Undangan ini tidak lagi menunggu jawaban."))
        booking.status = SpeakerBooking.Status.DECLINED
        booking.decline_reason = reason
        booking.responded_at = timezone.now()
        booking.save(update_fields=["status", "decline_reason", "responded_at"])
        audit(actor, "talent.speaker.decline", booking, detail={"reason": reason}, request=request)
        notices.declined(booking)
    return booking


def withdraw(actor, booking, *, request=None) -> SpeakerBooking:
    """Staff take a speaker off the shortlist (or release an accepted speaker)."""
    permissions.require(permissions.can_manage_speaker_request(actor, booking.request))
    with transaction.atomic():
        booking, speaker_request = _locked(booking)
        if booking.status not in (
            SpeakerBooking.Status.SHORTLISTED,
            SpeakerBooking.Status.ACCEPTED,
        ):
            raise IllegalTransition(_("Jadwal ini tidak bisa ditarik lagi."))
        was_accepted = booking.status == SpeakerBooking.Status.ACCEPTED
        booking.status = SpeakerBooking.Status.WITHDRAWN
        booking.save(update_fields=["status"])
        if was_accepted and speaker_request.status == SpeakerRequest.Status.BOOKED:
            speaker_request.status = SpeakerRequest.Status.OPEN
            speaker_request.save(update_fields=["status", "updated_at"])
        audit(actor, "talent.speaker.withdraw", booking, request=request)
    return booking


def cancel_request(actor, speaker_request, *, request=None) -> SpeakerRequest:
    permissions.require(permissions.can_manage_speaker_request(actor, speaker_request))
    with transaction.atomic():
        speaker_request = SpeakerRequest.objects.select_for_update().get(pk=speaker_request.pk)
        if speaker_request.status not in (SpeakerRequest.Status.OPEN, SpeakerRequest.Status.BOOKED):
            raise IllegalTransition(_("Permintaan ini sudah selesai atau dibatalkan."))
        speaker_request.status = SpeakerRequest.Status.CANCELLED
        speaker_request.save(update_fields=["status", "updated_at"])
        speaker_request.bookings.filter(
            status__in=[SpeakerBooking.Status.SHORTLISTED, SpeakerBooking.Status.ACCEPTED]
        ).update(status=SpeakerBooking.Status.WITHDRAWN)
        audit(actor, "talent.speaker_request.cancel", speaker_request, request=request)
    return speaker_request


def rate(actor, booking, *, rating, comment: str = "", request=None) -> SpeakerBooking:
    """After the session the requesting agency rates it (1–5 and a comment): the booking is
    completed and the rating joins the speaker's record."""
    permissions.require(permissions.can_manage_speaker_request(actor, booking.request))
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise DomainError(_("Beri nilai 1 sampai 5."), field="rating")
    comment = validation.text(comment, field="comment", max_length=2000)
    with transaction.atomic():
        booking, speaker_request = _locked(booking)
        if booking.status != SpeakerBooking.Status.ACCEPTED:
            raise IllegalTransition(_("Hanya pembicara yang sudah menerima dapat dinilai."))
        if booking.starts_at > timezone.now():
            raise IllegalTransition(_("Penilaian diberikan sesudah kegiatan dimulai."))
        booking.status = SpeakerBooking.Status.COMPLETED
        booking.rating = rating
        booking.rating_comment = comment
        booking.rated_at = timezone.now()
        booking.rated_by = actor
        booking.save(update_fields=["status", "rating", "rating_comment", "rated_at", "rated_by"])
        if not speaker_request.bookings.filter(status=SpeakerBooking.Status.ACCEPTED).exists():
            speaker_request.status = SpeakerRequest.Status.COMPLETED
            speaker_request.save(update_fields=["status", "updated_at"])
        audit(actor, "talent.speaker.rate", booking, detail={"rating": rating}, request=request)
    return booking


def send_speaker_reminders(now=None) -> int:
    """Remind accepted speakers a day before (idempotent: once per booking)."""
    now = now or timezone.now()
    due = SpeakerBooking.objects.filter(
        status=SpeakerBooking.Status.ACCEPTED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timezone.timedelta(hours=24),
    ).select_related("creator__user", "request__agency")
    sent = 0
    for booking in due:
        with transaction.atomic():
            if SpeakerBooking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                notices.reminder(booking)
                sent += 1
    return sent
