"""Every write of the trainings app: the training's life, registrations and seats, check-in,
scores, completion, feedback, reminders. Pages and the API call these; nothing else writes.

The seat guarantee — how no seat is ever sold twice
----------------------------------------------------
Every change to who holds a seat of a quota category happens inside one transaction that
first takes a row lock on that category (``SELECT … FOR NO KEY UPDATE`` on the QuotaCategory
row, as pretix locks its quotas), then counts the registrations holding a seat (confirmed or
offered), then decides and writes. NO KEY UPDATE (rather than plain FOR UPDATE) still excludes
every other seat decision on the category but not the foreign-key checks of rows that merely
point at it, so writes that never change seats (an application in selection mode) do not queue
behind the lock. The lock serialises all seat decisions of one category, while other
categories and trainings proceed in parallel. In READ COMMITTED (PostgreSQL's default, which
Django uses) each statement after the lock sees every transaction committed before it, so the
count is exact. The operations that take the lock:

* ``register`` — confirmed if a seat is free and nobody waits, else waitlisted;
* ``cancel_registration`` / ``decline_offer`` / ``expire_offers`` — release a seat and offer it
  to the next waitlisted person (``_offer_free_seats``). An offered registration *holds* the
  seat until it is accepted, declined or expires, so each freed seat is offered exactly once at
  a time;
* ``accept_offer``, ``decide_applications``, seat changes in ``update_training``.

Lock order is always category → registration rows, one category at a time, so two of these
never deadlock. Nothing slow happens under the lock: texts are built before it, e-mail and PDF
work happen after commit (the outbox row is an INSERT in the same transaction, sent by the
worker later). On SQLite ``select_for_update`` is a no-op, but the settings open every
transaction with ``BEGIN IMMEDIATE``, so writers are serialised by the database file lock.

The one-active-registration-per-person rule and the one-check-in-per-session rule are enforced
by unique constraints (models.py); the services turn their IntegrityError into a clear answer.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import phonenumbers
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import Conflict, DomainError, NotAllowed, NotFound
from ekraf.core.ids import normalise
from ekraf.core.models import City, Region
from ekraf.core.notifications import notify
from ekraf.core.services import audit
from ekraf.core.templatetags.ekraf import jam, tanggal

from . import notices
from .models import Attendance, Feedback, QuotaCategory, Registration, Session, Training

Status = Registration.Status
TStatus = Training.Status


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _dedupe(registration: Registration, event: str) -> str:
    """Outbox key naming the training and registration, so the organiser's pages can list
    each participant's messages (with their wa.me links) in one query."""
    return f"trn:{registration.training.public_id}:{registration.public_id}:{event}"[:120]


def _tell(registration: Registration, notice: notices.Notice, event: str) -> None:
    # A confirmation carries the ticket itself (QR image and PDF), built by the worker.
    with_ticket = registration.status == Status.CONFIRMED and event in TICKET_EVENTS
    notify(
        kind=notice.kind,
        subject=notice.subject,
        body=notice.body,
        wa_text=notice.wa_text,
        user=registration.user,
        email=registration.email,
        phone=registration.phone,
        dedupe_key=_dedupe(registration, event),
        attach=("ekraf.trainings.tickets.email_attachments", registration.public_id)
        if with_ticket
        else None,
    )


# Events whose message confirms a seat: these e-mails carry the ticket.
TICKET_EVENTS = frozenset({Status.CONFIRMED.value, "promoted", "accepted"})


def require_manager(actor, training: Training) -> None:
    permissions.require(
        permissions.can_manage_training(actor, training),
        _("Pelatihan ini milik perangkat daerah lain; Anda tidak bisa mengelolanya."),
    )


# =============================================================================================
# The training: create, edit, status
# =============================================================================================

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
    if session.ends_at <= session.starts_at:
        raise DomainError(
            _("%(label)s: waktu selesai harus sesudah waktu mulai.") % {"label": label}
        )
    if not (session.space or session.address or session.online_url):
        raise DomainError(
            _("%(label)s: pilih ruang, tulis alamat lain, atau isi tautan daring.")
            % {"label": label}
        )


def _check_room_free(training: Training, session: SessionInput) -> None:
    """A room cannot host two trainings' sessions at once."""
    if not session.space:
        return
    clash = (
        Session.objects.filter(
            space=session.space, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
        )
        .exclude(training__status=TStatus.CANCELLED)
        .exclude(training=training)
        .select_related("training")
        .first()
    )
    if clash is not None:
        raise Conflict(
            _("%(room)s sudah dipakai %(title)s pada %(date)s %(start)s–%(end)s.")
            % {
                "room": session.space.name,
                "title": clash.training.title,
                "date": tanggal(clash.starts_at),
                "start": jam(clash.starts_at),
                "end": jam(clash.ends_at),
            }
        )


def _differs(old, new) -> bool:
    """Times compare to the minute (forms do not carry seconds)."""
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.replace(second=0, microsecond=0) != new.replace(second=0, microsecond=0)
    return old != new


def _apply_sessions(training: Training, sessions: list[SessionInput]) -> bool:
    """Create/update/delete sessions; True when dates or places changed (people are told)."""
    kept = [s for s in sessions if not s.delete]
    if not kept:
        raise DomainError(_("Pelatihan memerlukan sedikitnya satu sesi."))
    existing = {s.pk: s for s in training.sessions.all()}
    for position, data in enumerate(kept, start=1):
        _check_session(data, position)
        _check_room_free(training, data)
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
) -> Training:
    require_manager(actor, training)
    if training.status in (TStatus.FINISHED, TStatus.CANCELLED):
        raise Conflict(_("Pelatihan yang sudah selesai atau dibatalkan tidak bisa diubah."))
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
        audit(actor, "training.update", training)
        if moved and training.status in (TStatus.PUBLISHED, TStatus.CLOSED):
            _tell_schedule_changed(training, _now(now))
    for category_id in grew:
        fill_from_waitlist(category_id, now=now)
    return training


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
    training.status = TStatus.CLOSED
    training.save(update_fields=["status", "updated_at"])
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
        # Whoever still waits or holds an open offer will not get a seat any more.
        for category in training.categories.all():
            with transaction.atomic():
                QuotaCategory.objects.select_for_update(no_key=True).get(pk=category.pk)
                category.registrations.filter(
                    status__in=(Status.WAITLISTED, Status.OFFERED, Status.APPLIED)
                ).update(
                    status=Status.CANCELLED,
                    cancelled_at=_now(now),
                    cancel_reason=_("Pelatihan sudah selesai"),
                )
        audit(actor, "training.finish", training)
    compute_completion(actor, training)
    return training


