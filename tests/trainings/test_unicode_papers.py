"""Official papers print every participant's name, whatever its script: attendance sheets,
activity reports and tickets embed DejaVu Sans (ekraf.core.pdf), never a standard font that
covers Latin-1 only and travels outside the file."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ekraf.trainings import services
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db

NAMES = ("Łukasz Żółć", "Nguyễn Thị Hằng", "Σοφία Παπαδοπούλου", "Дмитрий Ковалёв")


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def fonts_of(content: bytes) -> list:
    """Every font any page uses (page resources and their form XObjects)."""
    found = []

    def collect(resources):
        if not resources:
            return
        resources = resources.get_object()
        fonts = resources.get("/Font")
        if fonts:
            found.extend(fonts.get_object()[name].get_object() for name in fonts.get_object())
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                collect(xobject.get("/Resources"))

    for page in PdfReader(io.BytesIO(content)).pages:
        collect(page.get("/Resources"))
    return found


def assert_only_embedded_dejavu(content: bytes) -> None:
    fonts = fonts_of(content)
    assert fonts
    for font in fonts:
        # A TrueType subset with its program inside the file: no /Type1 Helvetica or Courier,
        # which a reader would have to find elsewhere and which cannot show these names.
        assert font["/Subtype"] == "/TrueType", font
        assert "DejaVuSans" in str(font["/BaseFont"]), font
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), font


@pytest.fixture
def people(organiser, training):
    registrations = [tf.register(training, full_name=name) for name in NAMES]
    first = training.sessions.order_by("starts_at").first()
    services.check_in(organiser, first, registrations[1].ticket_code)
    return registrations


def test_the_attendance_sheet_prints_names_in_any_script(client, organiser, training, people):
    session = training.sessions.order_by("starts_at").first()
    client.force_login(organiser)
    response = client.get(
        reverse("trainings:manage_attendance_sheet", args=[training.public_id, session.public_id])
    )
    assert response.status_code == 200
    text = text_of(response.content)
    for name in NAMES:
        assert name in text, name
    assert "DAFTAR HADIR PESERTA" in text
    assert_only_embedded_dejavu(response.content)


def test_the_activity_report_uses_embedded_fonts(client, organiser, training, people):
    client.force_login(organiser)
    response = client.get(reverse("trainings:manage_report", args=[training.public_id]))
    assert response.status_code == 200
    assert "LAPORAN KEGIATAN" in text_of(response.content)
    assert_only_embedded_dejavu(response.content)


@pytest.mark.parametrize("name", NAMES)
def test_the_ticket_prints_the_name(client, training, name):
    registration = tf.register(training, full_name=name)
    client.force_login(registration.user)
    response = client.get(reverse("trainings:ticket_pdf", args=[registration.public_id]))
    text = text_of(response.content)
    assert name in text
    code = registration.ticket_code
    assert f"{code[:5]}-{code[5:]}" in text
    assert_only_embedded_dejavu(response.content)
