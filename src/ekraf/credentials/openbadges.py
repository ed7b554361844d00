"""Open Badges 3.0: each certificate as an OpenBadgeCredential (W3C VC 2.0 data model).

Secured two ways with the platform's Ed25519 key:
* an embedded Data Integrity proof, cryptosuite ``eddsa-rdfc-2022`` (RDFC-1.0 canonical
  N-Quads of the proof options and of the credential, SHA-256 each, Ed25519 over the two
  hashes, proofValue base58btc);
* Open Badges 3.0's JSON Web Token proof format (§8.2): the credential, with its Data
  Integrity proof, as the payload of a compact JWS with the registered claims ``iss``
  (issuer.id), ``jti`` (id), ``nbf`` (validFrom), ``sub`` (credentialSubject.id) and ``exp``
  (validUntil, when there is one); the JOSE header is only ``alg``, ``kid`` (a URL that
  dereferences to the key as a JWK) and ``typ: JWT``.

Both are signed once, when the certificate is issued (or the holder binds a DID), stored, and
served byte for byte (services.store_credential).

Each agency is an issuer with a Profile at a stable URL. Every verification method has its
own URL (``…/issuers/{agency}/keys/{kid}``) that answers with a Multikey document naming the
profile as its ``controller``; the profile lists those URLs under ``assertionMethod``. So a
verifier that dereferences the proof's ``verificationMethod`` (Digital Bazaar's vc, the DCC's
verifier-core) gets a key, not the whole profile. Revocation is a W3C Bitstring Status List
per agency (131,072 entries), published as a signed BitstringStatusListCredential.

Every agency's profile lists the same platform keys: the platform signs on each agency's
behalf, and separate keys per agency would sit in the same key directory, adding no protection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ekraf.core.templatetags.ekraf import kind_and_title

from . import jsonld, keys, multibase, tokens
from .models import Certificate, Kind, StatusList

CRYPTOSUITE = "eddsa-rdfc-2022"
CONTEXT = [jsonld.VC_V2, jsonld.OB_V3]
ACHIEVEMENT_TYPE = {Kind.COMPLETION: "CertificateOfCompletion", Kind.PARTICIPATION: "Certificate"}
VC_MEDIA_TYPE = "application/vc"
JWT_MEDIA_TYPE = "application/jwt"  # RFC 7519: the OB 3.0 JWT proof format


def _url(name: str, *args) -> str:
    return settings.BASE_URL + reverse(name, args=args)


def issuer_url(agency_code: str) -> str:
    return _url("credentials:ob_issuer", agency_code)


def status_list_url(agency_code: str, number: int) -> str:
    return _url("credentials:ob_status_list", agency_code, number)


def achievement_url(training_public_id: str) -> str:
    return _url("credentials:ob_achievement", training_public_id)


def did_web(agency_code: str) -> str:
    """The agency's did:web, resolving to https://HOST/openbadges/issuers/{code}/did.json."""
    parts = urlsplit(settings.BASE_URL)
    segments = [*parts.path.strip("/").split("/"), "openbadges", "issuers", agency_code]
    return ":".join(["did:web", quote(parts.netloc, safe=""), *[s for s in segments if s]])


def issuer_id(agency_code: str) -> str:
    """Who signs: on an HTTPS site the agency's did:web (a DID that wallets, verifier-core and
    the DCC's issuer registries resolve), else its profile's URL."""
    return did_web(agency_code) if settings.HTTPS else issuer_url(agency_code)


def verification_method(agency_code: str, kid: str) -> str:
    """The key's own identifier: ``did:web:…#kid`` (in the DID document) on an HTTPS site, else
    its own URL, which dereferences to its Multikey document (multikey_document)."""
    if settings.HTTPS:
        return f"{did_web(agency_code)}#{kid}"
    return _url("credentials:ob_key", agency_code, kid)


