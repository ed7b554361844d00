"""What backup, verify and restore share: the archive's format, the value encoding that makes
it portable between databases, hashing streams, key fingerprints and storage walking."""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import json
import os
import posixpath
import tarfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from django.apps import apps as global_apps
from django.conf import settings
from django.core.files.storage import default_storage
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


def _open_archive(path: str | Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r|gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path}: not an Ekraf backup archive ({exc})") from exc
