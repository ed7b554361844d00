"""Issue 13 point 5 in a phone browser: the organiser previews one certificate before issuing,
re-issues one with a corrected name, and the old one's verification page says "Diganti" with a
link to the new one."""

import pytest

from ekraf.credentials import keys
from ekraf.credentials.models import Certificate
from tests import factories
from tests.credentials import factories as cf
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signing_keys(settings, live_server, tmp_path):
    settings.BASE_URL = live_server.url
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    keys.forget()
    keys.init()
    yield
    keys.forget()


def test_preview_reissue_and_the_old_one_says_diganti(page, signing_keys):
    agency = factories.agency("diskominfo")
    organiser = factories.user("org", role="organiser", agency=agency)
    training = cf.training(agency, title="Bimtek Konten Kreator: Branding Kota")
    cf.registration(training, factories.user("ayu", full_name="Ayu Kartika Sari"))
    cf.registration(training, factories.user("sari", full_name="Sari Wulandri"))

    # Before issuing to everyone: one certificate as it will print, marked CONTOH.
    login(page, organiser.username, factories.PASSWORD)
    page.goto(f"/kelola/sertifikat/pelatihan/{training.public_id}/")
    preview = page.get_by_role("link", name="Pratinjau satu e-sertifikat")
    assert preview.is_visible()
    pdf = page.context.request.get(preview.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    assert not Certificate.objects.exists()

    cf.issue(training)  # what the worker does after "Terbitkan untuk 2 peserta"
    old = Certificate.objects.get(holder_name="Sari Wulandri")

    # A wrong name: re-issue it.
    page.reload()
    row = page.get_by_role("row").filter(has_text="Sari Wulandri")
    row.get_by_role("link", name="Terbitkan ulang").click()
    page.get_by_label("Nama pemegang (yang benar)").fill("salah")
    page.get_by_label("Apa yang diperbaiki").fill("salah")
    page.get_by_role("button", name="Terbitkan ulang").click()
    assert page.get_by_text("minimal 15 karakter").is_visible()
    page.get_by_label("Nama pemegang (yang benar)").fill("Sari Wulandari")
    page.get_by_label("Apa yang diperbaiki").fill("Nama peserta salah ketik saat pendaftaran")
    page.get_by_role("button", name="Terbitkan ulang").click()
    page.get_by_text("terbit menggantikan").wait_for()
    new = Certificate.objects.get(holder_name="Sari Wulandari")
    assert new.sequence == 3 and Certificate.objects.get(pk=old.pk).superseded_by_id == new.pk

    # The old one's verification page: "Diganti", with a link to the new one.
    page.goto(f"/verifikasi/{old.code}")
    assert page.get_by_role("heading", name="E-sertifikat ini DIGANTI").is_visible()
    assert not page.get_by_role("heading", name="E-sertifikat ini DICABUT").count()
    page.get_by_role("link", name="Lihat e-sertifikat pengganti").click()
    page.get_by_role("heading", name="E-sertifikat ASLI dan berlaku").wait_for()
    assert page.get_by_text("Sari Wulandari", exact=True).is_visible()
    assert new.code in page.url
