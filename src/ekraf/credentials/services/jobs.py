"""Issuance jobs: an issuance runs in the background in chunks of registrations
(ISSUE_CHUNK), each chunk one transaction (services.issuance), its PDFs and credentials stored
after it one by one, each recorded as it is stored; a rerun draws whatever is missing, and the
periodic jobs resume a job whose worker died."""

from __future__ import annotations

import datetime as dt
import logging
from itertools import islice

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.services import audit
from ekraf.trainings.models import Registration, Training

from .. import keys
from ..models import (
    IssuanceFailure,
    IssuanceJob,
)
from . import files, issuance

log = logging.getLogger(__name__)


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
        if not issuance.eligible_registrations(training).filter(pk=registration.pk).exists():
            raise DomainError(_("Peserta ini belum memenuhi syarat e-sertifikat pelatihan ini."))
    if not issuance.signatories_for(training):
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
            issuance.eligible_registrations(training).filter(pk=registration.pk)
            if registration
            else issuance.eligible_registrations(training)
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
    from ..tasks import issue_certificates  # the task, not issuance.issue_certificates

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
    scope = issuance.eligible_registrations(training)
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
    printed = issuance.TrainingPrint.of(training)
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


def _issue_chunk(job: IssuanceJob, chunk: list[Registration], printed: issuance.TrainingPrint):
    """(registration, certificate) for each of the chunk, issuing what is missing in one
    transaction; if that fails (a broken row, a race with another run), one by one, so only the
    registration at fault is recorded as failed."""
    try:
        certs = issuance.issue_certificates(chunk, printed, job=job, actor=job.requested_by)
    except Exception:  # noqa: BLE001 - retried one by one below, each failure recorded
        log.warning("issuing a chunk of %s failed; one by one", len(chunk), exc_info=True)
    else:
        return list(zip(chunk, certs, strict=True))
    issued = []
    for registration in chunk:
        try:
            cert = issuance.issue_certificate(
                registration, printed, job=job, actor=job.requested_by
            )
        except Exception as exc:  # noqa: BLE001 - recorded per registration, the job goes on
            _record_failure(job, registration, exc)
            continue
        issued.append((registration, cert))
    return issued


def _finish_one(job, registration, cert, printed, failed_before: set) -> None:
    """Draw, sign and store one certificate's PDF and its Open Badges credential (outside any
    transaction); count it."""
    try:
        files.store_pdf(cert, printed)
        files.store_credential(cert)
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
