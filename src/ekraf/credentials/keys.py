"""The platform's signing keys, kept outside the repository (settings.CREDENTIAL_KEYS_DIR).

Two kinds of keys:

* **Ed25519 keys** sign QR tokens (compact JWS), Open Badges credentials (Data Integrity proofs
  and VC-JOSE) and the revocation status lists. Each has a short ``kid``. One key is active
  and signs; retired keys are kept, so everything they signed still verifies, and stay in the
  JWKS and in the issuer profiles. ``credential_keys rotate`` adds a new active key.
* **The PAdES certificate** signs certificate PDFs. ``credential_keys init`` creates a local
  CA and a signing certificate issued by it (ECDSA P-256, fast to sign); an installation
  with a certificate from a real CA points EKRAF_PDF_SIGNING_CERT/_KEY/_CHAIN at its files.
* **The local timestamping certificate** (when EKRAF_TSA_URL is not set) stamps the signing
  time of each PDF (RFC 3161, PAdES B-T) and the archive timestamps (B-LTA). It is issued by
  the same local CA, for 10 years (twice the signing certificate's 5), and renewed by the
  periodic job a year before it ends. The local CA also issues its (empty) revocation list,
  embedded in every PDF with the certificates (B-LT), so a validator needs nothing online.

Layout of the directory::

    ed25519/keyring.json     {"active": kid, "keys": {kid: {"created": …, "retired": …}}}
    ed25519/<kid>.pem        private key (PKCS#8, mode 0600)
    pades/ca.pem, ca-key.pem the local CA (its key only issues signing certificates)
    pades/signer.pem, signer-key.pem
    pades/tsa.pem, tsa-key.pem   the local timestamping certificate
    pades/ca.crl             the local CA's latest revocation list (DER), re-issued daily

Keys are read once per process and re-read when keyring.json changes (its mtime), so a
rotation reaches every web and worker process that shares the directory without a restart.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _

from ekraf.core.errors import DomainError
from ekraf.core.ids import random_code

from . import multibase


class KeysMissing(DomainError):
    status = 409  # a state of the installation, not a server fault: answer 4xx
    code = "keys_missing"

    def __init__(self):
        super().__init__(
            _(
                "Kunci penandatangan e-sertifikat belum dibuat. Administrator perlu menjalankan "
                "`python -m ekraf credential_keys init`."
            )
        )


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private: ed25519.Ed25519PrivateKey
    public_raw: bytes
    created: str
    retired: str | None = None

    @property
    def public(self) -> ed25519.Ed25519PublicKey:
        return self.private.public_key()

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)

    @property
    def multikey(self) -> str:
        """``z6Mk…``: the Multikey form (multicodec ed25519-pub 0xed01, base58btc)."""
        return multibase.ed25519_multikey(self.public_raw)

    def jwk(self) -> dict:
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": multibase.b64url(self.public_raw),
            "kid": self.kid,
            "alg": "Ed25519",
            "use": "sig",
        }


@dataclass(frozen=True)
class KeyRing:
    active: SigningKey
    keys: dict[str, SigningKey] = field(default_factory=dict)

    def get(self, kid: str) -> SigningKey | None:
        return self.keys.get(kid)

    def jwks(self) -> dict:
        return {"keys": [key.jwk() for key in self.keys.values()]}


def _ed_dir() -> Path:
    return Path(settings.CREDENTIAL_KEYS_DIR) / "ed25519"


def _pades_dir() -> Path:
    return Path(settings.CREDENTIAL_KEYS_DIR) / "pades"


_lock = threading.Lock()
_cache: dict[str, object] = {}


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True))
    os.replace(tmp, path)  # atomic: readers see the old or the new keyring, never half


def keyring() -> KeyRing:
    """The Ed25519 keys, cached per process and reloaded when the keyring file changes."""
    path = _ed_dir() / "keyring.json"
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise KeysMissing() from None
    cached = _cache.get("ring")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        manifest = json.loads(path.read_text())
        keys = {}
        for kid, meta in manifest["keys"].items():
            pem = (_ed_dir() / f"{kid}.pem").read_bytes()
            private = serialization.load_pem_private_key(pem, password=None)
            public_raw = private.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
            keys[kid] = SigningKey(kid, private, public_raw, meta["created"], meta.get("retired"))
        ring = KeyRing(active=keys[manifest["active"]], keys=keys)
        _cache["ring"] = (stamp, ring)
        return ring


def forget() -> None:
    """Drop cached keys (tests switch the keys directory between cases)."""
    _cache.clear()


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def add_ed25519_key() -> str:
    """Create a new Ed25519 key and make it the active one; the old one is retired, kept."""
    directory = _ed_dir()
    path = directory / "keyring.json"
    manifest = json.loads(path.read_text()) if path.exists() else {"active": None, "keys": {}}
    kid = random_code(6).lower()
    while kid in manifest["keys"]:
        kid = random_code(6).lower()
    private = ed25519.Ed25519PrivateKey.generate()
    _write_private(
        directory / f"{kid}.pem",
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    now = _now()
    if manifest["active"]:
        manifest["keys"][manifest["active"]]["retired"] = now
    manifest["keys"][kid] = {"created": now, "retired": None}
    manifest["active"] = kid
    _write_json(path, manifest)
    forget()
    return kid


# --- PAdES signing certificate -----------------------------------------------------------------


@dataclass(frozen=True)
class PadesMaterial:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


def _key_usage(**allowed) -> x509.KeyUsage:
    flags = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    flags.update(allowed)
    return x509.KeyUsage(**flags)


def _pem(obj) -> bytes:
    if isinstance(obj, x509.Certificate):
        return obj.public_bytes(serialization.Encoding.PEM)
    return obj.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _organisation() -> tuple[str, str]:
    from django.db import DatabaseError

    from ekraf.core.selectors import current_city

    try:
        city = current_city()
    except DatabaseError:  # the command may run before `migrate`
        city = None
    if city is None:
        return "Ekraf", "Ekraf"
    return city.platform_name, f"Pemerintah {city.name}"


def crl_url() -> str:
    return f"{settings.BASE_URL}/pki/ca.crl"


def _crl_distribution_point() -> x509.CRLDistributionPoints:
    """Where a validator, years from now, fetches the local CA's current revocation list."""
    return x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(crl_url())],
                relative_name=None,
                reasons=None,
                crl_issuer=None,
            )
        ]
    )


