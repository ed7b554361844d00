"""Races that only a real database can show: the same NIK twice, the same import twice."""

import io
import threading

import pytest
from django.db import connection

from ekraf.core.errors import Conflict
from ekraf.creators import imports, services
from ekraf.creators.models import CreatorProfile, ImportBatch
from tests import factories
from tests.creators import factories as cf

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("one_connection_per_thread"),
]


def _race(*jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_accounts_racing_for_one_nik(city):
    a = cf.creator(gender="L", password=None)
    b = cf.creator(gender="L", password=None)

    def claim(profile):
        return lambda: services.update_profile(
            profile.user,
            CreatorProfile.objects.get(pk=profile.pk),
            services.ProfileInput(nik=cf.NIK_MAN, phone="+6281234567890"),
        )

    results = _race(claim(a), claim(b))
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1
    assert isinstance(failures[0], Conflict | services.ProfileInvalid)
    assert CreatorProfile.objects.exclude(nik_hash="").count() == 1


def test_one_import_committed_twice_at_once(city):
    organiser = factories.user("org", role="organiser", agency=factories.agency("diskominfo"))
    content = io.BytesIO(
        cf.xlsx_bytes([cf.GOOGLE_FORMS_HEADERS] + [cf.forms_row(i) for i in range(1, 31)])
    )
    content.name = "peserta.xlsx"
    content.size = len(content.getvalue())
    batch = imports.start(organiser, factories.agency("diskominfo"), content)
    imports.preview(organiser, batch)

    def commit():
        return imports.commit(organiser, ImportBatch.objects.get(pk=batch.pk))

    results = _race(commit, commit)
    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert CreatorProfile.objects.filter(import_batch=batch).count() == 30
