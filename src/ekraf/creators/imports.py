"""Importing creators from an organiser's spreadsheet (a Google Forms export, CSV or XLSX).

Upload → map columns (guessed from the headers, editable) → preview (every row checked;
problems reported with the line number the organiser sees in the file; duplicates against the
registry and within the file reported, never merged) → commit (all valid rows in one
transaction, or nothing). The file is read as a stream by the platform's one spreadsheet reader
(ekraf.core.spreadsheets: the same size, unpacked-size and row limits as every import) and
rows are written in chunks, so memory stays bounded whatever the size of the file.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ekraf.accounts import permissions
from ekraf.accounts.models import Role, RoleGrant, User
from ekraf.accounts.services import normalise_email
from ekraf.core import spreadsheets, validation
from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.models import Region, Subsector
from ekraf.core.services import audit

from . import channels as channel_rules
from . import nik as nik_rules
from . import services
from .models import (
    Channel,
    Consent,
    CreatorProfile,
    Gender,
    ImportBatch,
    Pathway,
    PathwayInterest,
)

MAX_STORED_PROBLEMS = 1_000
SAMPLE_SIZE = 10
CHUNK = 500
# The e-mail is also the new account's username, whose column holds 150 characters.
MAX_EMAIL = User._meta.get_field("username").max_length


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


PLATFORM_TARGETS = {
    "instagram": ("instagram", "ig", "akun instagram"),
    "tiktok": ("tiktok", "tik tok", "akun tiktok"),
    "youtube": ("youtube", "kanal youtube", "channel youtube"),
    "facebook": ("facebook", "fb"),
    "x": ("twitter", "x", "twitter x", "akun x"),
    "threads": ("threads",),
    "linkedin": ("linkedin",),
    "podcast": ("podcast",),
    "website": ("website", "situs web", "situs", "blog", "web"),
}

TARGETS: tuple[Target, ...] = (
    Target(
        "full_name",
        gettext_lazy("Nama lengkap"),
        True,
        ("nama lengkap", "nama", "nama peserta", "full name", "name"),
    ),
    Target(
        "email",
        gettext_lazy("Email"),
        True,
        ("alamat email", "email", "e mail", "surel", "email address"),
    ),
    Target(
        "phone",
        gettext_lazy("Nomor WhatsApp/telepon"),
        False,
        (
            "nomor whatsapp",
            "no whatsapp",
            "whatsapp",
            "nomor wa",
            "no wa",
            "nomor hp",
            "no hp",
            "nomor telepon",
            "telepon",
            "handphone",
            "phone",
        ),
    ),
    Target(
        "display_name",
        gettext_lazy("Nama tampilan"),
        False,
        ("nama panggilan", "nama tampilan", "nama panggung", "nickname"),
    ),
    Target("gender", gettext_lazy("Jenis kelamin"), False, ("jenis kelamin", "gender", "kelamin")),
    Target(
        "birth_year",
        gettext_lazy("Tahun/tanggal lahir"),
        False,
        ("tahun lahir", "tanggal lahir", "tgl lahir", "birth year"),
    ),
    Target("kecamatan", gettext_lazy("Kecamatan"), False, ("kecamatan",)),
    Target(
        "kelurahan",
        gettext_lazy("Kelurahan"),
        False,
        ("kelurahan", "kelurahan domisili", "desa kelurahan"),
    ),
    Target(
        "subsectors",
        gettext_lazy("Subsektor"),
        False,
        ("subsektor", "sub sektor", "subsektor ekraf", "bidang"),
    ),
    Target("skills", gettext_lazy("Keterampilan"), False, ("keterampilan", "keahlian", "skill")),
    Target(
        "bio",
        gettext_lazy("Bio singkat"),
        False,
        ("bio", "bio singkat", "tentang anda", "deskripsi diri", "profil singkat"),
    ),
    Target(
        "pathways",
        gettext_lazy("Jalur minat"),
        False,
        ("jalur minat", "minat", "jalur yang diminati", "jalur"),
    ),
    Target(
        "nik",
        gettext_lazy("NIK"),
        False,
        ("nik", "nomor induk kependudukan", "no ktp", "nomor ktp"),
    ),
    *(
        Target(platform, str(Channel.Platform(platform).label), False, synonyms)
        for platform, synonyms in PLATFORM_TARGETS.items()
    ),
)
TARGET_NAMES = {t.name for t in TARGETS}

# What the organiser confirms before a file's NIKs enter the registry. The platform did not
# collect these NIKs itself: the agency did, on its own form. UU PDP needs a lawful basis for
# each one, so the agency (the controller that collected them) states that it asked each person,
# and every imported NIK gets a NIK consent record naming the agency and this text's version
# ("impor:<agency code>:<version>"). The person sees it in their consent history and can remove
# the NIK (withdrawing that consent) on their profile once they claim the account.
NIK_CONFIRMATION = services.ConsentText(
    "2024.1",
    gettext_lazy(
        "Saya menyatakan bahwa perangkat daerah kami mengumpulkan NIK dalam berkas ini "
        "langsung dari setiap orang yang bersangkutan, dengan persetujuannya, untuk pendataan "
        "pelaku ekonomi kreatif, dan memberi tahu bahwa NIK itu disimpan di platform ini."
    ),
)


def nik_consent_version(agency_code: str, version: str) -> str:
    return f"impor:{agency_code}:{version}"


def _norm(text) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Target → column index, from the headers: exact matches first, then words contained."""
    normal = [_norm(h) for h in headers]
    scored = []
    for t_index, target in enumerate(TARGETS):
        for s_index, synonym in enumerate(target.synonyms):
            for column, header in enumerate(normal):
                if not header:
                    continue
                if header == synonym:
                    score = 1000 - s_index
                elif re.search(rf"\b{re.escape(synonym)}\b", header):
                    score = 500 + len(synonym) - s_index
                else:
                    continue
                scored.append((score, -t_index, column, target.name))
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _score, _t, column, name in sorted(scored, reverse=True):
        if name not in mapping and column not in used:
            mapping[name] = column
            used.add(column)
    return mapping


