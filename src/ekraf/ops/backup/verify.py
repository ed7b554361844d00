"""Verify: every checksum of an archive, before restore writes anything."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from .archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    _open_archive,
    _safe_member_name,
    _sha256_stream,
)


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
