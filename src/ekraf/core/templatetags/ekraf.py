"""Small template helpers shared by every app."""

from urllib.parse import quote, urlencode

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language

register = template.Library()

MONTHS_ID = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


MONTHS_EN = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def _local(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value)
    return value


@register.filter
def tanggal_dokumen(value) -> str:
    """'25 Januari 2024', always Indonesian: for official papers (certificates, attendance
    sheets, tickets), which stay Indonesian whatever language the person reading the page chose."""
    if not value:
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


@register.filter
def tanggal(value) -> str:
    """'25 Januari 2024' on pages and in messages; '25 January 2024' when English is chosen."""
    if not value:
        return ""
    if (get_language() or "id").startswith("en"):
        value = _local(value)
        return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
    return tanggal_dokumen(value)


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


# Short forms organisers write at the start of a title for a kind whose label is spelled out.
KIND_SHORT_FORMS = {"bimbingan teknis": ("bimtek",)}


@register.filter
def kind_and_title(kind: str, title: str) -> str:
    """'Workshop “Fotografi Produk”', but '“Workshop Fotografi Produk”' when the title already
    starts with its kind (any case, or a short form such as Bimtek): never 'Workshop “Workshop …”'.

    One helper for every place that names a training with its kind (verification result, the
    certificate PDF, Open Badges, share texts), so they cannot disagree.
    """
    quoted = f"\u201c{title}\u201d"
    kind = (kind or "").strip()
    if not kind:
        return quoted
    folded = (title or "").casefold()
    for word in (kind.casefold(), *KIND_SHORT_FORMS.get(kind.casefold(), ())):
        rest = folded[len(word) :]
        if folded.startswith(word) and (not rest or not rest[0].isalnum()):
            return quoted
    return f"{kind} {quoted}"