def cancel_training(actor, training: Training, reason: str, now=None) -> int:
    """Cancel the whole training and tell everyone registered why. Returns how many were told."""
    require_manager(actor, training)
    reason = (reason or "").strip()
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
        audit(actor, "training.cancel", training, detail={"reason": reason})
    return len(registrations)


# =============================================================================================
# Registration
# =============================================================================================


@dataclass
class Applicant:
    """What a person tells us when registering (prefilled from their profile)."""

    full_name: str
    phone: str = ""
    email: str = ""
    gender: str = ""
    birth_year: int | None = None
    kelurahan: Region | None = None
    origin: str = ""
    audience: str = Registration.Audience.PUBLIC
    motivation: str = ""


def normalise_phone(raw: str) -> str:
    """E.164 (+62…) from what people type (0812…, 62812…, +62 812-…); '' when empty."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException as exc:
        raise DomainError(_("Nomor telepon tidak dikenali."), field="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise DomainError(_("Nomor telepon tidak sah."), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def creator_profile_of(user):
    """The user's creator profile, or None (the creators app may not have made one yet)."""
    if user is None:
        return None
    try:
        profile = user.creator_profile
    except ObjectDoesNotExist:
        return None
    return None if profile.deleted_at else profile


def applicant_defaults(user) -> dict:
    """Initial values for the registration form: the creator profile, else the person's last
    registration, else the account."""
    data = {"full_name": user.display_name, "email": user.email}
    last = Registration.objects.filter(user=user).order_by("-created_at").first()
    if last is not None:
        data.update(
            full_name=last.full_name,
            phone=last.phone,
            gender=last.gender,
            birth_year=last.birth_year,
            kelurahan=last.kelurahan,
            origin=last.origin,
            audience=last.audience or Registration.Audience.PUBLIC,
        )
    profile = creator_profile_of(user)
    if profile is not None:
        for name in ("full_name", "phone", "gender", "birth_year", "kelurahan"):
            value = getattr(profile, name)
            if value:
                data[name] = value
    return data


def is_resident(kelurahan: Region | None) -> bool:
    """Lives in the city: the kelurahan's kecamatan belongs to the installation's city."""
    if kelurahan is None:
        return False
    return Region.objects.filter(
        pk=kelurahan.pk,
        level=Region.Level.VILLAGE,
        parent__parent__code__in=City.objects.values("code")[:1],
    ).exists()


def _age_in(training_year: int, birth_year: int | None) -> int | None:
    return None if not birth_year else training_year - birth_year


def category_refusal(category: QuotaCategory, applicant: Applicant, year: int) -> str | None:
    """Why this person may not take a seat of this category, or None when they may."""
    if (
        category.audience != QuotaCategory.Audience.ANYONE
        and applicant.audience != category.audience
    ):
        return _("Kategori %(name)s khusus %(audience)s.") % {
            "name": category.name,
            "audience": category.get_audience_display(),
        }
    if category.residents_only and not is_resident(applicant.kelurahan):
        return _("Kategori %(name)s khusus warga kota (pilih kelurahan tempat tinggal Anda).") % {
            "name": category.name
        }
    if category.min_age is not None or category.max_age is not None:
        age = _age_in(year, applicant.birth_year)
        if age is None:
            return _("Kategori %(name)s memerlukan tahun lahir.") % {"name": category.name}
        if category.min_age is not None and age < category.min_age:
            return _("Kategori %(name)s untuk usia %(min)s tahun ke atas.") % {
                "name": category.name,
                "min": category.min_age,
            }
        if category.max_age is not None and age > category.max_age:
            return _("Kategori %(name)s untuk usia sampai %(max)s tahun.") % {
                "name": category.name,
                "max": category.max_age,
            }
    return None


def _training_year(first_start: datetime | None) -> int:
    return timezone.localtime(first_start).year if first_start else timezone.localdate().year


def _first_start(training: Training) -> datetime | None:
    return training.sessions.aggregate(first=Min("starts_at"))["first"]


def eligible_categories(training: Training, applicant: Applicant) -> list[QuotaCategory]:
    year = _training_year(_first_start(training))
    return [c for c in training.categories.all() if category_refusal(c, applicant, year) is None]


def registration_refusal(
    training: Training, now=None, *, by_organiser=False, first_start=None
) -> str | None:
    """Why registration is not possible now, or None. Organisers may still add people to a
    training whose registration is closed (walk-ins), never to a finished or draft one."""
    now = _now(now)
    if by_organiser and training.status in (TStatus.PUBLISHED, TStatus.CLOSED):
        return None
    if training.status != TStatus.PUBLISHED:
        return {
            TStatus.DRAFT: _("Pelatihan ini belum diumumkan."),
            TStatus.CLOSED: _("Pendaftaran pelatihan ini sudah ditutup."),
            TStatus.FINISHED: _("Pelatihan ini sudah selesai."),
            TStatus.CANCELLED: _("Pelatihan ini dibatalkan."),
        }.get(training.status, _("Pendaftaran tidak dibuka."))
    if training.registration_opens_at and now < training.registration_opens_at:
        opens = training.registration_opens_at
        return _("Pendaftaran dibuka %(date)s pukul %(time)s WIB.") % {
            "date": tanggal(opens),
            "time": jam(opens),
        }
    if training.registration_closes_at and now >= training.registration_closes_at:
        return _("Pendaftaran pelatihan ini sudah ditutup.")
    first = first_start if first_start is not None else _first_start(training)
    if first is not None and now >= first:
        return _("Pelatihan ini sudah dimulai; pendaftaran ditutup.")
    return None


def cancellation_deadline(training: Training, first_start=None) -> datetime | None:
    """Until when a participant may cancel themselves: the set deadline, else the first session."""
    if training.cancellation_deadline:
        return training.cancellation_deadline
    return first_start if first_start is not None else _first_start(training)


