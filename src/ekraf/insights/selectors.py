"""The committee dashboard's figures, read from the monthly rollups (never from the base
tables): one query for every figure of the period, a few for the labels, whatever the size of
the city."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext_lazy as _

from ekraf.core.models import Agency, Region, Space, Subsector
from ekraf.creators.models import Gender, Pathway
from ekraf.credentials.models import Referral

from . import indicators as ind
from .indicators import Indicator, month_start, months_between
from .models import Rollup, RollupMonth
from .rollups import current_month, previous_month

UNKNOWN_LABEL = _("Belum diisi / luar kota")


@dataclass
class Filters:
    first: dt.date
    last: dt.date
    agency: str = ""
    kecamatan: str = ""

    @classmethod
    def from_query(cls, query, default_months: int = 12) -> Filters:
        last = _month(query.get("sampai")) or current_month()
        first = _month(query.get("dari"))
        if not first:
            first = last
            for _i in range(default_months - 1):
                first = previous_month(first)
        if first > last:
            first, last = last, first
        return cls(
            first=first,
            last=last,
            agency=(query.get("instansi") or "")[:40],
            kecamatan=(query.get("kecamatan") or "")[:13],
        )

    def query(self) -> dict:
        out = {"dari": self.first.strftime("%Y-%m"), "sampai": self.last.strftime("%Y-%m")}
        if self.agency:
            out["instansi"] = self.agency
        if self.kecamatan:
            out["kecamatan"] = self.kecamatan
        return out


def _month(text) -> dt.date | None:
    try:
        return month_start(dt.datetime.strptime((text or "")[:7], "%Y-%m").date())
    except ValueError:
        return None


@dataclass
class Cell:
    code: str
    label: str
    value: int
    base: int
    figure: float | int | None
    share: float = 0.0


@dataclass
class Series:
    indicator: Indicator
    months: list[Cell]  # one per month of the period (label = the month)
    total: Cell  # the period's figure (flows summed, stocks at the last month)
    breakdowns: list[tuple[str, str, list[Cell]]]  # (dimension, heading, cells)
    not_filtered: list[str] = field(default_factory=list)  # filters it cannot honour

    @property
    def has_series(self) -> bool:
        return not (self.indicator.key and not self.indicator.key_additive)


@dataclass
class Board:
    filters: Filters
    series: list[Series]
    pending: list[Indicator]
    agencies: list[tuple[str, str]]
    kecamatans: list[tuple[str, str]]
    refreshed_from: dt.datetime | None
    refreshed_to: dt.datetime | None
    missing_months: list[dt.date]

    @property
    def themes(self) -> list[tuple[str, list[Series]]]:
        out: dict[str, list[Series]] = {}
        for s in self.series:
            out.setdefault(str(ind.THEMES.get(s.indicator.theme, s.indicator.theme)), []).append(s)
        return list(out.items())

    def get(self, code: str) -> Series | None:
        return next((s for s in self.series if s.indicator.code == code), None)


class Labels:
    """Code → name for every classification (a handful of small queries)."""

    def __init__(self):
        self.agency = dict(Agency.objects.values_list("code", "short_name"))
        self.kecamatan = dict(
            Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", "name")
        )
        self.subsector = dict(Subsector.objects.values_list("code", "name_id"))
        self.room = dict(Space.objects.values_list("code", "name"))

    def of(self, dim: str, code: str) -> str:
        if code == ind.UNKNOWN:
            return str(UNKNOWN_LABEL)
        if dim == ind.HASHTAG:
            return "#" + code
        table = {
            ind.AGENCY: self.agency,
            ind.KECAMATAN: self.kecamatan,
            ind.SUBSECTOR: self.subsector,
            ind.ROOM: self.room,
            ind.GENDER: dict(Gender.choices),
            ind.PATHWAY: dict(Pathway.choices),
            ind.STATUS: dict(Referral.Status.choices),
        }.get(dim)
        return str(table.get(code, code)) if table is not None else code


DIM_HEADINGS = {
    ind.AGENCY: _("Perangkat daerah"),
    ind.KECAMATAN: _("Kecamatan"),
    ind.SUBSECTOR: _("Subsektor"),
    ind.GENDER: _("Jenis kelamin"),
    ind.AGE_BAND: _("Kelompok umur"),
    ind.PATHWAY: _("Jalur talenta"),
    ind.ROOM: _("Ruang"),
    ind.STATUS: _("Status"),
    ind.HASHTAG: _("Tagar"),
}


def _cell(indicator, code, label, value, base) -> Cell:
    return Cell(code, label, value, base, indicator.figure(value, base))


def _shares(cells: list[Cell]) -> list[Cell]:
    largest = max((c.figure or 0 for c in cells), default=0)
    for c in cells:
        c.share = (c.figure or 0) / largest if largest else 0.0
    return cells


def rollup_state() -> str:
    """Changes whenever any month's rollups are recomputed (one small query)."""
    state = RollupMonth.objects.aggregate(last=Max("refreshed_at"), n=Count("id"))
    return f"{state['last'].isoformat() if state['last'] else '-'}/{state['n']}"