# --- reading the file -------------------------------------------------------------------------

# The platform's limits for every import (size, unpacked size of an XLSX, rows, columns).
LIMITS = spreadsheets.DEFAULT_LIMITS


def read_rows(file) -> Iterator[tuple[int, list]]:
    """(line number as the organiser sees it, cells) for every row, header included, read by the
    platform's one spreadsheet reader within its limits."""
    return spreadsheets.read_rows(file, LIMITS)


# --- checking rows ----------------------------------------------------------------------------


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


# --- preview and commit -----------------------------------------------------------------------


@dataclass
class RunResult:
    total: int = 0
    valid: int = 0
    errors: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)
    sample: list[dict] = field(default_factory=list)


def _db_duplicates(rows: list[RowData]) -> dict[int, list[Problem]]:
    """Rows whose e-mail, phone or NIK already belongs to an account (a few queries a chunk)."""
    emails = {r.email for r in rows}
    phones = {r.phone for r in rows if r.phone}
    hashes = {r.nik_hash for r in rows if r.nik_hash}
    taken_emails = set(
        User.objects.annotate(e=Lower("email")).filter(e__in=emails).values_list("e", flat=True)
    ) | set(
        User.objects.annotate(u=Lower("username")).filter(u__in=emails).values_list("u", flat=True)
    )
    taken_phones = set(
        CreatorProfile.objects.filter(phone__in=phones).values_list("phone", flat=True)
    )
    taken_hashes = set(
        CreatorProfile.objects.filter(nik_hash__in=hashes).values_list("nik_hash", flat=True)
    )
    found: dict[int, list[Problem]] = {}
    for row in rows:
        if row.email in taken_emails:
            found.setdefault(row.line, []).append(
                Problem(row.line, "email", _("Email sudah terdaftar di registri."), "duplicate")
            )
        if row.phone and row.phone in taken_phones:
            found.setdefault(row.line, []).append(
                Problem(
                    row.line, "phone", _("Nomor telepon sudah terdaftar di registri."), "duplicate"
                )
            )
        if row.nik_hash and row.nik_hash in taken_hashes:
            found.setdefault(row.line, []).append(
                Problem(row.line, "nik", _("NIK sudah terdaftar di registri."), "duplicate")
            )
    return found


