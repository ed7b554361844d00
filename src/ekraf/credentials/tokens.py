"""The QR: a compact signed token that anyone can check offline against /.well-known/jwks.json.

Since issue 14 the QR holds a COSE_Sign1 (RFC 9052) signed with Ed25519 (``alg`` -8, EdDSA),
the structure of the EU digital COVID certificate, with a payload of a few CBOR values, and
the QR is at most version 10 at level Q (25 % of the symbol can be lost, at least 2 px per
module at 72 dpi on the printed page). The URL reads ``HTTPS://HOST/V/<digits>``:

* the base URL, upper-cased (scheme and host are case-insensitive), in the QR's alphanumeric
  mode, 5.5 bits a character;
* the COSE bytes as one decimal number in numeric mode, 3.33 bits a digit: 8.03 bits per byte,
  less than base45 in alphanumeric mode (8.25, the EU certificate's encoding), and digits are
  safe in every URL, where base45's space and ``%`` are not.

Payload, a CBOR array: ``[code, issued, holder, agency, training]``: the 60 data bits of the
verification code as an integer (its check symbol is recomputed), the date of issue as days
since 1970-01-01, then the printed names, shortened with "…" only as far as the QR must, and
the last ones left out when even that is not enough (the page shows them in full). The
protected header holds ``alg`` and ``kid`` (the JWKS key id).

QR codes printed before (a compact JWS at ``/v/<token>``) keep verifying: read_qr_token
still reads them. The JWS helpers below also sign the ``.jwt`` Open Badges form.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import cbor2
import segno
import segno.consts
from django.conf import settings
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from ekraf.core.ids import ALPHABET

from . import codes, keys, multibase

ALG = "Ed25519"
MAX_QR_VERSION = 10
QR_ERROR = "q"
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


def sign_compact(payload: bytes, *, typ: str | None = None, kid: str | None = None) -> str:
    """A compact JWS over `payload` with the active Ed25519 key; `kid` replaces the key id in
    the header (a URL that dereferences to the key)."""
    key = keys.keyring().active
    header = {"alg": ALG, "kid": kid or key.kid}
    if typ:
        header["typ"] = typ
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


# --- the COSE QR ----------------------------------------------------------------------------------

COSE_EDDSA = -8
COSE_ALG, COSE_KID = 1, 4
SIGN1_TAG = 18
EPOCH = dt.date(1970, 1, 1)
ALNUM = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
QR_PATH = "/V/"


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def sign_cose(payload: bytes) -> bytes:
    """A tagged COSE_Sign1 over `payload` with the active Ed25519 key."""
    key = keys.keyring().active
    protected = cbor2.dumps({COSE_ALG: COSE_EDDSA, COSE_KID: key.kid.encode()})
    signature = key.sign(_sig_structure(protected, payload))
    return cbor2.dumps(cbor2.CBORTag(SIGN1_TAG, [protected, {}, payload, signature]))


def verify_cose(data: bytes) -> tuple[str, bytes] | None:
    """(kid, payload) when `data` is a COSE_Sign1 signed by one of our keys; else None."""
    from cryptography.exceptions import InvalidSignature

    try:
        message = cbor2.loads(data)
        if isinstance(message, cbor2.CBORTag):
            if message.tag != SIGN1_TAG:
                return None
            message = message.value
        protected, _unprotected, payload, signature = message
        header = cbor2.loads(protected)
        if header.get(COSE_ALG) != COSE_EDDSA:
            return None
        kid = header[COSE_KID].decode()
        key = keys.keyring().get(kid)
        if key is None or not isinstance(payload, bytes):
            return None
        key.public.verify(signature, _sig_structure(protected, payload))
    except (InvalidSignature, ValueError, TypeError, KeyError, AttributeError, EOFError):
        return None
    except cbor2.CBORDecodeError:
        return None
    return kid, payload


def _code_value(code: str) -> int:
    value = 0
    for ch in code[: codes.DATA_LENGTH]:
        value = value * 32 + ALPHABET.index(ch)
    return value


def _code_text(value: int) -> str:
    data = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(codes.DATA_LENGTH)))
    return data + codes.check_symbol(data)


def _shorten_bytes(text: str, limit: int) -> str:
    """`text`, or its start and "…", in at most `limit` UTF-8 bytes."""
    if len(text.encode()) <= limit:
        return text
    while text and len((text + "…").encode()) > limit:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


def qr_payload(claims: QrClaims, limits: tuple[int, ...] | None = None) -> bytes:
    """The CBOR payload; `limits` caps the bytes of holder, agency and training (None: none,
    0: leave that name and every later one out)."""
    texts = [claims.holder_name, claims.agency, claims.training_title]
    body = [_code_value(claims.code), (dt.date.fromisoformat(claims.issued_on) - EPOCH).days]
    for text, limit in zip(texts, limits or (None, None, None), strict=True):
        if limit == 0:
            break
        body.append(text if limit is None else _shorten_bytes(text, limit))
    return cbor2.dumps(body)


def qr_prefix() -> tuple[str, int]:
    """The URL before the token, and its QR mode: upper-cased, alphanumeric when it can be."""
    parts = urlsplit(settings.BASE_URL)
    upper = f"{parts.scheme.upper()}://{parts.netloc.upper()}{parts.path}{QR_PATH}"
    if set(upper) <= ALNUM:
        return upper, segno.consts.MODE_ALPHANUMERIC
    return f"{settings.BASE_URL}{QR_PATH}", segno.consts.MODE_BYTE


def qr_url(token: bytes) -> str:
    return qr_prefix()[0] + str(int.from_bytes(token, "big"))


def _make_qr(token: bytes) -> segno.QRCode:
    prefix, mode = qr_prefix()
    digits = str(int.from_bytes(token, "big"))
    return segno.make(
        [(prefix, mode), (digits, segno.consts.MODE_NUMERIC)],
        error=QR_ERROR,
        micro=False,
        boost_error=False,
        mask=QR_MASK,
    )


def _limit_steps(claims: QrClaims):
    """Ever shorter payloads: all in full; then the training title shorter and shorter, then
    left out; then the agency; then the holder's name down to 16 bytes."""
    name, agency, title = (
        len(t.encode()) for t in (claims.holder_name, claims.agency, claims.training_title)
    )
    yield None
    for limit in range(min(title, 120), 11, -4):
        yield (None, None, limit)
    yield (None, None, 0)
    yield (None, 0, 0)
    for limit in range(min(name, 80), 15, -2):
        yield (limit, 0, 0)


