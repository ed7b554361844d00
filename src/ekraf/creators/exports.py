"""Exports of the registry for staff, written by the platform's one spreadsheet writer
(ekraf.core.spreadsheets: CSV streamed row by row, XLSX in write-only mode, no cell ever a formula).

Neither ever holds the whole table: rows come from the database in chunks (iterator with
chunk_size, prefetches per chunk). The NIK is never exported, not even masked. E-mail and phone
cells stay empty for creators whose contact details the viewer may not see
(permissions.can_see_creator_contact); the "Kontak" column says why.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import spreadsheets

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


def response(fmt: str, queryset, viewer, filename_stem: str):
    """The registry as a download, through the platform's one spreadsheet writer (formulas
    neutralised; CSV streamed, XLSX written row by row to a temporary file)."""
    if fmt == "csv":
        return spreadsheets.csv_response(f"{filename_stem}.csv", headers(), rows(queryset, viewer))
    return spreadsheets.xlsx_response(
        f"{filename_stem}.xlsx",
        [spreadsheets.Sheet(_("Pelaku ekraf"), headers(), rows(queryset, viewer))],
    )
