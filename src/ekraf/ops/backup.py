"""Backup and restore: the database and the files, in one archive, portable between databases.

The archive is a gzipped tar (so it can be streamed to stdout and into `ssh`, `aws s3 cp -` or
a tape) holding, in this order:

    database/NNNN-<app>.<model>.jsonl   one member per table (not sessions nor sign-in attempts:
                                        NOT_BACKED_UP): a header line (model, table,
                                        columns), then one JSON array per row, in primary-key
                                        order
    files/<name>                        every file of the default storage (filesystem or S3)
    keys/<name>                         only with --include-keys: the files of EKRAF_KEYS_DIR
    manifest.json                       versions, applied migrations, per-member row counts,
                                        sizes and SHA-256, sequences, key fingerprints

Rows are read through the ORM's column conversions and written back through the same
fields, so an archive made on SQLite restores into PostgreSQL and back. Tables are streamed
(server-side cursor on PostgreSQL, chunked reads on SQLite) through spooled temporary files,
so memory stays flat however large a table is. The dump runs in one read-only snapshot
(REPEATABLE READ on PostgreSQL, a deferred read transaction on SQLite's WAL), so a backup of a
running site is consistent without stopping it.

Restore verifies the whole archive first (every checksum, before anything is written), then
migrates an empty database to the migrations the backup was made at, loads every table in
one transaction, restores the sequences, copies the files, and migrates forward to the
installed version: an older backup restores into newer code.

Keys are not in the archive unless asked for (see docs/deploy.md, "Keys"): an archive that
holds both the encrypted personal data and the key that decrypts it is a leak waiting to
happen. The manifest carries only fingerprints of the keys, so restore can refuse to load
data that the installed keys cannot read.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import io
import json
import os
import platform
import posixpath
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import IO

import django
from django.apps import apps as global_apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_iso_string

FORMAT = "ekraf-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 2000
SPOOL_BYTES = 16 * 1024 * 1024
COPY_BYTES = 1024 * 1024
# Rows that `migrate` creates by itself; a database holding only these counts as empty, and
# restore replaces them with the archive's (the audit chain's head row included: the archive's
# head is the one its audit rows hash up to).
AUTO_ROWS = {"contenttypes.contenttype", "auth.permission", "core.auditchainhead"}
AUTO_FIELD_TYPES = {"AutoField", "BigAutoField", "SmallAutoField"}
# Live credentials and sign-in bookkeeping, never in an archive: a session row is a signed-in
# browser (one opened /admin/ as the administrator from a restored copy), the sign-in lockout's
# attempts are short-lived. Restore also discards any such rows (an archive of an older
# version held sessions), so nobody restored is signed in: everyone signs in again.
NOT_BACKED_UP = {
    "sessions.session",
    "accounts.usersession",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accesslog",
    "axes.accessfailurelog",
}


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


def _say(out: Callable[[str], None] | None, message: str) -> None:
    if out is not None:
        out(message)


# ---------------------------------------------------------------------------------------------
# Values: what the ORM reads -> JSON -> what the ORM writes.


def _encode(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot store {type(value).__name__} in a backup")


def _dumps(row) -> str:
    return json.dumps(row, default=_encode, ensure_ascii=False, separators=(",", ":"))


def _columns(model) -> list:
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def _decoder(model_field):
    if model_field.get_internal_type() == "JSONField":
        return lambda value: value
    return lambda value: None if value is None else model_field.to_python(value)


def dumpable_models(registry=global_apps) -> list:
    """Every table the project's models own, many-to-many tables included, by label."""
    models = [
        model
        for model in registry.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in NOT_BACKED_UP
    ]
    return sorted(models, key=lambda model: model._meta.label_lower)


# ---------------------------------------------------------------------------------------------
# Hashing readers and writers.


class _HashingWriter:
    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        self.size += len(data)
        return self.raw.write(data)


class _HashingReader:
    """Reads exactly `size` bytes from `raw`, hashing them; a file that changed size while it
    was being read is an error, not a silently truncated backup."""

    def __init__(self, raw: IO[bytes], size: int, name: str):
        self.raw, self.remaining, self.name = raw, size, name
        self.sha = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        n = self.remaining if n is None or n < 0 else min(n, self.remaining)
        data = self.raw.read(n)
        if not data:
            raise BackupError(f"file {self.name} shrank while it was being backed up")
        self.remaining -= len(data)
        self.sha.update(data)
        return data