def _clean_applicant(applicant: Applicant) -> Applicant:
    applicant.full_name = " ".join((applicant.full_name or "").split())
    if not applicant.full_name:
        raise DomainError(_("Nama lengkap wajib diisi."), field="full_name")
    applicant.phone = normalise_phone(applicant.phone)
    if applicant.audience not in Registration.Audience.values:
        raise DomainError(_("Pilih status peserta."), field="audience")
    if applicant.gender and applicant.gender not in ("L", "P"):
        raise DomainError(_("Jenis kelamin tidak dikenal."), field="gender")
    this_year = timezone.localdate().year
    if (
        applicant.birth_year is not None
        and not this_year - 100 <= applicant.birth_year <= this_year
    ):
        raise DomainError(_("Tahun lahir tidak masuk akal."), field="birth_year")
    if applicant.kelurahan is not None and applicant.kelurahan.level != Region.Level.VILLAGE:
        raise DomainError(_("Pilih kelurahan."), field="kelurahan")
    applicant.origin = (applicant.origin or "").strip()[:150]
    applicant.motivation = (applicant.motivation or "").strip()[:2000]
    return applicant


def register(
    actor,
    training: Training,
    applicant: Applicant,
    *,
    category: QuotaCategory | None = None,
    user=None,
    now=None,
) -> Registration:
    """Register `user` (default: the actor) and decide at once: confirmed, waitlisted, or — in
    selection mode — applied. See the module docstring for the locking scheme."""
    now = _now(now)
    user = user or actor
    by_organiser = user.pk != getattr(actor, "pk", None)
    if by_organiser:
        permissions.require(
            permissions.can_register_others(actor, training),
            _("Hanya penyelenggara pelatihan ini yang bisa mendaftarkan orang lain."),
        )
        if not user.is_active:
            raise DomainError(_("Akun itu tidak aktif."))
    elif not permissions.can_register_for_training(actor):
        if getattr(actor, "is_authenticated", False) and actor.is_active:
            raise NotAllowed(_("Verifikasi email Anda dulu sebelum mendaftar pelatihan."))
        raise NotAllowed(_("Masuk dulu untuk mendaftar."))
    sessions = list(training.sessions.select_related("space"))
    first_start = sessions[0].starts_at if sessions else None
    refusal = registration_refusal(
        training, now, by_organiser=by_organiser, first_start=first_start
    )
    if refusal:
        raise Conflict(refusal, code="registration_closed")
    applicant = _clean_applicant(applicant)
    year = _training_year(first_start)
    categories = list(training.categories.all())
    if category is not None:
        category = next((c for c in categories if c.pk == category.pk), None)
        if category is None:
            raise NotFound(_("Kategori tidak ditemukan pada pelatihan ini."), field="category")
        reason = category_refusal(category, applicant, year)
        if reason:
            raise DomainError(reason, field="category", code="not_eligible")
    else:
        eligible = [c for c in categories if category_refusal(c, applicant, year) is None]
        if not eligible:
            reasons = "; ".join(category_refusal(c, applicant, year) for c in categories)
            raise DomainError(
                _("Anda tidak memenuhi syarat kategori mana pun: %(reasons)s")
                % {"reasons": reasons},
                code="not_eligible",
            )
        category = _least_full(eligible)
    if Registration.objects.filter(
        training=training, user=user, status__in=Registration.ACTIVE
    ).exists():
        raise Conflict(_("Anda sudah terdaftar di pelatihan ini."), code="already_registered")

    registration = Registration(
        training=training,
        category=category,
        user=user,
        full_name=applicant.full_name,
        email=applicant.email or user.email,
        phone=applicant.phone,
        gender=applicant.gender,
        birth_year=applicant.birth_year,
        kelurahan=applicant.kelurahan,
        origin=applicant.origin,
        audience=applicant.audience,
        motivation=applicant.motivation,
        registered_by=actor if by_organiser else None,
    )
    deadline = cancellation_deadline(training, first_start)
    selection = training.selection_mode == Training.SelectionMode.SELECTION
    # Everything that does not depend on the seat decision is done before the lock: the
    # texts of every possible answer (the waiting-list one only lacks its position).
    texts = _answers(registration, sessions, deadline)
    try:
        with transaction.atomic():
            position = None
            if selection:
                registration.status = Status.APPLIED
            else:
                # --- the seat lock: held from here to commit. Inside it only the decision
                # and its rows: one count, the registration, its outbox message. ---
                registration.status, position = _decide_seat(category, now)
                if registration.status == Status.CONFIRMED:
                    registration.confirmed_at = now
            if _insert_with_fresh_codes(registration):
                texts = _answers(registration, sessions, deadline)  # they quote the codes
            answer = texts[registration.status]
            _tell(
                registration, answer(position) if callable(answer) else answer, registration.status
            )
    except IntegrityError as exc:
        # Two requests of the same person raced; the partial unique constraint kept one.
        if Registration.objects.filter(
            training=training, user=user, status__in=Registration.ACTIVE
        ).exists():
            raise Conflict(
                _("Anda sudah terdaftar di pelatihan ini."), code="already_registered"
            ) from exc
        raise
    return registration


def _answers(registration: Registration, sessions, deadline) -> dict:
    """What the person is told, by the status the registration may get."""
    if registration.training.selection_mode == Training.SelectionMode.SELECTION:
        return {Status.APPLIED: notices.applied(registration)}
    return {
        Status.CONFIRMED: notices.confirmed(registration, sessions, deadline),
        Status.WAITLISTED: notices.waitlisted_at(registration),
    }


CODE_ATTEMPTS = 5


def _insert_with_fresh_codes(registration: Registration) -> bool:
    """INSERT a new registration. Its ticket code and public id are random; should either
    already exist (a unique violation, which would otherwise be a 500), draw new ones and
    try again, each attempt in a savepoint so the seat transaction around it survives.
    Returns whether the codes changed. Any other violation (the person's second active
    registration) is raised as it is."""
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                registration.save(force_insert=True)
            return attempt > 0
        except IntegrityError:
            clash = Registration.objects.filter(
                Q(ticket_code=registration.ticket_code) | Q(public_id=registration.public_id)
            ).exists()
            if not clash or attempt == CODE_ATTEMPTS - 1:
                raise
            registration.pk = None
            registration.ticket_code = Registration._meta.get_field("ticket_code").get_default()
            registration.public_id = Registration._meta.get_field("public_id").get_default()
    raise AssertionError("unreachable")


def _decide_seat(category: QuotaCategory, now: datetime) -> tuple[str, int | None]:
    """Take the category's seat lock and decide: confirmed if a seat is free and nobody
    waits, else waitlisted at the end of the queue (its position comes from the same count,
    so it costs no statement of its own). Returns (status, waiting-list position)."""
    QuotaCategory.objects.select_for_update(no_key=True).filter(pk=category.pk).values_list(
        "pk", flat=True
    ).get()
    counts = _seat_counts(category.pk)
    if counts["held"] < category.seats and counts["waiting"] == 0:
        return Status.CONFIRMED, None
    return Status.WAITLISTED, counts["waiting"] + 1


