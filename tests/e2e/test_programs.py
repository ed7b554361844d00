"""Journey 8 in a browser (phone and desktop): an agency posts a programme, sees
recommendations with their reasons, invites a creator; the creator accepts and submits a
content link with metrics; staff ask for a revision, then approve."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ekraf.core.models import Subsector
from ekraf.programs.models import Engagement
from tests import factories
from tests.e2e.conftest import login
from tests.programs import factories as pf

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


def _page(open_context, options):
    page = open_context(**options).new_page()
    page.set_default_timeout(30_000)  # the shared test machine can be slow
    return page


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_journey_8_programme_to_approved_content(open_context, device):
    factories.ensure_city()
    agency = factories.agency("disporapar")
    staff = factories.user("staf", role="agency_staff", agency=agency, full_name="Agus Prasetyo")
    ayu = pf.candidate(
        "Ayu Lestari", subsectors=("kuliner",), channels=[("instagram", "@ayu.kuliner", "12000")]
    )
    options = DESKTOP if device == "desktop" else {}
    start = timezone.localdate() + timedelta(days=7)

    agency_page = _page(open_context, options)
    login(agency_page, staff.username, factories.PASSWORD)
    agency_page.goto("/kelola/program/baru/")
    agency_page.get_by_label("Perangkat daerah").select_option(str(agency.pk))
    agency_page.get_by_label("Judul").fill("Kampanye #MalangBeken")
    agency_page.get_by_label("Tujuan").fill("Branding kota lewat kuliner")
    agency_page.get_by_label("Tagar wajib").fill("#MalangBeken")
    agency_page.get_by_label("Subsektor").select_option(
        [str(s.pk) for s in Subsector.objects.filter(code__in=("kuliner", "fotografi"))]
    )
    agency_page.get_by_label("Mulai").fill(start.isoformat())
    agency_page.get_by_label("Selesai").fill((start + timedelta(days=30)).isoformat())
    agency_page.get_by_label("Jumlah orang", exact=True).fill("10")
    agency_page.get_by_role("button", name="Simpan").click()
    agency_page.get_by_text("Program tersimpan sebagai draf.").wait_for()
    agency_page.get_by_role("button", name="Ubah status: Terbuka").click()
    agency_page.get_by_text("Status program diperbarui.").wait_for()
    agency_page.wait_for_load_state("load")  # axe checks each page on its load event
    agency_page.get_by_role("link", name="Rekomendasi").click()
    card = agency_page.get_by_test_id("candidate").filter(has_text="Ayu Lestari")
    card.get_by_text("Subsektor sesuai program: +25").wait_for()
    card.get_by_text("0 program tahun ini").wait_for()
    card.get_by_role("button", name="Undang Ayu Lestari").click()
    agency_page.get_by_text("Undangan terkirim kepada Ayu Lestari.").wait_for()

    creator_page = _page(open_context, options)
    login(creator_page, ayu.user.username, factories.PASSWORD)
    creator_page.goto("/program/saya/")
    creator_page.get_by_role("link", name="Kampanye #MalangBeken").click()
    creator_page.get_by_role("button", name="Diterima").click()
    creator_page.get_by_role("link", name="Kirim konten").click()

    def deliver(url):
        creator_page.get_by_label("Tautan konten").fill(url)
        creator_page.get_by_label("Tanggal unggah").fill(timezone.localdate().isoformat())
        creator_page.get_by_label("Tagar yang dipakai").fill("#MalangBeken #kuliner")
        creator_page.get_by_label("Tayangan").fill("3400")
        creator_page.get_by_role("button", name="Kirim", exact=True).click()
        creator_page.get_by_text("Konten terkirim untuk ditinjau.").wait_for()

    deliver("https://www.instagram.com/reel/ABC123/?igsh=xyz")
    engagement = Engagement.objects.get(creator=ayu)
    agency_page.goto(f"/program/keterlibatan/{engagement.public_id}/")
    agency_page.get_by_role("link", name="https://instagram.com/reel/ABC123").wait_for()
    agency_page.get_by_label("Catatan").fill("Sebutkan @pemkotmalang di keterangan.")
    agency_page.get_by_role("button", name="Perlu revisi").click()
    agency_page.get_by_test_id("state").filter(has_text="Perlu revisi").wait_for()

    creator_page.goto(f"/program/keterlibatan/{engagement.public_id}/")
    creator_page.get_by_text("Sebutkan @pemkotmalang di keterangan.").first.wait_for()
    creator_page.get_by_role("link", name="Kirim konten").click()
    deliver("https://www.instagram.com/reel/ABC124/")

    agency_page.reload()
    agency_page.get_by_role("button", name="Disetujui").click()
    agency_page.get_by_test_id("state").filter(has_text="Disetujui").wait_for()
    engagement.refresh_from_db()
    assert engagement.state == "approved"
