"""The training itself: create, edit (sessions, quota categories), publish, close
registration, finish, cancel. Seat changes of an edit take the category lock (see locking.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.services import audit

from .. import notices
from ..models import QuotaCategory, Registration, Session, Training
from .common import Status, TStatus, _now, _tell, require_manager
from .completion import compute_completion
from .waitinglist import fill_from_waitlist

TRAINING_FIELDS = (
    "title",
    "kind",
    "audience",
    "description",
    "learning_outcomes",
    "hours",
    "registration_opens_at",
    "registration_closes_at",
    "cancellation_deadline",
    "selection_mode",
    "offer_hours",
    "completion_min_attendance",
    "completion_min_post_test",
    "certificate_kind",
)
SESSION_FIELDS = ("title", "starts_at", "ends_at", "space", "address", "online_url", "self_checkin")
CATEGORY_FIELDS = ("name", "seats", "audience", "residents_only", "min_age", "max_age")


@dataclass
class SessionInput:
    starts_at: datetime
    ends_at: datetime
    title: str = ""
    space: object = None
    address: str = ""
    online_url: str = ""
    self_checkin: bool = False
    id: int | None = None  # an existing session of this training
    delete: bool = False


@dataclass
class CategoryInput:
    name: str
    seats: int
    audience: str = QuotaCategory.Audience.ANYONE
    residents_only: bool = False
    min_age: int | None = None
    max_age: int | None = None
    id: int | None = None
    delete: bool = False


# The training's free text, checked (and normalised in place) the same for pages and the API:
# a line break in the title once made every e-mail about the training fail.
_TRAINING_TEXT = {
    "title": (validation.line, 200),
    "audience": (validation.line, 200),
    "description": (validation.text, 20_000),
    "learning_outcomes": (validation.text, 20_000),
}


def _clean_training_text(fields: dict) -> None:
    for name, (check, limit) in _TRAINING_TEXT.items():
        if name in fields:
            fields[name] = check(fields[name], field=name, max_length=limit)


def _check_training_fields(fields: dict) -> None:
    opens, closes = fields.get("registration_opens_at"), fields.get("registration_closes_at")
    if opens and closes and closes <= opens:
        raise DomainError(
            _("Penutupan pendaftaran harus sesudah pembukaannya."), field="registration_closes_at"
        )
    attendance = fields.get("completion_min_attendance")
    if attendance is not None and not 0 <= attendance <= 100:
        raise DomainError(
            _("Kehadiran minimal berupa persen 0–100."), field="completion_min_attendance"
        )
    post = fields.get("completion_min_post_test")
    if post is not None and not 0 <= post <= 100:
        raise DomainError(_("Nilai minimal berupa angka 0–100."), field="completion_min_post_test")
    if not (fields.get("title") or "").strip():
        raise DomainError(_("Judul pelatihan wajib diisi."), field="title")


def _check_session(session: SessionInput, position: int) -> None:
    label = _("Sesi %(n)s") % {"n": position}
    session.title = validation.line(session.title, field="title", max_length=200, label=label)
    session.address = validation.line(session.address, field="address", max_length=255, label=label)
    # Forms and the API alike: only an http(s) link, never javascript: or data:.
    session.online_url = validation.url(
        session.online_url, field="online_url", max_length=200, label=label
    )
    if session.ends_at <= session.starts_at:
        raise DomainError(
            _("%(label)s: waktu selesai harus sesudah waktu mulai.") % {"label": label}
        )
    if not (session.space or session.address or session.online_url):
        raise DomainError(
            _("%(label)s: pilih ruang, tulis alamat lain, atau isi tautan daring.")
            % {"label": label}
        )


def _hold_rooms(training: Training) -> None:
    """A room cannot host two things at once: each session in a room holds it through the
    creative centre's bookings (ekraf.spaces), the same table and no-overlap guarantee as room
    bookings. A clash with another training or a booking raises `Overlap` (a Conflict, 409,
    naming the clash) and the caller's transaction rolls the whole change back."""
    from ekraf.spaces.services import sync_training_holds

    sync_training_holds(training)


def _release_rooms(training: Training) -> None:
    """A cancelled training frees the rooms its sessions held."""
    from ekraf.spaces.services import release_training_holds

    release_training_holds(training)


def _differs(old, new) -> bool:
    """Times compare to the minute (forms do not carry seconds)."""
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.replace(second=0, microsecond=0) != new.replace(second=0, microsecond=0)
    return old != new


