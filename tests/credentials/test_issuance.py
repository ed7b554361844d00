"""Journey 4: certificates issued to all who completed, in one background job, exactly once."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from ekraf.core.models import OutboxMessage
from ekraf.credentials import pdf, services
from ekraf.credentials.models import Certificate, IssuanceFailure, IssuanceJob
from ekraf.credentials.services import issuance
from tests import factories
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def sequences(training):
    return sorted(Certificate.objects.filter(training=training).values_list("sequence", flat=True))


def test_organiser_issues_to_all_who_completed_in_one_background_job(
    client, organiser, diskominfo, django_capture_on_commit_callbacks
):
    training = cf.training(diskominfo)
    done = cf.completers(training, 5)
    failed = cf.registration(training, completed=False)
    cf.registration(training, completed=True, status="cancelled")
    client.force_login(organiser)
    url = reverse("credentials:manage_training", args=[training.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "issue_all"})
    job = IssuanceJob.objects.get()
    assert response.url == reverse("credentials:job", args=[job.public_id])
    assert job.status == "queued" and job.total == 5

    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.failed) == ("finished", 5, 5, 0)
    assert {c.registration_id for c in Certificate.objects.all()} == {r.pk for r in done}
    assert not Certificate.objects.filter(registration=failed).exists()
    assert all(c.pdf for c in Certificate.objects.all())
    # Numbers: per agency and year, 1..n, no gap, printed form.
    assert sequences(training) == [1, 2, 3, 4, 5]
    year = Certificate.objects.first().year
    assert Certificate.objects.get(sequence=1).number == f"00001/DISKOMINFO/E-SERT/{year}"
    # Each holder notified once.
    notices = OutboxMessage.objects.filter(kind="certificate_issued")
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted(r.user_id for r in done)
    # The progress page shows done/total with a <progress> element, no inline style.
    page = client.get(response.url).content.decode()
    assert '<progress class="w-100 job-progress" max="5" value="5"' in page
    assert "style=" not in page
    status = client.get(reverse("credentials:job_status", args=[job.public_id])).json()
    assert status["done"] == 5 and status["total"] == 5 and status["finished"]


def test_rerunning_issues_nothing_twice(organiser, diskominfo):
    training = cf.training(diskominfo)
    cf.completers(training, 3)
    cf.issue(training, organiser)
    first = set(Certificate.objects.values_list("pk", "number", "code"))
    job = cf.issue(training, organiser)
    assert set(Certificate.objects.values_list("pk", "number", "code")) == first
    assert (job.done, job.total) == (3, 3)
    assert OutboxMessage.objects.filter(kind="certificate_issued").count() == 3


class WorkerKilled(BaseException):
    """Stands for the worker process dying: not an error the job could catch."""


def test_killed_halfway_then_rerun_gives_one_certificate_each_and_no_gap(
    organiser, diskominfo, monkeypatch
):
    training = cf.training(diskominfo)
    registrations = cf.completers(training, 7)
    real_render = pdf.render
    calls = {"n": 0}

    def render_then_die(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # three certificates finished, the fourth being drawn
            raise WorkerKilled
        return real_render(*args, **kwargs)

    monkeypatch.setattr(pdf, "render", render_then_die)
    job = IssuanceJob.objects.create(training=training, requested_by=organiser)
    with pytest.raises(WorkerKilled):
        services.run_issuance_job(job.pk)
    # The chunk's seven certificates were committed together; three PDFs were stored.
    assert Certificate.objects.count() == 7
    assert Certificate.objects.filter(pdf="").count() == 4
    job.refresh_from_db()
    assert job.done == 3

    monkeypatch.setattr(pdf, "render", real_render)
    job = services.run_issuance_job(job.pk)
    assert (job.status, job.done, job.total, job.failed) == ("finished", 7, 7, 0)
    assert sorted(Certificate.objects.values_list("registration_id", flat=True)) == sorted(
        r.pk for r in registrations
    )
    assert Certificate.objects.filter(pdf="").count() == 0
    assert sequences(training) == list(range(1, 8))


def test_a_job_whose_worker_died_is_resumed_by_asking_again(
    client, organiser, diskominfo, monkeypatch, django_capture_on_commit_callbacks
):
    """The database queue never gives a task that was running when its worker died to another
    worker, and the job stayed 'running': asking again returned the dead job, the page offered
    no way on. Now a job silent for minutes is recognised and carries on where it stopped."""
    training = cf.training(diskominfo)
    cf.completers(training, 5)
    real_render = pdf.render
    calls = {"n": 0}

    def render_then_die(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise WorkerKilled
        return real_render(*args, **kwargs)

    monkeypatch.setattr(pdf, "render", render_then_die)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_issuance(organiser, training)
    with pytest.raises(WorkerKilled):
        services.run_issuance_job(job.pk)
    monkeypatch.setattr(pdf, "render", real_render)
    job.refresh_from_db()
    assert job.status == "running" and job.done == 2

    client.force_login(organiser)
    page = client.get(reverse("credentials:job", args=[job.public_id])).content.decode()
    assert "Lanjutkan proses" not in page  # still within the grace period: not touched
    resumed = client.post(reverse("credentials:job_resume", args=[job.public_id]))
    assert resumed.status_code == 302
    job.refresh_from_db()
    assert job.status == "running"  # refused: "masih berjalan"

    long_ago = job.progress_at - services.STALL_AFTER - dt.timedelta(seconds=1)
    IssuanceJob.objects.filter(pk=job.pk).update(progress_at=long_ago)
    page = client.get(reverse("credentials:job", args=[job.public_id])).content.decode()
    assert "Lanjutkan proses" in page
    manage = reverse("credentials:manage_training", args=[training.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage, {"action": "issue_all"})
    assert response.url == reverse("credentials:job", args=[job.public_id])  # the same job
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.failed) == ("finished", 5, 5, 0)
    assert sequences(training) == [1, 2, 3, 4, 5]
    assert IssuanceJob.objects.count() == 1


def test_a_failure_is_recorded_with_its_reason_and_the_rest_go_on(
    organiser, diskominfo, monkeypatch
):
    training = cf.training(diskominfo)
    regs = cf.completers(training, 3)
    real = services.new_certificate

    def broken_for_second(registration, *args, **kwargs):
        if registration.pk == regs[1].pk:
            raise ValueError("data peserta rusak")
        return real(registration, *args, **kwargs)

    monkeypatch.setattr(issuance, "new_certificate", broken_for_second)
    job = cf.issue(training, organiser)
    assert (job.done, job.total, job.failed) == (2, 3, 1)
    failure = IssuanceFailure.objects.get()
    assert failure.registration == regs[1] and "data peserta rusak" in failure.reason
    assert not Certificate.objects.filter(registration=regs[1]).exists()
    monkeypatch.setattr(issuance, "new_certificate", real)
    job = services.run_issuance_job(job.pk)
    assert (job.done, job.total, job.failed) == (3, 3, 0)
    assert sequences(training) == [1, 2, 3]


def test_participation_certificates_go_to_confirmed_participants_who_attended(diskopindag):
    training = cf.training(diskopindag, kind="participation")
    attended = cf.registration(training, completed=None, attended=True)
    marked = cf.registration(training, completed=True)
    cf.registration(training, completed=None, attended=False)  # registered, never came
    cf.registration(training, completed=None, attended=True, status="cancelled")
    cf.issue(training)
    assert set(Certificate.objects.values_list("registration_id", flat=True)) == {
        attended.pk,
        marked.pk,
    }
    assert set(Certificate.objects.values_list("kind", flat=True)) == {"participation"}


def test_numbers_are_per_agency(diskominfo, diskopindag):
    a = cf.training(diskominfo)
    b = cf.training(diskopindag)
    cf.completers(a, 2)
    cf.completers(b, 2)
    cf.issue(a)
    cf.issue(b)
    assert sequences(a) == [1, 2] and sequences(b) == [1, 2]
    assert Certificate.objects.filter(number__contains="/DISKOPINDAG/").count() == 2


def test_one_participant_and_the_rules_of_who_may_issue(
    client, organiser, other_organiser, diskominfo, django_capture_on_commit_callbacks
):
    training = cf.training(diskominfo)
    one, _other = cf.completers(training, 2)
    not_yet = cf.registration(training, completed=False)
    with pytest.raises(services.DomainError):
        services.start_issuance(other_organiser, training)
    with pytest.raises(services.DomainError):
        services.start_issuance(organiser, training, not_yet)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("credentials:manage_training", args=[training.public_id]),
            {"action": "issue_one", "registration": one.pk},
        )
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    assert list(Certificate.objects.values_list("registration_id", flat=True)) == [one.pk]
    client.force_login(other_organiser)
    url = reverse("credentials:manage_training", args=[training.public_id])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("value", ["abc", "", "99999999999999999999999", "1.5", "²"])
def test_issuing_to_a_participant_that_is_not_a_number_is_404(client, organiser, diskominfo, value):
    training = cf.training(diskominfo)
    cf.completers(training, 1)
    client.force_login(organiser)
    response = client.post(
        reverse("credentials:manage_training", args=[training.public_id]),
        {"action": "issue_one", "registration": value},
    )
    assert response.status_code == 404  # was a ValueError (500) for anything but digits
    assert not IssuanceJob.objects.exists()


def test_asking_twice_while_queued_returns_the_same_job(organiser, diskominfo):
    training = cf.training(diskominfo)
    cf.completers(training, 2)
    assert services.start_issuance(organiser, training) == services.start_issuance(
        organiser, training
    )


def test_no_signatory_no_issuance(organiser, diskominfo):
    training = cf.training(diskominfo, signed=False)
    cf.completers(training, 1)
    with pytest.raises(services.DomainError, match="penandatangan"):
        services.start_issuance(organiser, training)


def test_signatories_are_chosen_per_training(client, organiser, diskominfo):
    training = cf.training(diskominfo)
    head = cf.signatory(diskominfo, name="Kepala")
    secretary = cf.signatory(diskominfo, name="Sekretaris", title="Sekretaris Dinas")
    client.force_login(organiser)
    client.post(
        reverse("credentials:manage_training", args=[training.public_id]),
        {"action": "signatories", "first": head.pk, "second": secretary.pk},
    )
    cf.registration(training)
    cf.issue(training)
    printed = Certificate.objects.get().signatories
    assert [p["name"] for p in printed] == ["Kepala", "Sekretaris"]
    assert printed[1]["title"] == "Sekretaris Dinas"


def test_signatory_pages_for_organisers(client, organiser, diskominfo, creator_user):
    client.force_login(organiser)
    response = client.post(
        reverse("credentials:signatories"),
        {
            "agency": diskominfo.pk,
            "name": "Drs. Ahmad",
            "nip": "1970 0101 199503 1 001",
            "title": "Kepala Dinas",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert diskominfo.signatories.get().nip == "197001011995031001"
    bad = client.post(
        reverse("credentials:signatories"),
        {"agency": diskominfo.pk, "name": "X", "nip": "123", "title": "Y"},
    )
    assert "18 digit" in bad.content.decode()
    client.force_login(creator_user)
    assert client.get(reverse("credentials:signatories")).status_code == 403


def _picture(fmt: str, size: tuple[int, int], mode: str = "L") -> io.BytesIO:
    out = io.BytesIO()
    Image.new(mode, size, "white").save(out, fmt)
    out.seek(0)
    out.name = f"ttd.{fmt.lower()}"
    return out


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _picture("GIF", (300, 100)), "harus berupa gambar JPG, PNG"),
        (lambda: _picture("BMP", (300, 100)), "harus berupa gambar JPG, PNG"),
        # A blank 5,000 x 5,000 PNG is a few dozen KB, and 25 megapixels to decode.
        (lambda: _picture("PNG", (5_000, 5_000)), "terlalu besar"),
        (lambda: _picture("BMP", (1200, 1000), "RGB"), "paling besar 2 MB"),
    ],
)
def test_signature_images_are_checked(client, organiser, diskominfo, upload, message):
    client.force_login(organiser)
    response = client.post(
        reverse("credentials:signatories"),
        {
            "agency": diskominfo.pk,
            "name": "Drs. Ahmad",
            "title": "Kepala Dinas",
            "is_active": "on",
            "signature": upload(),
        },
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["signature"])
    assert not diskominfo.signatories.exists()
    good = _picture("PNG", (600, 200))
    response = client.post(
        reverse("credentials:signatories"),
        {"agency": diskominfo.pk, "name": "Drs. Ahmad", "title": "Kepala", "signature": good},
    )
    assert response.status_code == 302 and diskominfo.signatories.get().signature


def test_issuing_needs_keys(organiser, diskominfo, settings, tmp_path):
    from ekraf.credentials import keys

    settings.CREDENTIAL_KEYS_DIR = tmp_path / "nothing-here"
    keys.forget()
    training = cf.training(diskominfo)
    cf.completers(training, 1)
    with pytest.raises(keys.KeysMissing, match="credential_keys init"):
        services.start_issuance(organiser, training)


def test_manage_list_shows_counts(client, organiser, diskominfo):
    training = cf.training(diskominfo, title="Bimtek Foto Produk")
    cf.completers(training, 2)
    cf.issue(training)
    client.force_login(organiser)
    body = client.get(reverse("credentials:manage")).content.decode()
    assert "Bimtek Foto Produk" in body


def test_holder_name_is_the_registration_name(diskominfo):
    training = cf.training(diskominfo)
    person = factories.user("x", full_name="Nama Akun")
    cf.registration(training, person, name="Nama di Pendaftaran")
    cf.issue(training)
    assert Certificate.objects.get().holder_name == "Nama di Pendaftaran"
