"""Agency programmes: content (deliverables) approved, and its reach and engagement.

A deliverable belongs to the month it was approved (local time), to its programme's agency, and
to each of the programme's required hashtags (so the hashtags do not add up to the total). Its
reach and engagement are those of its latest metric reading."""

from __future__ import annotations

from collections import Counter

from django.db.models import OuterRef, Subquery
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ekraf.programs.models import Deliverable, MetricReading

from . import AGENCY, COUNT, HASHTAG, UNKNOWN, Figure, Indicator, bounds, register

APPROVED = Deliverable.Status.APPROVED
KEY_LENGTH = 40  # Rollup.key


def hashtag(text: str) -> str:
    """The code of a hashtag: without "#", lower case, at most the rollup key's length."""
    return str(text).strip().lstrip("#").lower()[:KEY_LENGTH]


def _approved(month):
    """(agency, programme hashtags, views, engagement) of each deliverable approved in the
    month — one query, the latest reading by a correlated subquery."""
    start, end = bounds(month)
    latest = MetricReading.objects.filter(deliverable=OuterRef("pk")).order_by("-read_at", "-pk")
    return (
        Deliverable.objects.filter(state=APPROVED, approved_at__gte=start, approved_at__lt=end)
        .annotate(
            views=Subquery(latest.values("views")[:1]),
            likes=Subquery(latest.values("likes")[:1]),
            comments=Subquery(latest.values("comments")[:1]),
            shares=Subquery(latest.values("shares")[:1]),
            saves=Subquery(latest.values("saves")[:1]),
        )
        .values_list(
            "engagement__programme__agency__code",
            "engagement__programme__hashtags",
            "views",
            "likes",
            "comments",
            "shares",
            "saves",
        )
    )


def _by_hashtag(month, measure) -> list[Figure]:
    counts = Counter()
    for agency, tags, *numbers in _approved(month):
        keys = {hashtag(t) for t in (tags or []) if hashtag(t)} or {UNKNOWN}
        for key in keys:
            counts[agency, key] += measure(*(n or 0 for n in numbers))
    return [Figure(n, agency=agency, key=key) for (agency, key), n in counts.items()]


def approved(month) -> list[Figure]:
    return _by_hashtag(month, lambda *_numbers: 1)


def reach(month) -> list[Figure]:
    return _by_hashtag(month, lambda views, *_rest: views)


def engagement(month) -> list[Figure]:
    return _by_hashtag(
        month, lambda _views, likes, comments, shares, saves: likes + comments + shares + saves
    )


_HASHTAGS = _(
    "Per tagar wajib program: konten program bertagar lebih dari satu dihitung di tiap "
    "tagarnya, jadi jumlah semua tagar lebih besar daripada jumlah konten; program tanpa tagar "
    "dicatat sebagai “x”. Bulan persetujuan konten (WIB)."
)
_LATEST = _(
    " Angka dari pembacaan metrik terakhir saat bulan itu dihitung; tugas berkala menghitung "
    "ulang tiga bulan terakhir, jadi pembacaan yang lebih lambat masuk bila bulannya dihitung "
    "ulang."
)
READINGS_MONTHS = 3  # readings usually come 7 and 30 days after posting
SOURCES = ("programs.Programme", "programs.Engagement", "programs.Deliverable", "core.Agency")

# What the three have in common: by agency and (not additive) hashtag.
_BY_HASHTAG = {
    "theme": "programs",
    "unit": COUNT,
    "classification": (AGENCY, HASHTAG),
    "key": HASHTAG,
    "key_additive": False,
}
_READINGS = {
    "sources": (*SOURCES, "programs.MetricReading"),
    "caveats": format_lazy("{}{}", _HASHTAGS, _LATEST),
    "revisable_months": READINGS_MONTHS,
}

register(
    Indicator(
        code="PRG-01",
        name=_("Konten program disetujui"),
        concept=_("Banyaknya konten (deliverable) program yang disetujui."),
        formula=_("Σ deliverable disetujui per bulan persetujuan, per instansi dan tagar"),
        sources=SOURCES,
        caveats=_HASHTAGS,
        compute=approved,
        **_BY_HASHTAG,
    )
)
register(
    Indicator(
        code="PRG-02",
        name=_("Jangkauan konten program"),
        concept=_("Jumlah tayangan konten program yang disetujui (pembacaan terakhir)."),
        formula=_("Σ views dari pembacaan metrik terakhir tiap deliverable"),
        compute=reach,
        **_BY_HASHTAG,
        **_READINGS,
    )
)
register(
    Indicator(
        code="PRG-03",
        name=_("Interaksi konten program"),
        concept=_("Jumlah suka, komentar, bagikan dan simpan pada konten program."),
        formula=_("Σ (likes + comments + shares + saves) dari pembacaan terakhir"),
        compute=engagement,
        **_BY_HASHTAG,
        **_READINGS,
    )
)
