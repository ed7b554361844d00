"""Journey 5, offline: the verifier page, loaded once, checks a certificate's QR with the
network cut — the signature against the keys it kept, in the browser (WebCrypto Ed25519) —
and shows the printed fields; an altered QR is refused; a QR printed before (JWS) still
verifies; a revoked or superseded certificate says so, from the status list it kept, with the
list's date."""

import json
import re

import pytest

from ekraf.credentials import keys, services, tokens
from ekraf.credentials.models import Certificate
from tests import factories
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def certificate(settings, live_server, tmp_path):
    settings.BASE_URL = live_server.url
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    keys.forget()
    keys.init()
    agency = factories.agency("diskominfo")
    training = cf.training(agency, title="Bimtek Konten Kreator: Branding Kota")
    cf.registration(training, factories.user("ayu", full_name="Ayu Kartika Sari"))
    cf.issue(training)
    yield Certificate.objects.get()
    keys.forget()


@pytest.fixture
def withdrawn(settings, live_server, tmp_path):
    """Three certificates of one training: one revoked, one superseded by a re-issue, one
    valid (in that order)."""
    settings.BASE_URL = live_server.url
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    keys.forget()
    keys.init()
    agency = factories.agency("diskominfo")
    organiser = factories.user("organiser", role="organiser", agency=agency)
    training = cf.training(agency, title="Bimtek Fotografi Produk")
    for username, name in (("budi", "Budi Hartono"), ("sari", "Sari Wulandri"), ("ayu", "Ayu")):
        cf.registration(training, factories.user(username, full_name=name))
    cf.issue(training)
    revoked, superseded, valid = Certificate.objects.order_by("sequence")
    services.revoke_certificate(organiser, revoked.code, "Peserta tidak pernah hadir di kelas")
    services.reissue_certificate(
        organiser, superseded.code, holder_name="Sari Wulandari", reason="Nama peserta salah ketik"
    )
    yield revoked, superseded, valid
    keys.forget()


def qr_content(cert) -> str:
    url, _qr = tokens.qr_for(
        tokens.QrClaims(
            cert.code,
            cert.holder_name,
            cert.training_title,
            cert.agency_short_name,
            cert.issued_on.isoformat(),
        )
    )
    return url


def check(page, content: str) -> None:
    page.get_by_label("Isi QR (tautan yang terbaca dari QR)").fill(content)
    page.get_by_role("button", name="Periksa tanda tangan").click()


def test_the_offline_verifier_checks_a_qr_with_the_network_cut(page, certificate):
    page.goto("/verifikasi/offline")
    page.wait_for_function(
        "navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready.then(() => true)"
    )
    page.evaluate("navigator.serviceWorker.ready")
    assert page.get_by_text("Siap dipakai tanpa internet.").is_visible()

    page.context.set_offline(True)
    page.reload()  # from the service worker: there is no network
    assert page.get_by_role("heading", name="Verifikasi tanpa internet").is_visible()
    page.get_by_text("Siap dipakai tanpa internet.").wait_for()

    check(page, qr_content(certificate))
    result = page.locator("#offline-result")
    result.get_by_text("Tanda tangan digital QR sah").wait_for()
    assert result.get_by_text("Ayu Kartika Sari").is_visible()
    assert result.get_by_text(certificate.display_code).is_visible()
    assert result.get_by_text("Diskominfo").is_visible()

    url = qr_content(certificate)
    altered = url[:-3] + str((int(url[-3]) + 1) % 10) + url[-2:]
    check(page, altered)
    result.get_by_text("QR tidak sah").wait_for()
    assert not result.get_by_text("Ayu Kartika Sari").is_visible()

    printed = tokens.sign_compact(
        json.dumps(
            {
                "c": certificate.code,
                "n": "Ayu Kartika Sari",
                "t": "Bimtek",
                "a": "Diskominfo",
                "d": "2025-01-25",
            },
            separators=(",", ":"),
        ).encode()
    )
    check(page, f"{certificate.code[:0]}http://localhost/v/{printed}")
    result.get_by_text("Tanda tangan digital QR sah").wait_for()
    assert result.get_by_text("25 Januari 2025").is_visible()

    check(page, "https://contoh.id/bukan-sertifikat")
    result.get_by_text("Isi ini bukan QR e-sertifikat").wait_for()


def test_offline_a_revoked_or_superseded_certificate_says_so_with_the_list_date(page, withdrawn):
    revoked, superseded, valid = withdrawn
    page.goto("/verifikasi/offline")
    page.evaluate("navigator.serviceWorker.ready")
    page.get_by_text("Status pencabutan per").wait_for()  # the list is kept

    page.context.set_offline(True)
    page.reload()  # from the service worker; the list from its copy or the page's
    page.get_by_text("Siap dipakai tanpa internet.").wait_for()
    result = page.locator("#offline-result")

    check(page, qr_content(revoked))
    result.locator(".alert-danger").get_by_text("E-sertifikat ini DICABUT").wait_for()
    assert result.get_by_text("Budi Hartono").is_visible()
    assert not result.get_by_text("Tanda tangan digital QR sah").count()

    check(page, qr_content(superseded))
    result.locator(".alert-warning").get_by_text("E-sertifikat ini DIGANTI").wait_for()
    assert result.get_by_text("Yang berlaku adalah penggantinya").is_visible()
    assert result.get_by_text("Status pencabutan per").is_visible()

    check(page, qr_content(valid))
    result.locator(".alert-success").get_by_text("Tanda tangan digital QR sah").wait_for()
    assert result.get_by_text("tidak tercantum dicabut atau diganti").is_visible()
    as_of = result.get_by_text("Status pencabutan per").inner_text()
    month = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
    assert re.fullmatch(
        rf"Status pencabutan per \d{{1,2}} ({month.replace(' ', '|')}) \d{{4}} \d{{2}}\.\d{{2}}",
        as_of,
    ), as_of


def test_without_a_kept_status_list_a_valid_qr_says_revocation_was_not_checked(
    open_context, certificate
):
    context = open_context(service_workers="block")
    context.route("**/verifikasi/offline-status.json", lambda route: route.abort())
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/verifikasi/offline")
    page.get_by_text("Siap dipakai tanpa internet.").wait_for()
    check(page, qr_content(certificate))
    result = page.locator("#offline-result")
    result.get_by_text("Tanda tangan digital QR sah").wait_for()
    assert result.get_by_text("Pencabutan belum dapat diperiksa").is_visible()
    assert result.get_by_text("Verifikasi daring untuk memastikan.").is_visible()
    assert not result.get_by_text("Status pencabutan per").count()
    assert not errors, errors


def test_issuing_inside_a_running_event_loop_still_signs_and_stamps(page, certificate):
    """Playwright's driver (like an ASGI server) runs an event loop in this thread; pyHanko's
    timestamping is a coroutine, and asyncio.run() refuses to nest."""
    assert certificate.pdf and certificate.pdf_timestamped_until
