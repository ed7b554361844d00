"""An import batch's life: start, preview (every row checked, duplicates against the registry
and within the file reported, never merged), commit (all valid rows in one transaction, or
nothing), abandon, and the periodic purge of stale files."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.accounts.models import Role, RoleGrant, User
from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.services import audit

from .. import nik as nik_rules
from .. import services
from ..models import (
    Channel,
    Consent,
    CreatorProfile,
    ImportBatch,
    PathwayInterest,
)
from .columns import (
    CHUNK,
    MAX_STORED_PROBLEMS,
    NIK_CONFIRMATION,
    SAMPLE_SIZE,
    TARGET_NAMES,
    TARGETS,
    guess_mapping,
    nik_consent_version,
)
from .rows import (
    Problem,
    Reference,
    RowData,
    check_row,
    read_rows,
)


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
    from .. import selectors

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