def _run(batch: ImportBatch, on_valid_chunk=None) -> RunResult:
    """Check every row of the file; hand each chunk of valid rows to `on_valid_chunk`."""
    mapping = {k: int(v) for k, v in batch.mapping.items() if k in TARGET_NAMES}
    if not batch.imports_nik:
        mapping.pop("nik", None)  # not confirmed as lawfully collected: neither read nor kept
    headers = batch.headers
    ref = Reference()
    result = RunResult()
    seen: dict[str, dict[str, int]] = {"email": {}, "phone": {}, "nik": {}}
    chunk: list[RowData] = []

    def column_label(name: str) -> str:
        index = mapping.get(name)
        return headers[index] if index is not None and index < len(headers) else name

    def flush():
        if not chunk:
            return
        duplicates = _db_duplicates(chunk)
        keep = []
        for row in chunk:
            if row.line in duplicates:
                result.duplicates += 1
                for problem in duplicates[row.line]:
                    problem.column = column_label(problem.column)
                    result.problems.append(problem)
            else:
                keep.append(row)
        result.valid += len(keep)
        for row in keep:
            if len(result.sample) < SAMPLE_SIZE:
                result.sample.append(
                    {
                        "line": row.line,
                        "full_name": row.full_name,
                        "email": row.email,
                        "kelurahan": row.kelurahan.name if row.kelurahan else "",
                        "subsectors": ", ".join(s.name_id for s in row.subsectors),
                        "channels": len(row.channels),
                    }
                )
        if keep and on_valid_chunk is not None:
            on_valid_chunk(keep)
        chunk.clear()

    with batch.file.open("rb") as fh:
        rows = read_rows(fh)
        next(rows, None)  # the header
        for line, cells in rows:
            if not any(str(c).strip() for c in cells if c is not None):
                continue
            result.total += 1
            checked = check_row(line, cells, mapping, headers, ref)
            if isinstance(checked, list):
                result.errors += 1
                result.problems.extend(checked)
                continue
            within = []
            for key, value in (
                ("email", checked.email),
                ("phone", checked.phone),
                ("nik", checked.nik_hash),
            ):
                if value and value in seen[key]:
                    within.append(
                        Problem(
                            line,
                            column_label(key),
                            _("Sama dengan baris %(n)d di berkas ini.") % {"n": seen[key][value]},
                            "duplicate",
                        )
                    )
            if within:
                result.duplicates += 1
                result.problems.extend(within)
                continue
            for key, value in (
                ("email", checked.email),
                ("phone", checked.phone),
                ("nik", checked.nik_hash),
            ):
                if value:
                    seen[key][value] = line
            chunk.append(checked)
            if len(chunk) >= CHUNK:
                flush()
        flush()
    result.problems.sort(key=lambda p: (p.line, p.kind))
    return result


def _require(user, batch: ImportBatch) -> None:
    permissions.require(
        permissions.can_view_creator_import(user, batch),
        _("Impor ini milik perangkat daerah lain."),
    )


def start(user, agency, uploaded) -> ImportBatch:
    """Keep the uploaded file (privately), read its header row and guess the column mapping."""
    permissions.require(
        permissions.can_import_creators(user, agency.pk if agency else None),
        _("Anda tidak berwenang mengimpor atas nama perangkat daerah ini."),
    )
    name = (getattr(uploaded, "name", "") or "impor").rsplit("/", 1)[-1][:200]
    uploaded.seek(0)
    rows = read_rows(uploaded)
    first = next(rows, None)
    rows.close()
    headers = [str(h).strip()[:100] for h in (first[1] if first else [])]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise DomainError(_("Baris pertama berkas harus berisi judul kolom."), field="file")
    uploaded.seek(0)
    with transaction.atomic():
        batch = ImportBatch(agency=agency, created_by=user, original_name=name, headers=headers)
        batch.mapping = guess_mapping(headers)
        batch.file.save(name, uploaded, save=False)
        batch.save()
    return batch


