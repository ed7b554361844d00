"""Journey 5: anyone verifies by QR or code; typos and forgeries are refused; revocation shows."""

import json

import pytest
from django.conf import settings
from django.urls import reverse
from jwcrypto import jwk, jws

from ekraf.core import selectors
from ekraf.credentials import codes, keys, multibase, services, tokens
from ekraf.credentials.models import Certificate
from tests import factories
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(diskominfo):
    training = cf.training(diskominfo, title="Bimtek Fotografi Produk")
    cf.registration(training, factories.user("a", full_name="Budi Hartono"))
    cf.registration(training, factories.user("b", full_name="Sari Wulandari"))
    cf.issue(training)
    return list(Certificate.objects.order_by("sequence"))


def qr_path(cert) -> str:
    """The path of the certificate's QR URL (``/V/<digits>``, a COSE token)."""
    url, _qr = tokens.qr_for(
        tokens.QrClaims(
            cert.code, cert.holder_name, cert.training_title, cert.agency_short_name, "2024-01-25"
        )
    )
    return "/V/" + url.rsplit("/", 1)[1]


def jws_token(cert) -> str:
    """A QR token as printed before issue 14: a compact JWS of the claims in JSON."""
    claims = {
        "c": cert.code,
        "n": cert.holder_name,
        "t": cert.training_title,
        "a": cert.agency_short_name,
        "d": "2024-01-25",
    }
    return tokens.sign_compact(json.dumps(claims, separators=(",", ":")).encode())


def test_valid_code_shows_every_printed_field(client, issued):
    cert = issued[0]
    body = client.get(f"/verifikasi/{cert.display_code.lower()}").content.decode()
    for text in (
        "ASLI dan berlaku",
        "Budi Hartono",
        "Bimtek Fotografi Produk",
        "Dinas Komunikasi dan Informatika",
        "16 JP",
        cert.number,
        "24 Januari 2024",
        "25 Januari 2024",
    ):
        assert text in body
    assert "Sari Wulandari" not in body and cert.holder.email not in body


def test_form_redirects_to_the_code_and_refuses_typos_before_lookup(
    client, issued, django_assert_num_queries
):
    cert = issued[0]
    response = client.get("/verifikasi", {"kode": cert.display_code})
    assert response.url == f"/verifikasi/{cert.code}"
    typo = cert.code[:3] + ("X" if cert.code[3] != "X" else "Y") + cert.code[4:]
    body = client.get("/verifikasi", {"kode": typo}).content.decode()
    assert "Kode salah ketik" in body
    assert "Kode tidak valid" in client.get("/verifikasi", {"kode": "ABC"}).content.decode()
    with django_assert_num_queries(0):  # the city is memoised; no certificate lookup
        response = client.get(f"/verifikasi/{typo}")
    assert response.status_code == 404 and "salah ketik" in response.content.decode()


def test_unknown_code_is_a_plain_not_found(client, issued):
    response = client.get(f"/verifikasi/{codes.new_code()}")
    assert response.status_code == 404
    assert "Tidak ditemukan" in response.content.decode()


def test_revoked_shows_when_and_why_everywhere(client, issued, organiser):
    cert = issued[0]
    services.revoke_certificate(organiser, cert.code, "Nama peserta keliru")
    page = client.get(f"/verifikasi/{cert.code}").content.decode()
    assert "DICABUT" in page and "Nama peserta keliru" in page
    via_qr = client.get(qr_path(cert)).content.decode()
    assert "DICABUT" in via_qr and "Nama peserta keliru" in via_qr
    via_old_qr = client.get(f"/v/{jws_token(cert)}").content.decode()
    assert "DICABUT" in via_old_qr
    api = client.get(f"/api/v1/certificates/{cert.code}").json()
    assert api["status"] == "revoked" and api["revoked_reason"] == "Nama peserta keliru"
    assert api["revoked_at"]