def board(filters: Filters, codes: list[str] | None = None) -> Board:
    landed = [i for i in ind.landed() if codes is None or i.code in codes]
    pending = [i for i in ind.all_indicators() if not i.landed]
    labels = Labels()
    by_agency = [i.code for i in landed if ind.AGENCY in i.classification]
    by_kec = [i.code for i in landed if ind.KECAMATAN in i.classification]
    rows = Rollup.objects.filter(
        month__gte=filters.first, month__lte=filters.last, code__in=[i.code for i in landed]
    )
    if filters.agency:
        rows = rows.filter(~Q(code__in=by_agency) | Q(agency=filters.agency))
    if filters.kecamatan:
        rows = rows.filter(~Q(code__in=by_kec) | Q(kecamatan=filters.kecamatan))
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for row in rows.values_list("code", "month", "agency", "kecamatan", "key", "value", "base"):
        grouped[row[0]].append(row[1:])
    fresh = RollupMonth.objects.filter(month__gte=filters.first, month__lte=filters.last).aggregate(
        oldest=Min("refreshed_at"), newest=Max("refreshed_at")
    )
    have = set(
        RollupMonth.objects.filter(month__gte=filters.first, month__lte=filters.last).values_list(
            "month", flat=True
        )
    )
    months = months_between(filters.first, filters.last)
    series = [_series(i, grouped.get(i.code, []), months, labels, filters) for i in landed]
    return Board(
        filters=filters,
        series=series,
        pending=pending,
        agencies=sorted(labels.agency.items(), key=lambda kv: kv[1]),
        kecamatans=sorted(labels.kecamatan.items(), key=lambda kv: kv[1]),
        refreshed_from=fresh["oldest"],
        refreshed_to=fresh["newest"],
        missing_months=[m for m in months if m not in have],
    )


def _series(indicator: Indicator, rows, months, labels: Labels, filters: Filters) -> Series:
    per_month: dict[dt.date, list[int]] = {m: [0, 0] for m in months}
    for month, _agency, _kec, _key, value, base in rows:
        per_month[month][0] += value
        per_month[month][1] += base
    month_cells = [_cell(indicator, m.strftime("%Y-%m"), m, *per_month[m]) for m in months]
    if indicator.kind == ind.STOCK:
        period_rows = [r for r in rows if r[0] == months[-1]]
        total = _cell(indicator, "", "", *per_month[months[-1]])
    else:
        period_rows = rows
        total = _cell(
            indicator,
            "",
            "",
            sum(v for v, _b in per_month.values()),
            sum(b for _v, b in per_month.values()),
        )
    breakdowns = []
    positions = {ind.AGENCY: 1, ind.KECAMATAN: 2}
    for dim in indicator.classification:
        index = positions.get(dim, 3)
        sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row in period_rows:
            sums[row[index]][0] += row[4]
            sums[row[index]][1] += row[5]
        cells = [
            _cell(indicator, code, labels.of(dim, code), value, base)
            for code, (value, base) in sums.items()
        ]
        cells.sort(key=lambda c: (-(c.figure or 0), c.label))
        breakdowns.append((dim, str(DIM_HEADINGS.get(dim, dim)), _shares(cells)))
    not_filtered = []
    if filters.agency and ind.AGENCY not in indicator.classification:
        not_filtered.append(str(_("perangkat daerah")))
    if filters.kecamatan and ind.KECAMATAN not in indicator.classification:
        not_filtered.append(str(_("kecamatan")))
    if indicator.key and not indicator.key_additive:
        total = Cell("", "", 0, 0, None)
    return Series(indicator, _shares(month_cells), total, breakdowns, not_filtered)
