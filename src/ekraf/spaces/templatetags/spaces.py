"""Template helpers of the spaces pages."""

from django import template

from ekraf.spaces.services.rules import rupiah as _rupiah

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    """Rp150.000"""
    return _rupiah(amount)
