"""Reading the file through the platform's one spreadsheet reader, and checking each row:
problems carry the line number the organiser sees in the file."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts.services import normalise_email
from ekraf.core import spreadsheets, validation
from ekraf.core.errors import DomainError
from ekraf.core.models import Region, Subsector

from .. import channels as channel_rules
from .. import nik as nik_rules
from .. import services
from ..models import (
    Gender,
    Pathway,
)
from .columns import (
    MAX_EMAIL,
    PLATFORM_TARGETS,
    _norm,
)

# The platform's limits for every import (size, unpacked size of an XLSX, rows, columns).
LIMITS = spreadsheets.DEFAULT_LIMITS


def read_rows(file) -> Iterator[tuple[int, list]]:
    """(line number as the organiser sees it, cells) for every row, header included, read by the
    platform's one spreadsheet reader within its limits."""
    return spreadsheets.read_rows(file, LIMITS)


@dataclass
class RowData:
    line: int
    full_name: str
    email: str
    display_name: str = ""
    phone: str = ""
    gender: str = ""
    birth_year: int | None = None
    kelurahan: Region | None = None
    subsectors: list[Subsector] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    bio: str = ""
    pathways: list[str] = field(default_factory=list)
    nik: str = ""
    nik_hash: str = ""
    channels: list[channel_rules.NormalisedChannel] = field(default_factory=list)


@dataclass
class Problem:
    line: int
    column: str
    message: str
    kind: str = "error"  # or "duplicate"

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "kind": self.kind,
        }


class Reference:
    """Regions and subsectors, loaded once per run, for matching what people wrote."""

    def __init__(self):
        villages = list(Region.objects.filter(level=Region.Level.VILLAGE).select_related("parent"))
        self.villages: dict[str, list[Region]] = {}
        for village in villages:
            self.villages.setdefault(self._key(village.name), []).append(village)
        self.subsectors = list(Subsector.objects.all())

    @staticmethod
    def _key(name: str) -> str:
        name = _norm(name)
        return re.sub(r"^(kel|kelurahan|desa)\s+", "", name).replace(" ", "")

    def village(self, name: str, district: str = "") -> Region | None | str:
        """The kelurahan, None if unknown, or "ambiguous" when the kecamatan is needed."""
        matches = self.villages.get(self._key(name), [])
        if district:
            key = re.sub(r"^(kec|kecamatan)\s+", "", _norm(district)).replace(" ", "")
            matches = [v for v in matches if self._key(v.parent.name) == key]
        if len(matches) == 1:
            return matches[0]
        return "ambiguous" if matches else None

    def match_subsectors(self, text: str) -> tuple[list[Subsector], list[str]]:
        found: list[Subsector] = []
        rest = str(text).lower()
        # Whole names first: "Film, Animasi, dan Video" contains commas itself.
        for subsector in sorted(self.subsectors, key=lambda s: -len(s.name_id)):
            for name in (subsector.name_id.lower(), subsector.name_en.lower()):
                if name in rest:
                    found.append(subsector)
                    rest = rest.replace(name, " ")
                    break
        unknown = []
        for token in re.split(r"[,;/\n]", rest):
            token = token.strip(" .-")
            if not token or token in ("dan", "and"):
                continue
            candidates = [
                s
                for s in self.subsectors
                if token == s.code
                or s.name_id.lower().startswith(token)
                or s.name_en.lower().startswith(token)
            ]
            if len(candidates) == 1:
                if candidates[0] not in found:
                    found.append(candidates[0])
            else:
                unknown.append(token)
        return found, unknown


GENDER_WORDS = {
    "l": Gender.MALE, "laki laki": Gender.MALE, "laki": Gender.MALE, "lakilaki": Gender.MALE,
    "pria": Gender.MALE, "male": Gender.MALE, "m": Gender.MALE,
    "p": Gender.FEMALE, "perempuan": Gender.FEMALE, "wanita": Gender.FEMALE,
    "female": Gender.FEMALE, "f": Gender.FEMALE, "w": Gender.FEMALE,
}  # fmt: skip


def _year(value) -> int | None | str:
    if value in ("", None):
        return None
    if isinstance(value, datetime.date):
        return value.year
    if isinstance(value, int | float):
        return int(value)
    match = re.search(r"\b(19\d{2}|20\d{2})\b", str(value))
    return int(match.group(1)) if match else "bad"


