"""Staff search the city's registry, export it (never the NIK) and reveal a NIK (audited)."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ekraf.core import spreadsheets
from ekraf.core.errors import DomainError, NotAllowed
from ekraf.core.models import AuditEvent
from ekraf.core.selectors import clear_city_memo
from ekraf.creators import exports, services
from tests import factories
from tests.creators import factories as cf

pytestmark = pytest.mark.django_db

LIST = reverse("creators:staff_list")


@pytest.fixture
def agency_staff(city):
    return factories.user("staf", role="agency_staff", agency=factories.agency("disporapar"))


def names(response) -> set[str]:
    return {p.full_name for p in response.context["page"]}


def test_who_sees_the_registry(client, creator_user, organiser, agency_staff, admin_user):
    client.force_login(creator_user)
    assert client.get(LIST).status_code == 403
    for user in (organiser, agency_staff, admin_user):
        client.force_login(user)
        assert client.get(LIST).status_code == 200
    client.logout()
    assert client.get(LIST).status_code == 302


def test_search_by_name_email_phone_and_handle(client, organiser):
    # Both consent to the talent directory: phone and e-mail are searchable only when visible
    # (test_contact_consent.py).
    ayu = cf.creator(
        "Ayu Kartika",
        phone="+6281234567890",
        channels=[("tiktok", "@kuliner.ngalam", 10)],
        public=True,
    )
    cf.creator("Budi Santoso", email="budi.santoso@contoh.id", village="Klojen", public=True)
    client.force_login(organiser)
    assert names(client.get(LIST, {"q": "kartika"})) == {"Ayu Kartika"}
    assert names(client.get(LIST, {"q": "budi.santoso@"})) == {"Budi Santoso"}
    assert names(client.get(LIST, {"q": "0812-3456"})) == {"Ayu Kartika"}
    assert names(client.get(LIST, {"q": "+62 812 3456 7890"})) == {"Ayu Kartika"}
    assert names(client.get(LIST, {"q": "@kuliner.ngalam"})) == {"Ayu Kartika"}
    assert names(client.get(LIST, {"q": "tidak ada"})) == set()
    assert ayu.public_id in client.get(LIST, {"q": "ayu"}).content.decode()


def test_filters(client, organiser):
    a = cf.creator(
        "Satu", village="Dinoyo", subsectors=("kuliner",), channels=[("youtube", "@satuu", 1)]
    )
    services.update_profile(a.user, a, services.ProfileInput(pathways=["narasumber"]))
    cf.creator(
        "Dua", village="Tlogomas", subsectors=("fotografi",), channels=[("instagram", "@dua", 1)]
    )
    cf.creator("Tiga", village="Klojen", subsectors=("kuliner", "fotografi"))
    client.force_login(organiser)
    assert names(client.get(LIST, {"subsector": "kuliner"})) == {"Satu", "Tiga"}
    assert names(client.get(LIST, {"kecamatan": "35.73.05"})) == {"Satu", "Dua"}  # Lowokwaru
    assert names(client.get(LIST, {"kelurahan": "35.73.05.1003"})) == {"Dua"}  # Tlogomas
    assert names(client.get(LIST, {"platform": "youtube"})) == {"Satu"}
    assert names(client.get(LIST, {"pathway": "narasumber"})) == {"Satu"}
    assert names(client.get(LIST, {"subsector": "fotografi", "kecamatan": "35.73.02"})) == {"Tiga"}
    # Deleted profiles are gone from the registry.
    services.erase_profile(a.user)
    assert "Satu" not in names(client.get(LIST))


def test_paging(client, organiser):
    cf.bulk_creators(27)
    client.force_login(organiser)
    first = client.get(LIST)
    assert len(first.context["page"]) == 25
    assert first.context["page"].paginator.count == 27
    second = client.get(LIST, {"hal": 2})
    assert len(second.context["page"]) == 2
    assert "Halaman 1 dari 2" in first.content.decode()


def _queries(client, url, params=None) -> int:
    clear_city_memo()  # each count includes reading the city (memoised per process)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx)


def test_list_and_profile_pages_run_a_constant_number_of_queries(client, organiser):
    one = cf.bulk_creators(1, prefix="Satu")[0]
    client.force_login(organiser)
    list_with_one = _queries(client, LIST)
    detail_simple = _queries(client, reverse("creators:staff_detail", args=[one.public_id]))
    many = cf.bulk_creators(20, prefix="Banyak")
    richest = many[-1]
    services.update_profile(
        richest.user,
        richest,
        services.ProfileInput(
            subsectors=["fotografi", "kuliner", "fesyen", "musik", "kriya"],
            skills="a, b, c, d, e, f",
            pathways=["narasumber", "motivator", "content_creator"],
            nik=cf.NIK_MAN,
        ),
    )
    assert _queries(client, LIST) == list_with_one
    assert _queries(client, LIST, {"q": "Banyak", "subsector": "kuliner"}) == _queries(
        client, LIST, {"q": "Satu", "subsector": "kuliner"}
    )
    assert (
        _queries(client, reverse("creators:staff_detail", args=[richest.public_id]))
        == detail_simple
    )


def test_staff_profile_page_and_nik_reveal_is_audited(client, organiser, agency_staff):
    profile = cf.creator("Rahasia", nik=cf.NIK_MAN, gender="L", phone="+6281234567890")
    profile.source_agency = organiser.role_grants.get().agency  # the organiser's agency imported
    profile.save(update_fields=["source_agency"])
    url = reverse("creators:staff_detail", args=[profile.public_id])
    client.force_login(agency_staff)
    body = client.get(url).content.decode()
    assert "3573••••••••0012" in body and cf.NIK_MAN not in body
    assert "Tampilkan NIK lengkap" not in body  # agency staff may not reveal
    assert client.post(url, {"reason": "ingin tahu"}).status_code == 403
    assert not AuditEvent.objects.filter(action="creators.nik_revealed").exists()

    client.force_login(organiser)
    body = client.get(url).content.decode()
    assert "Tampilkan NIK lengkap" in body
    assert cf.NIK_MAN not in client.post(url, {"reason": ""}).content.decode()  # reason needed
    assert not AuditEvent.objects.filter(action="creators.nik_revealed").exists()
    response = client.post(url, {"reason": "verifikasi peserta bimtek"})
    assert cf.NIK_MAN in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="creators.nik_revealed")
    assert event.actor == organiser
    assert event.target_id == str(profile.pk)
    assert event.detail == {"masked": "3573••••••••0012", "reason": "verifikasi peserta bimtek"}
    assert event.ip == "127.0.0.1"


def _export(client, fmt, **params):
    response = client.get(reverse("creators:staff_export", args=[fmt]), params)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def test_export_csv_and_xlsx_without_nik(client, organiser, agency_staff):
    cf.creator(
        "Ayu Kartika",
        nik=cf.NIK_WOMAN,
        gender="P",
        phone="+6281234567890",
        channels=[("instagram", "@ayu", 100), ("tiktok", "@ayu.tt", 50)],
        public=True,  # consents to the talent directory: her contact is exported
    )
    cf.creator('=HYPERLINK("http://jahat")', village="Klojen", subsectors=("kuliner",))
    client.force_login(agency_staff)
    assert client.get(reverse("creators:staff_export", args=["csv"])).status_code == 403
    client.force_login(organiser)

    content = _export(client, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:4] == ["ID publik", "Nama lengkap", "Nama tampilan", "Email"]
    assert len(rows) == 3
    ayu = next(r for r in rows if r[1] == "Ayu Kartika")
    assert "+6281234567890" in ayu  # a phone number is not treated as a formula
    assert "150" in ayu  # total followers
    assert '\'=HYPERLINK("http://jahat")' in [r[1] for r in rows]
    for secret in (cf.NIK_WOMAN, "3573••••••••0013", "NIK"):
        assert secret not in content

    # Filters apply to the export too.
    filtered = _export(client, "csv", subsector="kuliner").decode("utf-8-sig")
    assert "Ayu Kartika" not in filtered and "HYPERLINK" in filtered

    workbook = load_workbook(io.BytesIO(_export(client, "xlsx")), read_only=True)
    cells = [[c for c in row] for row in workbook.active.iter_rows(values_only=True)]
    assert len(cells) == 3
    flat = " ".join(str(c) for row in cells for c in row)
    assert "Ayu Kartika" in flat
    assert cf.NIK_WOMAN not in flat and "••••" not in flat


def test_the_export_dates_registrations_in_wib(client, organiser):
    profile = cf.creator("Dini Hari")
    # 03:00 WIB on 25 January is still 24 January in UTC.
    registered = dt.datetime(2024, 1, 24, 20, 0, tzinfo=dt.UTC)
    services.CreatorProfile.objects.filter(pk=profile.pk).update(created_at=registered)
    client.force_login(organiser)
    rows = list(csv.reader(io.StringIO(_export(client, "csv").decode("utf-8-sig"))))
    assert rows[1][1] == "Dini Hari" and rows[1][-1] == "2024-01-25"


def test_export_reads_in_chunks(organiser, monkeypatch):
    """The export iterates the queryset in chunks (never the whole table in memory)."""
    cf.bulk_creators(3)
    seen = {}
    real_iterator = type(services.CreatorProfile.objects.all()).iterator

    def spy(self, chunk_size=None):
        seen["chunk_size"] = chunk_size
        return real_iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(type(services.CreatorProfile.objects.all()), "iterator", spy)
    from ekraf.creators import selectors

    queryset = selectors.search_creators(selectors.CreatorFilters(), viewer=organiser)
    rows = list(spreadsheets.csv_stream(exports.headers(), exports.rows(queryset, organiser)))
    assert len(rows) == 1 + 1 + 3  # BOM, header, three creators
    assert seen["chunk_size"] == exports.CHUNK


def _revealable(agency=None, serial="0012"):
    profile = cf.creator("Rahasia", nik=cf.NIK_MAN[:12] + serial, gender="L")
    if agency is not None:
        profile.source_agency = agency
        profile.save(update_fields=["source_agency"])
    return profile


@pytest.mark.parametrize(
    "reason",
    ["", "xxxxx", "xxxxxxxxxxxxxxxxxxxx", "aaaa aaaa aaaa aaaa", "test test test test", "cek"],
)
def test_nik_reveal_needs_a_meaningful_reason(organiser, diskominfo, reason):
    profile = _revealable(diskominfo)
    with pytest.raises(DomainError) as exc:
        services.reveal_nik(organiser, profile, reason=reason)
    assert exc.value.field == "reason"
    assert not AuditEvent.objects.filter(action="creators.nik_revealed").exists()


def test_nik_reveal_is_limited_to_staff_related_to_the_person(
    organiser, other_organiser, diskominfo, admin_user
):
    """Organisers reveal only people their agency imported or who registered for one of the
    agency's trainings; administrators any (always audited)."""
    from tests.trainings import factories as tf

    why = "verifikasi identitas peserta bimtek"
    stranger = _revealable(serial="0031")
    with pytest.raises(NotAllowed):
        services.reveal_nik(organiser, stranger, reason=why)
    imported = _revealable(diskominfo)
    assert services.reveal_nik(organiser, imported, reason=why) == cf.NIK_MAN
    with pytest.raises(NotAllowed):
        services.reveal_nik(other_organiser, imported, reason=why)
    registrant = _revealable(serial="0047")
    tf.register(tf.training(diskominfo), registrant.user)
    assert services.reveal_nik(organiser, registrant, reason=why).endswith("0047")
    with pytest.raises(NotAllowed):
        services.reveal_nik(other_organiser, registrant, reason=why)
    assert services.reveal_nik(admin_user, stranger, reason=why).endswith("0031")
    assert AuditEvent.objects.filter(action="creators.nik_revealed").count() == 3


def test_nik_reveal_is_rate_limited_per_staff_member(organiser, diskominfo, settings):
    settings.NIK_REVEALS_PER_HOUR = 2
    profile = _revealable(diskominfo)
    why = "verifikasi identitas peserta bimtek"
    for _ in range(2):
        services.reveal_nik(organiser, profile, reason=why)
    with pytest.raises(DomainError) as exc:
        services.reveal_nik(organiser, profile, reason=why)
    assert exc.value.code == "rate_limited"
    assert AuditEvent.objects.filter(action="creators.nik_revealed").count() == 2
    assert AuditEvent.objects.filter(action="creators.nik_reveal_refused").count() == 1
