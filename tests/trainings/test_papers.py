"""Papers the organiser must file: the daftar hadir of each session, the participant list and
the laporan kegiatan. Tests read the PDFs' text and find the right names and numbers."""

import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ekraf.core.templatetags.ekraf import tanggal_dokumen
from ekraf.trainings import services
from tests import factories
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def filled(organiser, training, other_training):
    """Three confirmed participants, one waitlisted elsewhere, some checked in and scored."""
    dinoyo = factories.village("Dinoyo")
    andi = tf.register(training, full_name="Andi Wijaya", gender="L", kelurahan=dinoyo)
    bunga = tf.register(
        training, full_name="Bunga Citra", gender="P", origin="Komunitas Kreator Malang"
    )
    cahya = tf.register(training, full_name="Cahya Purnama", gender="P", kelurahan=dinoyo)
    gone = tf.register(training, full_name="Dedi Batal")
    services.cancel_registration(gone.user, gone)
    tf.register(other_training, full_name="Eko Lain Pelatihan")
    first, second = training.sessions.order_by("starts_at")
    nine_twelve = datetime(2024, 1, 25, 2, 12, tzinfo=UTC)
    services.check_in(organiser, first, andi.ticket_code, now=nine_twelve)
    services.check_in(organiser, first, bunga.ticket_code)
    services.check_in(organiser, second, andi.ticket_code)
    services.set_scores(organiser, andi, pre=40, post=80)
    services.set_scores(organiser, bunga, pre=50, post=60)
    services.compute_completion(organiser, training)
    return {"andi": andi, "bunga": bunga, "cahya": cahya, "first": first, "second": second}


def test_attendance_sheet_lists_confirmed_people_with_times(client, organiser, training, filled):
    client.force_login(organiser)
    url = reverse(
        "trainings:manage_attendance_sheet", args=[training.public_id, filled["first"].public_id]
    )
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "DAFTAR HADIR PESERTA" in text
    assert "Bimtek Konten Kreator: Branding Kota" in text
    for name in ("Andi Wijaya", "Bunga Citra", "Cahya Purnama"):
        assert name in text
    assert "Dedi Batal" not in text and "Eko Lain Pelatihan" not in text
    assert "09.12" in text  # Andi's check-in time
    assert "Komunitas Kreator Malang" in text and "Dinoyo" in text  # origin column
    assert "Tanda tangan" in text
    assert "Malang," in text  # place and date of signing, from the city's data


def test_papers_stay_indonesian_when_the_organiser_reads_in_english(
    client, organiser, training, filled
):
    client.force_login(organiser)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    session = filled["first"]
    url = reverse("trainings:manage_attendance_sheet", args=[training.public_id, session.public_id])
    text = pdf_text(client.get(url).content)
    month_id = tanggal_dokumen(session.starts_at).split()[1]
    assert month_id in text
    assert "DAFTAR HADIR PESERTA" in text


def test_attendance_sheet_of_a_long_training_runs_over_pages(client, organiser, diskominfo):
    t = tf.training(diskominfo, categories=(("Umum", 80),))
    for i in range(70):
        tf.register(t, full_name=f"Peserta Nomor {i:02d}")
    client.force_login(organiser)
    session = t.sessions.first()
    response = client.get(
        reverse("trainings:manage_attendance_sheet", args=[t.public_id, session.public_id])
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 3
    text = pdf_text(response.content)
    assert "Peserta Nomor 00" in text and "Peserta Nomor 69" in text


def test_participant_list_xlsx(client, organiser, training, filled):
    client.force_login(organiser)
    response = client.get(reverse("trainings:manage_participants_xlsx", args=[training.public_id]))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("No", "Kode tiket", "Nama", "Email")
    assert "Hadir sesi 1" in header and "Hadir sesi 2" in header
    names = [row[2] for row in rows[1:]]
    assert names == ["Andi Wijaya", "Bunga Citra", "Cahya Purnama", "Dedi Batal"]
    andi = rows[1]
    assert andi[header.index("Kecamatan")] == "Lowokwaru"
    assert andi[header.index("Post-test")] == 80
    assert andi[header.index("Lulus")] == "Ya"
    assert andi[header.index("Hadir sesi 1")].strftime("%H.%M") == "09.12"


def test_activity_report_states_the_numbers(client, organiser, training, filled):
    from ekraf.trainings.models import Feedback

    Feedback.objects.create(
        registration=filled["andi"], rating=5, comment="Materinya sangat aplikatif"
    )
    Feedback.objects.create(registration=filled["bunga"], rating=4, comment="")
    client.force_login(organiser)
    response = client.get(reverse("trainings:manage_report", args=[training.public_id]))
    text = pdf_text(response.content)
    assert "LAPORAN KEGIATAN" in text
    assert "Bimtek Konten Kreator: Branding Kota" in text
    assert "Dinas Komunikasi dan Informatika" in text
    assert "Laki-laki" in text and "Perempuan" in text
    assert "Lowokwaru" in text  # kecamatan of Dinoyo
    assert "Tingkat kehadiran: 50%" in text  # 3 check-ins of 3 people x 2 sessions
    assert "Rata-rata pre-test 45" in text.replace("\n", " ")
    assert "Rata-rata post-test 70" in text.replace("\n", " ")
    assert "1 dari 3 peserta (33,3%)" in text
    assert "2 tanggapan, rata-rata 4,5 dari 5." in text
    assert "Materinya sangat aplikatif" in text
    assert "Pendaftaran yang dibatalkan: 1." in text


def test_papers_are_refused_to_another_agency(client, other_organiser, training, filled):
    client.force_login(other_organiser)
    for url in (
        reverse("trainings:manage_report", args=[training.public_id]),
        reverse("trainings:manage_participants_xlsx", args=[training.public_id]),
        reverse(
            "trainings:manage_attendance_sheet",
            args=[training.public_id, filled["first"].public_id],
        ),
    ):
        assert client.get(url).status_code == 403


def test_participant_list_query_count_is_constant(client, organiser, diskominfo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = tf.training(diskominfo, categories=(("Umum", 60),))
    client.force_login(organiser)
    url = reverse("trainings:manage_participants", args=[t.public_id])
    first = tf.register(t, kelurahan=factories.village("Dinoyo"))
    services.check_in(organiser, t.sessions.first(), first.ticket_code)
    client.get(url)  # warm caches (city, session)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for i in range(25):
        r = tf.register(t, kelurahan=factories.village("Dinoyo" if i % 2 else "Sumbersari"))
        services.check_in(organiser, t.sessions.first(), r.ticket_code)
    assert count() == one
