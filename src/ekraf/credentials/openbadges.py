"""Open Badges 3.0: each certificate as an OpenBadgeCredential (W3C VC 2.0 data model).

Secured two ways with the platform's Ed25519 key:
* an embedded Data Integrity proof, cryptosuite ``eddsa-rdfc-2022`` (RDFC-1.0 canonical
  N-Quads of the proof options and of the credential, SHA-256 each, Ed25519 over the two
  hashes, proofValue base58btc);
* VC-JOSE: the same credential (without the embedded proof) as a compact JWS,
  ``typ: vc+jwt``, ``cty: vc``, media type ``application/vc+jwt``.

Each agency is an issuer with a Profile at a stable URL listing the platform's keys as
Multikey verification methods. Revocation is a W3C Bitstring Status List per agency
(131,072 entries), published as a signed BitstringStatusListCredential.

Every agency's profile lists the same platform keys: the platform signs on each agency's
behalf, and separate keys per agency would sit in the same key directory, adding no protection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ekraf.core.templatetags.ekraf import kind_and_title

from . import jsonld, keys, multibase, tokens
from .models import Certificate, Kind, StatusList

CRYPTOSUITE = "eddsa-rdfc-2022"
CONTEXT = [jsonld.VC_V2, jsonld.OB_V3]
ACHIEVEMENT_TYPE = {Kind.COMPLETION: "CertificateOfCompletion", Kind.PARTICIPATION: "Certificate"}
VC_MEDIA_TYPE = "application/vc"
VC_JWT_MEDIA_TYPE = "application/vc+jwt"


def _url(name: str, *args) -> str:
    return settings.BASE_URL + reverse(name, args=args)


def issuer_url(agency_code: str) -> str:
    return _url("credentials:ob_issuer", agency_code)


def status_list_url(agency_code: str, number: int) -> str:
    return _url("credentials:ob_status_list", agency_code, number)


def achievement_url(training_public_id: str) -> str:
    return _url("credentials:ob_achievement", training_public_id)


def verification_method(agency_code: str, kid: str) -> str:
    return f"{issuer_url(agency_code)}#{kid}"


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


def _criteria(cert: Certificate) -> str:
    if cert.kind == Kind.COMPLETION:
        return (
            "Mengikuti seluruh rangkaian pelatihan dan memenuhi syarat kelulusan yang ditetapkan "
            "penyelenggara (kehadiran dan nilai post-test)."
        )
    return "Terdaftar sebagai peserta terkonfirmasi dan hadir pada pelatihan."


def _description(cert: Certificate) -> str:
    when = cert.starts_on.isoformat() if cert.starts_on else ""
    if cert.ends_on and cert.ends_on != cert.starts_on:
        when = f"{when} s.d. {cert.ends_on.isoformat()}"
    parts = [f"{kind_and_title(cert.training_kind, cert.training_title)} oleh {cert.agency_name}"]
    if cert.hours:
        parts.append(f"{cert.hours} jam pelajaran (JP)")
    if when:
        parts.append(when)
    if cert.place:
        parts.append(cert.place)
    return ", ".join(parts) + ". E-sertifikat ini bukan sertifikat kompetensi profesi (BNSP/LSP)."


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
            "id": issuer_url(agency_code),
            "type": ["Profile"],
            "name": cert.agency_name,
        },
        "validFrom": _timestamp(cert.issued_at),
        "credentialSubject": {
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
            "achievement": {
                "id": achievement_url(cert.training.public_id),
                "type": ["Achievement"],
                "achievementType": ACHIEVEMENT_TYPE[cert.kind],
                "name": cert.training_title,
                "description": _description(cert),
                "criteria": {"narrative": _criteria(cert)},
            },
        },
        "credentialStatus": {
            "id": f"{status_list_url(agency_code, cert.status_list.number)}#{cert.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(cert.status_index),
            "statusListCredential": status_list_url(agency_code, cert.status_list.number),
        },
    }


def signed_credential(cert: Certificate) -> dict:
    return add_proof(credential(cert), cert.agency.code)


def credential_jwt(cert: Certificate) -> str:
    """VC-JOSE: the unsecured credential as a compact JWS (application/vc+jwt)."""
    payload = json.dumps(credential(cert), ensure_ascii=False, separators=(",", ":")).encode()
    return tokens.sign_compact(payload, typ="vc+jwt", cty="vc")


# --- issuer profile, achievement -----------------------------------------------------------------


def issuer_profile(agency, city=None) -> dict:
    ring = keys.keyring()
    profile_id = issuer_url(agency.code)
    methods = [
        {
            "id": f"{profile_id}#{key.kid}",
            "type": "Multikey",
            "controller": profile_id,
            "publicKeyMultibase": key.multikey,
        }
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


def achievement(training) -> dict:
    return {
        "@context": CONTEXT,
        "id": achievement_url(training.public_id),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPE[training.certificate_kind],
        "name": training.title,
        "description": (training.description or training.title)[:2000],
        "criteria": {"narrative": "Lihat syarat kelulusan pelatihan di halaman pelatihan."},
        "creator": {
            "id": issuer_url(training.agency.code),
            "type": ["Profile"],
            "name": training.agency.name,
        },
    }


# --- status lists --------------------------------------------------------------------------------


def status_bits(status_list: StatusList) -> bytearray:
    bits = bytearray(status_list.size // 8)
    revoked = Certificate.objects.filter(
        status_list=status_list, revoked_at__isnull=False
    ).values_list("status_index", flat=True)
    for index in revoked.iterator():
        multibase.set_bit(bits, index)
    return bits


def status_list_credential(status_list: StatusList, bits: bytes) -> dict:
    url = status_list_url(status_list.agency.code, status_list.number)
    document = {
        "@context": [jsonld.VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url(status_list.agency.code),
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
