"""The offline verifier with the camera: the phone sees a printed certificate's QR and the
page checks it with no network, through the shared scanner (core's ekraf/qrscan.js, with its
vendored decoder where the browser has no BarcodeDetector).

It runs once the shared scanner and the browser tests' fake camera are in the tree (they
arrive from the check-in work); until then it says so and is skipped."""

import pytest

from tests.e2e.test_offline_verifier import certificate, qr_content  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

fakecamera = pytest.importorskip(
    "tests.e2e.fakecamera", reason="the shared QR scanner and the fake camera are not merged yet"
)


def test_the_camera_reads_a_printed_qr_and_checks_it_offline(
    request,
    live_server,
    tmp_path,
    certificate,  # noqa: F811
):
    from tests.e2e.conftest import PHONE, watch_errors

    launch = request.getfixturevalue("launch_chromium")
    content = qr_content(certificate)
    browser = launch(*fakecamera.camera_showing(tmp_path / "certificate.y4m", content))
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        base_url=live_server.url,
        permissions=["camera"],
    )
    context.set_default_timeout(15_000)
    context.add_init_script("delete window.BarcodeDetector;")
    page = context.new_page()
    errors = watch_errors(page)
    page.goto("/verifikasi/offline")
    page.evaluate("navigator.serviceWorker.ready")
    page.get_by_text("Siap dipakai tanpa internet.").wait_for()
    context.set_offline(True)
    page.reload()
    page.get_by_role("button", name="Pindai QR dengan kamera").click()
    result = page.locator("#offline-result")
    result.get_by_text("Tanda tangan digital QR sah").wait_for()
    assert result.get_by_text("Ayu Kartika Sari").is_visible()
    context.close()
    assert not errors, errors
