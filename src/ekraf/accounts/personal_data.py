"""What each app holds about a person: exported when they ask, scrubbed when they leave.

UU PDP gives a person the right to see and to delete their data. Each app that keeps personal
data registers, in its AppConfig.ready(), an exporter (user -> JSON-able data for its section)
and/or an eraser (user -> None, run inside the deletion transaction). The creators app drives
the export and deletion pages; it never needs to know what the other apps keep.
"""

from collections.abc import Callable

_EXPORTERS: dict[str, Callable] = {}
_ERASERS: dict[str, Callable] = {}


def register(section: str, *, export: Callable | None = None, erase: Callable | None = None):
    if export is not None:
        _EXPORTERS[section] = export
    if erase is not None:
        _ERASERS[section] = erase


def export_for(user) -> dict:
    """Every registered section's data about this user, keyed by section name."""
    return {section: exporter(user) for section, exporter in sorted(_EXPORTERS.items())}


def erase_for(user) -> None:
    """Scrub personal data in every app (call inside the deletion's transaction)."""
    for _section, eraser in sorted(_ERASERS.items()):
        eraser(user)
