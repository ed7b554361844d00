"""The committee's dashboard: role-gated, read from the monthly rollups (constant queries),
filters by period, agency and kecamatan, says how fresh it is, exports every table."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ekraf.insights import indicators, rollups
from tests import factories

from . import crafted

pytestmark = pytest.mark.django_db
PERIOD = "?dari=2026-01&sampai=2026-04"


@pytest.fixture
def komite(city):
    return factories.user("komite", role="committee")


@pytest.fixture(autouse=True)
def pending_indicator(monkeypatch):
    indicators.all_indicators()
    indicator = crafted.unavailable_indicator()
    monkeypatch.setitem(indicators._REGISTRY, indicator.code, indicator)
    return indicator


@pytest.fixture
def built(diskominfo, diskopindag):
    data = crafted.build(diskominfo, diskopindag)
    rollups.refresh_range(crafted.MARCH.replace(month=1), crafted.APRIL)
    return data


def test_only_the_committee_and_administrators_see_it(
    client, komite, admin_user, creator_user, organiser
):
    assert client.get("/dasbor/").status_code == 302  # to the login page
    for user, status in ((creator_user, 403), (organiser, 403), (komite, 200), (admin_user, 200)):
        client.force_login(user)
        assert client.get("/dasbor/").status_code == status
        assert client.get("/dasbor/indikator/KRE-01/").status_code == status
    client.force_login(komite)
    assert "/dasbor/" in client.get("/").content.decode()  # in the Kelola menu


def test_the_figures_come_from_the_rollups(client, komite, built):
    client.force_login(komite)
    response = client.get("/dasbor/" + PERIOD)
    data = response.context["data"]
    assert data.get("KRE-01").total.figure == 5  # April's level (a stock)
    assert [c.figure for c in data.get("KRE-01").months] == [0, 0, 4, 5]
    assert data.get("PEL-02").total.figure == 6  # a flow: summed over the period
    assert data.get("PEL-04").total.figure == pytest.approx(100 * 4 / 6)
    assert data.get("SER-01").total.figure == 2
    body = response.content.decode()
    assert "<svg" in body and 'role="img"' in body
    assert "Maret 2026" in body
    assert "data-freshness" in body and "diperbarui" in body
    # Not landed: listed as not available, never as a zero; the conversion has landed.
    assert 'data-pending="XXX-01"' in body and 'data-figure="XXX-01"' not in body
    assert 'data-figure="KNV-01"' in body and 'data-pending="KNV-01"' not in body


def test_filters(client, komite, built):
    client.force_login(komite)
    data = client.get("/dasbor/" + PERIOD + "&instansi=diskopindag").context["data"]
    assert data.get("PEL-02").total.figure == 2
    assert data.get("PEL-04").total.figure == 50.0
    assert data.get("KRE-01").not_filtered  # creators are not cut by agency
    data = client.get("/dasbor/" + PERIOD + "&kecamatan=35.73.05").context["data"]
    assert data.get("KRE-01").total.figure == 3
    assert data.get("PEL-02").total.figure == 4
    data = client.get("/dasbor/?dari=2026-03&sampai=2026-03").context["data"]
    assert data.get("KRE-01").total.figure == 4
    by_subsector = dict(
        (c.code, c.figure)
        for dim, _h, cells in data.get("KRE-02").breakdowns
        if dim == "subsector"
        for c in cells
    )
    assert by_subsector == {"fotografi": 2, "kuliner": 1}


def test_the_current_month_is_refreshed_on_demand(client, komite, city):
    client.force_login(komite)
    assert client.get("/dasbor/").context["data"].refreshed_to is None
    crafted.creator("Dinoyo", "P", 1990, created=rollups.current_month())
    response = client.post("/dasbor/perbarui/", {"next": "/dasbor/"})
    assert response.status_code == 302
    data = client.get("/dasbor/").context["data"]
    assert data.refreshed_to is not None
    assert data.get("KRE-06").total.figure == 1


def test_exports_are_xlsx_and_csv(client, komite, built):
    from openpyxl import load_workbook

    client.force_login(komite)
    response = client.get("/dasbor/indikator/PEL-04/ekspor.csv" + PERIOD + "&tabel=agency")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "Kode,Perangkat daerah,Pembilang,Penyebut,Nilai"
    assert "diskominfo,Diskominfo,3,4,75.0" in text
    response = client.get("/dasbor/indikator/KRE-01/ekspor.xlsx" + PERIOD + "&tabel=bulan")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row for row in sheet.iter_rows(values_only=True)][1:] == [
        ("2026-01", 0),
        ("2026-02", 0),
        ("2026-03", 4),
        ("2026-04", 5),
    ]
    assert client.get("/dasbor/indikator/KRE-01/ekspor.exe").status_code == 404
    assert client.get("/dasbor/indikator/XXX-01/ekspor.csv").status_code == 404
    assert client.get("/dasbor/indikator/KNV-01/ekspor.csv").status_code == 200


def test_indicator_page_shows_its_metadata(client, komite, built):
    client.force_login(komite)
    body = client.get("/dasbor/indikator/PEL-03/" + PERIOD).content.decode()
    assert "Σ presensi" in body and "trainings.Attendance" in body and "Bulanan" in body
    body = client.get("/dasbor/indikator/XXX-01/").content.decode()
    assert "belum tersedia" in body.lower() and 'data-pending="XXX-01"' in body
    body = client.get("/dasbor/indikator/KNV-01/").content.decode()
    assert "jendela 6 bulan" in body and "talent.SpeakerBooking" in body
    assert client.get("/dasbor/indikator/XXX-99/").status_code == 404


def test_queries_do_not_grow_with_the_city(client, komite, built, django_assert_num_queries):
    from django.core.cache import cache

    client.force_login(komite)
    client.get("/dasbor/" + PERIOD)  # warm: session, city, permissions
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        client.get("/dasbor/" + PERIOD)
    for n in range(10):
        crafted.creator("Dinoyo" if n % 2 else "Arjosari", "L", 1980 + n, ["musik"])
    rollups.refresh_range(crafted.MARCH.replace(month=1), crafted.APRIL)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/dasbor/" + PERIOD)  # a new state of the rollups: recomputed
    assert response.context["data"].get("KRE-01").total.figure == 15
    assert len(small.captured_queries) <= 20  # session, user, rollups, labels, cache
    # Until the rollups change again the board comes from the cache, in fewer queries still.
    with CaptureQueriesContext(connection) as cached:
        response = client.get("/dasbor/" + PERIOD)
    assert "data" not in response.context and "KRE-01" in response.content.decode()
    assert len(cached.captured_queries) < len(small.captured_queries)


def test_the_period_report_pdf(client, komite, built):
    from pypdf import PdfReader

    client.force_login(komite)
    response = client.get("/dasbor/laporan.pdf?dari=2026-01&sampai=2026-06")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Laporan Ekosistem Ekonomi Kreatif Kota Malang, Januari–Juni 2026" in text
    assert "Data per" in text and "Rumus" in text and "Definisi" in text
    assert "KRE-01" in text and "Maret 2026" in text
    assert "belum tersedia" in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("DejaVuSans" in f for f in fonts)  # the embedded sans prints every name
