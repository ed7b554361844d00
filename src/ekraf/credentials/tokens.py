"""The QR token: a compact JWS (RFC 7515) signed with Ed25519 that anyone can check offline.

Header ``{"alg": "Ed25519", "kid": …}`` (``Ed25519`` is the fully-specified algorithm name of
RFC 9864). The payload is deliberately small, so the QR stays at version 15 or below:

    c  verification code (13 characters)
    n  holder's name            t  training title
    a  issuing agency           d  date of issue (YYYY-MM-DD)

Long names and titles are shortened with "…" only as far as needed to fit; the verification
page shows them in full. The public keys are at /.well-known/jwks.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import segno
from django.conf import settings
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from . import keys, multibase

ALG = "Ed25519"
MAX_QR_VERSION = 15
QR_ERROR = "m"
# One fixed mask pattern instead of scoring all eight: the scoring is pure Python and cost more
# than drawing the rest of the certificate. Every decoder reads any of the eight masks; the
# tests scan the rendered PDF with zxing-cpp at 150 dpi.
QR_MASK = 2
_okp_cache: dict[str, OKPKey] = {}


def _okp(key: keys.SigningKey) -> OKPKey:
    cached = _okp_cache.get(key.kid)
    if cached is None:
        cached = OKPKey.import_key(key.jwk() | {"d": _private_d(key)})
        _okp_cache.clear() if len(_okp_cache) > 32 else None
        _okp_cache[key.kid] = cached
    return cached


def _private_d(key: keys.SigningKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return multibase.b64url(raw)


def sign_compact(payload: bytes, *, typ: str | None = None, cty: str | None = None) -> str:
    """A compact JWS over `payload` with the active Ed25519 key."""
    key = keys.keyring().active
    header = {"alg": ALG, "kid": key.kid}
    if typ:
        header["typ"] = typ
    if cty:
        header["cty"] = cty
    return jws.serialize_compact(header, payload, _okp(key), algorithms=[ALG])


def verify_compact(token: str) -> tuple[dict, bytes] | None:
    """(header, payload) if `token` is a compact JWS signed by one of our keys; else None."""
    if not isinstance(token, str) or token.count(".") != 2 or len(token) > 20_000:
        return None
    try:
        header = json.loads(multibase.b64url_decode(token.split(".", 1)[0]))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or header.get("alg") != ALG:
        return None
    key = keys.keyring().get(str(header.get("kid", "")))
    if key is None:
        return None
    public = OKPKey.import_key({k: v for k, v in key.jwk().items() if k != "d"})
    try:
        obj = jws.deserialize_compact(token, public, algorithms=[ALG])
    except (JoseError, ValueError, TypeError):
        return None
    return dict(obj.headers()), obj.payload


@dataclass(frozen=True)
class QrClaims:
    code: str
    holder_name: str
    training_title: str
    agency: str
    issued_on: str


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def _payload(claims: QrClaims, name_limit: int, title_limit: int) -> bytes:
    body = {
        "c": claims.code,
        "n": _shorten(claims.holder_name, name_limit),
        "t": _shorten(claims.training_title, title_limit),
        "a": claims.agency,
        "d": claims.issued_on,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def verification_url(token: str) -> str:
    return f"{settings.BASE_URL}/v/{token}"


def qr_for(claims: QrClaims) -> tuple[str, segno.QRCode]:
    """The signed URL and its QR code, shortening name/title until it fits version 15."""
    name_limit, title_limit = 80, 120
    while True:
        url = verification_url(sign_compact(_payload(claims, name_limit, title_limit)))
        qr = segno.make(url, error=QR_ERROR, micro=False, boost_error=False, mask=QR_MASK)
        if qr.version <= MAX_QR_VERSION or title_limit <= 16:
            return url, qr
        title_limit -= 16
        name_limit = max(name_limit - 8, 24)


def read_qr_token(token: str) -> dict | None:
    """The claims of a valid QR token (signature checked), with the key id; else None."""
    verified = verify_compact(token)
    if verified is None:
        return None
    header, payload = verified
    try:
        claims = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("c"), str):
        return None
    return {
        "kid": header.get("kid"),
        "code": claims["c"],
        "holder_name": claims.get("n", ""),
        "training_title": claims.get("t", ""),
        "agency": claims.get("a", ""),
        "issued_on": claims.get("d", ""),
    }