def key_jwk_url(agency_code: str, kid: str) -> str:
    """The JWT ``kid``: a URL that dereferences to the key as a JWK (OB 3.0 §8.2.3)."""
    return _url("credentials:ob_key_jwk", agency_code, kid)


def achievement_image_url(training_public_id: str) -> str:
    return _url("credentials:ob_achievement_image", training_public_id)


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def identity_hash(identity: str, salt: str) -> str:
    """OB 3.0 IdentityObject hash: ``sha256$`` + hex SHA-256 of the identity followed by salt."""
    return "sha256$" + hashlib.sha256((identity + salt).encode()).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


# --- Data Integrity: eddsa-rdfc-2022 ------------------------------------------------------------


def _hash_data(document: dict, proof_config: dict) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config_hash = hashlib.sha256(jsonld.canonicalize(proof_config).encode()).digest()
    document_hash = hashlib.sha256(jsonld.canonicalize(unsecured).encode()).digest()
    return config_hash + document_hash


def add_proof(document: dict, agency_code: str, created: dt.datetime | None = None) -> dict:
    key = keys.keyring().active
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(created or timezone.now()),
        "verificationMethod": verification_method(agency_code, key.kid),
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(document, {"@context": document["@context"], **proof}))
    return {**document, "proof": {**proof, "proofValue": "z" + multibase.base58btc(signature)}}


def verify_proof(document: dict, public_raw: bytes) -> bool:
    """Check an eddsa-rdfc-2022 proof with the given Ed25519 public key."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    value = proof.get("proofValue", "")
    if not value.startswith("z"):
        return False
    try:
        signature = multibase.base58btc_decode(value[1:])
        Ed25519PublicKey.from_public_bytes(public_raw).verify(
            signature, _hash_data(document, {"@context": document["@context"], **config})
        )
    except (InvalidSignature, ValueError, KeyError):
        return False
    return True


# --- the credential ---------------------------------------------------------------------------


def _criteria(kind: str) -> str:
    if kind == Kind.COMPLETION:
        return (
            "Mengikuti seluruh rangkaian pelatihan dan memenuhi syarat kelulusan yang ditetapkan "
            "penyelenggara (kehadiran dan nilai post-test)."
        )
    return "Terdaftar sebagai peserta terkonfirmasi dan hadir pada pelatihan."


def _description(printed) -> str:
    when = printed.starts_on.isoformat() if printed.starts_on else ""
    if printed.ends_on and printed.ends_on != printed.starts_on:
        when = f"{when} s.d. {printed.ends_on.isoformat()}"
    parts = [
        f"{kind_and_title(printed.training_kind, printed.training_title)} oleh "
        f"{printed.agency_name}"
    ]
    if printed.hours:
        parts.append(f"{printed.hours} jam pelajaran (JP)")
    if when:
        parts.append(when)
    if printed.place:
        parts.append(printed.place)
    return ", ".join(parts) + ". E-sertifikat ini bukan sertifikat kompetensi profesi (BNSP/LSP)."


def achievement_of(printed, training_public_id: str, agency_code: str) -> dict:
    """The Achievement of a training, from what its certificates print (a Certificate, or
    selectors.AchievementPrint before the first one): the same object is embedded in every
    credential and served at its own URL."""
    return {
        "id": achievement_url(training_public_id),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPE[printed.kind],
        "name": printed.training_title,
        "description": _description(printed),
        "criteria": {"narrative": _criteria(printed.kind)},
        "image": {
            "id": achievement_image_url(training_public_id),
            "type": "Image",
            "caption": f"Lencana {printed.agency_short_name}",
        },
        "creator": {
            "id": issuer_id(agency_code),
            "type": ["Profile"],
            "name": printed.agency_name,
        },
    }


def subject_id(cert: Certificate) -> str:
    """The credential subject's id: the holder's DID when they gave one, else a URN of this
    credential's own (no personal data; JWT ``sub`` needs a value)."""
    if cert.holder_did:
        return cert.holder_did
    return f"urn:uuid:{uuid.uuid5(cert.credential_id, 'credentialSubject')}"