def preview(
    user,
    batch: ImportBatch,
    mapping: dict[str, int] | None = None,
    *,
    nik_confirmed: bool | None = None,
) -> ImportBatch:
    """Check every row with this mapping; nothing is written to the registry.

    `nik_confirmed`: the organiser states (NIK_CONFIRMATION) that the agency collected the
    file's NIKs with each person's consent; without it the NIK column is ignored. None keeps
    the batch's earlier answer.
    """
    _require(user, batch)
    if batch.status in (ImportBatch.Status.COMMITTED, ImportBatch.Status.ABANDONED):
        raise Conflict(_("Impor ini sudah selesai."))
    if mapping is not None:
        clean = {}
        for name, index in mapping.items():
            if name in TARGET_NAMES and index not in (None, ""):
                index = int(index)
                if not 0 <= index < len(batch.headers):
                    raise DomainError(_("Kolom tidak ada di berkas."), field=name)
                clean[name] = index
        batch.mapping = clean
    if nik_confirmed is not None:
        if nik_confirmed and "nik" in batch.mapping:
            batch.nik_confirmed_at = timezone.now()
            batch.nik_confirmed_by = user
            batch.nik_confirmation_version = NIK_CONFIRMATION.version
        else:
            batch.nik_confirmed_at = batch.nik_confirmed_by = None
            batch.nik_confirmation_version = ""
    missing = [t.label for t in TARGETS if t.required and t.name not in batch.mapping]
    if missing:
        raise DomainError(
            _("Pilih kolom untuk: %(fields)s.") % {"fields": ", ".join(str(m) for m in missing)}
        )
    result = _run(batch)
    _store(batch, result)
    batch.status = ImportBatch.Status.PREVIEWED
    batch.previewed_at = timezone.now()
    batch.save()
    return batch


def _store(batch: ImportBatch, result: RunResult) -> None:
    batch.total_rows = result.total
    batch.valid_rows = result.valid
    batch.error_rows = result.errors
    batch.duplicate_rows = result.duplicates
    batch.problems = [p.as_dict() for p in result.problems[:MAX_STORED_PROBLEMS]]
    batch.problems_truncated = len(result.problems) > MAX_STORED_PROBLEMS
    batch.sample = result.sample


def _create(batch: ImportBatch, rows: list[RowData]) -> None:
    """Write one chunk of valid rows: users, creator roles, profiles and what hangs off them."""
    unusable = make_password(None)
    users = [
        User(username=r.email, email=r.email, full_name=r.full_name, password=unusable)
        for r in rows
    ]
    User.objects.bulk_create(users)
    if any(u.pk is None for u in users):  # a database that does not return ids
        by_email = dict(
            User.objects.filter(email__in=[u.email for u in users]).values_list("email", "pk")
        )
        for user in users:
            user.pk = user.id = by_email[user.email]
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.CREATOR) for u in users])
    profiles = []
    for row, user in zip(rows, users, strict=True):
        protected = nik_rules.protect(row.nik) if row.nik else None
        profiles.append(
            CreatorProfile(
                user=user,
                full_name=row.full_name,
                display_name=row.display_name,
                gender=row.gender,
                birth_year=row.birth_year,
                kelurahan=row.kelurahan,
                bio=row.bio,
                phone=row.phone,
                nik_encrypted=protected.encrypted if protected else "",
                nik_hash=protected.hash if protected else "",
                nik_masked=protected.masked if protected else "",
                source=CreatorProfile.Source.IMPORT,
                source_agency=batch.agency,
                import_batch=batch,
            )
        )
    CreatorProfile.objects.bulk_create(profiles)
    if any(p.pk is None for p in profiles):
        by_user = dict(CreatorProfile.objects.filter(user__in=users).values_list("user_id", "pk"))
        for profile in profiles:
            profile.pk = profile.id = by_user[profile.user.pk]
    # Each imported NIK with its consent record: the agency's, under the organiser's confirmation.
    version = nik_consent_version(batch.agency.code, batch.nik_confirmation_version)
    given_at = timezone.now()
    Consent.objects.bulk_create(
        [
            Consent(
                profile_id=profile.pk,
                purpose=Consent.Purpose.NIK,
                text_version=version,
                given_at=given_at,
            )
            for row, profile in zip(rows, profiles, strict=True)
            if row.nik
        ]
    )
    through_subsector = CreatorProfile.subsectors.through
    through_skill = CreatorProfile.skills.through
    skills = {
        s.name.lower(): s
        for s in services.skills_for(list({n.lower(): n for r in rows for n in r.skills}.values()))
    }
    subsector_links, skill_links, pathways, channel_rows = [], [], [], []
    for row, profile in zip(rows, profiles, strict=True):
        subsector_links += [
            through_subsector(creatorprofile_id=profile.pk, subsector_id=s.pk)
            for s in dict.fromkeys(row.subsectors)
        ]
        skill_links += [
            through_skill(creatorprofile_id=profile.pk, skill_id=skills[n.lower()].pk)
            for n in row.skills
            if n.lower() in skills
        ]
        pathways += [PathwayInterest(profile_id=profile.pk, pathway=p) for p in row.pathways]
        channel_rows += [
            Channel(profile_id=profile.pk, platform=c.platform, handle=c.handle, url=c.url)
            for c in row.channels
        ]
    through_subsector.objects.bulk_create(subsector_links)
    through_skill.objects.bulk_create(skill_links)
    PathwayInterest.objects.bulk_create(pathways)
    Channel.objects.bulk_create(channel_rows)


