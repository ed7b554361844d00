import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ekraf.accounts import permissions
from ekraf.core import spreadsheets

from . import indicators, rollups, selectors


def _committee(request):
    if not permissions.can_view_insights(request.user):
        raise PermissionDenied


@login_required
def dashboard(request):
    """The board is rendered once per (filters, language, state of the rollups) and kept in
    the cache: a refresh of any month changes the state, so a cached board is never stale."""
    _committee(request)
    filters = selectors.Filters.from_query(request.GET)
    query = urlencode(filters.query())
    key = (
        "insights:board:"
        + hashlib.sha256(
            f"{get_language()}|{query}|{selectors.rollup_state()}".encode()
        ).hexdigest()
    )
    context = {"query": query}
    board = cache.get(key)
    if board is None:
        data = selectors.board(filters)
        board = render_to_string("insights/_board.html", {"data": data, "query": query})
        cache.set(key, board, 24 * 3600)
        context["data"] = data
    context["board"] = mark_safe(board)  # noqa: S308 - our own rendered template
    return render(request, "insights/dashboard.html", context)


@login_required
@require_POST
def refresh(request):
    _committee(request)
    rollups.refresh_current()
    return redirect(request.POST.get("next") or "insights:dashboard")


def _series(request, code):
    try:
        indicator = indicators.get(code)
    except KeyError:
        raise Http404 from None
    filters = selectors.Filters.from_query(request.GET)
    if not indicator.landed:
        return indicator, filters, None, None
    data = selectors.board(filters, codes=[code])
    return indicator, filters, data, data.get(code)


@login_required
def indicator(request, code):
    _committee(request)
    indicator, filters, data, series = _series(request, code)
    return render(
        request,
        "insights/indicator.html",
        {
            "indicator": indicator,
            "data": data,
            "series": series,
            "query": urlencode(filters.query()),
        },
    )


def table_of(series, table: str):
    """(title, headers, rows) of one of an indicator's tables: "bulan" or a dimension."""
    rate = series.indicator.is_rate
    heads = [_("Nilai")] if not rate else [_("Pembilang"), _("Penyebut"), _("Nilai")]

    def values(cell):
        figure = round(cell.figure, 2) if isinstance(cell.figure, float) else cell.figure
        return [figure] if not rate else [cell.value, cell.base, figure]

    if table == "bulan":
        return (
            _("Per bulan"),
            [_("Bulan"), *heads],
            [[cell.code, *values(cell)] for cell in series.months],
        )
    for dim, heading, cells in series.breakdowns:
        if dim == table:
            return (
                heading,
                [_("Kode"), heading, *heads],
                [[cell.code, cell.label, *values(cell)] for cell in cells],
            )
    raise Http404


@login_required
def export(request, code, fmt_):
    _committee(request)
    if fmt_ not in ("csv", "xlsx"):
        raise Http404
    indicator, filters, _data, series = _series(request, code)
    if series is None:
        raise Http404
    table = request.GET.get("tabel", "bulan")
    title, headers, rows = table_of(series, table)
    name = f"{indicator.code}-{table}-{filters.first:%Y%m}-{filters.last:%Y%m}"
    if fmt_ == "csv":
        return spreadsheets.csv_response(f"{name}.csv", headers, rows)
    return spreadsheets.xlsx_response(
        f"{name}.xlsx", [spreadsheets.Sheet(f"{indicator.code} {title}", headers, rows)]
    )


@login_required
def report(request):
    _committee(request)
    from . import report as report_pdf

    filters = selectors.Filters.from_query(request.GET, default_months=6)
    data = selectors.board(filters)
    return report_pdf.response(data)