def qr_for(claims: QrClaims) -> tuple[str, segno.QRCode]:
    """The signed URL and its QR code: the most of the names that fits version 10 at level Q."""
    qr = token = None
    for limits in _limit_steps(claims):
        token = sign_cose(qr_payload(claims, limits))
        qr = _make_qr(token)
        if qr.version <= MAX_QR_VERSION:
            break
    return qr_url(token), qr


def read_cose_token(digits: str) -> dict | None:
    """The claims of a valid QR token (``/V/<digits>``), signature checked; else None."""
    if not digits.isascii() or not digits.isdigit() or len(digits) > 1200:
        return None
    number = int(digits)
    verified = verify_cose(number.to_bytes((number.bit_length() + 7) // 8, "big"))
    if verified is None:
        return None
    kid, payload = verified
    try:
        body = cbor2.loads(payload)
        code_value, days, *texts = body
        code = _code_text(int(code_value))
        issued = EPOCH + dt.timedelta(days=int(days))
    except (ValueError, TypeError, OverflowError, cbor2.CBORDecodeError):
        return None
    texts = [str(t) for t in texts] + ["", "", ""]
    return {
        "kid": kid,
        "code": code,
        "holder_name": texts[0],
        "agency": texts[1],
        "training_title": texts[2],
        "issued_on": issued.isoformat(),
    }


def read_qr_token(token: str) -> dict | None:
    """The claims of a printed JWS QR token (``/v/<token>``, before issue 14), signature
    checked, with the key id; else None."""
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
