"""The committee's dashboard: creators by subsector and kecamatan, trainings and completion,
certificates over time; for committee members and administrators only; a fixed number of
queries however large the city."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ekraf.core.models import Region, Subsector
from ekraf.creators.models import CreatorProfile
from ekraf.credentials.models import Certificate, StatusList
from ekraf.trainings.models import QuotaCategory, Registration, Training
from tests import factories

pytestmark = pytest.mark.django_db
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def komite(city):
    return factories.user("komite", role="committee")


def creator(subsectors=(), village="Dinoyo", deleted=False):
    user = factories.user("kreator")
    profile = CreatorProfile.objects.create(
        user=user,
        full_name=user.full_name,
        kelurahan=factories.village(village) if village else None,
        deleted_at=timezone.now() if deleted else None,
    )
    profile.subsectors.set(Subsector.objects.filter(code__in=subsectors))
    return profile


def training(agency, status="finished", participants=(), title=None):
    obj = Training.objects.create(
        agency=agency, title=title or f"Bimtek {next(_seq)}", status=status, hours=8
    )
    category = QuotaCategory.objects.create(training=obj, name="Umum", seats=100)
    for completed in participants:
        user = factories.user("peserta")
        Registration.objects.create(
            training=obj,
            category=category,
            user=user,
            status="confirmed",
            full_name=user.full_name,
            completed=completed,
        )
    return obj


def certificate(registration, issued_on, revoked=False):
    n = next(_seq)
    status_list, _ = StatusList.objects.get_or_create(
        agency=registration.training.agency,
        number=1,
        defaults={"scramble_a": 1, "scramble_b": 0},
    )
    return Certificate.objects.create(
        status_list=status_list,
        status_index=n,
        identity_salt="garam",
        recipient_hash="sha256$uji",
        code=f"CODE{n:08d}",
        number=f"{n}/DISKOMINFO/2024",
        agency=registration.training.agency,
        year=issued_on.year,
        sequence=n,
        registration=registration,
        training=registration.training,
        holder=registration.user,
        kind="completion",
        holder_name=registration.full_name,
        training_title=registration.training.title,
        training_kind="Bimtek",
        agency_name="Dinas Komunikasi dan Informatika",
        agency_short_name="Diskominfo",
        issued_on=issued_on,
        revoked_at=timezone.now() if revoked else None,
        revoked_reason="Data peserta keliru" if revoked else "",
    )


def test_only_the_committee_and_administrators_see_it(
    client, komite, admin_user, creator_user, organiser
):
    assert client.get("/dasbor/").status_code == 302  # to the login page
    for user, status in ((creator_user, 403), (organiser, 403), (komite, 200), (admin_user, 200)):
        client.force_login(user)
        assert client.get("/dasbor/").status_code == status
    client.force_login(komite)
    assert "/dasbor/" in client.get("/").content.decode()  # in the Kelola menu


def test_the_figures(client, komite, diskominfo, diskopindag):
    creator(["kuliner", "fotografi"], "Dinoyo")
    creator(["fotografi"], "Dinoyo")
    creator(["fotografi"], "Sumbersari")
    creator([], None)
    creator(["kuliner"], "Dinoyo", deleted=True)  # left the registry: not counted
    done = training(diskominfo, participants=[True, True, True, False])
    training(diskominfo, status="published", participants=[None, None])  # not finished yet
    training(diskopindag, participants=[True, False])
    training(diskopindag, status="draft")  # not announced: not counted
    registrations = list(done.registrations.filter(completed=True).order_by("pk"))
    certificate(registrations[0], dt.date(2024, 1, 25))
    certificate(registrations[1], dt.date(2024, 1, 26), revoked=True)
    certificate(registrations[2], dt.date(2024, 3, 2))

    client.force_login(komite)
    response = client.get("/dasbor/")
    data = response.context["data"]
    assert data.creators == 4
    by_subsector = {row.label: row.count for row in data.by_subsector}
    assert by_subsector["Fotografi"] == 3 and by_subsector["Kuliner"] == 1
    assert len(by_subsector) == 17  # every subsector, with zero where nobody is
    kecamatan_of = {
        village: Region.objects.get(name=village, level="kelurahan").parent.name
        for village in ("Dinoyo", "Sumbersari")
    }
    by_kecamatan = {row.label: row.count for row in data.by_kecamatan}
    assert by_kecamatan[kecamatan_of["Dinoyo"]] == 2 + (
        kecamatan_of["Sumbersari"] == kecamatan_of["Dinoyo"]
    )
    assert by_kecamatan["Belum diisi / luar kota"] == 1
    assert sum(by_kecamatan.values()) == 4
    rows = {row.agency: row for row in data.trainings}
    assert (rows["Diskominfo"].trainings, rows["Diskominfo"].finished) == (2, 1)
    assert (rows["Diskominfo"].participants, rows["Diskominfo"].completed) == (4, 3)
    assert rows["Diskopindag"].trainings == 1 and rows["Diskopindag"].completion_rate == 0.5
    assert (data.participants, data.completed) == (6, 4)
    months = [(m.month.strftime("%Y-%m"), m.issued, m.revoked) for m in data.certificates_by_month]
    assert months == [("2024-01", 2, 1), ("2024-03", 1, 0)]
    body = response.content.decode()
    assert "Januari 2024" in body and "Maret 2024" in body
    assert "67%" in body  # 4 of 6 participants completed


def test_queries_do_not_grow_with_the_city(client, komite, diskominfo, django_assert_num_queries):
    client.force_login(komite)
    creator(["kuliner"])
    training(diskominfo, participants=[True])
    client.get("/dasbor/")  # warm: session, city, permissions
    with CaptureQueriesContext(connection) as small:
        client.get("/dasbor/")
    for n in range(15):
        creator(["kuliner", "musik"], "Sumbersari" if n % 2 else "Dinoyo")
    for _ in range(4):
        reg = training(diskominfo, participants=[True, False]).registrations.first()
        certificate(reg, dt.date(2024, 1 + _, 10))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/dasbor/")
