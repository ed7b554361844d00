"""Issue 13, points 2 and 3 in a phone browser: the organiser scans a ticket with the camera in
a browser without BarcodeDetector (the shared scanner falls back to the shipped jsQR), and
keeps checking people in while the venue's Wi-Fi is down; the scans sync when it is back."""

import re

import pytest

from ekraf.trainings import services
from ekraf.trainings.models import Attendance, Registration
from tests import factories
from tests.e2e.accessibility import AccessibilityChecker
from tests.e2e.conftest import PHONE, login, watch_errors
from tests.e2e.fakecamera import camera_showing
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_camera_checks_a_ticket_in_where_the_browser_has_no_barcode_detector(
    launch_chromium, live_server, tmp_path
):
    diskominfo = factories.agency("diskominfo")
    training = tf.training(diskominfo, title="Bimtek Konten Kreator: Branding Kota")
    organiser = factories.user("org", role="organiser", agency=diskominfo)
    ticket = tf.register(training, full_name="Ayu Kartika Sari")
    session = training.sessions.first()

    browser = launch_chromium(*camera_showing(tmp_path / "ticket.y4m", ticket.ticket_code))
    checker = AccessibilityChecker(origin=live_server.url, browser=browser)
    context = checker.watch(
        browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale="id-ID",
            base_url=live_server.url,
            permissions=["camera"],
        )
    )
    context.set_default_timeout(20_000)
    context.add_init_script("delete window.BarcodeDetector;")
    page = context.new_page()
    errors = watch_errors(page)
    login(page, organiser.username, factories.PASSWORD)
    page.goto(f"/kelola/pelatihan/{training.public_id}/checkin/{session.public_id}/")
    assert page.evaluate("'BarcodeDetector' in window") is False
    page.get_by_role("button", name="Pindai QR dengan kamera").click()
    page.locator("#checkin-result.alert-success").get_by_text(
        "Ayu Kartika Sari berhasil check-in"
    ).wait_for()
    assert page.evaluate("typeof window.jsQR") == "function"  # the shipped decoder did it
    attendance = Attendance.objects.get(registration=ticket)
    assert attendance.method == Attendance.Method.SCAN
    page.get_by_role("button", name="Matikan kamera").click()
    checker.assert_clean()
    context.close()
    assert not errors, errors


def test_check_in_goes_on_with_the_network_cut_and_syncs_when_it_is_back(page):
    diskominfo = factories.agency("diskominfo")
    training = tf.training(
        diskominfo, title="Bimtek Konten Kreator: Branding Kota", categories=(("Umum", 2),)
    )
    other = tf.training(factories.agency("diskopindag"), title="Workshop Fotografi Produk UMKM")
    organiser = factories.user("org", role="organiser", agency=diskominfo)
    ayu = tf.register(training, full_name="Ayu Kartika Sari")
    budi = tf.register(training, full_name="Budi Santoso")
    waiting = tf.register(training, full_name="Citra Dewi")
    assert waiting.status == Registration.Status.WAITLISTED
    gone = tf.register(training, full_name="Dedi Kurniawan")
    services.cancel_registration(gone.user, gone)
    stranger = tf.register(other)
    session = training.sessions.first()

    login(page, organiser.username, factories.PASSWORD)
    page.goto(f"/kelola/pelatihan/{training.public_id}/checkin/{session.public_id}/")
    status = page.locator("#checkin-offline")
    status.get_by_text("Daftar tiket tersimpan di perangkat ini").wait_for()
    result = page.locator("#checkin-result")

    def scan(code):
        page.get_by_label("Kode tiket").fill(code)
        page.get_by_role("button", name="Check-in", exact=True).click()

    scan(ayu.ticket_code)  # online: the server answers
    result.get_by_text("Ayu Kartika Sari berhasil check-in").wait_for()

    page.context.set_offline(True)
    status.get_by_text("Tanpa jaringan").wait_for()
    scan(budi.ticket_code.lower())
    result.get_by_text("Budi Santoso berhasil check-in").wait_for()
    assert page.locator("#checkin-count").inner_text() == "2"
    scan(budi.ticket_code)
    result.get_by_text(re.compile(r"Budi Santoso sudah check-in pukul \d\d\.\d\d\.")).wait_for()
    scan(ayu.ticket_code)
    result.get_by_text(re.compile(r"Ayu Kartika Sari sudah check-in pukul \d\d\.\d\d\.")).wait_for()
    scan(waiting.ticket_code)
    result.get_by_text("Citra Dewi: Pemegang tiket ini masih di daftar tunggu").wait_for()
    scan(gone.ticket_code)
    result.get_by_text("Dedi Kurniawan: Tiket ini sudah dibatalkan.").wait_for()
    scan(stranger.ticket_code)
    result.get_by_text("Tiket ini untuk pelatihan lain: Workshop Fotografi Produk UMKM.").wait_for()
    status.get_by_text("Menunggu dikirim: 1.").wait_for()
    assert not Attendance.objects.filter(registration=budi).exists()

    # The network is back: the queued scan is sent, with the time the phone accepted it.
    page.context.set_offline(False)
    status.get_by_text("Semua pindaian sudah terkirim ke server.").wait_for()
    budi_in = Attendance.objects.get(registration=budi)
    assert budi_in.session == session
    assert Attendance.objects.count() == 2
    assert page.locator("#checkin-count").inner_text() == "2"
