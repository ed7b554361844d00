"""Small encodings the standards use: base64url, base58btc multibase, Multikey, bitstrings.

Written here because each is a few lines and no maintained package offers just these.
"""

from __future__ import annotations

import base64
import gzip

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {ch: i for i, ch in enumerate(_B58)}
ED25519_PUB = b"\xed\x01"  # multicodec ed25519-pub, varint-encoded


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(_B58[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def base58btc_decode(text: str) -> bytes:
    number = 0
    for ch in text:
        number = number * 58 + _B58_INDEX[ch]
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + body


def ed25519_multikey(public_raw: bytes) -> str:
    """``z6Mk…``: multibase base58btc of the multicodec-prefixed public key."""
    return "z" + base58btc(ED25519_PUB + public_raw)


def ed25519_from_multikey(value: str) -> bytes:
    if not value.startswith("z"):
        raise ValueError("not a base58btc multibase value")
    raw = base58btc_decode(value[1:])
    if not raw.startswith(ED25519_PUB) or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return raw[2:]


def encode_bitstring(bits: bytes) -> str:
    """Bitstring Status List ``encodedList``: GZIP, then multibase base64url (prefix ``u``)."""
    return "u" + b64url(gzip.compress(bits, compresslevel=9, mtime=0))


def decode_bitstring(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u')")
    return gzip.decompress(b64url_decode(encoded[1:]))


def bit_is_set(bits: bytes, index: int) -> bool:
    """Index 0 is the left-most (most significant) bit of the first byte, as the spec says."""
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int) -> None:
    bits[index // 8] |= 0x80 >> (index % 8)
