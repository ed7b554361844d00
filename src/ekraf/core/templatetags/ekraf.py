"""Small template helpers shared by every app."""

from urllib.parse import quote, urlencode

from django import template
from django.utils import formats, timezone

register = template.Library()

MONTHS_ID = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


@register.filter
def tanggal(value) -> str:
    """'25 Januari 2024' in Indonesian, whatever the active language (official documents)."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


@register.filter
def jam(value) -> str:
    """'09.12' in local time (WIB), as Indonesian documents write it."""
    if not value:
        return ""
    return formats.date_format(timezone.localtime(value), "H.i")


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for paging links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()


@register.filter
def wa_link(text: str, phone: str = "") -> str:
    """A wa.me link that opens WhatsApp with `text` (to `phone` when given, E.164)."""
    number = phone.lstrip("+") if phone else ""
    return f"https://wa.me/{number}?{urlencode({'text': text}, quote_via=quote)}"
