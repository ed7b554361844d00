"""Open Badges 3.0: the credential, its Data Integrity proof (checked with PyLD and Ed25519
against the issuer profile's Multikey), its VC-JOSE form (checked with jwcrypto against the
JWKS), and the published revocation status list."""

import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from jwcrypto import jwk, jws
from pyld import jsonld as pyld

from ekraf.credentials import jsonld, keys, multibase, services
from ekraf.credentials.models import Certificate, StatusList
from tests import factories
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@pytest.fixture
def cert(diskominfo):
    training = cf.training(diskominfo, title="Bimtek Konten Kreator")
    cf.registration(
        training, factories.user("ob", full_name="Dewi Anggraini", email="dewi@contoh.id")
    )
    cf.registration(training)
    cf.issue(training)
    return Certificate.objects.order_by("sequence").first()


def download(client, cert, fmt="json"):
    client.force_login(cert.holder)
    response = client.get(f"/sertifikat-saya/{cert.code}/openbadges.{fmt}")
    assert response.status_code == 200
    return response


def b58decode(text: str) -> bytes:
    number = 0
    for ch in text:
        number = number * 58 + BASE58.index(ch)
    return number.to_bytes((number.bit_length() + 7) // 8, "big")


def canonical(document: dict) -> bytes:
    """RDFC-1.0 with PyLD, contexts served only from the pinned files."""
    return pyld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": jsonld.document_loader,
        },
    ).encode()


def check_data_integrity(document: dict, profile: dict) -> None:
    """eddsa-rdfc-2022 verification written out from the spec, independent of our code."""
    proof = document["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    method = next(
        m for m in profile["verificationMethod"] if m["id"] == proof["verificationMethod"]
    )
    assert method["type"] == "Multikey" and method["controller"] == profile["id"]
    assert method["id"] in profile["assertionMethod"]
    assert method["publicKeyMultibase"].startswith("z6Mk")
    raw = b58decode(method["publicKeyMultibase"][1:])
    assert raw[:2] == b"\xed\x01"
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = document["@context"]
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    hash_data = (
        hashlib.sha256(canonical(config)).digest() + hashlib.sha256(canonical(unsecured)).digest()
    )
    Ed25519PublicKey.from_public_bytes(raw[2:]).verify(
        b58decode(proof["proofValue"][1:]), hash_data
    )


def issuer_profile(client, document) -> dict:
    issuer = document["issuer"]
    url = issuer["id"] if isinstance(issuer, dict) else issuer
    response = client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    return response.json()


