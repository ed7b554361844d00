"""Monthly open-data releases: cut once, kept forever, streamed row by row.

`publish(month)` refreshes the month's rollups, builds the datasets (suppressed jointly by
`disclosure.protect`) and stores them as an immutable `Release` with its rows. Publishing the
same month again makes the next revision ("2026-11.r2") with a note of what changed; the
first stays downloadable. The periodic job publishes last month's release once the month is
over. Exports read the stored rows with a server-side cursor, so memory stays flat whatever
the size of a release.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ekraf.core import spreadsheets

from .. import rollups
from ..indicators import month_start
from ..models import Release, ReleaseRow, RollupMonth
from . import datasets as ds


def latest() -> Release | None:
    return Release.objects.order_by("-month", "-revision").first()


def get(version: str) -> Release | None:
    if version == "terbaru" or version == "latest":
        return latest()
    return Release.objects.filter(version=version).first()


def _changes(previous: Release | None, counts: dict) -> str:
    if previous is None:
        return _("Rilis pertama.")
    parts = []
    for code, info in counts.items():
        before = previous.datasets.get(code)
        if before is None:
            parts.append(_("dataset baru %(code)s") % {"code": code})
        elif before != info:
            parts.append(
                _("%(code)s: %(rows)s baris (%(supp)s ditekan), sebelumnya %(b_rows)s (%(b_supp)s)")
                % {
                    "code": code,
                    "rows": info["rows"],
                    "supp": info["suppressed"],
                    "b_rows": before["rows"],
                    "b_supp": before["suppressed"],
                }
            )
    for code in previous.datasets:
        if code not in counts:
            parts.append(_("dataset %(code)s dihentikan") % {"code": code})
    if not parts:
        return _("Dibanding %(v)s: susunan tabel sama; angka diperbarui.") % {"v": previous.version}
    return _("Dibanding %(v)s: ") % {"v": previous.version} + "; ".join(parts) + "."


def publish(month: dt.date, note: str = "") -> Release:
    month = month_start(month)
    marker = rollups.refresh_month(month)
    built, _protected = ds.build(month)
    counts = {
        d.code: {
            "rows": len(d.rows),
            "suppressed": sum(1 for r in d.rows if r and r[-1] == ds.SUPPRESSED),
        }
        for d in built
    }
    with transaction.atomic():
        revision = (Release.objects.filter(month=month).aggregate(m=Max("revision"))["m"] or 0) + 1
        previous = latest()
        label = date_format(month, "F Y")
        auto = (
            _("Rilis bulanan data %(month)s.") % {"month": label} + " " + _changes(previous, counts)
        )
        release = Release.objects.create(
            month=month,
            revision=revision,
            version=f"{month:%Y-%m}" if revision == 1 else f"{month:%Y-%m}.r{revision}",
            published_at=timezone.now(),
            data_as_of=marker.refreshed_at,
            note=(note.strip() + "\n" if note.strip() else "") + auto,
            threshold=ds.threshold(),
            datasets=counts,
        )
        ReleaseRow.objects.bulk_create(
            (
                ReleaseRow(release=release, dataset=d.code, position=i, values=row)
                for d in built
                for i, row in enumerate(d.rows)
            ),
            batch_size=1000,
        )
    return release


def periodic() -> dict:
    """Publish last month's release once the month is over (once)."""
    last = rollups.previous_month(rollups.current_month())
    if Release.objects.filter(month=last).exists():
        return {"published": None}
    if not RollupMonth.objects.exists():
        rollups.periodic()
    return {"published": publish(last).version}


EPOCH = dt.date(1900, 1, 1)  # a month without rollups: the datasets' shapes, no rows


def specs() -> list[ds.Dataset]:
    """The datasets' descriptions (columns, titles): the same for every release."""
    return [*ds.count_tables(EPOCH)[0], ds.rooms_table(EPOCH), *ds.code_lists()]


def dataset_spec(code: str) -> ds.Dataset | None:
    return next((d for d in specs() if d.code == code), None)


def rows(release: Release, dataset: str) -> Iterator[list]:
    """A dataset's stored rows in order, read in chunks (flat memory)."""
    query = (
        ReleaseRow.objects.filter(release=release, dataset=dataset)
        .order_by("position")
        .values_list("values", flat=True)
    )
    yield from query.iterator(chunk_size=2000)


def csv_cells(row: list) -> list:
    return [ds.SUPPRESSED_MARK if v is None else v for v in row]


def csv_stream(release: Release, spec: ds.Dataset) -> Iterator[str]:
    return spreadsheets.csv_stream(
        [c.name for c in spec.columns], (csv_cells(r) for r in rows(release, spec.code)), bom=False
    )


def json_stream(release: Release, spec: ds.Dataset) -> Iterator[str]:
    """{"release", "dataset", "fields", "data": [{…}, …]} written object by object."""
    names = [c.name for c in spec.columns]
    head = {
        "release": release.version,
        "dataset": spec.code,
        "title": spec.title,
        "fields": names,
        "suppressed": _("null pada jumlah = ditekan (status “ditekan”)"),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "data": ['
    first = True
    for row in rows(release, spec.code):
        yield ("" if first else ",") + json.dumps(
            dict(zip(names, row, strict=False)), ensure_ascii=False
        )
        first = False
    yield "]}"
