"""Verification codes: 60 random bits in Crockford base32 plus Crockford's mod-37 check symbol.

A code is 12 data symbols (5 bits each) and one check symbol, shown as ``ABCD-EFGH-JKMN-P``.
The check symbol is the code's value modulo 37, written with Crockford's 37-symbol alphabet
(the 32 data symbols plus ``*~$=U``). Because 37 is prime and larger than every symbol value,
every single-symbol substitution and every swap of two adjacent different symbols changes the
remainder, so a mistyped code is refused before any database lookup (see
tests/credentials/test_codes.py for the property tests).

Reading is forgiving in the ways Crockford intended: lower case, hyphens and spaces are
ignored, I and L read as 1, O as 0.
"""

from __future__ import annotations

import hashlib
import secrets

from ekraf.core.ids import ALPHABET

CHECK_ALPHABET = ALPHABET + "*~$=U"
DATA_LENGTH = 12  # 60 bits
LENGTH = DATA_LENGTH + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_CHECK_VALUE = {ch: i for i, ch in enumerate(CHECK_ALPHABET)}
_LOOKALIKE = str.maketrans({"I": "1", "L": "1", "O": "0"})


def check_symbol(data: str) -> str:
    """Crockford's check symbol for a string of data symbols (already normalised)."""
    value = 0
    for ch in data:
        value = (value * 32 + _VALUE[ch]) % 37
    return CHECK_ALPHABET[value]


def new_code() -> str:
    """A fresh code: 12 random symbols and the check symbol (13 characters, no hyphens)."""
    data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
    return data + check_symbol(data)


def normalise(text: str) -> str:
    """Upper case, without hyphens and spaces, look-alike letters mapped to their digits."""
    cleaned = "".join((text or "").split()).replace("-", "").upper()
    return cleaned.translate(_LOOKALIKE)


def parse(text: str) -> str | None:
    """The normalised code if `text` is a well-formed code with the right check symbol."""
    code = normalise(text)
    if len(code) != LENGTH:
        return None
    data, check = code[:-1], code[-1]
    if any(ch not in _VALUE for ch in data) or check not in _CHECK_VALUE:
        return None
    return code if check_symbol(data) == check else None


def is_mistyped(text: str) -> bool:
    """True when `text` has a code's length but fails its check (or holds a symbol no code
    has): someone typed a printed code and slipped, as opposed to typing something else.
    Call it only for text parse() refused."""
    return len(normalise(text)) == LENGTH


def display(code: str) -> str:
    """``ABCD-EFGH-JKMN-P``: groups of four for reading aloud and typing from paper."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


STATUS_HASH_LENGTH = 16  # hex characters: 64 bits


def status_hash(code: str) -> str:
    """The first 16 hex characters of SHA-256 over the code (as Certificate.code holds it):
    how the offline verifier's status document names a revoked or superseded certificate.

    A hash, not the code: the document is public, and its codes would let anyone open each
    revoked holder's name on the online page. The offline page computes the same hash from the
    code it reads out of the QR (credentials/offline.js), so it can look a scanned certificate
    up without the list giving codes away; guessing back from a hash means searching the
    codes' 60 random bits. 64 bits keep a chance collision with a valid certificate negligible.
    """
    return hashlib.sha256(code.encode()).hexdigest()[:STATUS_HASH_LENGTH]