def credential(cert: Certificate) -> dict:
    """The unsecured OpenBadgeCredential for a certificate (deterministic)."""
    agency_code = cert.agency.code
    kind_label = "Kelulusan" if cert.kind == Kind.COMPLETION else "Keikutsertaan"
    return {
        "@context": CONTEXT,
        "id": f"urn:uuid:{cert.credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"E-Sertifikat {kind_label}: {cert.training_title}",
        "issuer": {
            "id": issuer_id(agency_code),
            "type": ["Profile"],
            "name": cert.agency_name,
        },
        "validFrom": _timestamp(cert.issued_at),
        "credentialSubject": {
            "id": subject_id(cert),
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": cert.recipient_hash,
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": cert.identity_salt,
                }
            ],
            "achievement": achievement_of(cert, cert.training.public_id, agency_code),
        },
        "credentialStatus": {
            "id": f"{status_list_url(agency_code, cert.status_list.number)}#{cert.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(cert.status_index),
            "statusListCredential": status_list_url(agency_code, cert.status_list.number),
        },
    }


def signed_credential(cert: Certificate, created: dt.datetime | None = None) -> dict:
    return add_proof(credential(cert), cert.agency.code, created=created)


def _numeric_date(value: str) -> int:
    return int(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def credential_jwt(document: dict, agency_code: str) -> str:
    """OB 3.0 §8.2: the (signed) credential as a JWT, claims mapped from it."""
    issuer = document["issuer"]
    claims = {
        **document,
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": document["id"],
        "nbf": _numeric_date(document["validFrom"]),
        "sub": document["credentialSubject"]["id"],
    }
    if document.get("validUntil"):
        claims["exp"] = _numeric_date(document["validUntil"])
    payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode()
    kid = key_jwk_url(agency_code, keys.keyring().active.kid)
    return tokens.sign_compact(payload, typ="JWT", kid=kid)


# --- issuer profile, achievement -----------------------------------------------------------------


def multikey_document(agency_code: str, key: keys.SigningKey) -> dict:
    """A verification method on its own (W3C Controlled Identifiers: Multikey)."""
    return {
        "@context": [jsonld.MULTIKEY_V1],
        "id": verification_method(agency_code, key.kid),
        "type": "Multikey",
        "controller": issuer_url(agency_code),
        "publicKeyMultibase": key.multikey,
    }


def did_document(agency) -> dict:
    """The agency's did:web DID document: the platform's keys as Multikey verification methods,
    each one authorised for assertions, and the profile's URL as another name of the issuer."""
    did = did_web(agency.code)
    methods = [
        {
            "id": f"{did}#{key.kid}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.multikey,
        }
        for key in keys.keyring().keys.values()
    ]
    return {
        "@context": [jsonld.DID_V1, jsonld.MULTIKEY_V1],
        "id": did,
        "alsoKnownAs": [issuer_url(agency.code)],
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


def issuer_profile(agency, city=None) -> dict:
    ring = keys.keyring()
    profile_id = issuer_url(agency.code)
    methods = [
        {k: v for k, v in multikey_document(agency.code, key).items() if k != "@context"}
        for key in ring.keys.values()
    ]
    profile = {
        "@context": [
            jsonld.VC_V2,
            jsonld.OB_V3,
            jsonld.MULTIKEY_V1,
            {
                # The terms of a controlled identifier document (W3C CID 1.0) for this profile.
                "verificationMethod": {
                    "@id": "https://w3id.org/security#verificationMethod",
                    "@type": "@id",
                },
                "assertionMethod": {
                    "@id": "https://w3id.org/security#assertionMethod",
                    "@type": "@id",
                    "@container": "@set",
                },
            },
        ],
        "id": profile_id,
        "type": ["Profile"],
        "name": agency.name,
        "url": settings.BASE_URL + "/",
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }
    if agency.email:
        profile["email"] = agency.email
    if city is not None:
        profile["description"] = f"Perangkat daerah {city.name}"
    return profile


def hosted_achievement(training, printed) -> dict:
    """The achievement served at its URL: the very object its credentials embed."""
    return {
        "@context": CONTEXT,
        **achievement_of(printed, training.public_id, training.agency.code),
    }


def achievement_svg(training, city) -> str:
    """The achievement's badge, drawn from the city's data: its agency, the kind of training,
    the city; wallets show it instead of a placeholder."""
    from django.utils.html import escape

    agency = escape(training.agency.short_name[:24])
    place = escape((city.name if city else "")[:32])
    kind = "KELULUSAN" if training.certificate_kind == Kind.COMPLETION else "KEIKUTSERTAAN"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512"'
        ' role="img" aria-label="E-sertifikat ' + agency + '">'
        '<circle cx="256" cy="256" r="248" fill="#1f3a5f"/>'
        '<circle cx="256" cy="256" r="222" fill="none" stroke="#b8923a" stroke-width="10"/>'
        '<text x="256" y="200" text-anchor="middle" font-family="DejaVu Serif, serif"'
        ' font-size="44" font-weight="bold" fill="#ffffff">E-SERTIFIKAT</text>'
        '<text x="256" y="262" text-anchor="middle" font-family="DejaVu Serif, serif"'
        ' font-size="30" fill="#b8923a">' + kind + "</text>"
        '<text x="256" y="324" text-anchor="middle" font-family="DejaVu Serif, serif"'
        ' font-size="34" font-weight="bold" fill="#ffffff">' + agency + "</text>"
        '<text x="256" y="372" text-anchor="middle" font-family="DejaVu Serif, serif"'
        ' font-size="24" fill="#ffffff">' + place + "</text></svg>"
    )


# --- status lists --------------------------------------------------------------------------------


def status_bits(status_list: StatusList) -> bytearray:
    bits = bytearray(status_list.size // 8)
    # Revoked, or superseded by a re-issue: either way no longer valid.
    revoked = (
        Certificate.objects.filter(status_list=status_list)
        .filter(Q(revoked_at__isnull=False) | Q(superseded_at__isnull=False))
        .values_list("status_index", flat=True)
    )
    for index in revoked.iterator():
        multibase.set_bit(bits, index)
    return bits


def status_list_credential(status_list: StatusList, bits: bytes) -> dict:
    url = status_list_url(status_list.agency.code, status_list.number)
    document = {
        "@context": [jsonld.VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(status_list.agency.code),
        "validFrom": _timestamp(timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": multibase.encode_bitstring(bytes(bits)),
        },
    }
    return add_proof(document, status_list.agency.code)


def publish_status_list(status_list_id: int) -> StatusList:
    """Rebuild, sign and store one agency's status list from the database (idempotent)."""
    with transaction.atomic():
        status_list = (
            StatusList.objects.select_for_update().select_related("agency").get(pk=status_list_id)
        )
        document = status_list_credential(status_list, status_bits(status_list))
        body = json.dumps(document, ensure_ascii=False, indent=1).encode()
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        name = default_storage.save(
            f"private/credentials/status/{status_list.agency.code}/"
            f"{status_list.number}-{stamp}.json",
            ContentFile(body),
        )
        old = status_list.file
        status_list.file = name
        status_list.published_at = timezone.now()
        status_list.needs_publish = False
        status_list.save(update_fields=["file", "published_at", "needs_publish"])
    if old and old != name:
        transaction.on_commit(lambda: default_storage.delete(old))
    return status_list


def publish_pending() -> int:
    """Publish every list marked as changed (the periodic safety net after a failed publish)."""
    ids = list(StatusList.objects.filter(needs_publish=True).values_list("pk", flat=True))
    for pk in ids:
        publish_status_list(pk)
    return len(ids)
