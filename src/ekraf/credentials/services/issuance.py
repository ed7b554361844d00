"""Issuing certificates: who qualifies, what every certificate of a training prints, and the
numbering and status-list slots taken inside the issuing transaction.

A chunk of registrations is one short transaction with a constant number of queries: lock the
agency's counter for the year (SELECT … FOR UPDATE) and move it on by the chunk's size, take as
many consecutive slots of the agency's status list (also locked; a full list spills into a new
one), insert the certificates (at most one per registration: a unique constraint) and their
holders' notifications in bulk. A crash rolls all of it back, so numbers have no gaps and no
duplicates. One certificate per transaction spent more time in the two locked
read-modify-writes than in drawing the page.

Who gets a certificate (see docs/certificates.md):
* completion (kelulusan): a confirmed registration the training marked ``completed``;
* participation (keikutsertaan): a confirmed registration with at least one check-in, or
  marked ``completed``.
A revoked certificate stays that registration's certificate: it is not issued again.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.core.notifications import notify_many
from ekraf.core.selectors import current_city
from ekraf.trainings.models import Attendance, Registration, Training

from .. import codes, openbadges
from ..models import (
    Certificate,
    CertificateCounter,
    Kind,
    Signatory,
    StatusList,
    TrainingSignatories,
)

log = logging.getLogger(__name__)


# --- who qualifies ------------------------------------------------------------------------------


def eligible_registrations(training: Training):
    """Registrations of `training` that qualify for its kind of certificate."""
    qs = Registration.objects.filter(training=training, status=Registration.Status.CONFIRMED)
    if training.certificate_kind == Kind.PARTICIPATION:
        attended = Attendance.objects.filter(registration=OuterRef("pk"))
        return qs.filter(Q(completed=True) | Exists(attended))
    return qs.filter(completed=True)


# --- what every certificate of a training prints ------------------------------------------------


@dataclass
class TrainingPrint:
    """The printed fields shared by all certificates of one training (computed once per job)."""

    training: Training
    kind: str
    training_kind: str
    city_name: str
    signing_place: str
    starts_on: object
    ends_on: object
    place: str
    signatories: list[dict] = field(default_factory=list)
    logo: str = ""
    verify_url: str = ""

    @classmethod
    def of(cls, training: Training) -> TrainingPrint:
        city = current_city()
        sessions = list(training.sessions.select_related("space").order_by("starts_at"))
        places = []
        for session in sessions:
            where = (
                session.space.name
                if session.space_id
                else session.address or (_("daring") if session.online_url else "")
            )
            if where and where not in places:
                places.append(where)
        agency = training.agency
        logo = agency.logo.name if agency.logo else (city.logo.name if city and city.logo else "")
        return cls(
            training=training,
            kind=training.certificate_kind,
            training_kind=str(training.get_kind_display()).split(" (")[0],
            city_name=city.name if city else "",
            signing_place=city.short_name if city else "",
            starts_on=timezone.localtime(sessions[0].starts_at).date() if sessions else None,
            ends_on=timezone.localtime(sessions[-1].ends_at).date() if sessions else None,
            place="; ".join(places)[:255],
            signatories=[_signatory_print(s) for s in signatories_for(training)],
            logo=logo,
            verify_url=f"{settings.BASE_URL}/verifikasi",
        )

    # What Open Badges' Achievement needs besides (openbadges.achievement_of): the same names
    # a certificate of the training prints today.
    @property
    def training_title(self) -> str:
        return self.training.title

    @property
    def agency_name(self) -> str:
        return self.training.agency.name

    @property
    def agency_short_name(self) -> str:
        return self.training.agency.short_name

    @property
    def hours(self) -> int:
        return self.training.hours


def _signatory_print(signatory: Signatory) -> dict:
    return {
        "name": signatory.name,
        "nip": signatory.nip,
        "title": signatory.title,
        "signature": signatory.signature.name if signatory.signature else "",
    }


def signatories_for(training: Training) -> list[Signatory]:
    """The training's chosen signatories, else its agency's first active one."""
    chosen = (
        TrainingSignatories.objects.filter(training=training)
        .select_related("first", "second")
        .first()
    )
    if chosen is not None:
        return [s for s in (chosen.first, chosen.second) if s is not None]
    first = Signatory.objects.filter(agency_id=training.agency_id, is_active=True).first()
    return [first] if first else []


# --- numbering and status slots (inside the issuing transaction) ---------------------------------


def _locked(model, lookup: dict, defaults: dict):
    """The row matching `lookup`, locked FOR UPDATE; created first if missing (race-safe)."""
    row = model.objects.select_for_update().filter(**lookup).first()
    if row is None:
        model.objects.bulk_create([model(**lookup, **defaults)], ignore_conflicts=True)
        row = model.objects.select_for_update().get(**lookup)
    return row


def _lock_numbering(agency_id: int, year: int, registration_ids: list[int]):
    """The agency's counter for `year`, locked, and the certificates `registration_ids` already
    hold: every issuer of the agency waits on this lock, so those committed by another run are
    seen here and not issued twice."""
    counter = _locked(CertificateCounter, {"agency_id": agency_id, "year": year}, {})
    existing = list(Certificate.objects.filter(registration_id__in=registration_ids))
    return counter, existing


def _new_status_list(agency_id: int, number: int) -> dict:
    return {
        "scramble_a": secrets.randbelow(StatusList.SIZE // 2) * 2 + 1,  # odd: a bijection
        "scramble_b": secrets.randbelow(StatusList.SIZE),
    }


def _status_slots(agency_id: int, n: int) -> list[tuple[StatusList, int]]:
    """`n` consecutive slots of the agency's status lists (locked): the rest of the current
    list, then a new list when it is full."""
    current = (
        StatusList.objects.select_for_update()
        .filter(agency_id=agency_id)
        .order_by("-number")
        .first()
    )
    if current is None:
        current = _locked(
            StatusList, {"agency_id": agency_id, "number": 1}, _new_status_list(agency_id, 1)
        )
    slots = []
    while len(slots) < n:
        if current.allocated >= current.size:
            number = current.number + 1
            current = _locked(
                StatusList,
                {"agency_id": agency_id, "number": number},
                _new_status_list(agency_id, number),
            )
            continue
        take = min(n - len(slots), current.size - current.allocated)
        slots.extend((current, current.slot(current.allocated + i)) for i in range(take))
        StatusList.objects.filter(pk=current.pk).update(allocated=F("allocated") + take)
        current.allocated += take
    return slots


def format_number(sequence: int, agency_code: str, year: int) -> str:
    return f"{sequence:05d}/{agency_code.upper()}/E-SERT/{year}"


def new_certificate(
    registration: Registration, printed: TrainingPrint, *, today, job=None, actor=None
) -> Certificate:
    """The registration's certificate with everything it prints, not yet numbered nor saved."""
    training = printed.training
    agency = training.agency
    email = (registration.email or registration.user.email or "").strip().lower()
    salt = openbadges.new_salt()
    return Certificate(
        code=codes.new_code(),
        agency=agency,
        year=today.year,
        # By id: assigning the object would also make this unsaved draft the registration's
        # cached `certificate`, and a later look at it would take the draft for an issued one.
        registration_id=registration.pk,
        training=training,
        holder_id=registration.user_id,
        kind=printed.kind,
        holder_name=registration.full_name or registration.user.display_name,
        training_title=training.title,
        training_kind=printed.training_kind,
        agency_name=agency.name,
        agency_short_name=agency.short_name,
        city_name=printed.city_name,
        hours=training.hours,
        starts_on=printed.starts_on,
        ends_on=printed.ends_on,
        place=printed.place,
        signing_place=printed.signing_place,
        issued_on=today,
        signatories=printed.signatories,
        issued_by=actor,
        job=job,
        identity_salt=salt,
        recipient_hash=openbadges.identity_hash(email, salt),
    )


