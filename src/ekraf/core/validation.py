"""Text and links as every service checks them, so a page and the API accept the same input.

Forms used to refuse what the API let through: a session's "online link" of `javascript:…`,
a training title holding a line break (which made every e-mail about that training fail: a
header cannot hold one), names carrying a right-to-left override (U+202E), which makes
"gpj.exe" read as "exe.jpg" on every page, sheet and PDF that shows them. Services call these
functions on every free-text field they store; forms and the API answer with their messages.

- `line`: one line of text (names, titles, places): no line breaks, no control characters,
  no bidirectional controls or other invisible formatting characters.
- `text`: several lines (descriptions, reasons, comments): line breaks and tabs allowed
  (CR LF becomes LF), the rest as `line`.
- `url`: an http(s) link, nothing else (no `javascript:`, `data:`, `file:`).
- `problem`: the message `line`/`text` would raise, or None, for callers that collect every
  problem of a form at once.
- `reason`: a justification written into the audit log (revealing a NIK): long enough, and
  words rather than "xxxxx" or "test test test".
- `header_safe`: a value made fit for an e-mail header (the outbox's last line of defence for
  rows written before these checks, or by code that forgot them).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .errors import DomainError

# Bidirectional embeddings, overrides, isolates and marks; the Arabic letter mark.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Line and paragraph separators, the byte-order mark used as a zero-width no-break space,
# interlinear annotation marks: invisible, and each breaks or hides text somewhere.
INVISIBLE = frozenset("\u2028\u2029\ufeff\ufff9\ufffa\ufffb")
_BREAKS = re.compile(r"\r\n?")


def _bad_character(value: str, *, multiline: bool) -> str | None:
    for char in value:
        if char in BIDI:
            return _(
                "Teks berisi karakter pengendali arah tulisan (U+%(code)04X) yang bisa "
                "membalik tampilan teks; hapus karakter itu."
            ) % {"code": ord(char)}
        if char in ("\n", "\t") and multiline:
            continue
        if char in ("\n", "\r"):
            return _("Teks ini harus satu baris, tanpa ganti baris.")
        category = unicodedata.category(char)
        if char in INVISIBLE or category in ("Cc", "Cs"):
            return _(
                "Teks berisi karakter tak terlihat atau pengendali (U+%(code)04X); hapus "
                "karakter itu."
            ) % {"code": ord(char)}
    return None


def _normalised(value, *, multiline: bool) -> str:
    value = unicodedata.normalize("NFC", str(value or ""))
    if multiline:
        value = _BREAKS.sub("\n", value)
    return value.strip()


def problem(value, *, multiline: bool = False, max_length: int | None = None) -> str | None:
    """What is wrong with this text, in Indonesian, or None."""
    value = _normalised(value, multiline=multiline)
    message = _bad_character(value, multiline=multiline)
    if message is None and max_length is not None and len(value) > max_length:
        message = _("Paling banyak %(n)d karakter (sekarang %(count)d).") % {
            "n": max_length,
            "count": len(value),
        }
    return message


def _checked(value, field, *, multiline, max_length, required, label) -> str:
    clean = _normalised(value, multiline=multiline)
    message = problem(clean, multiline=multiline, max_length=max_length)
    if message is None and required and not clean:
        message = _("%(label)s wajib diisi.") % {"label": label} if label else _("Wajib diisi.")
    if message is not None:
        if label:
            message = f"{label}: {message}"
        raise DomainError(message, field=field, code="invalid_text")
    return clean


def line(
    value,
    *,
    field: str | None = None,
    max_length: int | None = None,
    required: bool = False,
    label: str | None = None,
) -> str:
    """One line of text, stripped and NFC-normalised; DomainError (on `field`) otherwise."""
    return _checked(
        value, field, multiline=False, max_length=max_length, required=required, label=label
    )


def text(
    value,
    *,
    field: str | None = None,
    max_length: int | None = None,
    required: bool = False,
    label: str | None = None,
) -> str:
    """Text of several lines (LF line ends), stripped; DomainError (on `field`) otherwise."""
    return _checked(
        value, field, multiline=True, max_length=max_length, required=required, label=label
    )


_URL = URLValidator(schemes=["http", "https"])


def url(
    value,
    *,
    field: str | None = None,
    max_length: int = 200,
    required: bool = False,
    label: str | None = None,
) -> str:
    """An http:// or https:// link (or "" when not required); DomainError otherwise."""
    clean = line(value, field=field, max_length=max_length, required=required, label=label)
    if not clean:
        return ""
    try:
        _URL(clean)
    except ValidationError:
        message = _("Tautan harus lengkap dan diawali https:// atau http://.")
        raise DomainError(
            f"{label}: {message}" if label else message, field=field, code="invalid_url"
        ) from None
    return clean


REASON_MIN_LENGTH = 15
_WORD = re.compile(r"\w+")


def reason(value, *, field: str | None = "reason", max_length: int = 200) -> str:
    """A reason someone will read later in the audit log: at least REASON_MIN_LENGTH
    characters, two different words of two letters or more, and more than a few distinct
    letters — so "xxxxxxxxxxxxxxx", "aaaa aaaa aaaa" or "test test test" are refused."""
    clean = " ".join(text(value, field=field, max_length=max_length).split())
    words = {w.lower() for w in _WORD.findall(clean) if len(w) >= 2}
    letters = {c.lower() for c in clean if c.isalpha()}
    if len(clean) < REASON_MIN_LENGTH or len(words) < 2 or len(letters) < 5:
        raise DomainError(
            _(
                "Tuliskan alasan yang jelas (minimal %(n)d karakter, beberapa kata), "
                "misalnya untuk apa NIK ini diperlukan."
            )
            % {"n": REASON_MIN_LENGTH},
            field=field,
            code="invalid_reason",
        )
    return clean


_UNSAFE_IN_HEADER = re.compile("[\\x00-\\x1f\\x7f-\\x9f" + "".join(sorted(BIDI | INVISIBLE)) + "]+")


def header_safe(value: str, max_length: int = 200) -> str:
    """A value for an e-mail header: every line break, control or bidi character becomes one
    space, so a message can always be sent."""
    return " ".join(_UNSAFE_IN_HEADER.sub(" ", str(value or "")).split())[:max_length]
