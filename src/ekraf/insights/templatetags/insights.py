from django import template
from django.utils.formats import date_format

from .. import charts
from ..indicators import COUNT, PERCENT, POINTS, UNITS

register = template.Library()


@register.filter
def figure(value, indicator):
    """A figure as the committee reads it: 1 234, 56,3 %, 1,8×, +12,5 poin."""
    if value is None:
        return "–"
    if indicator.unit == PERCENT:
        return f"{charts.fmt(float(value))} %"
    if indicator.unit == POINTS:
        return f"{'+' if value > 0 else ''}{charts.fmt(float(value))}"
    if indicator.unit == COUNT:
        return charts.fmt(int(value))
    return f"{charts.fmt(float(value), 2)}×"


@register.filter
def unit_name(indicator):
    return UNITS.get(indicator.unit, indicator.unit)


@register.simple_tag
def line_chart(series):
    points = [(date_format(c.label, "M y"), c.figure) for c in series.months]
    return charts.line(f"l-{series.indicator.code}", str(series.indicator.name), points)


@register.simple_tag
def bar_chart(series, dim, heading, cells):
    rows = [(c.label, c.figure) for c in cells]
    title = f"{series.indicator.name} — {heading}"
    return charts.bars(f"b-{series.indicator.code}-{dim}", title, rows)


@register.filter
def classification_names(indicator):
    from ..indicators import CLASSIFICATIONS

    return "; ".join(str(CLASSIFICATIONS.get(c, c)) for c in indicator.classification)
