"""Registration: who may take which seat, the registration itself with its seat
decision under the category lock, and cancelling it (the freed seat goes to the waiting list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import phonenumbers
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError, NotAllowed, NotFound
from ekraf.core.models import City, Region
from ekraf.core.services import audit
from ekraf.core.templatetags.ekraf import jam, tanggal

from .. import notices
from ..models import QuotaCategory, Registration, Training
from .common import Status, TStatus, _first_start, _now, _tell, cancellation_deadline
from .locking import _lock, _seat_counts
from .questions import clean_answers, missing_profile_refusal, questions_of, store_answers
from .waitinglist import _offer_free_seats


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


def applicant_defaults(user, *, viewer=None) -> dict:
    """Initial values for the registration form: the creator profile, else the person's last
    registration, else the account.

    When someone else fills the form for the person (`viewer`, an organiser registering them),
    only what the registry shows that viewer: the profile's name, gender, birth year and
    kelurahan, and its phone and e-mail only where permissions.can_see_creator_contact allows —
    never what the person told another training.
    """
    profile = creator_profile_of(user)
    if viewer is not None and viewer.pk != user.pk:
        data = {"full_name": (profile.full_name if profile else "") or user.display_name}
        if profile is not None:
            for name in ("gender", "birth_year", "kelurahan"):
                if getattr(profile, name):
                    data[name] = getattr(profile, name)
            if permissions.can_see_creator_contact(viewer, profile):
                data.update(email=user.email, phone=profile.phone)
        return data
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
    if profile is not None:
        for name in ("full_name", "phone", "gender", "birth_year", "kelurahan"):
            value = getattr(profile, name)
            if value:
                data[name] = value
    return data


def may_offer_phone_for_profile(user) -> bool:
    """The registration form offers "save this number in my profile": for a creator whose
    profile has no phone yet (or who has no profile yet)."""
    profile = creator_profile_of(user)
    if profile is not None:
        return not profile.phone
    return permissions.is_creator(user)


def save_phone_to_profile(user, phone: str) -> bool:
    """The WhatsApp number given at registration becomes the profile's, if the profile has
    none and no other profile uses it; True if saved. Never overwrites a number."""
    from ekraf.creators import services as creators
    from ekraf.creators.models import CreatorProfile

    if not phone or not may_offer_phone_for_profile(user):
        return False
    if CreatorProfile.objects.filter(phone=phone).exclude(user=user).exists():
        return False
    profile = creators.ensure_profile(user)
    try:
        with transaction.atomic():
            saved = CreatorProfile.objects.filter(pk=profile.pk, phone="").update(phone=phone)
    except IntegrityError:  # another profile took the number meanwhile
        return False
    return bool(saved)


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


def _clean_applicant(applicant: Applicant) -> Applicant:
    applicant.full_name = " ".join(
        validation.line(applicant.full_name, field="full_name", max_length=150).split()
    )
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
    applicant.origin = validation.line(applicant.origin, field="origin", max_length=150)
    applicant.motivation = validation.text(
        applicant.motivation, field="motivation", max_length=2000
    )
    return applicant


def register(
    actor,
    training: Training,
    applicant: Applicant,
    *,
    category: QuotaCategory | None = None,
    category_id: int | None = None,
    user=None,
    answers: dict | None = None,
    now=None,
) -> Registration:
    """Register `user` (default: the actor) and decide at once: confirmed, waitlisted, or — in
    selection mode — applied. The locking scheme is in locking.py.

    `answers` are the answers to the training's own questions, {question id: value}
    (services.questions.clean_answers). A person registering themselves must fill the profile
    fields the training requires and answer its required questions; an organiser registering
    someone (a walk-in) may leave them empty."""
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
    # The caller may have read the sessions already (the API's training, prefetched): not twice.
    if "sessions" in getattr(training, "_prefetched_objects_cache", {}):
        sessions = sorted(training.sessions.all(), key=lambda s: s.starts_at)
    else:
        sessions = list(training.sessions.select_related("space"))
    first_start = sessions[0].starts_at if sessions else None
    refusal = registration_refusal(
        training, now, by_organiser=by_organiser, first_start=first_start
    )
    if refusal:
        raise Conflict(refusal, code="registration_closed")
    applicant = _clean_applicant(applicant)
    if not by_organiser:
        missing = missing_profile_refusal(training, applicant)
        if missing is not None:
            raise missing
    answers = clean_answers(questions_of(training), answers, enforce_required=not by_organiser)
    if by_organiser and not permissions.can_see_creator_contact(actor, creator_profile_of(user)):
        # Registering someone copies only what the organiser may see: a contact the person
        # withheld from the registry is not handed over by putting them in a training. They
        # are still told, through their account's address (the outbox falls back to it).
        applicant.email = applicant.phone = ""
    year = _training_year(first_start)
    categories = list(training.categories.all())
    if category is not None or category_id is not None:
        wanted = category.pk if category is not None else category_id
        category = next((c for c in categories if c.pk == wanted), None)
        if category is None:
            raise NotFound(
                _("Kategori tidak ditemukan pada pelatihan ini."),
                field="category" if category_id is None else "category_id",
            )
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
        email=applicant.email or ("" if by_organiser else user.email),
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
            store_answers(registration, answers)
            answer = texts[registration.status]
            # A new registration's outbox key is new too (one INSERT, no look-up), and its
            # message goes out with the next batched sweep, not as a worker job of its own.
            _tell(
                registration,
                answer(position) if callable(answer) else answer,
                registration.status,
                fresh=True,
                batched=True,
            )
            # Last in the transaction: the audit chain's head lock after the seat lock.
            audit(
                actor if getattr(actor, "pk", None) else user,
                "training.registration.create",
                registration,
                detail={"status": registration.status, "by_organiser": by_organiser},
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
        registration.cancel_reason = validation.line(reason, field="reason")[:200] or (
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
