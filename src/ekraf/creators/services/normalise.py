"""Small normalisers shared by the profile form, the API and the spreadsheet import (and by
other apps that take a phone number), so a phone or a pasted name is cleaned the same way
wherever it comes in."""

from __future__ import annotations

import html
import re

import nh3
import phonenumbers
from django.utils.translation import gettext as _

from ekraf.core.errors import DomainError


def normalise_phone(raw: str) -> str:
    """E.164 (+62…) from what people type: 0812-3456-7890, 62812…, +62 812 …; '' stays ''."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if raw.isdigit() and raw.startswith("62"):
        raw = "+" + raw
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException as exc:
        raise DomainError(_phone_message(), field="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise DomainError(_phone_message(), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_message() -> str:
    return _("Nomor telepon tidak valid. Contoh: 0812-3456-7890 atau +62 812 3456 7890.")


def plain_text(value: str, max_length: int | None = None) -> str:
    """Plain text only: tags pasted from elsewhere are dropped, control characters removed."""
    text = html.unescape(nh3.clean(value or "", tags=set()))
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text).strip()
    return text[:max_length] if max_length else text


def parse_skills(value: str | list[str]) -> list[str]:
    """'Editing video, fotografi produk; copywriting' → distinct tags, original spelling kept."""
    parts = value if isinstance(value, list) else re.split(r"[,;\n]", value or "")
    seen, out = set(), []
    for part in parts:
        tag = re.sub(r"\s+", " ", plain_text(str(part))).strip(" .#")
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            out.append(tag)
    return out
