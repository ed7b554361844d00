"""Importing creators from an organiser's spreadsheet (a Google Forms export, CSV or XLSX).

Upload → map columns (guessed from the headers, editable) → preview (every row checked;
problems reported with the line number the organiser sees in the file; duplicates against the
registry and within the file reported, never merged) → commit (all valid rows in one
transaction, or nothing). The file is read as a stream by the platform's one spreadsheet reader
(ekraf.core.spreadsheets: the same size, unpacked-size and row limits as every import) and
rows are written in chunks, so memory stays bounded whatever the size of the file.
"""

from .batches import abandon, commit, get_batch, preview, purge_stale_files, start
from .columns import NIK_CONFIRMATION, TARGETS, Target, guess_mapping, nik_consent_version
from .rows import check_row, read_rows

__all__ = [
    "NIK_CONFIRMATION",
    "TARGETS",
    "Target",
    "abandon",
    "check_row",
    "commit",
    "get_batch",
    "guess_mapping",
    "nik_consent_version",
    "preview",
    "purge_stale_files",
    "read_rows",
    "start",
]