def _seat_counts(category_id: int) -> dict:
    return Registration.objects.filter(
        category_id=category_id, status__in=(*Registration.HOLDS_SEAT, Status.WAITLISTED)
    ).aggregate(
        held=Count("pk", filter=Q(status__in=Registration.HOLDS_SEAT)),
        waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )


def _least_full(categories: list[QuotaCategory]) -> QuotaCategory:
    """Of the categories a person may take, the first with a free seat (else the first)."""
    held = dict(
        Registration.objects.filter(category__in=categories, status__in=Registration.HOLDS_SEAT)
        .values_list("category")
        .annotate(n=Count("pk"))
    )
    for category in categories:
        if held.get(category.pk, 0) < category.seats:
            return category
    return categories[0]


def _lock(registration: Registration) -> Registration:
    """Take the category's seat lock and re-read the registration under it."""
    QuotaCategory.objects.select_for_update(no_key=True).get(pk=registration.category_id)
    return (
        Registration.objects.select_related("training__agency", "category", "user")
        .select_for_update(no_key=True, of=("self",) if _supports_of() else ())
        .get(pk=registration.pk)
    )


def _supports_of() -> bool:
    from django.db import connection

    return connection.features.has_select_for_update_of


def _offer_expiry(training: Training, now: datetime) -> datetime:
    """offer_hours from now, but never past the start of the first session still to come."""
    expires = now + timedelta(hours=training.offer_hours)
    next_start = training.sessions.filter(starts_at__gt=now).aggregate(first=Min("starts_at"))[
        "first"
    ]
    if next_start is not None and next_start < expires:
        expires = next_start
    return expires


def _offer_free_seats(category: QuotaCategory, now: datetime) -> list[Registration]:
    """Offer every free seat of a category to the next waitlisted people, one seat each.

    The caller holds the category lock. An offer holds its seat, so a seat is offered to
    one person at a time; it returns to this function only when the offer ends."""
    training = category.training
    if training.status not in (TStatus.PUBLISHED, TStatus.CLOSED):
        return []
    last_end = training.sessions.aggregate(last=Max("ends_at"))["last"]
    if last_end is not None and last_end <= now:
        return []
    free = (
        category.seats - category.registrations.filter(status__in=Registration.HOLDS_SEAT).count()
    )
    if free <= 0:
        return []
    nxt = list(
        category.registrations.filter(status=Status.WAITLISTED)
        .select_related("training__agency", "category", "user")
        .order_by("created_at", "pk")[:free]
    )
    if not nxt:
        return []
    if training.offer_hours == 0:
        # No time to wait for an answer: the next in line is confirmed straight away.
        deadline = cancellation_deadline(training)
        sessions = list(training.sessions.select_related("space"))
        for registration in nxt:
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            _tell(registration, notices.confirmed(registration, sessions, deadline), "promoted")
        return nxt
    expires = _offer_expiry(training, now)
    for registration in nxt:
        registration.status = Status.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = expires
        registration.save(update_fields=["status", "offered_at", "offer_expires_at"])
        _tell(registration, notices.offer(registration), f"offer{int(now.timestamp())}")
    return nxt


def fill_from_waitlist(category_id: int, now=None) -> list[Registration]:
    """Offer a category's free seats to its queue (after seats were added)."""
    with transaction.atomic():
        category = (
            QuotaCategory.objects.select_for_update(no_key=True).filter(pk=category_id).first()
        )
        if category is None:
            return []
        return _offer_free_seats(category, _now(now))


def cancel_registration(
    actor, registration: Registration, reason: str = "", now=None
) -> Registration:
    """The person (until the deadline) or an organiser cancels; a freed seat is offered on."""
    now = _now(now)
    permissions.require(
        permissions.can_cancel_registration(actor, registration),
        _("Anda tidak berwenang membatalkan pendaftaran ini."),
    )
    by_organiser = registration.user_id != actor.pk
    training = registration.training
    if not by_organiser:
        deadline = cancellation_deadline(training)
        if deadline is not None and now > deadline:
            raise Conflict(
                _(
                    "Batas pembatalan sudah lewat (%(date)s pukul %(time)s WIB). Hubungi "
                    "penyelenggara bila berhalangan hadir."
                )
                % {"date": tanggal(deadline), "time": jam(deadline)},
                code="deadline_passed",
            )
    with transaction.atomic():
        registration = _lock(registration)
        if registration.status not in Registration.ACTIVE:
            raise Conflict(_("Pendaftaran ini sudah tidak aktif."), code="not_active")
        held_seat = registration.status in Registration.HOLDS_SEAT
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.cancel_reason = (reason or "").strip()[:200] or (
            _("Dibatalkan oleh penyelenggara") if by_organiser else _("Dibatalkan oleh peserta")
        )
        registration.offer_expires_at = None
        registration.save(
            update_fields=["status", "cancelled_at", "cancel_reason", "offer_expires_at"]
        )
        _tell(registration, notices.cancelled(registration, by_organiser), "cancelled")
        if by_organiser:
            audit(actor, "training.registration.cancel", registration)
        if held_seat:
            _offer_free_seats(registration.category, now)
    return registration


def load_offer(token: str) -> Registration:
    """The registration an offer link names, if that offer is the current one."""
    try:
        data = signing.loads(token, salt=notices.OFFER_SALT)
    except signing.BadSignature as exc:
        raise NotFound(_("Tautan tawaran tidak sah.")) from exc
    registration = (
        Registration.objects.select_related("training__agency", "category", "user")
        .filter(public_id=data.get("r"))
        .first()
    )
    if registration is None:
        raise NotFound(_("Tautan tawaran tidak sah."))
    current = registration.offer_expires_at
    if (
        registration.status != Status.OFFERED
        or current is None
        or int(current.timestamp()) != data.get("x")
    ):
        raise Conflict(_("Tawaran ini sudah tidak berlaku."), code="offer_gone")
    return registration


