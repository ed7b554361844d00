"""Writes to the city's reference data, and the audit trail every app uses."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from .clientip import client_ip
from .models import Agency, City, Region, Space, Subsector


def audit(actor, action: str, target=None, *, detail: dict | None = None, request=None):
    """Record an audited action (e.g. a staff member reading a NIK) as the next link of the
    hash chain (core/auditchain.py explains the chain and its lock)."""
    from . import auditchain

    ip = None
    if request is not None:
        ip = client_ip(request)
        if actor is None and getattr(request, "user", None) and request.user.is_authenticated:
            actor = request.user
    actor = actor if (actor is not None and getattr(actor, "pk", None)) else None
    return auditchain.append(
        actor=actor,
        actor_ref=str(actor.pk) if actor is not None else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
        ip=ip,
    )


# ---------------------------------------------------------------------------------------------
# load_city: reference data from CSV files shaped like the city's own spreadsheets.
# ---------------------------------------------------------------------------------------------

REGION_CODE = {
    Region.Level.CITY: re.compile(r"^\d{2}\.\d{2}$"),
    Region.Level.DISTRICT: re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    Region.Level.VILLAGE: re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Each kind of file, found by the start of its name, with the columns it must have.
FILES = {
    "city": ("city", {"code", "name", "short_name", "platform_name"}),
    "regions": ("regions", {"kode", "nama", "level", "parent_kode"}),
    "subsectors": ("subsectors", {"code", "name_id", "name_en"}),
    "agencies": ("agencies", {"code", "short_name", "name_id", "kind"}),
    "spaces": ("spaces", {"code", "name"}),
}


class CityDataError(Exception):
    """The files have bad rows; nothing was written. `problems` lists them by file and line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        bucket = getattr(self, outcome)
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{kind}: {self.created.get(kind, 0)} baru, {self.updated.get(kind, 0)} diperbarui, "
            f"{self.unchanged.get(kind, 0)} tetap"
            for kind in kinds
        ]


def _find(directory: Path, prefix: str) -> Path | None:
    matches = sorted(p for p in directory.glob(f"{prefix}*.csv") if p.is_file())
    return matches[0] if matches else None


def _read(path: Path, required: set[str], problems: list[str]) -> list[tuple[int, dict]]:
    """Rows as (line number, dict), header checked. Accepts a UTF-8 BOM as Excel writes it."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = {h.strip() for h in (reader.fieldnames or [])}
        missing = required - header
        if missing:
            problems.append(f"{path.name}: kolom tidak ada: {', '.join(sorted(missing))}")
            return []
        rows = []
        for row in reader:
            clean = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
            if any(clean.values()):
                rows.append((reader.line_num, clean))
        return rows


def _upsert(model, lookup: dict, values: dict, report: LoadReport, kind: str):
    """Create or update one row, counting only real changes so a rerun reports nothing new."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count(kind, "created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.count(kind, "updated")
    else:
        report.count(kind, "unchanged")
    return obj


def _duplicate_check(rows, key: str, path: Path, problems: list[str]) -> None:
    seen: dict[str, int] = {}
    for line, row in rows:
        value = row.get(key, "")
        if value in seen:
            problems.append(
                f"{path.name} baris {line}: kode {value} sudah ada di baris {seen[value]}"
            )
        else:
            seen[value] = line