def _sha256_stream(stream: IO[bytes]) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    while chunk := stream.read(COPY_BYTES):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


# ---------------------------------------------------------------------------------------------
# Keys: fingerprints only, unless --include-keys.


def _fingerprint(secret: str | bytes) -> str:
    data = secret.encode() if isinstance(secret, str) else secret
    return hashlib.sha256(b"ekraf-key-fingerprint:" + data.strip()).hexdigest()[:16]


def keys_dir() -> Path:
    return Path(settings.KEYS_DIR)


def key_files() -> list[Path]:
    root = keys_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and ".replaced-" not in p.name)


def current_key_fingerprints() -> dict[str, list[str] | str]:
    """Fingerprints of the keys this installation would use now, read afresh from the
    environment and EKRAF_KEYS_DIR (not from settings, which were read at start-up)."""
    root = keys_dir()

    def from_env_or_file(var: str, filename: str) -> list[str]:
        value = os.environ.get(var, "")
        if value:
            return [v.strip() for v in value.split(",") if v.strip()]
        path = root / filename
        return [path.read_text().strip()] if path.exists() else []

    return {
        "field-encryption": [
            _fingerprint(k) for k in from_env_or_file("EKRAF_FIELD_KEYS", "field-encryption.key")
        ],
        "personal-data-hash": [
            _fingerprint(k) for k in from_env_or_file("EKRAF_HASH_KEY", "personal-data-hash.key")
        ],
        "files": {
            str(path.relative_to(root)): _fingerprint(path.read_bytes()) for path in key_files()
        },
    }


# ---------------------------------------------------------------------------------------------
# Storage.


def walk_storage(storage=None, top: str = "") -> Iterator[str]:
    """Every file name in a storage (filesystem or S3), depth first, sorted."""
    storage = storage or default_storage
    try:
        dirs, files = storage.listdir(top)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(top, name) if top else name
    for directory in sorted(dirs):
        yield from walk_storage(storage, posixpath.join(top, directory) if top else directory)


def _safe_member_name(name: str, prefix: str) -> str:
    if not name.startswith(prefix):
        raise BackupError(f"unexpected member {name!r} in the archive")
    rest = name[len(prefix) :]
    parts = rest.split("/")
    if not rest or rest.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise BackupError(f"unsafe member name {name!r} in the archive")
    return rest


# ---------------------------------------------------------------------------------------------
# Backup.


@dataclass
class BackupResult:
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    keys: int = 0
    manifest: dict = field(default_factory=dict)


def _applied_migrations(connection) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _check_migrated(connection) -> None:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise BackupError(
            "the database is not migrated to the installed version "
            f"({len(plan)} migration(s) pending): run `python -m ekraf migrate` first"
        )


def _auto_pk(model):
    pk = model._meta.pk
    return pk if pk is not None and pk.get_internal_type() in AUTO_FIELD_TYPES else None


def _read_sequence(connection, model) -> int | None:
    """The last value handed out for the model's auto-increment key (0 if none yet)."""
    pk = _auto_pk(model)
    if pk is None:
        return None
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
            (sequence,) = cursor.fetchone()
            if not sequence:
                return None
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
            last_value, is_called = cursor.fetchone()
            return int(last_value) if is_called else int(last_value) - 1
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            return int(row[0]) if row else 0
    return None


class _Snapshot:
    """One consistent, read-only view of the database for the whole dump."""

    def __init__(self, connection):
        self.connection = connection
        self.atomic = None

    def __enter__(self):
        connection = self.connection
        if not connection.get_autocommit():
            return self  # already inside a transaction (a test): its view is the snapshot
        if connection.vendor == "postgresql":
            self.atomic = transaction.atomic(using=connection.alias)
            self.atomic.__enter__()
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        elif connection.vendor == "sqlite":
            # A deferred read transaction: a snapshot under WAL that blocks no writer (Django's
            # own atomic() would BEGIN IMMEDIATE and hold the write lock for the whole dump).
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("BEGIN DEFERRED")
            self.atomic = "sqlite"
        return self

    def __exit__(self, *exc):
        if self.atomic == "sqlite":
            with self.connection.cursor() as cursor:
                cursor.execute("COMMIT")
        elif self.atomic is not None:
            # Read only: roll back rather than commit, nothing was written.
            transaction.set_rollback(True, using=self.connection.alias)
            self.atomic.__exit__(*exc)
        return False