def accept_offer(registration: Registration, *, actor=None, now=None) -> Registration:
    now = _now(now)
    if actor is not None:
        permissions.require(permissions.can_view_registration(actor, registration))
    deadline = cancellation_deadline(registration.training)
    sessions = list(registration.training.sessions.select_related("space"))
    with transaction.atomic():
        registration = _lock(registration)
        if registration.status == Status.CONFIRMED:
            return registration  # the link was clicked twice
        if registration.status != Status.OFFERED:
            raise Conflict(_("Tawaran ini sudah tidak berlaku."), code="offer_gone")
        if registration.offer_expires_at and registration.offer_expires_at <= now:
            raise Conflict(_("Tawaran ini sudah berakhir."), code="offer_expired")
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
        _tell(registration, notices.confirmed(registration, sessions, deadline), "accepted")
    return registration


def decline_offer(registration: Registration, *, actor=None, now=None) -> Registration:
    now = _now(now)
    if actor is not None:
        permissions.require(permissions.can_view_registration(actor, registration))
    with transaction.atomic():
        registration = _lock(registration)
        if registration.status != Status.OFFERED:
            raise Conflict(_("Tawaran ini sudah tidak berlaku."), code="offer_gone")
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.cancel_reason = _("Menolak tawaran kursi")
        registration.offer_expires_at = None
        registration.save(
            update_fields=["status", "cancelled_at", "cancel_reason", "offer_expires_at"]
        )
        _offer_free_seats(registration.category, now)
    return registration


def expire_offers(now=None) -> int:
    """Periodic job: end unanswered offers and pass each seat to the next person.

    Idempotent and safe to run from two schedulers at once: each category is handled under its
    seat lock, and only offers still open and past their time are touched."""
    now = _now(now)
    category_ids = list(
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .values_list("category_id", flat=True)
        .distinct()
    )
    expired = 0
    for category_id in category_ids:
        with transaction.atomic():
            category = QuotaCategory.objects.select_for_update(no_key=True).get(pk=category_id)
            gone = list(
                category.registrations.filter(
                    status=Status.OFFERED, offer_expires_at__lte=now
                ).select_related("training__agency", "category", "user")
            )
            for registration in gone:
                registration.status = Status.CANCELLED
                registration.cancelled_at = now
                registration.cancel_reason = _("Tawaran kursi tidak dijawab sampai batas waktu")
                registration.save(update_fields=["status", "cancelled_at", "cancel_reason"])
                _tell(registration, notices.offer_expired(registration), "offer_expired")
            expired += len(gone)
            _offer_free_seats(category, now)
    return expired


def decide_applications(
    actor, training: Training, registration_ids: list[int], decision: str, now=None
) -> int:
    """Selection mode: the organiser confirms, waitlists or rejects applicants, all or none.

    Confirming takes seats under the category lock and refuses if there are not enough."""
    require_manager(actor, training)
    now = _now(now)
    if decision not in ("confirm", "waitlist", "reject"):
        raise DomainError(_("Keputusan tidak dikenal."))
    chosen = list(
        training.registrations.filter(pk__in=registration_ids)
        .select_related("training__agency", "category", "user")
        .order_by("category_id", "created_at")
    )
    if not chosen:
        raise DomainError(_("Pilih sedikitnya satu pendaftar."))
    allowed = {Status.APPLIED, Status.WAITLISTED} if decision == "confirm" else {Status.APPLIED}
    deadline = cancellation_deadline(training)
    sessions = list(training.sessions.select_related("space"))
    with transaction.atomic():
        by_category: dict[int, list[Registration]] = {}
        for registration in chosen:
            by_category.setdefault(registration.category_id, []).append(registration)
        for category_id, group in sorted(by_category.items()):
            category = QuotaCategory.objects.select_for_update(no_key=True).get(pk=category_id)
            fresh = list(
                Registration.objects.filter(pk__in=[r.pk for r in group]).select_related(
                    "training__agency", "category", "user"
                )
            )
            if any(r.status not in allowed for r in fresh):
                raise Conflict(_("Sebagian pendaftar yang dipilih sudah diputuskan sebelumnya."))
            if decision == "confirm":
                free = category.seats - _seat_counts(category_id)["held"]
                if len(fresh) > free:
                    raise Conflict(
                        _("Kategori %(name)s hanya punya %(free)s kursi kosong.")
                        % {"name": category.name, "free": max(free, 0)}
                    )
            for registration in fresh:
                if decision == "confirm":
                    registration.status = Status.CONFIRMED
                    registration.confirmed_at = now
                    notice, event = notices.confirmed(registration, sessions, deadline), "selected"
                elif decision == "waitlist":
                    registration.status = Status.WAITLISTED
                    position = category.registrations.filter(status=Status.WAITLISTED).count() + 1
                    notice, event = notices.waitlisted(registration, position), "waitlisted"
                else:
                    registration.status = Status.REJECTED
                    notice, event = notices.selection_rejected(registration), "rejected"
                registration.save(update_fields=["status", "confirmed_at"])
                _tell(registration, notice, event)
        audit(actor, f"training.applications.{decision}", training, detail={"n": len(chosen)})
    return len(chosen)


# =============================================================================================
# Check-in at the door
# =============================================================================================


@dataclass
class CheckinResult:
    outcome: str  # "checked_in" | "already"
    message: str
    registration: Registration
    attendance: Attendance


class CheckinRefused(Conflict):
    """A ticket that must not get in: message says why (another training, cancelled, …)."""


def _checkin_refusal(registration: Registration, session: Session) -> CheckinRefused | None:
    if registration.training_id != session.training_id:
        return CheckinRefused(
            _("Tiket ini untuk pelatihan lain: %(title)s.")
            % {"title": registration.training.title},
            code="other_training",
        )
    messages = {
        Status.CANCELLED: (_("Tiket ini sudah dibatalkan."), "cancelled"),
        Status.WAITLISTED: (
            _("Pemegang tiket ini masih di daftar tunggu, belum mendapat kursi."),
            "waitlisted",
        ),
        Status.OFFERED: (_("Pemegang tiket ini belum menerima tawaran kursinya."), "offered"),
        Status.APPLIED: (_("Pemegang tiket ini belum lolos seleksi."), "applied"),
        Status.REJECTED: (_("Pemegang tiket ini tidak lolos seleksi."), "rejected"),
    }
    if registration.status in messages:
        text, code = messages[registration.status]
        return CheckinRefused(f"{registration.full_name}: {text}", code=code)
    return None


def _already(attendance: Attendance, registration: Registration) -> CheckinResult:
    return CheckinResult(
        "already",
        _("%(name)s sudah check-in pukul %(time)s.")
        % {"name": registration.full_name, "time": jam(attendance.checked_in_at)},
        registration,
        attendance,
    )


