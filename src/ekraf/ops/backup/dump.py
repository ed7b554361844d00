"""Backup: every table and file of one consistent snapshot into one streamed archive."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import platform
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import IO

import django
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from .archive import (
    AUTO_FIELD_TYPES,
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SPOOL_BYTES,
    BackupError,
    _columns,
    _dumps,
    _HashingReader,
    _HashingWriter,
    _say,
    current_key_fingerprints,
    dumpable_models,
    key_files,
    keys_dir,
    walk_storage,
)


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