def commit(user, batch: ImportBatch) -> ImportBatch:
    """Write every valid row in one transaction, or nothing. Rows are checked again first."""
    _require(user, batch)
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status != ImportBatch.Status.PREVIEWED:
                raise Conflict(_("Impor ini belum dipratinjau atau sudah diterapkan."))
            created = nik_count = 0

            def write(rows):
                nonlocal created, nik_count
                _create(locked, rows)
                created += len(rows)
                nik_count += sum(1 for r in rows if r.nik)

            result = _run(locked, on_valid_chunk=write)
            _store(locked, result)
            locked.sample = []  # names and e-mails were for the preview only
            locked.created_count = created
            if locked.imports_nik:
                audit(
                    user,
                    "creators.import_nik_confirmed",
                    locked,
                    detail={
                        "agency": locked.agency.code,
                        "version": locked.nik_confirmation_version,
                        "confirmed_by": locked.nik_confirmed_by_id,
                        "niks": nik_count,
                    },
                )
            locked.status = ImportBatch.Status.COMMITTED
            locked.committed_at = timezone.now()
            file_name, storage = locked.file.name, locked.file.storage
            locked.file = ""
            locked.save()
            transaction.on_commit(lambda: storage.delete(file_name))
    except IntegrityError as exc:
        raise Conflict(
            _(
                "Sebagian data berubah sejak pratinjau (misalnya email yang baru terdaftar). "
                "Tidak ada yang disimpan; jalankan pratinjau lagi."
            )
        ) from exc
    batch.refresh_from_db()
    return batch


def abandon(user, batch: ImportBatch) -> None:
    _require(user, batch)
    if batch.status == ImportBatch.Status.COMMITTED:
        raise Conflict(_("Impor ini sudah diterapkan."))
    if batch.file:
        batch.file.delete(save=False)
    batch.status = ImportBatch.Status.ABANDONED
    batch.sample = []
    batch.save(update_fields=["status", "file", "sample"])


def get_batch(user, public_id: str) -> ImportBatch:
    from . import selectors

    batch = selectors.import_batch(public_id)
    if batch is None:
        raise NotFound(_("Impor tidak ditemukan."))
    _require(user, batch)
    return batch


def purge_stale_files(days: int = 7) -> int:
    """Periodic: files of batches never committed are deleted after a week (data minimisation)."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    count = 0
    for batch in ImportBatch.objects.filter(created_at__lt=cutoff).exclude(file=""):
        batch.file.delete(save=False)
        if batch.status != ImportBatch.Status.COMMITTED:
            batch.status = ImportBatch.Status.ABANDONED
        batch.sample = []
        batch.save(update_fields=["file", "status", "sample"])
        count += 1
    return count