def _record_attendance(registration, session, method, actor, now) -> CheckinResult:
    attendance = Attendance(
        registration=registration,
        session=session,
        checked_in_at=now,
        method=method,
        checked_in_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:
        # Two phones scanned the same ticket at once: the other one counted it.
        existing = Attendance.objects.get(registration=registration, session=session)
        return _already(existing, registration)
    return CheckinResult(
        "checked_in",
        _("%(name)s berhasil check-in pukul %(time)s.")
        % {"name": registration.full_name, "time": jam(now)},
        registration,
        attendance,
    )


def check_in(
    actor, session: Session, code: str, *, method=Attendance.Method.TYPED, now=None
) -> CheckinResult:
    """Check a ticket in at a session. A second scan changes nothing and says when the first
    was; a ticket that does not belong here raises CheckinRefused with the reason."""
    require_manager(actor, session.training)
    now = _now(now)
    code = normalise((code or "").replace("\x00", ""))
    if "/" in code:  # a scanned link: the code is its last part
        code = code.rstrip("/").rsplit("/", 1)[-1]
    code = code[:16]
    registration = (
        Registration.objects.select_related("training", "category").filter(ticket_code=code).first()
        if code
        else None
    )
    if registration is None:
        raise NotFound(
            _("Kode tiket %(code)s tidak dikenal.") % {"code": code or "—"}, code="unknown_ticket"
        )
    refusal = _checkin_refusal(registration, session)
    if refusal is not None:
        raise refusal
    existing = Attendance.objects.filter(registration=registration, session=session).first()
    if existing is not None:
        return _already(existing, registration)
    return _record_attendance(registration, session, method, actor, now)


def undo_check_in(actor, attendance: Attendance) -> None:
    require_manager(actor, attendance.session.training)
    audit(
        actor,
        "training.checkin.undo",
        attendance.registration,
        detail={"session": attendance.session.public_id},
    )
    attendance.delete()


SELF_CHECKIN_WINDOW = 30  # seconds each projected code is valid (plus the previous one)


def self_checkin_code(session: Session, now=None, *, window_offset: int = 0) -> str:
    """The code in the projected QR: HMAC of the session's secret and the 30-second window."""
    window = math.floor(_now(now).timestamp() / SELF_CHECKIN_WINDOW) + window_offset
    digest = hmac.new(
        session.checkin_secret.encode(), f"{session.public_id}:{window}".encode(), hashlib.sha256
    ).hexdigest()
    return digest[:16]


def set_self_checkin(actor, session: Session, enabled: bool) -> Session:
    require_manager(actor, session.training)
    session.self_checkin = enabled
    if enabled and not session.checkin_secret:
        session.checkin_secret = secrets.token_hex(32)
    session.save(update_fields=["self_checkin", "checkin_secret"])
    return session


def self_check_in(user, session: Session, code: str, now=None) -> CheckinResult:
    """A participant scans the projector's QR: valid in its window and the one before it, so a
    photo sent home is useless a minute later."""
    now = _now(now)
    if not session.self_checkin or not session.checkin_secret:
        raise Conflict(_("Presensi mandiri tidak aktif untuk sesi ini."), code="self_checkin_off")
    valid = {self_checkin_code(session, now), self_checkin_code(session, now, window_offset=-1)}
    if not any(hmac.compare_digest(code or "", v) for v in valid):
        raise Conflict(
            _("Kode QR ini sudah berganti. Pindai lagi QR yang tampil di layar."), code="stale_code"
        )
    if not session.starts_at - timedelta(hours=1) <= now <= session.ends_at:
        raise Conflict(_("Presensi mandiri hanya selama sesi berlangsung."), code="outside_session")
    registration = (
        Registration.objects.select_related("training", "category")
        .filter(training_id=session.training_id, user=user, status__in=Registration.ACTIVE)
        .first()
    )
    if registration is None:
        raise NotFound(_("Anda tidak terdaftar di pelatihan ini."), code="not_registered")
    refusal = _checkin_refusal(registration, session)
    if refusal is not None:
        raise refusal
    existing = Attendance.objects.filter(registration=registration, session=session).first()
    if existing is not None:
        return _already(existing, registration)
    return _record_attendance(registration, session, Attendance.Method.SELF, user, now)


# =============================================================================================
# Scores and completion
# =============================================================================================

UNSET = object()


def _score(value, field_name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01"))
    except Exception as exc:  # noqa: BLE001 - decimal.InvalidOperation and friends
        raise DomainError(_("Nilai harus berupa angka 0–100."), field=field_name) from exc
    if not Decimal(0) <= score <= Decimal(100):
        raise DomainError(_("Nilai harus berupa angka 0–100."), field=field_name)
    return score


def set_scores(actor, registration: Registration, *, pre=UNSET, post=UNSET) -> Registration:
    require_manager(actor, registration.training)
    if registration.status != Status.CONFIRMED:
        raise Conflict(_("Nilai hanya untuk peserta terkonfirmasi."), code="not_confirmed")
    fields = []
    if pre is not UNSET:
        registration.pre_test_score = _score(pre, "pre_test_score")
        fields.append("pre_test_score")
    if post is not UNSET:
        registration.post_test_score = _score(post, "post_test_score")
        fields.append("post_test_score")
    if fields:
        registration.save(update_fields=fields)
        _recompute_if_finished(registration.training, [registration.pk])
    return registration


def save_score_grid(actor, training: Training, scores: dict[int, tuple]) -> int:
    """Scores typed in the grid: {registration id: (pre, post)}; all saved or none."""
    require_manager(actor, training)
    registrations = {
        r.pk: r
        for r in training.registrations.filter(pk__in=scores.keys(), status=Status.CONFIRMED)
    }
    changed = []
    for pk, (pre, post) in scores.items():
        registration = registrations.get(pk)
        if registration is None:
            raise NotFound(_("Peserta tidak ditemukan pada pelatihan ini."))
        try:
            pre_value, post_value = _score(pre, "pre_test_score"), _score(post, "post_test_score")
        except DomainError as exc:
            raise DomainError(f"{registration.full_name}: {exc.message}", field=exc.field) from exc
        if (pre_value, post_value) != (registration.pre_test_score, registration.post_test_score):
            registration.pre_test_score, registration.post_test_score = pre_value, post_value
            changed.append(registration)
    with transaction.atomic():
        Registration.objects.bulk_update(changed, ["pre_test_score", "post_test_score"])
        if changed:
            audit(actor, "training.scores.grid", training, detail={"n": len(changed)})
    _recompute_if_finished(training, [r.pk for r in changed])
    return len(changed)


@dataclass
class ImportRow:
    line: int
    label: str  # what identified the person in the file (email, phone or code)
    score: Decimal | None = None
    registration: Registration | None = None
    problem: str = ""


@dataclass
class ScoreImport:
    test: str  # "pre" | "post"
    matched: list[ImportRow] = field(default_factory=list)
    problems: list[ImportRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.matched) and not self.problems


def preview_score_import(actor, training: Training, rows: list[dict], test: str) -> ScoreImport:
    """Match each row of a quiz export to a confirmed participant by ticket code, e-mail or
    phone. Nothing is written; rows that match nobody, or more than one person, or the same
    person twice, are listed as problems."""
    from .imports import LINE, identify_columns, parse_score

    require_manager(actor, training)
    if test not in ("pre", "post"):
        raise DomainError(_("Pilih pre-test atau post-test."))
    if not rows:
        raise DomainError(_("Berkas tidak berisi baris data."))
    columns = identify_columns(rows[0].keys() if rows else [])
    if columns.score is None:
        raise DomainError(_("Kolom nilai (Score/Skor/Nilai) tidak ditemukan di berkas."))
    if not (columns.email or columns.phone or columns.code):
        raise DomainError(_("Berkas perlu kolom email, nomor telepon/WA, atau kode tiket."))
    participants = list(
        training.registrations.filter(status=Status.CONFIRMED).select_related("user")
    )
    by_code = {r.ticket_code: r for r in participants}
    by_email: dict[str, list[Registration]] = {}
    by_phone: dict[str, list[Registration]] = {}
    for r in participants:
        for email in {r.email.lower(), (r.user.email or "").lower()} - {""}:
            by_email.setdefault(email, []).append(r)
        if r.phone:
            by_phone.setdefault(r.phone, []).append(r)
    result = ScoreImport(test=test)
    seen: dict[int, int] = {}
    for index, row in enumerate(rows, start=2):
        line = int(row.get(LINE) or index)
        code = normalise(str(row.get(columns.code) or "")) if columns.code else ""
        email = str(row.get(columns.email) or "").strip().lower() if columns.email else ""
        phone_raw = str(row.get(columns.phone) or "").strip() if columns.phone else ""
        label = code or email or phone_raw or "—"
        item = ImportRow(line=line, label=label)
        try:
            item.score = parse_score(row.get(columns.score))
        except ValueError as exc:
            item.problem = str(exc)
            result.problems.append(item)
            continue
        found: dict[int, Registration] = {}
        if code and code in by_code:
            found[by_code[code].pk] = by_code[code]
        if email:
            for r in by_email.get(email, []):
                found[r.pk] = r
        if phone_raw:
            try:
                phone = normalise_phone(phone_raw)
            except DomainError:
                phone = ""
            for r in by_phone.get(phone, []):
                found[r.pk] = r
        candidates = set(found)
        if not candidates:
            item.problem = _("tidak cocok dengan peserta terkonfirmasi mana pun")
        elif len(candidates) > 1:
            names = ", ".join(sorted(found[pk].full_name for pk in candidates))
            item.problem = _("ambigu: cocok dengan %(names)s") % {"names": names}
        else:
            item.registration = found[candidates.pop()]
            if item.registration.pk in seen:
                item.problem = _("%(name)s sudah ada di baris %(line)s") % {
                    "name": item.registration.full_name,
                    "line": seen[item.registration.pk],
                }
            else:
                seen[item.registration.pk] = line
        (result.problems if item.problem else result.matched).append(item)
    return result


def apply_score_import(
    actor, training: Training, preview: ScoreImport, *, skip_problems: bool = False
) -> int:
    """Write every matched score in one transaction, or nothing. Rows with a problem stop the
    import unless the organiser, having seen them listed, chose to leave them out."""
    require_manager(actor, training)
    if preview.problems and not skip_problems:
        raise Conflict(
            _("Masih ada %(n)s baris bermasalah; perbaiki berkasnya lalu unggah lagi.")
            % {"n": len(preview.problems)}
        )
    if not preview.matched:
        raise DomainError(_("Tidak ada nilai yang bisa diimpor."))
    field_name = "pre_test_score" if preview.test == "pre" else "post_test_score"
    ids = [row.registration.pk for row in preview.matched]
    with transaction.atomic():
        current = {
            r.pk: r for r in training.registrations.filter(pk__in=ids, status=Status.CONFIRMED)
        }
        if len(current) != len(ids):
            raise Conflict(_("Daftar peserta berubah sejak pratinjau; unggah ulang berkasnya."))
        for row in preview.matched:
            setattr(current[row.registration.pk], field_name, row.score)
        Registration.objects.bulk_update(list(current.values()), [field_name])
        audit(
            actor,
            "training.scores.import",
            training,
            detail={"test": preview.test, "rows": len(ids)},
        )
    _recompute_if_finished(training, ids)
    return len(ids)


def _fmt(score: Decimal) -> str:
    text = f"{score:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def completion_of(training: Training, sessions_total: int, attended: int, post) -> tuple[bool, str]:
    """(completed, reason) by the training's rule, e.g. (False, "hadir 1/2 sesi")."""
    reasons, ok = [], True
    needed = math.ceil(sessions_total * training.completion_min_attendance / 100)
    attendance_text = _("hadir %(n)s/%(total)s sesi") % {"n": attended, "total": sessions_total}
    if attended < needed:
        ok = False
        reasons.append(attendance_text)
    minimum = training.completion_min_post_test
    if minimum is not None:
        if post is None:
            ok = False
            reasons.append(_("post-test belum ada"))
        elif post < minimum:
            ok = False
            reasons.append(
                _("post-test %(score)s < %(min)s") % {"score": _fmt(post), "min": _fmt(minimum)}
            )
        elif ok:
            reasons.append(
                _("post-test %(score)s ≥ %(min)s") % {"score": _fmt(post), "min": _fmt(minimum)}
            )
    if ok:
        reasons.insert(0, attendance_text)
    return ok, ", ".join(reasons)


def compute_completion(actor, training: Training, *, only: list[int] | None = None) -> dict:
    """Apply the completion rule to every confirmed participant and store the outcome and its
    reason. Once the training is finished, completers are notified (once each)."""
    require_manager(actor, training)
    return _compute_completion(training, only=only)


def _compute_completion(training: Training, *, only: list[int] | None = None) -> dict:
    sessions_total = training.sessions.count()
    qs = (
        training.registrations.filter(status=Status.CONFIRMED)
        .select_related("training__agency", "category", "user")
        .annotate(attended=Count("attendances"))
    )
    if only is not None:
        qs = qs.filter(pk__in=only)
    changed, counts = [], {"completed": 0, "not_completed": 0}
    finished = training.status == TStatus.FINISHED
    with transaction.atomic():
        for registration in qs:
            ok, reason = completion_of(
                training, sessions_total, registration.attended, registration.post_test_score
            )
            counts["completed" if ok else "not_completed"] += 1
            if (registration.completed, registration.completion_reason) != (ok, reason[:200]):
                registration.completed, registration.completion_reason = ok, reason[:200]
                changed.append(registration)
            if ok and finished:
                _tell(registration, notices.completed(registration), "completed")
        Registration.objects.bulk_update(
            changed, ["completed", "completion_reason"], batch_size=500
        )
    return counts


def _recompute_if_finished(training: Training, ids: list[int]) -> None:
    """After scores change: keep completion current wherever it has been computed before."""
    if not ids:
        return
    if (
        training.status == TStatus.FINISHED
        or training.registrations.filter(pk__in=ids, completed__isnull=False).exists()
    ):
        _compute_completion(training, only=ids)


# =============================================================================================
# Feedback
# =============================================================================================


def feedback_refusal(registration: Registration, now=None) -> str | None:
    if registration.status != Status.CONFIRMED:
        return _("Umpan balik hanya untuk peserta terkonfirmasi.")
    last = registration.training.sessions.aggregate(last=Max("starts_at"))["last"]
    if last is None or _now(now) < last:
        return _("Umpan balik dibuka setelah sesi terakhir dimulai.")
    if not registration.attendances.exists():
        return _("Umpan balik hanya untuk peserta yang hadir.")
    if Feedback.objects.filter(registration=registration).exists():
        return _("Terima kasih, umpan balik Anda sudah kami terima.")
    return None


def give_feedback(
    user, registration: Registration, rating: int, comment: str = "", now=None
) -> Feedback:
    if registration.user_id != getattr(user, "pk", None):
        raise NotAllowed(_("Hanya peserta sendiri yang bisa memberi umpan balik."))
    refusal = feedback_refusal(registration, now)
    if refusal:
        raise Conflict(refusal, code="feedback_closed")
    if rating not in (1, 2, 3, 4, 5):
        raise DomainError(_("Pilih nilai 1 sampai 5."), field="rating")
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                registration=registration, rating=rating, comment=(comment or "").strip()[:2000]
            )
    except IntegrityError as exc:
        raise Conflict(_("Terima kasih, umpan balik Anda sudah kami terima.")) from exc


# =============================================================================================
# Reminders (periodic)
# =============================================================================================


def send_reminders(now=None) -> int:
    """Periodic job: the day before each session, remind its confirmed participants.

    Each run looks at the sessions starting within the next 24 hours and tells every confirmed
    participant who has not been told yet (someone who accepted an offer this morning too).
    Idempotent: a reminder's outbox key names the registration and the session, and those
    already in the outbox are skipped with one query per session."""
    from ekraf.core.models import OutboxMessage

    now = _now(now)
    sessions = list(
        Session.objects.filter(
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=24),
            training__status__in=(TStatus.PUBLISHED, TStatus.CLOSED),
        ).select_related("training__agency", "space")
    )
    sent = 0
    for session in sessions:
        registrations = list(
            session.training.registrations.filter(status=Status.CONFIRMED).select_related(
                "training__agency", "category", "user"
            )
        )
        event = f"reminder:{session.public_id}"
        keys = {_dedupe(r, event): r for r in registrations}
        done = set(
            OutboxMessage.objects.filter(dedupe_key__in=list(keys)).values_list(
                "dedupe_key", flat=True
            )
        )
        with transaction.atomic():
            for key, registration in keys.items():
                if key in done:
                    continue
                _tell(registration, notices.reminder(registration, session), event)
                sent += 1
            if session.reminder_sent_at is None:
                Session.objects.filter(pk=session.pk).update(reminder_sent_at=now)
    return sent


