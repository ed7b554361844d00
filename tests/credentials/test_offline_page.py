"""The offline verifier's page and service worker, as served (the browser test uses them)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_offline_page_is_lean_and_names_what_its_worker_keeps(client, city):
    page = client.get("/verifikasi/offline")
    assert page.status_code == 200 and not page.cookies
    body = page.content.decode()
    assert "Verifikasi tanpa internet" in body
    assert 'data-worker-url="/verifikasi/offline-sw.js"' in body
    assert "/static/credentials/offline.js" in body
    assert "<script>" not in body  # no inline script (CSP)
    worker = client.get("/verifikasi/offline-sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Cache-Control"] == "no-cache"
    source = worker.content.decode()
    for kept in ("/verifikasi/offline", "/.well-known/jwks.json", "/static/credentials/offline.js"):
        assert f'"{kept}"' in source