def _add_member(tar: tarfile.TarFile, name: str, fileobj: IO[bytes], size: int, mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = mode
    tar.addfile(info, fileobj)


def _dump_table(connection, model, number: int, tar: tarfile.TarFile) -> dict:
    columns = _columns(model)
    header = {
        "model": model._meta.label_lower,
        "table": model._meta.db_table,
        "columns": [f.column for f in columns],
        "fields": [f.attname for f in columns],
    }
    member = f"database/{number:04d}-{model._meta.label_lower}.jsonl"
    rows = 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        writer = _HashingWriter(spool)
        writer.write((_dumps(header) + "\n").encode())
        queryset = (
            model._base_manager.using(connection.alias)
            .order_by("pk")
            .values_list(*[f.attname for f in columns])
        )
        batch: list[str] = []
        for row in queryset.iterator(chunk_size=CHUNK):
            batch.append(_dumps(row))
            if len(batch) >= CHUNK:
                writer.write(("\n".join(batch) + "\n").encode())
                rows += len(batch)
                batch.clear()
        if batch:
            writer.write(("\n".join(batch) + "\n").encode())
            rows += len(batch)
        size = writer.size
        spool.seek(0)
        _add_member(tar, member, spool, size)
    return {
        "model": header["model"],
        "table": header["table"],
        "member": member,
        "rows": rows,
        "bytes": size,
        "sha256": writer.sha.hexdigest(),
        "sequence": _read_sequence(connection, model),
    }


def backup(
    output: IO[bytes],
    *,
    include_files: bool = True,
    include_keys: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    out: Callable[[str], None] | None = None,
) -> BackupResult:
    """Write one archive of the database, the stored files and (optionally) the keys."""
    connection = connections[using]
    _check_migrated(connection)
    result = BackupResult()
    manifest: dict = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "versions": {
            "ekraf": version("ekraf"),
            "django": django.get_version(),
            "python": platform.python_version(),
        },
        "base_url": settings.BASE_URL,
    }
    with tarfile.open(fileobj=output, mode="w|gz", format=tarfile.PAX_FORMAT) as tar:
        with _Snapshot(connection):
            manifest["database"] = {
                "vendor": connection.vendor,
                "migrations": _applied_migrations(connection),
                "tables": [],
            }
            for number, model in enumerate(dumpable_models(), start=1):
                entry = _dump_table(connection, model, number, tar)
                manifest["database"]["tables"].append(entry)
                result.tables += 1
                result.rows += entry["rows"]
                if entry["rows"]:
                    _say(out, f"  {entry['model']}: {entry['rows']} baris")
        _say(out, f"Database: {result.tables} tabel, {result.rows} baris.")

        files = []
        if include_files:
            for name in walk_storage():
                size = default_storage.size(name)
                with default_storage.open(name, "rb") as fh:
                    reader = _HashingReader(fh, size, name)
                    _add_member(tar, f"files/{name}", reader, size)
                files.append({"name": name, "size": size, "sha256": reader.sha.hexdigest()})
                result.files += 1
                result.file_bytes += size
            _say(out, f"Berkas: {result.files} berkas, {result.file_bytes} byte.")
        manifest["files"] = {
            "included": include_files,
            "storage": default_storage.__class__.__name__,
            "items": files,
        }

        keys = []
        if include_keys:
            root = keys_dir()
            for path in key_files():
                data = path.read_bytes()
                name = str(path.relative_to(root))
                _add_member(tar, f"keys/{name}", io.BytesIO(data), len(data), mode=0o600)
                keys.append(
                    {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                )
            result.keys = len(keys)
            _say(out, f"Kunci: {len(keys)} berkas (simpan arsip ini seaman kuncinya).")
        manifest["keys"] = {
            "included": include_keys,
            "items": keys,
            "fingerprints": current_key_fingerprints(),
        }

        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        _add_member(tar, MANIFEST, io.BytesIO(data), len(data))
    result.manifest = manifest
    return result


# ---------------------------------------------------------------------------------------------
# Verify.


def _open_archive(path: str | Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r|gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path}: not an Ekraf backup archive ({exc})") from exc


def verify(path: str | Path) -> dict:
    """Read the whole archive once and check it against its manifest; return the manifest.

    Nothing is written anywhere. Every member's size and SHA-256 must match, no member may be
    missing or unexpected, and the format must be one this version reads.
    """
    seen: dict[str, tuple[str, int]] = {}
    manifest = None
    try:
        with _open_archive(path) as tar:
            for member in tar:
                if not member.isfile():
                    raise BackupError(f"unexpected entry {member.name!r} in the archive")
                stream = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest = json.loads(stream.read().decode())
                    continue
                if member.name in seen:
                    raise BackupError(f"member {member.name!r} appears twice")
                seen[member.name] = _sha256_stream(stream)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BackupError(f"{path}: the archive is damaged ({exc})") from exc
    if manifest is None:
        raise BackupError(f"{path}: no manifest (not an Ekraf backup, or cut short)")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: not an Ekraf backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path}: backup format {manifest.get('format_version')} is not readable by this "
            f"version (reads {FORMAT_VERSION})"
        )
    expected: dict[str, tuple[str, int]] = {}
    for table in manifest["database"]["tables"]:
        expected[table["member"]] = (table["sha256"], table["bytes"])
    for item in manifest["files"]["items"]:
        expected[f"files/{item['name']}"] = (item["sha256"], item["size"])
    for item in manifest["keys"]["items"]:
        expected[f"keys/{item['name']}"] = (item["sha256"], item["size"])
    for name in expected:
        _safe_member_name(name, name.split("/", 1)[0] + "/")
    missing = sorted(set(expected) - set(seen))
    extra = sorted(set(seen) - set(expected))
    wrong = sorted(name for name in expected if name in seen and seen[name] != expected[name])
    problems = []
    if missing:
        problems.append(f"missing: {', '.join(missing[:5])}")
    if extra:
        problems.append(f"not in the manifest: {', '.join(extra[:5])}")
    if wrong:
        problems.append(f"checksum or size differs: {', '.join(wrong[:5])}")
    if problems:
        raise BackupError(
            f"{path}: the archive does not match its manifest ({'; '.join(problems)})"
        )
    return manifest


