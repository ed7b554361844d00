"""Certificate day: a job issues in chunks, one numbering transaction per chunk, and sends each
chunk's notices as one task; numbers and status slots stay contiguous and issued once."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from ekraf.core.models import OutboxMessage
from ekraf.credentials import services
from ekraf.credentials.models import (
    Certificate,
    CertificateCounter,
    IssuanceFailure,
    IssuanceJob,
    StatusList,
)
from ekraf.credentials.services import files, issuance
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db

BATCH_TASK = "ekraf.core.tasks.send_outbox_messages"
SINGLE_TASK = "ekraf.core.tasks.send_outbox_message"


def run_job(training, chunk_size, actor=None):
    job = IssuanceJob.objects.create(training=training, requested_by=actor)
    return services.run_issuance_job(job.pk, chunk_size=chunk_size)


def by_sequence(training):
    return list(Certificate.objects.filter(training=training).order_by("sequence"))


@pytest.fixture
def chunk_sizes(monkeypatch):
    """The sizes of the issuing transactions a job runs."""
    sizes = []
    real = services.issue_certificates

    def spy(registrations, *args, **kwargs):
        sizes.append(len(registrations))
        return real(registrations, *args, **kwargs)

    monkeypatch.setattr(issuance, "issue_certificates", spy)
    return sizes


def test_chunks_number_contiguously_and_take_contiguous_status_slots(
    organiser, diskominfo, chunk_sizes, django_capture_on_commit_callbacks
):
    training = cf.training(diskominfo)
    registrations = cf.completers(training, 25)
    with django_capture_on_commit_callbacks(execute=True):
        job = run_job(training, chunk_size=10, actor=organiser)
    assert chunk_sizes == [10, 10, 5]
    assert (job.status, job.done, job.total, job.failed) == ("finished", 25, 25, 0)
    certs = by_sequence(training)
    assert [c.sequence for c in certs] == list(range(1, 26))
    # In registration order, one each, all drawn.
    assert [c.registration_id for c in certs] == [r.pk for r in registrations]
    assert all(c.pdf for c in certs)
    assert CertificateCounter.objects.get(agency=diskominfo).last_sequence == 25
    # The list's slots 0..24, in order (scrambled by the list's bijection).
    status_list = StatusList.objects.get(agency=diskominfo)
    assert status_list.allocated == 25
    assert [(c.status_list_id, c.status_index) for c in certs] == [
        (status_list.pk, status_list.slot(i)) for i in range(25)
    ]
    # One notice per holder, queued as one send task per chunk (not one task per e-mail).
    notices = OutboxMessage.objects.filter(kind="certificate_issued")
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted(
        r.user_id for r in registrations
    )
    batches = DBTaskResult.objects.filter(task_path=BATCH_TASK)
    assert sorted(len(t.args_kwargs["args"][0]) for t in batches) == [5, 10, 10]
    assert not DBTaskResult.objects.filter(task_path=SINGLE_TASK).exists()


def test_the_worker_sends_each_chunks_notices_once(diskominfo, django_capture_on_commit_callbacks):
    training = cf.training(diskominfo)
    registrations = cf.completers(training, 7)
    with django_capture_on_commit_callbacks(execute=True):
        run_job(training, chunk_size=3)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert DBTaskResult.objects.filter(task_path=BATCH_TASK).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.user.email for r in registrations)
    notices = OutboxMessage.objects.filter(kind="certificate_issued")
    assert set(notices.values_list("status", "attempts")) == {("sent", 1)}
    # A batch queued again (a retried task) sends nothing twice.
    ids = list(notices.values_list("pk", flat=True))
    from ekraf.core import notifications

    assert notifications.deliver_many(ids) == 0
    assert len(mail.outbox) == 7


def test_rerunning_a_chunked_job_issues_nothing_new(diskominfo, django_capture_on_commit_callbacks):
    training = cf.training(diskominfo)
    cf.completers(training, 12)
    run_job(training, chunk_size=5)
    before = set(Certificate.objects.values_list("pk", "number", "code", "status_index", "pdf"))
    messages = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = run_job(training, chunk_size=5)
    assert (job.done, job.total, job.failed) == (12, 12, 0)
    assert set(Certificate.objects.values_list("pk", "number", "code", "status_index", "pdf")) == (
        before
    )
    assert OutboxMessage.objects.count() == messages
    assert callbacks == []  # nothing queued
    assert CertificateCounter.objects.get(agency=diskominfo).last_sequence == 12
    assert StatusList.objects.get(agency=diskominfo).allocated == 12


def test_a_chunk_skips_registrations_another_run_issued_meanwhile(diskominfo):
    """Two runs racing: the second's chunk sees, under the counter lock, what the first
    committed, and numbers only the rest."""
    training = cf.training(diskominfo)
    regs = cf.completers(training, 4)
    printed = services.TrainingPrint.of(training)
    first = services.issue_certificate(regs[1], printed)
    certs = services.issue_certificates(regs, printed)
    assert certs[1].pk == first.pk
    assert [c.registration_id for c in certs] == [r.pk for r in regs]
    assert sorted(c.sequence for c in certs) == [1, 2, 3, 4]
    assert OutboxMessage.objects.filter(kind="certificate_issued").count() == 4


def test_a_pdf_failure_in_a_chunk_leaves_the_others_and_the_job_reruns(
    organiser, diskominfo, monkeypatch
):
    training = cf.training(diskominfo)
    regs = cf.completers(training, 10)
    real = services.draw_pdf

    def broken_for_fifth(cert, *args, **kwargs):
        if cert.registration_id == regs[4].pk:
            raise OSError("penyimpanan penuh")
        return real(cert, *args, **kwargs)

    monkeypatch.setattr(files, "draw_pdf", broken_for_fifth)
    job = run_job(training, chunk_size=10, actor=organiser)
    assert (job.status, job.done, job.total, job.failed) == ("finished", 9, 10, 1)
    failure = IssuanceFailure.objects.get()
    assert failure.registration == regs[4] and "penyimpanan penuh" in failure.reason
    certs = by_sequence(training)
    assert [c.sequence for c in certs] == list(range(1, 11))
    assert [c.registration_id for c in certs if not c.pdf] == [regs[4].pk]
    stuck = Certificate.objects.get(registration=regs[4])

    monkeypatch.setattr(files, "draw_pdf", real)
    job = services.run_issuance_job(job.pk, chunk_size=10)
    assert (job.status, job.done, job.total, job.failed) == ("finished", 10, 10, 0)
    assert not IssuanceFailure.objects.exists()
    again = Certificate.objects.get(registration=regs[4])
    assert (again.pk, again.number) == (stuck.pk, stuck.number) and again.pdf
    assert [c.sequence for c in by_sequence(training)] == list(range(1, 11))


def test_a_full_status_list_spills_into_a_new_one_within_a_chunk(diskominfo):
    training = cf.training(diskominfo)
    cf.completers(training, 10)
    small = StatusList.objects.create(
        agency=diskominfo, number=1, size=8, allocated=5, scramble_a=3, scramble_b=1
    )
    run_job(training, chunk_size=10)
    small.refresh_from_db()
    spilled = StatusList.objects.get(agency=diskominfo, number=2)
    assert (small.allocated, spilled.allocated, spilled.size) == (8, 7, StatusList.SIZE)
    slots = [(c.status_list_id, c.status_index) for c in by_sequence(training)]
    assert slots == [(small.pk, small.slot(i)) for i in (5, 6, 7)] + [
        (spilled.pk, spilled.slot(i)) for i in range(7)
    ]


def test_issuing_a_chunk_costs_the_same_queries_whatever_its_size(diskominfo):
    """The numbering transaction does not grow with the chunk: no per-certificate round trip
    under the locks."""
    warm = cf.training(diskominfo)
    cf.completers(warm, 1)
    run_job(warm, chunk_size=10)  # the counter and the status list exist from here on

    def queries_to_issue(n):
        training = cf.training(diskominfo)
        cf.completers(training, n)
        registrations = list(services.eligible_registrations(training).select_related("user"))
        printed = services.TrainingPrint.of(training)
        with CaptureQueriesContext(connection) as queries:
            services.issue_certificates(registrations, printed)
        assert Certificate.objects.filter(training=training).count() == n
        return len(queries)

    # (up to 24 rows of ~40 columns: SQLite splits larger inserts, 999 parameters each)
    assert queries_to_issue(3) == queries_to_issue(20)


def test_a_job_costs_the_same_queries_per_chunk(diskominfo):
    """Issuing 20, 40 and 60 with chunks of 10: each extra chunk (its transaction, its ten
    PDFs each recorded with progress) costs the same."""
    warm = cf.training(diskominfo)
    cf.completers(warm, 1)
    run_job(warm, chunk_size=10)

    def queries_for(n):
        training = cf.training(diskominfo)
        cf.completers(training, n)
        job = IssuanceJob.objects.create(training=training)
        with CaptureQueriesContext(connection) as queries:
            services.run_issuance_job(job.pk, chunk_size=10)
        return len(queries)

    q20, q40, q60 = queries_for(20), queries_for(40), queries_for(60)
    assert q60 - q40 == q40 - q20
    per_chunk = (q40 - q20) // 2
    # Its transaction: ten statements at most (savepoint, counter locked, certificates already
    # held, counter moved, status list locked and moved, two inserts, the notices' ids,
    # release); then per certificate three writes: its PDF's name, its signed Open Badges
    # credential's name, and the job's progress.
    assert per_chunk <= 10 + 3 * 10
