"""Random public identifiers in Crockford base32: never sequential ids in URLs.

Crockford's alphabet leaves out I, L, O and U so a code read aloud or typed from paper is not
mistaken; decoding maps those look-alikes back (I/L -> 1, O -> 0).
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {ch: i for i, ch in enumerate(ALPHABET)}
_DECODE.update({"I": 1, "L": 1, "O": 0})


def random_code(length: int = 12) -> str:
    """`length` random Crockford base32 characters (5 bits each)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(code: str) -> str:
    """Upper-case, drop spaces and hyphens, map look-alike letters to their digits."""
    cleaned = code.strip().upper().replace("-", "").replace(" ", "")
    return "".join(ALPHABET[_DECODE[ch]] if ch in _DECODE else ch for ch in cleaned)


def is_valid(code: str) -> bool:
    return bool(code) and all(ch in _DECODE for ch in code.upper())


def group(code: str, size: int = 4) -> str:
    """Show a code in groups for reading: ABCD-EFGH-JKMN."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))