# ---------------------------------------------------------------------------------------------
# Restore.


@dataclass
class RestoreResult:
    tables: int = 0
    rows: int = 0
    files: int = 0
    files_skipped: int = 0
    keys: int = 0
    warnings: list[str] = field(default_factory=list)


def _non_empty_tables(connection) -> list[str]:
    existing = set(connection.introspection.table_names())
    found = []
    with connection.cursor() as cursor:
        for model in dumpable_models():
            table = model._meta.db_table
            if model._meta.label_lower in AUTO_ROWS or table not in existing:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                found.append(table)
    return found


def _migration_targets(executor: MigrationExecutor, manifest: dict) -> tuple[list, list[str]]:
    """Per app, the migrations the backup was made at; apps the backup predates: none."""
    graph = executor.loader.graph
    backed_up = {
        (app, name) for app, names in manifest["database"]["migrations"].items() for name in names
    }
    installed = set(executor.loader.migrated_apps)
    notes = []
    unknown = sorted(key for key in backed_up if key not in graph.nodes)
    newer = [key for key in unknown if key[0] in installed]
    if newer:
        shown = ", ".join(f"{app}.{name}" for app, name in newer[:5])
        raise BackupError(
            "the backup was made by a newer version of Ekraf (migrations this installation "
            f"does not have: {shown}); install that version, restore, then upgrade"
        )
    absent_apps = sorted({app for app, _ in unknown})
    if absent_apps:
        notes.append(
            "apps in the backup that are not installed here (their migrations are skipped): "
            + ", ".join(absent_apps)
        )
    targets = []
    for app in sorted(installed):
        applied = {key for key in backed_up if key[0] == app and key in graph.nodes}
        if not applied:
            targets.append((app, None))
            continue
        for key in sorted(applied):
            children = graph.node_map[key].children
            if not any(child in applied for child in children if child[0] == app):
                targets.append(key)
    return targets, notes


