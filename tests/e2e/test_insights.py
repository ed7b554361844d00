"""The committee dashboard in a real browser, on a phone and on a desktop: reached from the
Kelola menu, its SVG charts visible (screenshots kept in the test's output folder), a table
exported; the open-data page for anyone. axe-core checks every page (tests/e2e/conftest.py)."""

import pytest

from ekraf.insights import rollups
from ekraf.insights.opendata import releases
from tests import factories
from tests.e2e.conftest import login
from tests.insights import crafted

pytestmark = pytest.mark.django_db(transaction=True)
PERIOD = "?dari=2026-01&sampai=2026-06"


@pytest.fixture
def city_with_history():
    factories.ensure_city()
    crafted.build(factories.agency("diskominfo"), factories.agency("diskopindag"))
    rollups.refresh_range(crafted.MARCH.replace(month=1), crafted.MARCH.replace(month=6))
    releases.publish(crafted.MARCH)
    return factories.user("komite", role="committee")


def test_committee_member_opens_the_dashboard_on_a_phone(page, city_with_history, tmp_path):
    login(page, city_with_history.username, factories.PASSWORD)
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("button", name="Kelola").click()
    page.get_by_role("link", name="Dasbor komite").click()
    assert page.get_by_role("heading", name="Dasbor Komite Ekonomi Kreatif").is_visible()
    page.goto("/dasbor/" + PERIOD)
    chart = page.get_by_role("img", name="Pelaku ekraf terdaftar").first
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] <= 390  # fits the phone, no sideways scrolling
    assert page.locator("svg.ekraf-chart").count() >= 20
    assert page.locator('[data-figure="KNV-01"]').count() == 1  # the conversion has landed
    page.screenshot(path=str(tmp_path / "dashboard-phone.png"), full_page=True)
    assert (tmp_path / "dashboard-phone.png").stat().st_size > 10_000


def test_dashboard_on_a_desktop_exports_a_table(open_context, city_with_history, tmp_path):
    context = open_context(
        viewport={"width": 1366, "height": 900},
        is_mobile=False,
        has_touch=False,
        accept_downloads=True,
    )
    page = context.new_page()
    login(page, city_with_history.username, factories.PASSWORD)
    page.goto("/dasbor/indikator/PEL-04/" + PERIOD)
    assert page.get_by_role("img", name="Tingkat kelulusan").first.is_visible()
    page.screenshot(path=str(tmp_path / "indicator-desktop.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").first.click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Bulan,Pembilang,Penyebut,Nilai"
    assert "2026-03,4,6," in text


def test_open_data_page_for_anyone(page, city_with_history):
    page.goto("/data/")
    assert page.get_by_role("heading", name="Data terbuka ekonomi kreatif").is_visible()
    assert page.get_by_role("link", name="datapackage.json").is_visible()
    page.goto("/data/kamus/")
    assert page.get_by_role(
        "heading", name="KNV-01 · Konversi terlatih → aktif (6 bulan)"
    ).is_visible()
