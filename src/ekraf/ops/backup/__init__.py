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

from .archive import (
    AUTO_ROWS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    NOT_BACKED_UP,
    BackupError,
    _columns,
    _encode,
    current_key_fingerprints,
    dumpable_models,
    key_files,
    keys_dir,
    walk_storage,
)
from .dump import BackupResult, backup
from .restore import RestoreResult, _set_sequence, discard_sign_ins, restore
from .verify import verify

__all__ = [
    "AUTO_ROWS",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "NOT_BACKED_UP",
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "_columns",
    "_encode",
    "_set_sequence",
    "backup",
    "current_key_fingerprints",
    "discard_sign_ins",
    "dumpable_models",
    "key_files",
    "keys_dir",
    "restore",
    "verify",
    "walk_storage",
]