def check_row(line: int, cells: list, mapping: dict[str, int], headers: list[str], ref: Reference):
    """A RowData, or the list of Problems of this row (each naming its column)."""
    problems: list[Problem] = []

    def get(name: str):
        index = mapping.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def column(name: str) -> str:
        index = mapping.get(name)
        return headers[index] if index is not None and index < len(headers) else name

    def bad(name: str, message: str):
        problems.append(Problem(line, column(name), message))

    def check_text(name: str, value: str, multiline: bool = False):
        message = validation.problem(value, multiline=multiline)
        if message:
            bad(name, message)

    full_name = services.plain_text(str(get("full_name")), 150)
    check_text("full_name", full_name)
    if not full_name:
        bad("full_name", _("Nama lengkap kosong."))
    email = normalise_email(str(get("email")))
    if not email:
        bad("email", _("Email kosong."))
    elif len(email) > MAX_EMAIL:
        bad("email", _("Email terlalu panjang (paling banyak %(n)d karakter).") % {"n": MAX_EMAIL})
    elif not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", email):
        bad("email", _("Email tidak sah: %(v)s") % {"v": email})
    row = RowData(line=line, full_name=full_name, email=email)
    row.display_name = services.plain_text(str(get("display_name")), 80)
    check_text("display_name", row.display_name)

    raw_phone = get("phone")
    if raw_phone not in ("", None):
        if isinstance(raw_phone, int | float):  # Excel turned 0812… into a number
            raw_phone = "0" + str(int(raw_phone))
        try:
            row.phone = services.normalise_phone(str(raw_phone))
        except DomainError as exc:
            bad("phone", exc.message)

    raw_gender = _norm(get("gender"))
    if raw_gender:
        row.gender = GENDER_WORDS.get(raw_gender, "")
        if not row.gender:
            bad("gender", _("Jenis kelamin tidak dikenal: %(v)s") % {"v": get("gender")})

    year = _year(get("birth_year"))
    this_year = timezone.localdate().year
    if year == "bad" or (
        isinstance(year, int) and not this_year - nik_rules.OLDEST_AGE <= year <= this_year - 5
    ):
        bad("birth_year", _("Tahun lahir tidak sah: %(v)s") % {"v": get("birth_year")})
    elif isinstance(year, int):
        row.birth_year = year

    kelurahan = str(get("kelurahan"))
    if kelurahan:
        village = ref.village(kelurahan, str(get("kecamatan")))
        if village == "ambiguous":
            bad(
                "kelurahan",
                _("Kelurahan %(v)s ada di beberapa kecamatan; isi kolom kecamatan.")
                % {"v": kelurahan},
            )
        elif village is None:
            bad("kelurahan", _("Kelurahan tidak dikenal: %(v)s") % {"v": kelurahan})
        else:
            row.kelurahan = village

    raw_subsectors = str(get("subsectors"))
    if raw_subsectors:
        row.subsectors, unknown = ref.match_subsectors(raw_subsectors)
        if unknown:
            bad("subsectors", _("Subsektor tidak dikenal: %(v)s") % {"v": ", ".join(unknown)})

    row.skills = services.parse_skills(str(get("skills")))[: services.MAX_SKILLS]
    row.skills = [s[:60] for s in row.skills]
    row.bio = services.plain_text(str(get("bio")), 600)
    check_text("bio", row.bio, multiline=True)
    for skill in row.skills:
        check_text("skills", skill)

    raw_pathways = _norm(get("pathways"))
    if raw_pathways:
        for value, label in Pathway.choices:
            if _norm(label) in raw_pathways or _norm(value) in raw_pathways:
                row.pathways.append(value)

    raw_nik = get("nik")
    if isinstance(raw_nik, int | float):
        # Excel keeps 15 significant digits: a NIK typed as a number has lost its last digit.
        bad(
            "nik",
            _(
                "NIK tersimpan sebagai angka di Excel sehingga digit terakhir bisa berubah; "
                "format kolom NIK sebagai teks lalu ketik ulang."
            ),
        )
        raw_nik = ""
    raw_nik = nik_rules.clean(str(raw_nik))
    if raw_nik:
        try:
            row.nik = nik_rules.parse(
                raw_nik, gender=row.gender or None, birth_year=row.birth_year
            ).nik
            row.nik_hash = nik_rules.keyed_hash(row.nik)
        except nik_rules.NikError as exc:
            bad("nik", exc.message)

    seen_urls = set()
    for platform in PLATFORM_TARGETS:
        value = str(get(platform))
        if not value or value.strip() in ("-", "—"):
            continue
        try:
            channel = channel_rules.normalise(platform, value)
        except channel_rules.ChannelError as exc:
            bad(platform, exc.message)
            continue
        if channel.url not in seen_urls:
            seen_urls.add(channel.url)
            row.channels.append(channel)
    return problems or row
