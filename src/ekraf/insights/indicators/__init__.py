"""The indicator registry: every indicator the committee reads, defined once.

Each `Indicator` carries its metadata (code, name, concept and definition, formula, unit,
classification, source tables, frequency, caveats) — shown on its page, in the data dictionary
and in the report — and, when its source capability has landed, the function that computes
one month of it (`compute(month) -> [Figure]`) for the rollups (`insights.rollups`).

An indicator whose source models are not installed (see `requires`, checked against Django's
app registry) is listed as "belum tersedia", never shown as zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Classifications (the reference code lists the figures are cut by).
AGENCY, KECAMATAN, SUBSECTOR = "agency", "kecamatan", "subsector"
GENDER, AGE_BAND, PATHWAY, ROOM, STATUS = "gender", "age_band", "pathway", "room", "status"
HASHTAG = "hashtag"  # a programme's required hashtag, without "#", lower case

UNKNOWN = "x"  # a person or place whose kecamatan / gender / age is not known

# How a month's figures add up over a period.
FLOW, STOCK = "flow", "stock"  # flow: sum of the months; stock: the last month's level
# Units; a rate's figure is value / base (× 100 for a percentage).
COUNT, PERCENT, RATIO, POINTS = "count", "percent", "ratio", "points"


@dataclass(frozen=True)
class Figure:
    """One cell of one month: cut by agency code, kecamatan code and the indicator's key."""

    value: int
    base: int = 0
    agency: str = ""
    kecamatan: str = ""
    key: str = ""


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    theme: str
    concept: str
    formula: str
    unit: str
    classification: tuple[str, ...]  # of AGENCY, KECAMATAN and at most one key
    sources: tuple[str, ...]  # "app_label.Model"
    caveats: str = ""
    frequency: str = "monthly"
    kind: str = FLOW
    key: str = ""  # the classification stored in Figure.key, if any
    key_additive: bool = True  # False: one person counted once per key (subsectors)
    requires: tuple[str, ...] = ()  # models that must exist for it to be computed
    # How many months after a month its figures may still change (late readings, a window
    # still open): the periodic job recomputes that many past months besides the current one.
    revisable_months: int = 1
    compute: Callable[[dt.date], list[Figure]] | None = field(default=None, compare=False)

    @property
    def is_rate(self) -> bool:
        return self.unit in (PERCENT, RATIO, POINTS)

    @property
    def landed(self) -> bool:
        return self.compute is not None and all(_model_exists(label) for label in self.requires)

    def figure(self, value: int, base: int) -> float | int | None:
        """The number shown for summed value and base."""
        if not self.is_rate:
            return value
        if not base:
            return None
        if self.unit == PERCENT:
            return 100 * value / base
        if self.unit == POINTS:
            return value / base / 100  # gains are stored in hundredths of a point
        return value / base


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.code in _REGISTRY:
        raise ValueError(f"indicator {indicator.code} defined twice")
    _REGISTRY[indicator.code] = indicator
    return indicator


def all_indicators() -> list[Indicator]:
    _load()
    return list(_REGISTRY.values())


def landed() -> list[Indicator]:
    return [i for i in all_indicators() if i.landed]


def get(code: str) -> Indicator:
    _load()
    return _REGISTRY[code]


def _load():
    from . import (  # noqa: F401 - each theme's module registers its indicators
        conversion,
        creators,
        credentials,
        newsroom,
        pending,
        programs,
        spaces,
        talent,
        trainings,
    )


THEMES = {
    "creators": _("Pelaku ekonomi kreatif"),
    "trainings": _("Pelatihan"),
    "credentials": _("Sertifikat dan sertifikasi"),
    "spaces": _("Ruang kreatif"),
    "talent": _("Jalur talenta dan narasumber"),
    "programs": _("Program dan konten"),
    "newsroom": _("Berita warga"),
    "conversion": _("Konversi"),
}

CLASSIFICATIONS = {
    AGENCY: _("Perangkat daerah (kode perangkat daerah)"),
    KECAMATAN: _("Kecamatan (kode wilayah Kemendagri)"),
    SUBSECTOR: _("Subsektor ekonomi kreatif (17 subsektor)"),
    GENDER: _("Jenis kelamin"),
    AGE_BAND: _("Kelompok umur"),
    PATHWAY: _("Jalur talenta"),
    ROOM: _("Ruang"),
    STATUS: _("Status rujukan"),
    HASHTAG: _("Tagar wajib program"),
}

FREQUENCIES = {"monthly": _("Bulanan")}
UNITS = {
    COUNT: _("orang/kegiatan"),
    PERCENT: _("persen"),
    RATIO: _("rasio"),
    POINTS: _("poin"),
}


# Month arithmetic shared by the computations.


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], month_start(first)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


def bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as aware datetimes in the city's time zone, end exclusive."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(next_month(month), dt.time(), tzinfo=tz)
    return start, end