def _restore_keys(path, manifest, out, result: RestoreResult) -> None:
    root = keys_dir()
    root.mkdir(parents=True, exist_ok=True)
    wanted = {f"keys/{item['name']}": item for item in manifest["keys"]["items"]}
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    with _open_archive(path) as tar:
        for member in tar:
            if member.name not in wanted:
                continue
            name = _safe_member_name(member.name, "keys/")
            data = tar.extractfile(member).read()
            target = root / name
            if target.exists():
                if target.read_bytes() == data:
                    continue
                # Only an empty (or --force) database is ever restored into, so nothing here
                # was encrypted or signed with the key being replaced; keep it all the same.
                target.rename(target.with_name(f"{target.name}.replaced-{stamp}"))
                result.warnings.append(f"key {name} replaced (the old one kept beside it)")
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            result.keys += 1
    _say(out, f"Kunci: {result.keys} berkas dipulihkan ke {root}.")


def _check_keys(manifest: dict, *, ignore: bool, result: RestoreResult) -> None:
    then = manifest["keys"]["fingerprints"]
    now = current_key_fingerprints()
    blocking = []
    for name in ("field-encryption", "personal-data-hash"):
        if then.get(name) and not set(then[name]) & set(now.get(name) or []):
            blocking.append(name)
    for name, fingerprint in sorted(then.get("files", {}).items()):
        current = now["files"].get(name)
        if current is None:
            result.warnings.append(f"key file {name} of the backup is missing here")
        elif current != fingerprint:
            result.warnings.append(f"key file {name} differs from the backup's")
    if blocking and not ignore:
        raise BackupError(
            "the keys installed here are not the ones the backup's data was written with ("
            + ", ".join(blocking)
            + "): encrypted NIKs would be unreadable and duplicate checks would fail. Put the "
            "backed-up keys in EKRAF_KEYS_DIR (or the environment) first, or restore an archive "
            "made with --include-keys using --include-keys (see docs/deploy.md, 'Keys'); "
            "--ignore-keys restores anyway"
        )
    if blocking:
        result.warnings.append("restored with keys that differ: " + ", ".join(blocking))


def _set_sequence(connection, model, last: int) -> None:
    pk = _auto_pk(model)
    if pk is None:
        return
    table = model._meta.db_table
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({qn(pk.column)}) FROM {qn(table)}")  # noqa: S608
        highest = cursor.fetchone()[0] or 0
        value = max(int(last or 0), int(highest))
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
            (sequence,) = cursor.fetchone()
            if sequence:
                if value > 0:
                    cursor.execute("SELECT setval(%s, %s, true)", [sequence, value])
                else:
                    cursor.execute("SELECT setval(%s, 1, false)", [sequence])
        elif connection.vendor == "sqlite":
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            if value > 0:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value]
                )


def _load_table(connection, model, stream: IO[bytes], entry: dict) -> int:
    header = json.loads(stream.readline())
    by_attname = {f.attname: f for f in _columns(model)}
    if header["table"] != model._meta.db_table:
        raise BackupError(
            f"{entry['member']}: table {header['table']} is not {model._meta.db_table}"
        )
    unknown = [name for name in header["fields"] if name not in by_attname]
    if unknown:
        raise BackupError(f"{header['model']}: columns {unknown} do not exist at this migration")
    fields = [by_attname[name] for name in header["fields"]]
    decoders = [_decoder(f) for f in fields]
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the schema
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = 0
    batch: list[list] = []
    with connection.cursor() as cursor:
        for line in stream:  # bytes lines: a tar stream is not seekable, so no TextIOWrapper
            if not line.strip():
                continue
            values = json.loads(line)
            batch.append(
                [
                    f.get_db_prep_save(decode(value), connection)
                    for f, decode, value in zip(fields, decoders, values, strict=True)
                ]
            )
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                rows += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            rows += len(batch)
    if rows != entry["rows"]:
        raise BackupError(f"{header['model']}: {rows} rows read, the manifest says {entry['rows']}")
    return rows


