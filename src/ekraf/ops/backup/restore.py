"""Restore: an empty database migrated to the archive's migrations, loaded in one transaction,
then migrated forward; the files; the keys only when asked."""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.apps import apps as global_apps
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from .archive import (
    AUTO_ROWS,
    CHUNK,
    COPY_BYTES,
    NOT_BACKED_UP,
    SPOOL_BYTES,
    BackupError,
    _columns,
    _decoder,
    _open_archive,
    _safe_member_name,
    _say,
    _sha256_stream,
    current_key_fingerprints,
    dumpable_models,
    keys_dir,
)
from .dump import _auto_pk
from .verify import verify


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
