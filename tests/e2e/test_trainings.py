"""Journeys 2 and 3 in a phone browser: a creator registers and sees the ticket; the
organiser checks it in at the door by typing the code; a second scan changes nothing."""

import re

import pytest

from ekraf.trainings.models import Attendance, Registration
from tests import factories
from tests.e2e.conftest import login
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db(transaction=True)


def test_creator_registers_and_is_checked_in_by_typed_code(page):
    diskominfo = factories.agency("diskominfo")
    tf.training(diskominfo, title="Bimtek Konten Kreator: Branding Kota")
    creator = factories.user("kreator", role="creator", full_name="Ayu Kartika Sari")
    organiser = factories.user("org", role="organiser", agency=diskominfo)

    # The creator finds the training on a phone and registers.
    login(page, creator.username, factories.PASSWORD)
    page.goto("/pelatihan/")
    page.get_by_role("link", name="Bimtek Konten Kreator: Branding Kota").click()
    page.get_by_role("link", name="Daftar sekarang").click()
    assert page.get_by_label("Nama lengkap").input_value() == "Ayu Kartika Sari"
    page.get_by_label("Nomor WhatsApp").fill("0812 3456 7890")
    page.get_by_label("Saya setuju data ini dipakai").check()
    page.get_by_role("button", name="Kirim pendaftaran").click()
    assert page.get_by_text("Terkonfirmasi", exact=True).is_visible()
    assert page.locator("img.ticket-qr").is_visible()
    shown = page.locator("#ticket-code").inner_text()
    registration = Registration.objects.get(user=creator)
    assert shown.replace("-", "") == registration.ticket_code
    assert registration.phone == "+6281234567890"

    # At the door, the organiser opens the check-in page and types the code.
    page.context.clear_cookies()
    login(page, organiser.username, factories.PASSWORD)
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("button", name="Kelola").click()
    page.get_by_role("link", name="Kelola pelatihan").click()
    page.get_by_role("link", name="Bimtek Konten Kreator: Branding Kota").click()
    page.get_by_role("link", name="Check-in", exact=True).first.click()
    page.get_by_label("Kode tiket").fill(shown.lower())
    page.get_by_role("button", name="Check-in", exact=True).click()
    result = page.locator("#checkin-result")
    result.get_by_text("Ayu Kartika Sari berhasil check-in").wait_for()
    assert page.locator("#checkin-count").inner_text() == "1"
    assert Attendance.objects.filter(registration=registration).count() == 1

    # A second scan of the same ticket changes nothing and says when the first was.
    page.get_by_label("Kode tiket").fill(shown)
    page.get_by_role("button", name="Check-in", exact=True).click()
    page.locator("#checkin-result").get_by_text(
        re.compile(r"sudah check-in pukul \d\d\.\d\d")
    ).wait_for()
    assert Attendance.objects.filter(registration=registration).count() == 1


def test_a_ticket_of_another_training_is_refused_at_the_door(page):
    diskominfo = factories.agency("diskominfo")
    training = tf.training(diskominfo, title="Bimtek Konten Kreator: Branding Kota")
    other = tf.training(factories.agency("diskopindag"), title="Workshop Fotografi Produk UMKM")
    stranger = tf.register(other)
    organiser = factories.user("org", role="organiser", agency=diskominfo)
    session = training.sessions.first()
    login(page, organiser.username, factories.PASSWORD)
    page.goto(f"/kelola/pelatihan/{training.public_id}/checkin/{session.public_id}/")
    page.get_by_label("Kode tiket").fill(stranger.ticket_code)
    page.get_by_role("button", name="Check-in", exact=True).click()
    page.locator("#checkin-result.alert-danger").get_by_text(
        "Tiket ini untuk pelatihan lain: Workshop Fotografi Produk UMKM."
    ).wait_for()
    assert not Attendance.objects.exists()