def _restore_database(path, manifest, connection, executor, targets, out, result) -> None:
    nodes = [target for target in targets if target[1] is not None]
    state_apps = executor.loader.project_state(nodes, at_end=True).apps
    models = {}
    for entry in manifest["database"]["tables"]:
        if entry["model"].lower() in NOT_BACKED_UP:
            result.warnings.append(f"{entry['model']}: not restored (sign-in data)")
            continue
        try:
            models[entry["member"]] = (state_apps.get_model(entry["model"]), entry)
        except LookupError:
            if entry["rows"]:
                raise BackupError(
                    f"{entry['model']} holds {entry['rows']} rows but no such table exists in "
                    "this installation"
                ) from None
    qn = connection.ops.quote_name
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            # The rows `migrate` made itself give way to the backup's, ids and all, so every
            # reference to a content type or permission stays what it was.
            for label in ("core.auditchainhead", "auth.permission", "contenttypes.contenttype"):
                try:
                    table = state_apps.get_model(label)._meta.db_table
                except LookupError:  # restored at a migration before the table existed
                    continue
                cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608
        with _open_archive(path) as tar:
            for member in tar:
                if member.name not in models:
                    continue
                model, entry = models[member.name]
                rows = _load_table(connection, model, tar.extractfile(member), entry)
                result.tables += 1
                result.rows += rows
                if rows:
                    _say(out, f"  {entry['model']}: {rows} baris")
        for model, entry in models.values():
            _set_sequence(connection, model, entry.get("sequence"))
        connection.check_constraints()
        discard_sign_ins(connection)


def discard_sign_ins(connection) -> None:
    """No session survives a restore: every table of NOT_BACKED_UP is emptied."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for label in sorted(NOT_BACKED_UP):
            try:
                table = global_apps.get_model(label)._meta.db_table
            except LookupError:
                continue
            if table in existing:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


def _restore_files(path, manifest, *, force: bool, out, result: RestoreResult) -> None:
    from django.core.files import File

    wanted = {f"files/{item['name']}": item for item in manifest["files"]["items"]}
    with _open_archive(path) as tar:
        for member in tar:
            item = wanted.get(member.name)
            if item is None:
                continue
            name = _safe_member_name(member.name, "files/")
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as fh:
                    same = _sha256_stream(fh)[0] == item["sha256"]
                if same:
                    result.files_skipped += 1
                    continue
                if not force:
                    raise BackupError(
                        f"file {name} already exists in storage with other content (--force "
                        "replaces it)"
                    )
                default_storage.delete(name)
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
                # A seekable copy: storages rewind what they save, a tar stream cannot.
                source = tar.extractfile(member)
                while chunk := source.read(COPY_BYTES):
                    spool.write(chunk)
                spool.seek(0)
                saved = default_storage.save(name, File(spool, name=name))
            if saved != name:
                raise BackupError(f"storage saved {name} as {saved}")
            result.files += 1
    _say(out, f"Berkas: {result.files} dipulihkan, {result.files_skipped} sudah ada.")


def restore(
    path: str | Path,
    *,
    force: bool = False,
    include_keys: bool = False,
    ignore_keys: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    out: Callable[[str], None] | None = None,
) -> RestoreResult:
    """Restore an archive into an empty database (any database with --force)."""
    from django.core.management import call_command

    result = RestoreResult()
    _say(out, f"Memeriksa {path} …")
    manifest = verify(path)
    _say(
        out,
        f"Arsip utuh: dibuat {manifest['created_at']} oleh Ekraf {manifest['versions']['ekraf']} "
        f"({manifest['database']['vendor']}).",
    )
    connection = connections[using]
    occupied = _non_empty_tables(connection)
    if occupied and not force:
        raise BackupError(
            "the database is not empty (" + ", ".join(occupied[:5]) + "): restore only into an "
            "empty database, or pass --force to replace everything in it"
        )
    executor = MigrationExecutor(connection)
    targets, notes = _migration_targets(executor, manifest)
    result.warnings.extend(notes)

    if manifest["keys"]["items"]:
        if include_keys:
            _restore_keys(path, manifest, out, result)
        else:
            result.warnings.append(
                "the archive holds keys; they were not restored (--include-keys)"
            )
    elif include_keys:
        result.warnings.append("the archive holds no keys (it was made without --include-keys)")
    _check_keys(manifest, ignore=ignore_keys, result=result)

    if occupied:
        _say(out, "Mengosongkan database (--force) …")
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    _say(out, "Menyiapkan skema pada versi cadangan …")
    executor.loader.check_consistent_history(connection)
    executor.migrate(targets, plan=executor.migration_plan(targets))
    _say(out, "Memuat database …")
    _restore_database(path, manifest, connection, executor, targets, out, result)
    _say(out, f"Database: {result.tables} tabel, {result.rows} baris.")
    if manifest["files"]["included"]:
        _restore_files(path, manifest, force=force, out=out, result=result)
    _say(out, "Menyusul migrasi versi terpasang …")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    return result
