"""The offline verifier's page, service worker and status document, as served (the browser
test uses them)."""

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.utils import timezone

from ekraf.credentials import services
from ekraf.credentials.models import Certificate
from tests import factories
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db
STATUS_URL = "/verifikasi/offline-status.json"


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
    assert f'data-status-url="{STATUS_URL}"' in body
    kept_files = (
        "/verifikasi/offline",
        "/.well-known/jwks.json",
        "/static/credentials/offline.js",
        STATUS_URL,
    )
    for kept in kept_files:
        assert f'"{kept}"' in source


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def _issue(diskominfo, *names) -> list[Certificate]:
    training = cf.training(diskominfo, title="Bimtek Fotografi Produk")
    for i, name in enumerate(names):
        cf.registration(training, factories.user(f"p{i}", full_name=name))
    cf.issue(training)
    return list(Certificate.objects.filter(training=training).order_by("sequence"))


def test_the_status_document_lists_revoked_and_superseded_certificates_by_hash(
    client, organiser, diskominfo
):
    revoked, superseded, valid = _issue(diskominfo, "Budi Hartono", "Sari Wulandri", "Ayu Sari")
    services.revoke_certificate(organiser, revoked.code, "Peserta tidak pernah hadir di kelas")
    new = services.reissue_certificate(
        organiser, superseded.code, holder_name="Sari Wulandari", reason="Nama peserta salah ketik"
    )
    response = client.get(STATUS_URL)
    assert response.status_code == 200 and not response.cookies
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=60"
    document = response.json()
    assert document["revoked"] == [_hash(revoked.code)]
    assert document["superseded"] == [_hash(superseded.code)]
    listed = document["revoked"] + document["superseded"]
    assert _hash(valid.code) not in listed and _hash(new.code) not in listed
    assert revoked.code not in response.content.decode()  # hashes, never the codes
    generated = dt.datetime.fromisoformat(document["generated"])
    assert generated.utcoffset() == dt.timedelta(hours=7)  # Asia/Jakarta, with its offset
    # The JWKS shares the same public headers (one helper for both).
    jwks = client.get("/.well-known/jwks.json")
    assert jwks["Access-Control-Allow-Origin"] == "*"
    assert jwks["Cache-Control"] == "public, max-age=300"
    assert jwks["Content-Type"] == "application/jwk-set+json" and jwks.json()["keys"]


def test_a_superseded_certificate_also_revoked_is_listed_as_revoked_only(
    client, organiser, diskominfo
):
    (first,) = _issue(diskominfo, "Budi Hartono")
    services.reissue_certificate(
        organiser, first.code, holder_name="Budi Hartana", reason="Nama peserta salah ketik"
    )
    # The services refuse to revoke a superseded one (its successor is revoked instead); data
    # from before that rule, or the admin, may still hold both: revocation wins, as online.
    Certificate.objects.filter(pk=first.pk).update(
        revoked_at=timezone.now(), revoked_reason="Diterbitkan untuk peserta yang keliru"
    )
    document = client.get(STATUS_URL).json()
    assert document["revoked"] == [_hash(first.code)] and document["superseded"] == []


def test_the_status_document_costs_one_query_however_many_are_withdrawn(
    client, organiser, diskominfo, django_assert_num_queries
):
    certificates = _issue(diskominfo, *(f"Peserta Nomor {i}" for i in range(6)))
    services.revoke_certificate(organiser, certificates[0].code, "Peserta tidak pernah hadir")
    with django_assert_num_queries(1):
        assert len(client.get(STATUS_URL).json()["revoked"]) == 1
    for cert in certificates[1:4]:
        services.revoke_certificate(organiser, cert.code, "Peserta tidak pernah hadir")
    services.reissue_certificate(
        organiser, certificates[4].code, holder_name="Peserta Baru", reason="Nama peserta keliru"
    )
    with django_assert_num_queries(1):
        document = client.get(STATUS_URL).json()
    assert len(document["revoked"]) == 4 and len(document["superseded"]) == 1


def test_the_status_document_is_read_from_the_partial_index(organiser, diskominfo):
    """With sequential scans allowed, SQLite and PostgreSQL pick it for any table size large
    enough to matter; here they are discouraged (PostgreSQL) so the tiny test table does not
    decide the plan."""
    from ekraf.credentials import selectors

    (cert,) = _issue(diskominfo, "Budi Hartono")
    services.revoke_certificate(organiser, cert.code, "Peserta tidak pernah hadir di kelas")
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        selectors.offline_status()
    ((sql, params),) = captured
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(str(row) for row in cursor.fetchall())
    assert "certificate_withdrawn" in plan, plan
