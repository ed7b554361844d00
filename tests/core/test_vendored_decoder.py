"""The QR decoder the project ships for the camera scanner (issue 13, point 2): pinned by
hash, its licence beside it, served by our own static files (no CDN)."""

import hashlib
from pathlib import Path

from django.contrib.staticfiles import finders

JSQR_SHA256 = "bc40c8a15196236b2314db0856f72ca0b49980cd5413b8c852a7349f5fee0859"  # jsqr 1.4.0


def test_the_vendored_jsqr_is_the_pinned_release_with_its_licence():
    found = finders.find("ekraf/vendor/jsqr/jsQR.js")
    assert found, "ekraf/vendor/jsqr/jsQR.js is missing from core's static files"
    folder = Path(found).parent
    assert hashlib.sha256(Path(found).read_bytes()).hexdigest() == JSQR_SHA256
    licence = (folder / "LICENSE").read_text()
    assert "Apache License" in licence and "Version 2.0" in licence
    assert JSQR_SHA256 in (folder / "README.md").read_text()


def test_the_shared_scanner_loads_the_decoder_from_our_own_server():
    scanner = Path(finders.find("ekraf/qrscan.js")).read_text()
    assert "data-jsqr" in scanner and "BarcodeDetector" in scanner
    assert "http://" not in scanner and "https://" not in scanner