def create_local_ca() -> None:
    """A local certification authority for the embedded setup (20 years)."""
    platform, organisation = _organisation()
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"{platform} Local Signing CA", organisation)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory = _pades_dir()
    _write_private(directory / "ca-key.pem", _pem(key))
    (directory / "ca.pem").write_bytes(_pem(cert))


def _issue_from_local_ca(
    common_name: str, *, years: float, stem: str, cache_key: str, time_stamping: bool = False
) -> None:
    """A fresh certificate issued by the local CA (ECDSA P-256), replacing `stem`.pem and its
    key; it names where its revocation list is published."""
    directory = _pades_dir()
    ca_key = serialization.load_pem_private_key((directory / "ca-key.pem").read_bytes(), None)
    ca_cert = x509.load_pem_x509_certificate((directory / "ca.pem").read_bytes())
    _platform, organisation = _organisation()
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(min(now + dt.timedelta(days=365 * years), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(_crl_distribution_point(), critical=False)
    )
    if time_stamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    cert = builder.sign(ca_key, hashes.SHA256())
    for name in (f"{stem}-key.pem", f"{stem}.pem"):
        (directory / name).unlink(missing_ok=True)
    _write_private(directory / f"{stem}-key.pem", _pem(key))
    (directory / f"{stem}.pem").write_bytes(_pem(cert))
    _cache.pop(cache_key, None)


def issue_pades_certificate() -> None:
    """A fresh PDF-signing certificate from the local CA (5 years); replaces the current one."""
    _issue_from_local_ca(_organisation()[0], years=5, stem="signer", cache_key="pades")


TSA_YEARS = 10
# The periodic job renews the local timestamping certificate this long before it ends, so the
# archive timestamps it adds always have years of validity ahead.
TSA_RENEW_BEFORE = dt.timedelta(days=365)
# A UUID-based object identifier (ITU-T X.667, arc 2.25) for the local TSA's policy: the
# platform's own, so no timestamp claims another authority's policy.
LOCAL_TSA_POLICY = "2.25.166003429916958087298862416826441880419"


def issue_tsa_certificate() -> None:
    """A fresh local timestamping certificate from the local CA; replaces the current one.

    Timestamps made with the old one stay valid: each token carries its own certificate, and
    the PDFs carry the validation data for it."""
    _issue_from_local_ca(
        f"{_organisation()[0]} Local Timestamping",
        years=TSA_YEARS,
        stem="tsa",
        cache_key="tsa",
        time_stamping=True,
    )


def uses_local_ca() -> bool:
    return not settings.PDF_SIGNING_CERT or not settings.TSA_URL


def init() -> list[str]:
    """Create whatever is missing (idempotent). Returns what was created, for the command."""
    created = []
    if not (_ed_dir() / "keyring.json").exists():
        created.append(f"Ed25519 {add_ed25519_key()}")
    if uses_local_ca() and not (_pades_dir() / "ca.pem").exists():
        create_local_ca()
        created.append("CA lokal PAdES")
    if not settings.PDF_SIGNING_CERT and not (_pades_dir() / "signer.pem").exists():
        issue_pades_certificate()
        created.append("sertifikat penandatangan PAdES")
    if not settings.TSA_URL and not (_pades_dir() / "tsa.pem").exists():
        issue_tsa_certificate()
        created.append("sertifikat penanda waktu lokal")
    return created


@dataclass(frozen=True)
class TsaMaterial:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    ca: x509.Certificate


def tsa_material() -> TsaMaterial:
    """The local timestamping key and certificate, and the CA that issued it."""
    directory = _pades_dir()
    paths = (directory / "tsa.pem", directory / "tsa-key.pem", directory / "ca.pem")
    try:
        stamp = tuple(p.stat().st_mtime_ns for p in paths)
    except FileNotFoundError:
        raise KeysMissing() from None
    cached = _cache.get("tsa")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    material = TsaMaterial(
        key=serialization.load_pem_private_key(paths[1].read_bytes(), None),
        cert=x509.load_pem_x509_certificate(paths[0].read_bytes()),
        ca=x509.load_pem_x509_certificate(paths[2].read_bytes()),
    )
    _cache["tsa"] = (stamp, material)
    return material


def renew_tsa_if_ending(now: dt.datetime | None = None) -> bool:
    """Renew the local timestamping certificate when it ends within TSA_RENEW_BEFORE."""
    if settings.TSA_URL:
        return False
    now = now or dt.datetime.now(dt.UTC)
    if tsa_material().cert.not_valid_after_utc - now > TSA_RENEW_BEFORE:
        return False
    issue_tsa_certificate()
    return True


CRL_EVERY = dt.timedelta(days=1)
CRL_VALID = dt.timedelta(days=7)


def crl_der(moment: dt.datetime) -> bytes:
    """The local CA's (empty) revocation list issued at `moment`, DER."""
    directory = _pades_dir()
    ca_key = serialization.load_pem_private_key((directory / "ca-key.pem").read_bytes(), None)
    ca_cert = x509.load_pem_x509_certificate((directory / "ca.pem").read_bytes())
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(moment - dt.timedelta(seconds=1))
        .next_update(moment + CRL_VALID)
        .add_extension(x509.CRLNumber(int(moment.timestamp())), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
        .public_bytes(serialization.Encoding.DER)
    )


def local_crl() -> bytes | None:
    """The local CA's revocation list (DER; it revokes nothing), re-issued once a day.

    Embedded in each signed PDF beside the certificates: the proof, at signing time, that
    neither the signing nor the timestamping certificate was revoked (PAdES B-LT)."""
    directory = _pades_dir()
    if not (directory / "ca-key.pem").exists():
        return None
    path = directory / "ca.crl"
    now = dt.datetime.now(dt.UTC)
    cached = _cache.get("crl")
    if cached is not None and now - cached[0] < CRL_EVERY:
        return cached[1]
    try:
        crl = x509.load_der_x509_crl(path.read_bytes())
        if now - crl.last_update_utc < CRL_EVERY:
            _cache["crl"] = (crl.last_update_utc, path.read_bytes())
            return _cache["crl"][1]
    except (FileNotFoundError, ValueError):
        pass
    body = crl_der(now)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(body)
    os.replace(tmp, path)
    _cache["crl"] = (now, body)
    return body


def pades_material() -> PadesMaterial:
    """The PAdES key, certificate and chain (configured paths, else the generated ones)."""
    cert_path = Path(settings.PDF_SIGNING_CERT or _pades_dir() / "signer.pem")
    key_path = Path(settings.PDF_SIGNING_KEY or _pades_dir() / "signer-key.pem")
    chain_paths = [Path(p) for p in settings.PDF_SIGNING_CHAIN] or [_pades_dir() / "ca.pem"]
    try:
        stamp = tuple(p.stat().st_mtime_ns for p in (cert_path, key_path, *chain_paths))
    except FileNotFoundError:
        raise KeysMissing() from None
    cached = _cache.get("pades")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    password = settings.PDF_SIGNING_KEY_PASSWORD.encode() or None
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=password)
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    chain = tuple(
        c for path in chain_paths for c in x509.load_pem_x509_certificates(path.read_bytes())
    )
    material = PadesMaterial(key, cert, chain)
    _cache["pades"] = (stamp, material)
    return material


def local_ca_certificate() -> x509.Certificate | None:
    """The local CA's certificate (for people who want to trust it in their PDF reader)."""
    path = _pades_dir() / "ca.pem"
    return x509.load_pem_x509_certificate(path.read_bytes()) if path.exists() else None