def test_the_credential_is_an_open_badge_with_a_valid_data_integrity_proof(client, cert):
    response = download(client, cert)
    assert response["Content-Type"] == "application/vc"
    document = json.loads(response.content)
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["validFrom"].endswith("Z")
    subject = document["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["name"] == "Bimtek Konten Kreator"
    assert "bukan sertifikat kompetensi" in achievement["description"]
    identity = subject["identifier"][0]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    assert (
        identity["identityHash"]
        == "sha256$" + hashlib.sha256(("dewi@contoh.id" + identity["salt"]).encode()).hexdigest()
    )
    assert "dewi@contoh.id" not in json.dumps(document)
    assert "Dewi" not in json.dumps(document)  # nothing personal in clear
    check_data_integrity(document, issuer_profile(client, document))


def scalars(value) -> set:
    if isinstance(value, dict):
        return set().union(*(scalars(v) for k, v in value.items() if k != "@context"), set())
    if isinstance(value, list):
        return set().union(*(scalars(v) for v in value), set())
    return {str(value).lower()}


def test_every_term_is_defined_so_nothing_escapes_the_signature(client, cert):
    """JSON-LD silently drops undefined terms; every value must survive expansion."""
    document = json.loads(download(client, cert).content)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    expanded = pyld.expand(unsecured, {"documentLoader": jsonld.document_loader})
    kept = scalars(expanded)
    missing = {v for v in scalars(unsecured) if v not in kept and not any(v in k for k in kept)}
    assert missing == set()


def test_altered_credential_is_rejected(client, cert):
    document = json.loads(download(client, cert).content)
    profile = issuer_profile(client, document)
    document["credentialSubject"]["achievement"]["name"] = "Sertifikasi Profesi BNSP"
    with pytest.raises(InvalidSignature):
        check_data_integrity(document, profile)


def test_the_jwt_follows_open_badges_3_jwt_rules_and_verifies_with_jwcrypto(client, cert):
    """OB 3.0 §8.2: typ JWT, no other header than alg/kid/typ, a kid that dereferences to the
    key as a JWK, and iss/jti/nbf/sub mapped from the credential (which it carries whole)."""
    response = download(client, cert, "jwt")
    assert response["Content-Type"] == "application/jwt"
    token = response.content.decode()
    checked = jws.JWS()
    checked.deserialize(token)
    header = checked.jose_header
    assert set(header) == {"alg", "kid", "typ"}
    assert header["alg"] == "Ed25519" and header["typ"] == "JWT"
    served = client.get(header["kid"].removeprefix("http://127.0.0.1:8000"))
    assert served.status_code == 200 and served["Content-Type"] == "application/jwk+json"
    key = jwk.JWK.from_json(served.content)
    assert "d" not in served.json()
    checked.verify(key, alg="Ed25519")
    claims = json.loads(checked.payload)
    document = json.loads(download(client, cert).content)
    assert claims["iss"] == document["issuer"]["id"]
    assert claims["jti"] == document["id"]
    assert claims["sub"] == document["credentialSubject"]["id"]
    valid_from = dt.datetime.fromisoformat(document["validFrom"].replace("Z", "+00:00"))
    assert claims["nbf"] == int(valid_from.timestamp())
    assert "exp" not in claims  # e-certificates do not expire
    assert {k: v for k, v in claims.items() if k not in {"iss", "jti", "nbf", "sub"}} == document

    head, body, signature = token.split(".")
    claims["nbf"] = 0
    forged = jws.JWS()
    forged.deserialize(".".join([head, multibase.b64url(json.dumps(claims).encode()), signature]))
    with pytest.raises(jws.InvalidJWSSignature):
        forged.verify(key, alg="Ed25519")


def test_signed_once_at_issuance_and_the_same_bytes_served(client, cert):
    first = download(client, cert).content
    jwt_first = download(client, cert, "jwt").content
    keys.add_ed25519_key()  # even after a key rotation, what was issued is what is served
    assert download(client, cert).content == first
    assert download(client, cert, "jwt").content == jwt_first
    proof = json.loads(first)["proof"]
    assert proof["created"] == json.loads(first)["validFrom"]  # signed when issued


def test_every_verification_method_dereferences_to_its_multikey(client, cert):
    document = json.loads(download(client, cert).content)
    method_url = document["proof"]["verificationMethod"]
    assert "#" not in method_url
    response = client.get(method_url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    method = response.json()
    assert method["@context"] == ["https://w3id.org/security/multikey/v1"]
    assert method["type"] == "Multikey" and method["id"] == method_url
    assert method["controller"] == document["issuer"]["id"]
    profile = issuer_profile(client, document)
    assert method_url in profile["assertionMethod"]
    assert client.get("/openbadges/issuers/diskominfo/keys/tidakada").status_code == 404


def test_the_hosted_achievement_is_the_embedded_one_with_an_image(client, cert):
    document = json.loads(download(client, cert).content)
    embedded = document["credentialSubject"]["achievement"]
    hosted = client.get(embedded["id"].removeprefix("http://127.0.0.1:8000")).json()
    assert {k: v for k, v in hosted.items() if k != "@context"} == embedded
    image = client.get(embedded["image"]["id"].removeprefix("http://127.0.0.1:8000"))
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"
    assert b"Diskominfo" in image.content and b"<script" not in image.content


def test_the_holder_binds_a_did_and_the_credential_names_it(client, cert):
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    client.force_login(cert.holder)
    before = download(client, cert).content
    response = client.post("/sertifikat-saya/", {"did": "bukan did"})
    assert "DID tidak valid" in response.content.decode()
    assert client.post("/sertifikat-saya/", {"did": did}).status_code == 302
    document = json.loads(download(client, cert).content)
    assert document["credentialSubject"]["id"] == did
    check_data_integrity(document, issuer_profile(client, document))
    assert download(client, cert).content != before
    token = download(client, cert, "jwt").content.decode()
    assert json.loads(multibase.b64url_decode(token.split(".")[1]))["sub"] == did
    assert did in client.get("/sertifikat-saya/").content.decode()  # kept in the form


def status_list_document(client, document) -> dict:
    url = document["credentialStatus"]["statusListCredential"]
    response = client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    return json.loads(response.content)


def bit(status_list: dict, index: int) -> bool:
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(multibase.b64url_decode(encoded[1:]))
    assert len(bits) * 8 >= 131_072
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_revocation_sets_the_bit_in_the_published_signed_status_list(client, cert, organiser):
    document = json.loads(download(client, cert).content)
    entry = document["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    index = int(entry["statusListIndex"])
    before = status_list_document(client, document)
    assert before["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert not bit(before, index)
    check_data_integrity(before, issuer_profile(client, before))

    client.post(
        f"/kelola/sertifikat/{cert.code}/cabut/",
        {"category": "wrong_data", "reason": "Dicabut karena data keliru"},
    )  # the holder cannot revoke
    assert not Certificate.objects.get(pk=cert.pk).revoked_at
    services.revoke_certificate(organiser, cert.code, "Data peserta keliru")
    after = status_list_document(client, document)
    assert bit(after, index)
    check_data_integrity(after, issuer_profile(client, after))
    other = Certificate.objects.exclude(pk=cert.pk).get()
    assert not bit(after, other.status_index)


def test_a_status_list_whose_file_went_missing_is_published_again(client, cert):
    """The row named a file that a concurrent publish had just deleted (or storage lost): the
    list every verifier fetches answered 500."""
    from django.core.files.storage import default_storage

    document = json.loads(download(client, cert).content)
    status_list_document(client, document)  # published
    default_storage.delete(StatusList.objects.get().file)
    again = status_list_document(client, document)
    assert not bit(again, int(document["credentialStatus"]["statusListIndex"]))
    check_data_integrity(again, issuer_profile(client, again))


def test_status_slots_are_scrambled_and_unique(diskominfo):
    training = cf.training(diskominfo)
    cf.completers(training, 20)
    cf.issue(training)
    slots = list(Certificate.objects.order_by("sequence").values_list("status_index", flat=True))
    assert len(set(slots)) == 20
    assert slots != sorted(slots) or slots[0] != 0
    assert StatusList.objects.get().allocated == 20


def test_issuer_profile_lists_current_and_retired_keys(client, cert):
    keys.add_ed25519_key()
    profile = client.get("/openbadges/issuers/diskominfo").json()
    assert profile["type"] == ["Profile"]
    assert len(profile["verificationMethod"]) == 2
    assert client.get("/openbadges/issuers/tidak-ada").status_code == 404
    achievement = client.get(f"/openbadges/achievements/{cert.training.public_id}").json()
    assert achievement["type"] == ["Achievement"]


def test_contexts_are_pinned_and_nothing_else_loads():
    folder = Path(jsonld.__file__).parent / "contexts"
    expected = {
        "credentials-v2.jsonld": "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f",
        "ob-v3p0-context-3.0.3.json": "01d87cc8b5357af557bfb09428f603c4691c49ef8a6089945a70bda1b96b1db2",
        "multikey-v1.jsonld": "c5f3806f8286920573221938917988a18a4cc5a09e968d29649613c7a1c2b1f6",
    }
    for name, digest in expected.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    with pytest.raises(pyld.JsonLdError):
        jsonld.canonicalize({"@context": "https://example.org/evil-context", "name": "x"})


def resolve_did_web(did: str) -> str:
    """did:web:HOST:a:b → https://HOST/a/b/did.json (the did:web method's rule)."""
    host, *path = did.removeprefix("did:web:").split(":")
    return "https://" + host.replace("%3A", ":") + "/" + "/".join(path) + "/did.json"


def test_on_an_https_site_the_issuer_is_a_did_web_that_resolves_to_the_keys(
    client, settings, diskominfo
):
    settings.BASE_URL = "https://ekraf.malangkota.go.id"
    settings.HTTPS = True
    training = cf.training(diskominfo)
    cf.registration(training)
    cf.issue(training)
    cert = Certificate.objects.get()
    document = json.loads(download(client, cert).content)
    did = "did:web:ekraf.malangkota.go.id:openbadges:issuers:diskominfo"
    assert document["issuer"]["id"] == did
    assert document["proof"]["verificationMethod"] == f"{did}#{keys.keyring().active.kid}"
    url = resolve_did_web(did)
    assert url == "https://ekraf.malangkota.go.id/openbadges/issuers/diskominfo/did.json"
    response = client.get(url.removeprefix(settings.BASE_URL))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    did_document = response.json()
    assert did_document["id"] == did
    assert did_document["@context"][0] == "https://www.w3.org/ns/did/v1"
    check_data_integrity(document, did_document)
    token = download(client, cert, "jwt").content.decode()
    assert json.loads(multibase.b64url_decode(token.split(".")[1]))["iss"] == did
    status = json.loads(
        client.get(
            document["credentialStatus"]["statusListCredential"].removeprefix(settings.BASE_URL)
        ).content
    )
    assert status["issuer"] == did
    check_data_integrity(status, did_document)