def _apply_sessions(training: Training, sessions: list[SessionInput]) -> bool:
    """Create/update/delete sessions; True when dates or places changed (people are told).
    Their rooms are held by `_hold_rooms`, once the training's categories are saved too."""
    kept = [s for s in sessions if not s.delete]
    if not kept:
        raise DomainError(_("Pelatihan memerlukan sedikitnya satu sesi."))
    existing = {s.pk: s for s in training.sessions.all()}
    for position, data in enumerate(kept, start=1):
        _check_session(data, position)
    changed = False
    watched = ("starts_at", "ends_at", "space", "address", "online_url")
    for data in sessions:
        if data.id is not None and data.id not in existing:
            raise NotFound(_("Sesi tidak ditemukan pada pelatihan ini."))
        if data.delete:
            if data.id is None:
                continue
            if existing[data.id].attendances.exists():
                raise Conflict(_("Sesi yang sudah punya data kehadiran tidak bisa dihapus."))
            existing[data.id].delete()
            changed = True
            continue
        session = existing.get(data.id) or Session(training=training)
        if session.pk is None or any(
            _differs(getattr(session, n), getattr(data, n)) for n in watched
        ):
            changed = True
        for name in SESSION_FIELDS:
            setattr(session, name, getattr(data, name))
        if session.self_checkin and not session.checkin_secret:
            session.checkin_secret = secrets.token_hex(32)
        session.save()
    return changed


def _apply_categories(training: Training, categories: list[CategoryInput], now) -> list[int]:
    """Create/update/delete categories; returns ids whose seats grew (to offer to the queue)."""
    kept = [c for c in categories if not c.delete]
    if not kept:
        raise DomainError(_("Pelatihan memerlukan sedikitnya satu kategori kuota."))
    for data in kept:
        data.name = validation.line(data.name, field="name", max_length=60, required=True)
    names = [c.name.strip().lower() for c in kept]
    if len(set(names)) != len(names):
        raise DomainError(_("Nama kategori kuota tidak boleh kembar."))
    existing = {c.pk: c for c in training.categories.all()}
    grew = []
    for position, data in enumerate(categories):
        if data.id is not None and data.id not in existing:
            raise NotFound(_("Kategori tidak ditemukan pada pelatihan ini."))
        if data.min_age is not None and data.max_age is not None and data.max_age < data.min_age:
            raise DomainError(
                _("Kategori %(name)s: usia maksimal harus ≥ usia minimal.") % {"name": data.name}
            )
        if data.seats is None or data.seats < 1:
            raise DomainError(_("Kategori %(name)s: kursi minimal 1.") % {"name": data.name})
        if data.delete:
            if data.id is None:
                continue
            if existing[data.id].registrations.exists():
                raise Conflict(
                    _("Kategori %(name)s sudah punya pendaftar dan tidak bisa dihapus.")
                    % {"name": existing[data.id].name}
                )
            existing[data.id].delete()
            continue
        if data.id is not None:
            # Lock before comparing with the seats held, as every seat decision does.
            category = QuotaCategory.objects.select_for_update(no_key=True).get(pk=data.id)
            held = category.registrations.filter(status__in=Registration.HOLDS_SEAT).count()
            if data.seats < held:
                raise Conflict(
                    _(
                        "Kategori %(name)s: %(held)s kursi sudah terisi, jumlah kursi tidak bisa "
                        "kurang dari itu."
                    )
                    % {"name": category.name, "held": held}
                )
            if data.seats > category.seats:
                grew.append(category.pk)
        else:
            category = QuotaCategory(training=training)
        for name in CATEGORY_FIELDS:
            setattr(category, name, getattr(data, name))
        category.name = category.name.strip()
        category.position = position
        category.save()
    return grew


@transaction.atomic
def create_training(
    actor,
    *,
    agency,
    fields: dict,
    sessions: list[SessionInput],
    categories: list[CategoryInput],
    subsectors=None,
) -> Training:
    """A new training as a draft of `agency`; publishing is a separate, checked step."""
    permissions.require(
        permissions.can_organise_for(actor, getattr(agency, "pk", None)),
        _("Anda bukan penyelenggara untuk perangkat daerah ini."),
    )
    _clean_training_text(fields)
    _check_training_fields(fields)
    training = Training(agency=agency, created_by=actor)
    for name in TRAINING_FIELDS:
        if name in fields:
            setattr(training, name, fields[name])
    training.title = training.title.strip()
    training.save()
    if subsectors is not None:
        training.subsectors.set(subsectors)
    _apply_sessions(training, sessions)
    _apply_categories(training, categories, timezone.now())
    _hold_rooms(training)
    audit(actor, "training.create", training, detail={"title": training.title})
    return training


