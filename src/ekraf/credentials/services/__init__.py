"""Every write of the credentials app: issuing, revoking, signatories, referrals.

An issuance job works in chunks of registrations (ISSUE_CHUNK). Each chunk is one short
transaction with a constant number of queries: lock the agency's counter for the year (SELECT …
FOR UPDATE) and move it on by the chunk's size, take as many consecutive slots of the agency's
status list (also locked; a full list spills into a new one), insert the certificates (at most
one per registration: a unique constraint) and their holders' notifications in bulk. A crash
rolls all of it back, so numbers have no gaps and no duplicates. The PDFs are drawn, signed and
stored after that transaction, outside any lock, one by one (each recorded as it is stored),
and a rerun of the job draws whatever PDF is missing. One certificate per transaction spent
more time in the two locked read-modify-writes than in drawing the page.

Who gets a certificate (see docs/certificates.md):
* completion (kelulusan): a confirmed registration the training marked ``completed``;
* participation (keikutsertaan): a confirmed registration with at least one check-in, or
  marked ``completed``.
A revoked certificate stays that registration's certificate: it is not issued again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.ids import random_code
from ekraf.core.notifications import notify_many
from ekraf.core.selectors import current_city
from ekraf.core.services import audit
from ekraf.trainings.models import Attendance, Registration, Training

from .. import codes, keys, openbadges, pdf, signing, tokens
from ..models import (
    Certificate,
    CertificateCounter,
    IssuanceFailure,
    IssuanceJob,
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


# --- the PDF --------------------------------------------------------------------------------------


def pdf_storage_name(cert: Certificate) -> str:
    return f"private/credentials/pdf/{cert.year}/{cert.code}.pdf"


def draw_pdf(cert: Certificate, printed: TrainingPrint | None = None) -> bytes:
    """The signed PDF of a certificate (drawn from its snapshot)."""
    if printed is None:
        printed = TrainingPrint.of(cert.training)
    _url, qr = tokens.qr_for(
        tokens.QrClaims(
            code=cert.code,
            holder_name=cert.holder_name,
            training_title=cert.training_title,
            agency=cert.agency_short_name,
            issued_on=cert.issued_on.isoformat(),
        )
    )
    document = pdf.render(
        cert,
        qr=qr,
        logo_name=printed.logo,
        city_name=cert.city_name,
        verify_url=printed.verify_url,
    )
    return signing.pdf_signer().sign(
        document,
        reason=_("E-sertifikat {number}").format(number=cert.number),
        location=cert.signing_place or cert.city_name,
    )


PREVIEW_MARK = "CONTOH"


def preview_pdf(training: Training) -> bytes:
    """The first qualifying participant's certificate as it will print, watermarked CONTOH and
    without a number or a valid code: not signed, not stored, nothing numbered."""
    import segno

    printed = TrainingPrint.of(training)
    if not printed.signatories:
        raise DomainError(
            _("Belum ada penandatangan. Tambahkan penandatangan perangkat daerah terlebih dahulu.")
        )
    registration = (
        eligible_registrations(training).select_related("user").order_by("full_name", "pk").first()
    )
    if registration is None:
        raise DomainError(_("Belum ada peserta yang memenuhi syarat untuk dijadikan contoh."))
    draft = new_certificate(registration, printed, today=timezone.localdate())
    draft.number = _("CONTOH (nomor diberikan saat terbit)")
    draft.code = PREVIEW_MARK.ljust(codes.LENGTH, "X")[: codes.LENGTH]
    return pdf.render(
        draft,
        qr=segno.make_qr(printed.verify_url, error="m"),
        logo_name=printed.logo,
        city_name=draft.city_name,
        verify_url=printed.verify_url,
        watermark=PREVIEW_MARK,
    )


def store_pdf(cert: Certificate, printed: TrainingPrint | None = None) -> str:
    """Draw, sign and store the PDF unless it exists; record its name. Idempotent."""
    if cert.pdf:
        return cert.pdf
    data = draw_pdf(cert, printed)
    until = signing.timestamped_until(data)
    name = default_storage.save(pdf_storage_name(cert), ContentFile(data))
    stored = Certificate.objects.filter(pk=cert.pk, pdf="").update(
        pdf=name, pdf_timestamped_until=until
    )
    if stored == 0:
        default_storage.delete(name)  # another run stored it first
        cert.refresh_from_db(fields=["pdf", "pdf_timestamped_until"])
        return cert.pdf
    cert.pdf, cert.pdf_timestamped_until = name, until
    return name


# --- the Open Badges credential, signed once -------------------------------------------------------


def openbadge_storage_name(cert: Certificate) -> str:
    # A name of its own each time: re-signing (a DID bound) never overwrites what was served.
    return f"private/credentials/openbadges/{cert.year}/{cert.code}-{random_code(6)}.json"


def jwt_name(json_name: str) -> str:
    return json_name.removesuffix(".json") + ".jwt"


def store_credential(cert: Certificate, *, again: bool = False) -> str:
    """Sign the certificate's Open Badges credential (.json with its Data Integrity proof, and
    the same as a JWT) and store both, unless stored already: every download then serves these
    very bytes, whose proof says when it was made. `again` signs afresh (a DID was bound)."""
    if cert.openbadge and not again:
        return cert.openbadge
    document = openbadges.signed_credential(cert, created=None if again else cert.issued_at)
    body = json.dumps(document, ensure_ascii=False, indent=2).encode()
    token = openbadges.credential_jwt(document, cert.agency.code).encode()
    name = default_storage.save(openbadge_storage_name(cert), ContentFile(body))
    default_storage.save(jwt_name(name), ContentFile(token))
    old = cert.openbadge
    updated = Certificate.objects.filter(pk=cert.pk, openbadge=old).update(openbadge=name)
    if not updated:  # another run stored one first: serve that one
        for stale in (name, jwt_name(name)):
            default_storage.delete(stale)
        cert.refresh_from_db(fields=["openbadge"])
        return cert.openbadge
    if old:
        for stale in (old, jwt_name(old)):
            transaction.on_commit(lambda stale=stale: default_storage.delete(stale))
    cert.openbadge = name
    return name


DID_PATTERN = re.compile(r"did:[a-z0-9]+:[A-Za-z0-9._:%-]*[A-Za-z0-9._%-]")


def bind_holder_did(user, did: str) -> int:
    """The holder's DID becomes the subject of each of their credentials, re-signed now (an
    empty value removes it). Returns how many credentials were signed again."""
    did = (did or "").strip()
    if did and (len(did) > 300 or not DID_PATTERN.fullmatch(did)):
        raise DomainError(
            _("DID tidak valid. Contoh: did:key:z6Mk… atau did:web:contoh.id."), field="did"
        )
    mine = list(
        Certificate.objects.filter(holder=user)
        .exclude(holder_did=did)
        .select_related("agency", "training", "status_list")
    )
    for cert in mine:
        permissions.require(permissions.can_bind_holder_did(user, cert))
        with transaction.atomic():
            cert.holder_did = did
            cert.save(update_fields=["holder_did"])
            store_credential(cert, again=True)
    if mine:
        audit(user, "certificates.holder_did", user, detail={"count": len(mine)})
    return len(mine)


# --- issuance jobs ----------------------------------------------------------------------------------


def start_issuance(actor, training: Training, registration: Registration | None = None):
    """Queue a background job issuing the training's certificates (or one registration's).

    Asking again while a job for the training is queued or running returns that job.
    """
    permissions.require(
        permissions.can_issue_certificates(actor, training.agency_id),
        _("Hanya penyelenggara dari perangkat daerah ini yang dapat menerbitkan e-sertifikat."),
    )
    if training.status == Training.Status.CANCELLED:
        raise Conflict(_("Pelatihan ini dibatalkan; e-sertifikat tidak dapat diterbitkan."))
    if registration is not None:
        if registration.training_id != training.pk:
            raise NotFound(_("Peserta tidak ditemukan pada pelatihan ini."))
        if not eligible_registrations(training).filter(pk=registration.pk).exists():
            raise DomainError(_("Peserta ini belum memenuhi syarat e-sertifikat pelatihan ini."))
    if not signatories_for(training):
        raise DomainError(
            _("Belum ada penandatangan. Tambahkan penandatangan perangkat daerah terlebih dahulu.")
        )
    keys.keyring()  # refuse early, with a clear message, when the keys are missing
    with transaction.atomic():
        # Lock the training row: two clicks at once start one job, not two.
        Training.objects.select_for_update().filter(pk=training.pk).first()
        running = IssuanceJob.objects.filter(
            training=training,
            registration=registration,
            status__in=[IssuanceJob.Status.QUEUED, IssuanceJob.Status.RUNNING],
        ).first()
        if running is not None:
            if job_is_stalled(running):  # its worker died: carry on where it stopped
                _requeue(running)
            return running
        scope = (
            eligible_registrations(training).filter(pk=registration.pk)
            if registration
            else eligible_registrations(training)
        )
        job = IssuanceJob.objects.create(
            training=training,
            registration=registration,
            requested_by=actor,
            total=scope.count(),
        )
        audit(actor, "certificates.issue", training, detail={"job": job.public_id})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from ..tasks import issue_certificates

    try:
        result = issue_certificates.enqueue(job_id)
    except Exception:  # noqa: BLE001 - the organiser can resume the job from its page
        log.exception("could not enqueue issuance job %s", job_id)
        return
    IssuanceJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


# A certificate takes well under a second; a running job silent this long has lost its worker
# (killed, machine restarted). The database task queue never hands a task that was running
# when its worker died to another worker, so without this the job stayed "running" for ever.
STALL_AFTER = dt.timedelta(minutes=5)
# A queued job whose task could not be queued (see _enqueue) has no task id.
ENQUEUE_GRACE = dt.timedelta(minutes=1)


def job_is_stalled(job: IssuanceJob, now=None) -> bool:
    """True when an unfinished job will not move on its own and may be queued again."""
    now = now or timezone.now()
    if job.status == IssuanceJob.Status.QUEUED:
        return not job.task_id and job.created_at < now - ENQUEUE_GRACE
    if job.status == IssuanceJob.Status.RUNNING:
        last = job.progress_at or job.started_at or job.created_at
        return last < now - STALL_AFTER
    return False


def _requeue(job: IssuanceJob) -> None:
    IssuanceJob.objects.filter(pk=job.pk).update(
        status=IssuanceJob.Status.QUEUED, error="", task_id="", progress_at=timezone.now()
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()


def resume_stalled_jobs(now=None) -> int:
    """Periodic job (core.periodic, every minute): queue again every issuance whose worker died
    (killed, machine restarted), so it carries on where it stopped without anyone asking.
    Each job is locked while it is looked at: two schedulers requeue it once."""
    now = now or timezone.now()
    candidates = IssuanceJob.objects.filter(
        status__in=[IssuanceJob.Status.QUEUED, IssuanceJob.Status.RUNNING]
    ).values_list("pk", flat=True)
    resumed = 0
    for pk in list(candidates[:100]):
        with transaction.atomic():
            job = IssuanceJob.objects.select_for_update().filter(pk=pk).first()
            if job is not None and job_is_stalled(job, now):
                log.warning("issuance job %s stalled (worker gone): queued again", job.public_id)
                _requeue(job)
                resumed += 1
    return resumed


def resume_issuance(actor, job: IssuanceJob) -> IssuanceJob:
    """Queue a failed, partly failed or stalled job again (it carries on where it stopped).

    A job that is still queued or running normally is left alone: two runs of one job would
    both work (numbering is locked) but count progress twice.
    """
    permissions.require(permissions.can_issue_certificates(actor, job.training.agency_id))
    if job.status == IssuanceJob.Status.FINISHED and not job.failed:
        return job
    if job.is_active and not job_is_stalled(job):
        raise Conflict(_("Proses ini masih berjalan. Tunggu hingga selesai."))
    with transaction.atomic():
        _requeue(job)
    return job


# Registrations per issuing transaction: enough to make the locked numbering negligible per
# certificate, few enough that a chunk's rows and PDFs-to-draw stay small in memory.
ISSUE_CHUNK = 100


def run_issuance_job(job_id: int, *, chunk_size: int | None = None) -> IssuanceJob:
    """Issue every qualifying registration of the job's training that has no finished certificate.

    Idempotent and resumable: each chunk's certificates are committed together, each PDF is
    recorded as soon as it is stored; a rerun skips what is done and finishes what is not (a
    certificate whose PDF was not yet stored gets it now). One registration's failure is
    recorded with its reason and does not stop the others.
    """
    chunk_size = chunk_size or ISSUE_CHUNK
    job = IssuanceJob.objects.select_related("training__agency", "requested_by").get(pk=job_id)
    training = job.training
    scope = eligible_registrations(training)
    if job.registration_id:
        scope = scope.filter(pk=job.registration_id)
    finished = (
        scope.filter(certificate__isnull=False)
        .exclude(certificate__pdf="")
        .exclude(certificate__openbadge="")
    )
    total = scope.count()
    done = finished.count()
    IssuanceJob.objects.filter(pk=job.pk).update(
        status=IssuanceJob.Status.RUNNING,
        started_at=job.started_at or timezone.now(),
        progress_at=timezone.now(),
        total=total,
        done=done,
        error="",
    )
    printed = TrainingPrint.of(training)
    # Failures of an earlier run, cleared as their registrations succeed (no query otherwise).
    failed_before = set(job.failures.values_list("registration_id", flat=True))
    pending = (
        scope.exclude(pk__in=finished.values("pk"))
        .select_related("user", "certificate")
        .order_by("pk")
    )
    rows = pending.iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        for registration, cert in _issue_chunk(job, chunk, printed):
            _finish_one(job, registration, cert, printed, failed_before)
    IssuanceJob.objects.filter(pk=job.pk).update(
        status=IssuanceJob.Status.FINISHED,
        failed=IssuanceFailure.objects.filter(job=job).count(),
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def _issue_chunk(job: IssuanceJob, chunk: list[Registration], printed: TrainingPrint):
    """(registration, certificate) for each of the chunk, issuing what is missing in one
    transaction; if that fails (a broken row, a race with another run), one by one, so only the
    registration at fault is recorded as failed."""
    try:
        certs = issue_certificates(chunk, printed, job=job, actor=job.requested_by)
    except Exception:  # noqa: BLE001 - retried one by one below, each failure recorded
        log.warning("issuing a chunk of %s failed; one by one", len(chunk), exc_info=True)
    else:
        return list(zip(chunk, certs, strict=True))
    issued = []
    for registration in chunk:
        try:
            cert = issue_certificate(registration, printed, job=job, actor=job.requested_by)
        except Exception as exc:  # noqa: BLE001 - recorded per registration, the job goes on
            _record_failure(job, registration, exc)
            continue
        issued.append((registration, cert))
    return issued


def _finish_one(job, registration, cert, printed, failed_before: set) -> None:
    """Draw, sign and store one certificate's PDF and its Open Badges credential (outside any
    transaction); count it."""
    try:
        store_pdf(cert, printed)
        store_credential(cert)
    except Exception as exc:  # noqa: BLE001 - recorded per registration, the job goes on
        _record_failure(job, registration, exc)
        return
    if registration.pk in failed_before:
        IssuanceFailure.objects.filter(job=job, registration=registration).delete()
    IssuanceJob.objects.filter(pk=job.pk).update(done=F("done") + 1, progress_at=timezone.now())


def _record_failure(job, registration, exc: Exception) -> None:
    log.exception("issuing certificate for registration %s failed", registration.pk)
    IssuanceFailure.objects.update_or_create(
        job=job, registration=registration, defaults={"reason": _failure_reason(exc)}
    )
    IssuanceJob.objects.filter(pk=job.pk).update(progress_at=timezone.now())


def _failure_reason(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return str(exc.message)[:500]
    return f"{exc.__class__.__name__}: {exc}"[:500]


def mark_job_failed(job_id: int, error: str) -> None:
    IssuanceJob.objects.filter(pk=job_id).update(
        status=IssuanceJob.Status.FAILED, error=error[:500], finished_at=timezone.now()
    )


# --- signatories -----------------------------------------------------------------------------------


def save_signatory(actor, signatory: Signatory) -> Signatory:
    """Create or update a signatory of an agency the actor organises for."""
    permissions.require(permissions.can_manage_signatories(actor, signatory.agency_id))
    # Printed on every certificate: one line each, no control or bidi characters.
    signatory.name = validation.line(signatory.name, field="name", max_length=150)
    signatory.title = validation.line(signatory.title, field="title", max_length=200)
    signatory.full_clean()
    signatory.save()
    audit(actor, "certificates.signatory", signatory)
    return signatory


def set_training_signatories(actor, training: Training, first, second=None):
    permissions.require(permissions.can_manage_signatories(actor, training.agency_id))
    for person in (first, second):
        if person is not None and (person.agency_id != training.agency_id or not person.is_active):
            raise DomainError(
                _("Penandatangan harus pejabat aktif dari perangkat daerah penyelenggara.")
            )
    if second is not None and second.pk == first.pk:
        raise DomainError(_("Pilih dua penandatangan yang berbeda."), field="second")
    row, _created = TrainingSignatories.objects.update_or_create(
        training=training, defaults={"first": first, "second": second}
    )
    return row


# The other use cases, in modules of their own (imported last: they use the helpers above).
from .referrals import (  # noqa: E402, F401
    advance_referral,
    erase_personal_data,
    export_personal_data,
    referral_agency,
    request_referral,
    training_record,
)
from .reissue import reissue_certificate  # noqa: E402, F401
from .revocation import (  # noqa: E402, F401  # noqa: E402, F401
    clean_revocation,
    ensure_status_list_published,
    meaningful_text,
    public_reason,
    revoke_certificate,
)