# =============================================================================================
# Personal data (UU PDP): export and erase
# =============================================================================================


def export_person(user) -> list[dict]:
    rows = []
    for r in (
        Registration.objects.filter(user=user)
        .select_related("training__agency", "category", "kelurahan")
        .prefetch_related("attendances__session")
        .order_by("created_at")
    ):
        feedback = Feedback.objects.filter(registration=r).first()
        rows.append(
            {
                "training": r.training.title,
                "agency": r.training.agency.short_name,
                "category": r.category.name,
                "status": r.status,
                "ticket_code": r.ticket_code,
                "full_name": r.full_name,
                "email": r.email,
                "phone": r.phone,
                "gender": r.gender,
                "birth_year": r.birth_year,
                "kelurahan": r.kelurahan.name if r.kelurahan else "",
                "origin": r.origin,
                "audience": r.audience,
                "motivation": r.motivation,
                "registered_at": r.created_at.isoformat(),
                "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None,
                "pre_test_score": str(r.pre_test_score) if r.pre_test_score is not None else None,
                "post_test_score": str(r.post_test_score)
                if r.post_test_score is not None
                else None,
                "completed": r.completed,
                "completion_reason": r.completion_reason,
                "attendance": [
                    {
                        "session": a.session.starts_at.isoformat(),
                        "checked_in_at": a.checked_in_at.isoformat(),
                    }
                    for a in r.attendances.all()
                ],
                "feedback": {"rating": feedback.rating, "comment": feedback.comment}
                if feedback
                else None,
            }
        )
    return rows


def erase_person(user) -> None:
    """Run inside the account deletion: give up seats still to come, then clear contact data.

    The rows stay (with the name) because attendance sheets already filed and certificates
    issued depend on them; e-mail, phone and the free-text motivation are removed."""
    now = timezone.now()
    for registration in Registration.objects.filter(
        user=user,
        status__in=Registration.ACTIVE,
        training__status__in=(TStatus.DRAFT, TStatus.PUBLISHED, TStatus.CLOSED),
    ).select_related("training__agency", "category", "user"):
        with transaction.atomic():
            locked = _lock(registration)
            held = locked.status in Registration.HOLDS_SEAT
            locked.status = Status.CANCELLED
            locked.cancelled_at = now
            locked.cancel_reason = _("Akun dihapus")
            locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
            if held:
                _offer_free_seats(locked.category, now)
    Registration.objects.filter(user=user).update(email="", phone="", motivation="")