def test_api_gives_the_same_as_json(client, issued):
    cert = issued[1]
    data = client.get(f"/api/v1/certificates/{cert.display_code}").json()
    assert data["status"] == "valid"
    assert data["holder_name"] == "Sari Wulandari"
    assert data["number"] == cert.number and data["hours"] == 16
    assert data["training"] == "Bimtek Fotografi Produk"
    assert data["starts_on"] == "2024-01-24" and data["ends_on"] == "2024-01-25"
    assert "email" not in json.dumps(data)
    assert client.get(f"/api/v1/certificates/{codes.new_code()}").status_code == 404
    assert client.get("/api/v1/certificates/ZZZ").status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_verification_query_counts_are_constant(
    client, diskominfo, count, django_assert_num_queries
):
    training = cf.training(diskominfo)
    cf.completers(training, count)
    cf.issue(training)
    cert = Certificate.objects.last()
    selectors.clear_city_memo()
    with django_assert_num_queries(2):  # the certificate, and the city (memoised per process)
        assert client.get(f"/verifikasi/{cert.code}").status_code == 200
    with django_assert_num_queries(1):  # the certificate (no answer cache without Redis)
        assert client.get(f"/verifikasi/{cert.code}").status_code == 200
    with django_assert_num_queries(1):
        assert client.get(f"/api/v1/certificates/{cert.code}").status_code == 200
    path = qr_path(cert)
    with django_assert_num_queries(1):
        assert client.get(path).status_code == 200


