"""Exports of the registry for staff: CSV streamed row by row, XLSX written in write-only mode.

Neither ever holds the whole table: rows come from the database in chunks (iterator with
chunk_size, prefetches per chunk). The NIK is never exported, not even masked. E-mail and phone
cells stay empty for creators whose contact details the viewer may not see
(permissions.can_see_creator_contact); the "Kontak" column says why.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions

from .models import CreatorProfile

CHUNK = 500


def headers() -> list[str]:
    return [
        _("ID publik"),
        _("Nama lengkap"),
        _("Nama tampilan"),
        _("Email"),
        _("Telepon"),
        _("Kontak"),
        _("Jenis kelamin"),
        _("Tahun lahir"),
        _("Kecamatan"),
        _("Kelurahan"),
        _("Subsektor"),
        _("Keterampilan"),
        _("Jalur minat"),
        _("Kanal"),
        _("Total pengikut"),
        _("Sumber"),
        _("Terdaftar"),
    ]


def row(profile: CreatorProfile, viewer) -> list:
    channels = list(profile.channels.all())
    followers = sum(c.followers or 0 for c in channels)
    contact = permissions.can_see_creator_contact(viewer, profile)
    return [
        profile.public_id,
        profile.full_name,
        profile.display_name,
        profile.user.email if contact else "",
        profile.phone if contact else "",
        "" if contact else _("tidak bersedia dihubungi"),
        profile.get_gender_display() if profile.gender else "",
        profile.birth_year or "",
        profile.kelurahan.parent.name if profile.kelurahan else "",
        profile.kelurahan.name if profile.kelurahan else "",
        "; ".join(s.name for s in profile.subsectors.all()),
        "; ".join(s.name for s in profile.skills.all()),
        "; ".join(str(p.get_pathway_display()) for p in profile.pathway_interests.all()),
        "; ".join(c.url for c in channels),
        followers,
        profile.get_source_display(),
        timezone.localdate(profile.created_at).isoformat(),  # the date in WIB, not UTC
    ]


def rows(queryset, viewer) -> Iterator[list]:
    for profile in queryset.iterator(chunk_size=CHUNK):
        yield row(profile, viewer)


_PHONE_OR_NUMBER = re.compile(r"^[+-]?\d[\d .]*$")


def safe_cell(value):
    """Spreadsheet formula injection: text that starts like a formula is quoted."""
    if (
        isinstance(value, str)
        and value[:1] in ("=", "+", "-", "@", "\t", "\r")
        and not _PHONE_OR_NUMBER.match(value)
    ):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_stream(queryset, viewer) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM, so Excel opens UTF-8 names correctly
    yield writer.writerow(headers())
    for values in rows(queryset, viewer):
        yield writer.writerow([safe_cell(v) for v in values])


def xlsx_file(queryset, viewer):
    """A temporary file holding the workbook; openpyxl write-only streams rows to disk."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Pelaku ekraf")[:31])
    sheet.append(headers())
    for values in rows(queryset, viewer):
        sheet.append([safe_cell(v) for v in values])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    workbook.save(out)
    out.seek(0)
    return out
