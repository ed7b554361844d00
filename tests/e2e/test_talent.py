"""Journeys 7 and 9 in a browser: staff on a desktop, creators on their phones.

7. The organiser assesses the participants of a finished training into pathways in one grid;
   those who consent to the talent directory appear in it, marked ✔ (assessed) — a creator
   who had not consented finds the assessment on *Talenta saya*, consents, and appears.
9. Bappeda asks for a narasumber for a forum; staff filter the directory by pathway narasumber
   and kecamatan, shortlist one, who accepts on the phone; the same person cannot accept a
   second engagement at an overlapping time, and is no longer offered for one.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from ekraf.creators.models import PathwayInterest
from ekraf.talent import search, services
from ekraf.talent.models import AssessedPathway, SpeakerBooking, SpeakerRequest
from tests import factories
from tests.creators import factories as cf
from tests.credentials import factories as credf
from tests.e2e.conftest import login, watch_errors
from tests.talent import factories as tf

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


def _page(open_context, options=None):
    page = open_context(**(options or {})).new_page()
    page.set_default_timeout(30_000)  # the shared test machine can be slow
    return page, watch_errors(page)


def _creator(name, *, village, consent, pathways=(), subsectors=("fotografi",)):
    """A creator who can sign in, optionally in the talent directory."""
    profile = cf.creator(
        name,
        village=village,
        subsectors=subsectors,
        public=consent,
        channels=[("instagram", f"@{name.split()[0].lower()}.malang", 2400)],
    )
    for pathway in pathways:
        PathwayInterest.objects.create(profile=profile, pathway=pathway)
    search.refresh([profile.pk])
    return profile


def _open_staff_menu(page, link):
    page.get_by_role("button", name="Kelola").click()
    page.get_by_role("link", name=link).click()


def test_journey_7_assessed_participants_who_consent_appear_in_the_directory(open_context):
    diskominfo = factories.agency("diskominfo")
    organiser = factories.user("org", role="organiser", agency=diskominfo, full_name="Rudi Hartono")
    viewer = factories.user(
        "staf", role="agency_staff", agency=factories.agency("disporapar"), full_name="Agus"
    )
    training = credf.training(diskominfo, title="Bimtek Konten Kreator: Branding Kota")
    ayu = _creator("Ayu Kartika Sari", village="Dinoyo", consent=False)
    budi = _creator("Budi Santoso", village="Klojen", consent=True)
    for profile, score in ((ayu, 91), (budi, 78)):
        registration = credf.registration(training, profile.user)
        registration.post_test_score = score
        registration.save(update_fields=["post_test_score"])
    credf.registration(training, factories.user("tamu", role=None, full_name="Citra Tamu"))

    # After the training the organiser, at a desk, opens Peserta → Jalur talenta.
    staff, staff_errors = _page(open_context, DESKTOP)
    login(staff, organiser.username, factories.PASSWORD)
    _open_staff_menu(staff, "Kelola pelatihan")
    staff.get_by_role("link", name="Bimtek Konten Kreator: Branding Kota").click()
    staff.get_by_role("link", name="Peserta", exact=True).click()
    staff.get_by_role("link", name="Jalur talenta").click()
    staff.get_by_role("heading", name="Jalur talenta peserta").wait_for()
    # A participant without a creator profile is listed but cannot be assessed.
    staff.get_by_text("tanpa profil pelaku").wait_for()
    assert staff.get_by_role("checkbox", name="Narasumber: Citra Tamu").count() == 0

    # The whole class at once: Ayu narasumber and motivator, Budi content creator.
    staff.get_by_role("checkbox", name="Narasumber: Ayu Kartika Sari").check()
    staff.get_by_role("checkbox", name="Motivator: Ayu Kartika Sari").check()
    staff.get_by_role("textbox", name="Catatan: Ayu Kartika Sari").fill("Presentasi sangat baik")
    staff.get_by_role("checkbox", name="Konten kreator: Budi Santoso").check()
    staff.get_by_role("button", name="Simpan jalur talenta").click()
    staff.get_by_text("Jalur talenta disimpan: 3 ditambah, 0 dihapus.").wait_for()
    assert staff.get_by_role("checkbox", name="Narasumber: Ayu Kartika Sari").is_checked()
    assert AssessedPathway.objects.filter(training=training).count() == 3

    # Staff of another agency search the directory: only Budi consented, so only Budi shows.
    directory, directory_errors = _page(open_context, DESKTOP)
    login(directory, viewer.username, factories.PASSWORD)
    _open_staff_menu(directory, "Direktori talenta")
    rows = directory.locator("table tbody tr")
    rows.filter(has_text="Budi Santoso").get_by_text("✔ Konten kreator").wait_for()
    assert rows.filter(has_text="Ayu Kartika Sari").count() == 0

    # Ayu, on her phone, finds her assessment on Talenta saya and consents to the directory.
    phone, phone_errors = _page(open_context)
    login(phone, ayu.user.username, factories.PASSWORD)
    phone.get_by_role("button", name="Buka menu").click()
    menu = phone.get_by_role("navigation", name="Navigasi utama")
    menu.get_by_role("link", name="Talenta saya").click()
    phone.get_by_text("✔ Narasumber").wait_for()
    phone.get_by_text("Presentasi sangat baik").first.wait_for()
    phone.get_by_text("Anda tidak tampil di direktori talenta.").wait_for()
    phone.get_by_role("link", name="Ubah persetujuan").click()
    phone.get_by_role("checkbox", name="direktori talenta").check()
    phone.get_by_role("button", name="Simpan pilihan").click()
    phone.get_by_text("Pilihan berbagi data sudah disimpan.").wait_for()
    phone.get_by_role("heading", name="Talenta saya").wait_for()  # back where she came from
    phone.get_by_text("Anda tampil di direktori talenta perangkat daerah.").wait_for()

    # Now she is found, filtered by the pathway she was assessed in.
    directory.get_by_label("Jalur", exact=True).select_option("narasumber")
    directory.get_by_label("Jenis jalur").select_option("assessed")
    directory.get_by_role("button", name="Terapkan").click()
    ayu_row = rows.filter(has_text="Ayu Kartika Sari")
    ayu_row.get_by_text("✔ Narasumber").wait_for()
    assert rows.filter(has_text="Budi Santoso").count() == 0
    ayu_row.get_by_role("link", name="Ayu Kartika Sari").click()
    directory.get_by_text("Bimtek Konten Kreator: Branding Kota").first.wait_for()
    directory.get_by_text("Presentasi sangat baik").first.wait_for()
    assert not (staff_errors or directory_errors or phone_errors)


def test_journey_9_bappeda_books_a_narasumber_who_cannot_be_double_booked(open_context):
    factories.ensure_city()
    bappeda = factories.agency("bappeda")
    officer = factories.user("staf", role="agency_staff", agency=bappeda, full_name="Sri Wahyuni")
    rina = _creator("Rina Wulandari", village="Dinoyo", consent=True, pathways=["narasumber"])
    _creator("Dodi Prasetyo", village="Klojen", consent=True, pathways=["narasumber"])
    _creator("Sari Indah", village="Ketawanggede", consent=True, pathways=["motivator"])
    _creator("Tono Hidayat", village="Dinoyo", consent=False, pathways=["narasumber"])
    day = timezone.localdate() + timedelta(days=7)
    # Another agency has already asked Rina to speak on the same morning.
    diskopindag = factories.agency("diskopindag")
    other = tf.speaker_request(
        tf.staff(diskopindag),
        diskopindag,
        event="Temu UMKM Digital",
        start=tf.at(days=7, hour=10),
        hours=2,
    )
    services.shortlist(tf.staff(diskopindag), other, rina)

    # A Bappeda officer, at a desk, asks for a narasumber for the forum.
    staff, staff_errors = _page(open_context, DESKTOP)
    login(staff, officer.username, factories.PASSWORD)
    _open_staff_menu(staff, "Permintaan narasumber")
    staff.get_by_label("Perangkat daerah").select_option(str(bappeda.pk))
    staff.get_by_label("Nama kegiatan").fill("Forum Perangkat Daerah Ekonomi Kreatif")
    staff.get_by_label("Topik").fill("Peran konten kreator dalam perencanaan kota")
    staff.get_by_label("Yang dicari").select_option("narasumber")
    staff.get_by_label("Mulai").fill(f"{day.isoformat()}T09:00")
    staff.get_by_label("Selesai").fill(f"{day.isoformat()}T11:00")
    staff.get_by_label("Kecamatan/kelurahan").select_option(label="Lowokwaru")
    staff.get_by_label("Tempat").fill("Aula Bappeda, Jl. Tugu No. 1")
    staff.get_by_label("Jumlah peserta").fill("80")
    staff.get_by_label("Honorarium (Rp)").fill("1000000")
    staff.get_by_role("button", name="Buat permintaan").click()
    staff.get_by_text("Permintaan narasumber dibuat. Pilih kandidat dari direktori.").wait_for()
    staff.get_by_role("heading", name="Forum Perangkat Daerah Ekonomi Kreatif").wait_for()

    # The directory below is already filtered to narasumber free at that time; add the district.
    assert staff.get_by_label("Jalur", exact=True).input_value() == "narasumber"
    rows = staff.locator("table tbody tr")
    rows.filter(has_text="Dodi Prasetyo").wait_for()
    assert rows.filter(has_text="Sari Indah").count() == 0  # a motivator
    assert rows.filter(has_text="Tono Hidayat").count() == 0  # no directory consent
    staff.get_by_label("Kecamatan").select_option(label="Lowokwaru")
    staff.get_by_role("button", name="Terapkan").click()
    rows.filter(has_text="Rina Wulandari").wait_for()
    assert rows.filter(has_text="Dodi Prasetyo").count() == 0  # lives in Klojen
    rows.filter(has_text="Rina Wulandari").get_by_role(
        "button", name="Masukkan daftar pendek"
    ).click()
    staff.get_by_text("Rina Wulandari masuk daftar pendek dan diberi tahu.").wait_for()
    staff.locator("#shortlist").get_by_text("Rina Wulandari").wait_for()

    # Rina, on her phone, accepts the forum…
    phone, phone_errors = _page(open_context)
    login(phone, rina.user.username, factories.PASSWORD)
    phone.goto("/talenta/saya/")
    forum = phone.locator("#invitations li").filter(has_text="Forum Perangkat Daerah")
    forum.get_by_role("button", name="Terima").click()
    phone.get_by_text("Anda terjadwal sebagai pembicara.").wait_for()
    # …and cannot also accept the overlapping engagement: she is told which one is in the way.
    temu = phone.locator("#invitations li").filter(has_text="Temu UMKM Digital")
    temu.get_by_role("button", name="Terima").click()
    phone.get_by_text("Anda sudah terjadwal sebagai pembicara pada").wait_for()
    temu.get_by_role("button", name="Terima").wait_for()  # still awaiting an answer

    # Staff see the request booked.
    staff.reload()
    staff.locator("#request-status").get_by_text("Pembicara terkonfirmasi").wait_for()
    booking = SpeakerBooking.objects.get(request__agency=bappeda)
    assert booking.creator == rina and booking.status == SpeakerBooking.Status.ACCEPTED
    assert SpeakerBooking.objects.get(request=other).status == SpeakerBooking.Status.SHORTLISTED
    assert SpeakerRequest.objects.get(pk=booking.request_id).status == "booked"

    # Booked, she is no longer offered for that morning: the directory's availability filter.
    _open_staff_menu(staff, "Direktori talenta")
    staff.get_by_label("Jalur", exact=True).select_option("narasumber")
    staff.get_by_label("Tersedia dari").fill(f"{day.isoformat()}T10:00")
    staff.get_by_label("sampai", exact=True).fill(f"{day.isoformat()}T12:00")
    staff.get_by_role("button", name="Terapkan").click()
    rows.filter(has_text="Dodi Prasetyo").wait_for()
    assert rows.filter(has_text="Rina Wulandari").count() == 0
    assert not (staff_errors or phone_errors)