def test_verification_is_rate_limited(client, issued, settings):
    settings.VERIFY_RATE_PER_MINUTE = 3
    cert = issued[0]
    for _ in range(3):
        assert client.get(f"/verifikasi/{cert.code}").status_code == 200
    assert client.get(f"/verifikasi/{cert.code}").status_code == 429
    assert client.get(f"/api/v1/certificates/{cert.code}").status_code == 429
    other = client.get(f"/verifikasi/{cert.code}", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_limit(client, issued, settings):
    settings.VERIFY_RATE_PER_MINUTE = 2
    code = issued[0].code
    for n in range(2):
        client.get(f"/verifikasi/{code}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.get(f"/verifikasi/{code}", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429  # no proxy configured: the header means nothing


def test_behind_a_proxy_each_visitor_has_their_own_limit(client, issued, settings):
    """Behind the city's load balancer every request came from its address: 60 verifications a
    minute for the whole city. With EKRAF_TRUSTED_PROXIES the visitor's address counts."""
    settings.TRUSTED_PROXIES = 1
    settings.VERIFY_RATE_PER_MINUTE = 2
    code = issued[0].code
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(2):
        assert client.get(f"/verifikasi/{code}", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    limited = client.get(f"/verifikasi/{code}", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert limited.status_code == 429
    # Another visitor behind the same proxy is not affected.
    other = client.get(f"/verifikasi/{code}", HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert other.status_code == 200
    # What the visitor writes into the header themselves (left of the proxy's entry) is ignored.
    spoofed = client.get(
        f"/verifikasi/{code}", HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7", **proxy
    )
    assert spoofed.status_code == 429


def test_ipv6_visitors_are_limited_per_64_block(client, issued, settings):
    settings.VERIFY_RATE_PER_MINUTE = 2
    code = issued[0].code
    for n in range(2):
        client.get(f"/verifikasi/{code}", REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")
    same_line = client.get(f"/verifikasi/{code}", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert same_line.status_code == 429
    assert client.get(f"/verifikasi/{code}", REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


# --- the QR token, checked with an independent JOSE library against the served JWKS -------------


def served_jwks(client) -> jwk.JWKSet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    body = response.json()
    assert all(k["kty"] == "OKP" and k["crv"] == "Ed25519" and "d" not in k for k in body["keys"])
    return jwk.JWKSet.from_json(response.content)


def test_printed_jws_token_verifies_offline_with_jwcrypto_and_the_jwks(client, issued):
    cert = issued[0]
    token = jws_token(cert)
    keyset = served_jwks(client)
    checked = jws.JWS()
    checked.deserialize(token)
    header = checked.jose_header
    assert header["alg"] == "Ed25519" and header["kid"] == keys.keyring().active.kid
    checked.verify(keyset.get_key(header["kid"]), alg="Ed25519")
    claims = json.loads(checked.payload)
    assert claims == {
        "c": cert.code,
        "n": "Budi Hartono",
        "t": "Bimtek Fotografi Produk",
        "a": "Diskominfo",
        "d": "2024-01-25",
    }
    assert f"{settings.BASE_URL}/v/{token}".startswith("http")


def test_altered_token_is_rejected(client, issued):
    token = jws_token(issued[0])
    header, payload, signature = token.split(".")
    claims = json.loads(multibase.b64url_decode(payload))
    claims["n"] = "Orang Lain"
    forged = ".".join(
        [header, multibase.b64url(json.dumps(claims, separators=(",", ":")).encode()), signature]
    )
    checked = jws.JWS()
    checked.deserialize(forged)
    with pytest.raises(jws.InvalidJWSSignature):
        checked.verify(served_jwks(client).get_key(checked.jose_header["kid"]), alg="Ed25519")
    response = client.get(f"/v/{forged}")
    assert response.status_code == 400 and "QR tidak sah" in response.content.decode()
    assert "Orang Lain" not in response.content.decode()


def test_token_signed_by_an_unknown_key_is_rejected(client, issued):
    stranger = jwk.JWK.generate(kty="OKP", crv="Ed25519", kid=keys.keyring().active.kid)
    payload = json.dumps({"c": issued[0].code, "n": "Palsu", "t": "x", "a": "y", "d": "2024-01-01"})
    forged = jws.JWS(payload.encode())
    forged.add_signature(
        stranger, alg="Ed25519", protected={"alg": "Ed25519", "kid": keys.keyring().active.kid}
    )
    token = forged.serialize(compact=True)
    assert client.get(f"/v/{token}").status_code == 400
    other_kid = jwk.JWK.generate(kty="OKP", crv="Ed25519", kid="unknown")
    forged = jws.JWS(payload.encode())
    forged.add_signature(other_kid, alg="Ed25519", protected={"alg": "Ed25519", "kid": "unknown"})
    assert client.get(f"/v/{forged.serialize(compact=True)}").status_code == 400
    for garbage in ("abc", "a.b.c", "x" * 300, "eyJhbGciOiJub25lIn0.e30."):
        assert client.get(f"/v/{garbage}").status_code == 400


def test_rotation_keeps_old_tokens_valid_and_old_keys_published(client, issued):
    old_path, old_jws = qr_path(issued[0]), jws_token(issued[0])
    old_kid = keys.keyring().active.kid
    new_kid = keys.add_ed25519_key()
    assert new_kid != old_kid
    kids = {k["kid"] for k in client.get("/.well-known/jwks.json").json()["keys"]}
    assert kids == {old_kid, new_kid}
    assert client.get(old_path).status_code == 200
    assert client.get(f"/v/{old_jws}").status_code == 200
    new_path = qr_path(issued[0])
    assert tokens.read_cose_token(new_path.rsplit("/", 1)[1])["kid"] == new_kid
    assert client.get(new_path).status_code == 200


def test_the_verification_form_is_linked_in_the_navigation(client, city):
    assert reverse("credentials:verify") in client.get("/").content.decode()


def test_a_mistyped_code_says_so_distinct_from_an_unknown_one(client, issued, organiser):
    cert = issued[0]
    swapped = cert.code[1] + cert.code[0] + cert.code[2:]
    if swapped == cert.code:
        swapped = cert.code[:5] + cert.code[6] + cert.code[5] + cert.code[7:]
    page = client.get(f"/verifikasi/{swapped}")
    assert page.status_code == 404
    assert "Kode salah ketik — periksa huruf yang mirip" in page.content.decode()
    api = client.get(f"/api/v1/certificates/{swapped}")
    assert api.status_code == 404 and api.json()["status"] == "mistyped"
    unknown = client.get(f"/api/v1/certificates/{codes.new_code()}")
    assert unknown.status_code == 404 and unknown.json()["status"] == "unknown"
    assert client.get("/api/v1/certificates/ZZZ").json()["status"] == "unknown"
    body = client.get(f"/verifikasi/{codes.new_code()}").content.decode()
    assert "salah ketik" not in body and "Tidak ditemukan" in body
    form = client.get("/verifikasi", {"kode": swapped}).content.decode()
    assert "Kode salah ketik" in form


def test_public_documents_can_be_read_by_browser_verifiers_anywhere(client, issued, organiser):
    """Access-Control-Allow-Origin: * on every public read-only document a verifier fetches."""
    cert = issued[0]
    services.revoke_certificate(organiser, issued[1].code, "Nama peserta keliru")
    urls = [
        f"/api/v1/certificates/{cert.code}",
        f"/api/v1/certificates/{codes.new_code()}",
        "/.well-known/jwks.json",
        "/openbadges/issuers/diskominfo",
        f"/openbadges/issuers/diskominfo/keys/{keys.keyring().active.kid}",
        f"/openbadges/issuers/diskominfo/keys/{keys.keyring().active.kid}/jwk",
        f"/openbadges/status/diskominfo/{cert.status_list.number}",
        f"/openbadges/achievements/{cert.training.public_id}",
        f"/openbadges/achievements/{cert.training.public_id}/image.svg",
        "/pki/ca.crl",
    ]
    for url in urls:
        response = client.get(url, HTTP_ORIGIN="https://verifier.example")
        assert response["Access-Control-Allow-Origin"] == "*", url