def update_training(
    actor,
    training: Training,
    *,
    fields: dict,
    sessions: list[SessionInput] | None = None,
    categories: list[CategoryInput] | None = None,
    subsectors=None,
    now=None,
    confirm_past: bool = False,
) -> Training:
    """Save an edit. A session moved (or added) to a start already past is refused with
    code "session_in_past" until the organiser confirms it (`confirm_past`): a typo in the
    year would otherwise tell every participant of a date that has gone."""
    require_manager(actor, training)
    if training.status in (TStatus.FINISHED, TStatus.CANCELLED):
        raise Conflict(_("Pelatihan yang sudah selesai atau dibatalkan tidak bisa diubah."))
    if sessions is not None and not confirm_past:
        _refuse_past_sessions(training, sessions, _now(now))
    _clean_training_text(fields)
    with transaction.atomic():
        _check_training_fields({**{n: getattr(training, n) for n in TRAINING_FIELDS}, **fields})
        for name in TRAINING_FIELDS:
            if name in fields:
                setattr(training, name, fields[name])
        training.save()
        if subsectors is not None:
            training.subsectors.set(subsectors)
        moved = _apply_sessions(training, sessions) if sessions is not None else False
        grew = _apply_categories(training, categories, now) if categories is not None else []
        if sessions is not None:
            _hold_rooms(training)
        audit(actor, "training.update", training)
        if moved and training.status in (TStatus.PUBLISHED, TStatus.CLOSED):
            _tell_schedule_changed(training, _now(now))
    for category_id in grew:
        fill_from_waitlist(category_id, now=now)
    return training


def _refuse_past_sessions(training: Training, sessions: list[SessionInput], now) -> None:
    existing = {s.pk: s.starts_at for s in training.sessions.all()}
    kept = [s for s in sessions if not s.delete]
    for position, data in enumerate(kept, start=1):
        moved = data.id is None or _differs(existing.get(data.id), data.starts_at)
        if moved and data.starts_at < now:
            from ekraf.core.templatetags.ekraf import jam, tanggal

            raise Conflict(
                _(
                    "Sesi %(n)s dimulai %(when)s, yang sudah lewat. Periksa tanggalnya; bila "
                    "memang benar, centang konfirmasi lalu simpan lagi."
                )
                % {"n": position, "when": f"{tanggal(data.starts_at)} {jam(data.starts_at)}"},
                code="session_in_past",
                field="confirm_past",
            )


def duplicate_training(actor, training: Training, *, first_day, title: str = "") -> Training:
    """*Duplikat*: a new draft with the same description, rules, categories, places and
    registration questions (not their answers), its sessions moved so that the first falls on
    `first_day` at the same hours. Nobody registered comes along; the organiser checks it and
    publishes it."""
    require_manager(actor, training)
    old_sessions = list(training.sessions.select_related("space").order_by("starts_at"))
    if not old_sessions:
        raise DomainError(_("Pelatihan ini belum punya sesi untuk disalin."))
    if first_day is None:
        raise DomainError(_("Pilih tanggal sesi pertama."), field="first_day")
    first = timezone.localtime(old_sessions[0].starts_at)
    shift = first_day - first.date()
    fields = {name: getattr(training, name) for name in TRAINING_FIELDS}
    fields["title"] = (title or "").strip() or training.title
    for name in ("registration_opens_at", "registration_closes_at", "cancellation_deadline"):
        if fields[name] is not None:
            fields[name] = fields[name] + shift
    sessions = [
        SessionInput(
            starts_at=s.starts_at + shift,
            ends_at=s.ends_at + shift,
            title=s.title,
            space=s.space,
            address=s.address,
            online_url=s.online_url,
            self_checkin=s.self_checkin,
        )
        for s in old_sessions
    ]
    categories = [
        CategoryInput(**{name: getattr(c, name) for name in CATEGORY_FIELDS})
        for c in training.categories.all()
    ]
    copy = create_training(
        actor,
        agency=training.agency,
        fields=fields,
        sessions=sessions,
        categories=categories,
        subsectors=list(training.subsectors.all()),
    )
    questions = list(training.questions.all())
    if questions or training.required_profile_fields:
        from .questions import QuestionInput, save_questions

        save_questions(
            actor,
            copy,
            [
                QuestionInput(
                    label=q.label,
                    kind=q.kind,
                    help_text=q.help_text,
                    choices=list(q.choices),
                    required=q.required,
                )
                for q in questions
            ],
            list(training.required_profile_fields or []),
        )
    audit(actor, "training.duplicate", copy, detail={"from": training.public_id})
    return copy


def _tell_schedule_changed(training: Training, now) -> None:
    """Everyone still registered hears of a new date or place, with the new schedule."""
    sessions = list(training.sessions.select_related("space"))
    for registration in training.registrations.filter(
        status__in=Registration.ACTIVE
    ).select_related("training__agency", "category", "user"):
        notice = notices.schedule_changed(registration, sessions)
        _tell(registration, notice, f"schedule{int(now.timestamp())}")


