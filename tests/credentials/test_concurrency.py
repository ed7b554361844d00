"""Numbers under concurrent issuance: no gap, no duplicate (real connections, PostgreSQL)."""

import threading

import pytest
from django.db import connection

from ekraf.credentials import services
from ekraf.credentials.models import Certificate, IssuanceJob
from ekraf.trainings.models import Registration
from tests.credentials import factories as cf

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("one_connection_per_thread"),
]


def in_threads(target, args_list):
    barrier = threading.Barrier(len(args_list))
    errors = []

    def run(*args):
        try:
            barrier.wait()
            target(*args)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_parallel_issuance_across_trainings_numbers_without_gap_or_duplicate(diskominfo):
    trainings = [cf.training(diskominfo) for _ in range(4)]
    for training in trainings:
        cf.completers(training, 6)

    def issue_training(training_id):
        training = trainings[[t.pk for t in trainings].index(training_id)]
        printed = services.TrainingPrint.of(training)
        for registration in Registration.objects.filter(training_id=training_id):
            services.issue_certificate(registration, printed)

    in_threads(issue_training, [(t.pk,) for t in trainings])
    sequences = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 25))
    assert Certificate.objects.values("status_index").distinct().count() == 24


def test_two_workers_on_the_same_job_issue_each_registration_once(diskominfo):
    training = cf.training(diskominfo)
    registrations = cf.completers(training, 8)
    job = IssuanceJob.objects.create(training=training)
    in_threads(services.run_issuance_job, [(job.pk,), (job.pk,), (job.pk,)])
    assert sorted(Certificate.objects.values_list("registration_id", flat=True)) == sorted(
        r.pk for r in registrations
    )
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == list(range(1, 9))
    assert not Certificate.objects.filter(pdf="").exists()
