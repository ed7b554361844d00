"""Faults (issue 9, point 11): a worker killed mid-job is resumed by the periodic jobs without
anyone asking; the outbox retries with backoff, gives up after a bounded number of attempts and
shows the failures to staff; a database that drops the connection mid-request answers a clear
503 page and writes nothing."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import timezone

from ekraf.core import notifications, periodic
from ekraf.core.models import OutboxMessage
from ekraf.credentials import pdf, services
from ekraf.credentials.models import IssuanceJob
from tests.credentials import factories as cf
from tests.credentials.conftest import _signing_keys  # noqa: F401 - the issuance needs keys

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """What SIGKILL does to the job: nothing after it runs, no except clause catches it."""


def test_a_killed_issuance_is_resumed_by_the_periodic_jobs(
    organiser, diskominfo, monkeypatch, django_capture_on_commit_callbacks
):
    training = cf.training(diskominfo)
    cf.completers(training, 4)
    real_render = pdf.render
    calls = {"n": 0}

    def render_then_die(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise WorkerKilled
        return real_render(*args, **kwargs)

    monkeypatch.setattr(pdf, "render", render_then_die)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_issuance(organiser, training)
    with pytest.raises(WorkerKilled):
        services.run_issuance_job(job.pk)
    monkeypatch.setattr(pdf, "render", real_render)
    job.refresh_from_db()
    assert job.status == "running" and job.done == 1

    # Within the grace period the periodic jobs leave it alone (its worker may be alive) …
    with django_capture_on_commit_callbacks(execute=True):
        assert periodic.run_all()["credentials-resume-stalled-jobs"] == 0
    # … past it, they queue it again, and the worker finishes it: nobody asked.
    IssuanceJob.objects.filter(pk=job.pk).update(
        progress_at=timezone.now() - services.STALL_AFTER - dt.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert periodic.run_all()["credentials-resume-stalled-jobs"] == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.failed) == ("finished", 4, 4, 0)
    assert IssuanceJob.objects.count() == 1


def _failing_message():
    return notifications.notify(kind="uji", subject="Uji", body="Isi", email="penerima@contoh.id")


def test_the_outbox_retries_with_backoff_and_gives_up_after_a_bounded_number(
    city, monkeypatch, settings
):
    def smtp_down(self, fail_silently=False):
        raise OSError("Connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", smtp_down)
    message = _failing_message()
    pauses = []
    for _attempt in range(notifications.MAX_ATTEMPTS):
        assert notifications.send_pending() == 0
        message.refresh_from_db()
        if message.status == OutboxMessage.Status.FAILED:
            break
        pauses.append(message.next_attempt_at - timezone.now())
        # Not due yet: the sweep leaves it alone.
        before = message.attempts
        notifications.send_pending()
        message.refresh_from_db()
        assert message.attempts == before
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == notifications.MAX_ATTEMPTS
    assert all(later > earlier for earlier, later in zip(pauses, pauses[1:], strict=False))
    assert pauses[0] <= dt.timedelta(minutes=1) and pauses[-1] >= dt.timedelta(minutes=60)
    notifications.send_pending()
    message.refresh_from_db()
    assert message.attempts == notifications.MAX_ATTEMPTS  # given up: not tried again


def test_staff_see_failed_messages_and_can_send_them_again(
    client, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    message = _failing_message()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED, attempts=8, error="SMTPServerDisconnected: putus"
    )
    client.force_login(admin_user)
    page = client.get("/admin/core/outboxmessage/?status__exact=failed").content.decode()
    assert "SMTPServerDisconnected: putus" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/core/outboxmessage/",
            {"action": "send_again", "_selected_action": [message.pk]},
        )
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)  # queued again, from zero
    assert notifications.send_pending() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


# --- the database drops the connection mid-request ---------------------------------------------


def _write_then_lose_the_connection(request):
    from ekraf.core.models import Subsector

    with transaction.atomic():
        Subsector.objects.filter(code="kuliner").update(name_id="SETENGAH TERTULIS")
        pid = connection.connection.info.backend_pid
        # Another session kills this request's backend, as a restart or a failover would.
        _terminate(pid)
        Subsector.objects.filter(code="kuliner").update(name_id="TIDAK SAMPAI")
    return HttpResponse("tidak sampai")


def _terminate(pid: int) -> None:
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


# The site's own routes too: its middleware (the two-factor hold) and the 503 page reverse them.
urlpatterns = [path("uji/putus/", _write_then_lose_the_connection), path("", include("ekraf.urls"))]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_gives_a_503_page_and_writes_nothing(city):
    from ekraf.core.models import Subsector

    before = Subsector.objects.get(code="kuliner").name_id
    with override_settings(ROOT_URLCONF=__name__):
        response = Client(raise_request_exception=False).get("/uji/putus/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "Layanan sedang terganggu" in body and "Traceback" not in body
    assert response["Retry-After"] == "30"
    connection.close()
    assert Subsector.objects.get(code="kuliner").name_id == before  # nothing half-written