def load_city(directory: Path | str) -> LoadReport:
    """Load or refresh the city's reference data from a directory of CSV files.

    Every row is checked first; if any is bad, nothing is written and CityDataError lists each
    problem with its file and line. Rerunning with the same files changes nothing.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise CityDataError([f"{directory}: folder tidak ditemukan"])
    problems: list[str] = []
    data: dict[str, tuple[Path, list[tuple[int, dict]]]] = {}
    for kind, (prefix, required) in FILES.items():
        path = _find(directory, prefix)
        if path is None:
            if kind in {"regions", "subsectors", "agencies"}:
                problems.append(f"{directory}: berkas {prefix}*.csv tidak ditemukan")
            continue
        data[kind] = (path, _read(path, required, problems))

    regions = _validate_regions(data.get("regions"), problems)
    _validate_simple(data, problems)
    if problems:
        raise CityDataError(problems)

    report = LoadReport()
    with transaction.atomic():
        if "city" in data:
            _load_city_row(directory, *data["city"], report)
        for _line, row in regions:
            parent = Region.objects.get(code=row["parent_kode"]) if row["_has_parent"] else None
            _upsert(
                Region,
                {"code": row["kode"]},
                {"name": row["nama"], "level": row["level"], "parent": parent},
                report,
                "wilayah",
            )
        for position, (_, row) in enumerate(data["subsectors"][1], start=1):
            _upsert(
                Subsector,
                {"code": row["code"]},
                {"name_id": row["name_id"], "name_en": row["name_en"], "position": position},
                report,
                "subsektor",
            )
        for _, row in data["agencies"][1]:
            _upsert(
                Agency,
                {"code": row["code"]},
                {"short_name": row["short_name"], "name": row["name_id"], "kind": row["kind"]},
                report,
                "perangkat daerah",
            )
        if "spaces" in data:
            for _, row in data["spaces"][1]:
                capacity = row.get("capacity") or row.get("capacity_demo") or "0"
                _upsert(
                    Space,
                    {"code": row["code"]},
                    {
                        "name": row["name"],
                        "floor": int(row["floor"]) if row.get("floor") else None,
                        "kind": row.get("kind", ""),
                        "capacity": int(capacity),
                    },
                    report,
                    "ruang",
                )
    return report


def _validate_regions(entry, problems: list[str]) -> list[tuple[int, dict]]:
    """Check codes, levels and parents; return rows ordered so parents come first."""
    if not entry:
        return []
    path, rows = entry
    _duplicate_check(rows, "kode", path, problems)
    codes_in_file = {row["kode"] for _, row in rows}
    known = set(Region.objects.values_list("code", flat=True))
    valid_levels = {choice.value for choice in Region.Level}
    for line, row in rows:
        where = f"{path.name} baris {line}"
        level, code, parent = row["level"], row["kode"], row["parent_kode"]
        if level not in valid_levels:
            problems.append(f"{where}: tingkat '{level}' tidak dikenal (kota/kecamatan/kelurahan)")
            continue
        if not REGION_CODE[level].match(code):
            problems.append(f"{where}: kode '{code}' tidak sesuai format kode {level} Kemendagri")
            continue
        if not row["nama"]:
            problems.append(f"{where}: nama wilayah kosong")
        if parent and not code.startswith(parent + "."):
            problems.append(f"{where}: kode '{code}' bukan bagian dari induk '{parent}'")
        # The city's own parent is its province, which is not a row of its own.
        row["_has_parent"] = level != Region.Level.CITY
        if row["_has_parent"] and parent not in codes_in_file and parent not in known:
            problems.append(f"{where}: induk '{parent}' tidak ditemukan")
    order = {Region.Level.CITY: 0, Region.Level.DISTRICT: 1, Region.Level.VILLAGE: 2}
    return sorted(
        (r for r in rows if r[1]["level"] in order), key=lambda r: (order[r[1]["level"]], r[0])
    )


def _validate_simple(data, problems: list[str]) -> None:
    kinds = {choice.value for choice in Agency.Kind}
    for kind in ("subsectors", "agencies", "spaces"):
        if kind not in data:
            continue
        path, rows = data[kind]
        _duplicate_check(rows, "code", path, problems)
        for line, row in rows:
            where = f"{path.name} baris {line}"
            if not SLUG.match(row["code"]):
                problems.append(f"{where}: kode '{row['code']}' harus huruf kecil, angka, tanda -")
            if kind == "agencies":
                if row["kind"] not in kinds:
                    problems.append(f"{where}: jenis '{row['kind']}' tidak dikenal")
                if not row["short_name"] or not row["name_id"]:
                    problems.append(f"{where}: nama perangkat daerah kosong")
            if kind == "subsectors" and not (row["name_id"] and row["name_en"]):
                problems.append(f"{where}: nama subsektor kosong")
            if kind == "spaces":
                for column in ("capacity", "capacity_demo", "floor"):
                    value = row.get(column, "")
                    if value and not value.isdigit():
                        problems.append(f"{where}: {column} '{value}' bukan bilangan bulat")
    if "city" in data:
        path, rows = data["city"]
        if len(rows) != 1:
            problems.append(f"{path.name}: harus berisi tepat satu baris kota")
        for line, row in rows[:1]:
            if not REGION_CODE[Region.Level.CITY].match(row["code"]):
                problems.append(f"{path.name} baris {line}: kode kota '{row['code']}' tidak sah")
            logo = row.get("logo", "")
            if logo and not (path.parent / logo).is_file():
                problems.append(f"{path.name} baris {line}: berkas logo '{logo}' tidak ditemukan")


def _load_city_row(directory: Path, path: Path, rows, report: LoadReport) -> None:
    _, row = rows[0]
    values = {
        name: row.get(name, "")
        for name in (
            "name",
            "short_name",
            "province",
            "platform_name",
            "address",
            "email",
            "phone",
            "website",
        )
    }
    existing = City.objects.first()
    if existing is not None and existing.code != row["code"]:
        # One city per installation: a different city's files must not create a second one.
        raise CityDataError([f"{path.name}: instalasi ini milik {existing.name} ({existing.code})"])
    city = _upsert(City, {"code": row["code"]}, values, report, "kota")
    logo = row.get("logo", "")
    if logo:
        content = (directory / logo).read_bytes()
        current = b""
        if city.logo:
            try:
                with city.logo.open("rb") as fh:
                    current = fh.read()
            except (FileNotFoundError, OSError):
                current = b""
        if current != content:
            city.logo.save(Path(logo).name, ContentFile(content), save=True)