def issue_certificates(
    registrations: list[Registration], printed: TrainingPrint, *, job=None, actor=None
) -> list[Certificate]:
    """The certificate of each registration, in their order: the one it already holds, or a
    new one. All new ones in one transaction whose query count does not grow with their number
    (see the module docstring); raises if any of them cannot be created, and then none is."""
    if not registrations:
        return []
    agency = printed.training.agency
    today = timezone.localdate()
    drafts = {
        r.pk: new_certificate(r, printed, today=today, job=job, actor=actor) for r in registrations
    }
    with transaction.atomic():
        counter, existing = _lock_numbering(agency.pk, today.year, list(drafts))
        for cert in existing:
            drafts.pop(cert.registration_id, None)
        fresh = list(drafts.values())
        if fresh:
            first = counter.last_sequence + 1
            CertificateCounter.objects.filter(pk=counter.pk).update(
                last_sequence=counter.last_sequence + len(fresh)
            )
            slots = _status_slots(agency.pk, len(fresh))
            for i, (cert, (status_list, index)) in enumerate(zip(fresh, slots, strict=True)):
                cert.sequence = first + i
                cert.number = format_number(cert.sequence, agency.code, today.year)
                cert.status_list = status_list
                cert.status_index = index
            Certificate.objects.bulk_create(fresh)
            by_pk = {r.pk: r for r in registrations}
            notify_many([_issued_notice(cert, by_pk[cert.registration_id]) for cert in fresh])
    by_registration = {cert.registration_id: cert for cert in [*existing, *fresh]}
    return [by_registration[r.pk] for r in registrations]


def issue_certificate(
    registration: Registration, printed: TrainingPrint, *, job=None, actor=None
) -> Certificate:
    """The registration's certificate: the existing one, or a new one (one short transaction)."""
    try:
        existing = registration.certificate  # loaded with select_related by the job
    except Certificate.DoesNotExist:
        existing = None
    if existing is not None:
        return existing
    try:
        return issue_certificates([registration], printed, job=job, actor=actor)[0]
    except IntegrityError:
        # Another run issued this registration's certificate first; use that one.
        existing = Certificate.objects.filter(registration=registration).first()
        if existing is None:
            raise
        return existing


def _issued_notice(cert: Certificate, registration: Registration) -> dict:
    """The holder's notice of a new certificate (notify's arguments)."""
    wallet = f"{settings.BASE_URL}/sertifikat-saya/"
    verify = f"{settings.BASE_URL}/verifikasi/{cert.code}"
    body = _(
        "Halo {name},\n\nE-sertifikat Anda untuk {training} sudah terbit (nomor {number}).\n"
        "Unduh PDF dan Open Badges di {wallet}\nSiapa pun dapat memeriksa keasliannya di "
        "{verify}\n\nE-sertifikat ini bukan sertifikat kompetensi profesi (BNSP)."
    ).format(
        name=cert.holder_name,
        training=cert.training_title,
        number=cert.number,
        wallet=wallet,
        verify=verify,
    )
    return {
        "kind": "certificate_issued",
        "subject": _("E-sertifikat Anda sudah terbit: {training}").format(
            training=cert.training_title
        ),
        "body": body,
        "user": registration.user,
        "phone": registration.phone,
        "wa_text": _("E-sertifikat {training} sudah terbit. Unduh: {wallet}").format(
            training=cert.training_title, wallet=wallet
        ),
        "dedupe_key": f"certificate-issued:{cert.pk}",
    }