def publish_training(actor, training: Training, now=None) -> Training:
    require_manager(actor, training)
    if training.status not in (TStatus.DRAFT, TStatus.CLOSED):
        raise Conflict(_("Hanya draf atau pelatihan yang ditutup yang bisa dibuka."))
    if not training.sessions.exists() or not training.categories.exists():
        raise DomainError(_("Lengkapi dulu sedikitnya satu sesi dan satu kategori kuota."))
    training.status = TStatus.PUBLISHED
    training.published_at = training.published_at or _now(now)
    training.save(update_fields=["status", "published_at", "updated_at"])
    audit(actor, "training.publish", training)
    return training


def close_registration(actor, training: Training) -> Training:
    require_manager(actor, training)
    if training.status != TStatus.PUBLISHED:
        raise Conflict(_("Hanya pelatihan yang sedang dibuka yang bisa ditutup pendaftarannya."))
    with transaction.atomic():
        training.status = TStatus.CLOSED
        training.save(update_fields=["status", "updated_at"])
        # The waiting list hears where it stands: still in line until the training.
        for category in training.categories.all():
            waiting = category.registrations.filter(status=Status.WAITLISTED).select_related(
                "training__agency", "category", "user"
            )
            for position, registration in enumerate(waiting.order_by("created_at", "pk"), 1):
                notice = notices.registration_closed_waiting(registration, position)
                _tell(registration, notice, "closed")
        audit(actor, "training.close", training)
    return training


def finish_training(actor, training: Training, now=None) -> Training:
    """Mark finished after the last session has begun; completion is computed at the same time."""
    require_manager(actor, training)
    if training.status not in (TStatus.PUBLISHED, TStatus.CLOSED):
        raise Conflict(_("Hanya pelatihan yang berjalan yang bisa dinyatakan selesai."))
    last = training.sessions.aggregate(last=Max("starts_at"))["last"]
    if last is None or last > _now(now):
        raise Conflict(_("Pelatihan baru bisa dinyatakan selesai setelah sesi terakhir dimulai."))
    with transaction.atomic():
        training.status = TStatus.FINISHED
        training.save(update_fields=["status", "updated_at"])
        # Whoever still waits, holds an open offer or awaits selection will not get a seat any
        # more: "tidak mendapat kursi" (not a cancellation), and each is told.
        for category in training.categories.all():
            with transaction.atomic():
                QuotaCategory.objects.select_for_update(no_key=True).get(pk=category.pk)
                left = list(
                    category.registrations.filter(
                        status__in=(Status.WAITLISTED, Status.OFFERED, Status.APPLIED)
                    ).select_related("training__agency", "category", "user")
                )
                for registration in left:
                    registration.status = Status.UNSEATED
                    registration.offer_expires_at = None
                    registration.cancelled_at = _now(now)
                    registration.cancel_reason = _("Pelatihan selesai sebelum ada kursi")
                    _tell(registration, notices.unseated(registration), "unseated")
                Registration.objects.bulk_update(
                    left, ["status", "offer_expires_at", "cancelled_at", "cancel_reason"]
                )
        audit(actor, "training.finish", training)
    compute_completion(actor, training)
    return training


def cancel_training(actor, training: Training, reason: str, now=None) -> int:
    """Cancel the whole training and tell everyone registered why. Returns how many were told."""
    require_manager(actor, training)
    reason = validation.text(reason, field="reason", max_length=2000)
    if not reason:
        raise DomainError(
            _("Tuliskan alasan pembatalan; peserta akan menerimanya."), field="reason"
        )
    if training.status in (TStatus.FINISHED, TStatus.CANCELLED):
        raise Conflict(_("Pelatihan ini sudah selesai atau sudah dibatalkan."))
    now = _now(now)
    with transaction.atomic():
        locked = Training.objects.select_for_update().get(pk=training.pk)
        if locked.status in (TStatus.FINISHED, TStatus.CANCELLED):
            raise Conflict(_("Pelatihan ini sudah selesai atau sudah dibatalkan."))
        for category in training.categories.all():
            QuotaCategory.objects.select_for_update(no_key=True).get(pk=category.pk)
        registrations = list(
            training.registrations.filter(status__in=Registration.ACTIVE).select_related(
                "training__agency", "category", "user"
            )
        )
        for registration in registrations:
            registration.status = Status.CANCELLED
            registration.cancelled_at = now
            registration.cancel_reason = (
                _("Pelatihan dibatalkan: %(reason)s") % {"reason": reason}
            )[:200]
            _tell(registration, notices.training_cancelled(registration, reason), "tcancel")
        Registration.objects.bulk_update(
            registrations, ["status", "cancelled_at", "cancel_reason"], batch_size=500
        )
        training.status = TStatus.CANCELLED
        training.cancelled_reason = reason
        training.save(update_fields=["status", "cancelled_reason", "updated_at"])
        _release_rooms(training)
        audit(actor, "training.cancel", training, detail={"reason": reason})
    return len(registrations)
