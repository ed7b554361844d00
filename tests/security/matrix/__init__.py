"""The permission matrix, one module per app (the format is in tests/security/README.md).

Every module of this package is found by itself (no list to edit), so engineers adding apps in
parallel each touch only their own file. A module may define:

- ROWS: `table(\"\"\" ... \"\"\")` — one row per route: its key, then the expected outcome for
  each role, in the order of ROLES.
- ARGS: {route key or API path: function(world) -> URL keyword arguments (pages) or path
  parameters (API)}.
- BODIES: {"METHOD /api/v1/path": function(world) -> JSON body} for API writes.
- world(w): add the app's objects (owned by agency A) to the shared world; WORLD_ORDER decides
  when it runs (lower first; apps that need trainings run after 20).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

# The roles every route is requested as, in the order of a row's columns.
ROLES = (
    "anon",  # anonymous visitor
    "creator",  # a creator (pelaku ekraf)
    "org_a",  # organiser of agency A (Diskominfo), which owns the world's objects
    "org_b",  # organiser of agency B (Diskopindag)
    "staff",  # agency staff of agency A
    "editor",
    "space",  # space manager
    "comm",  # committee member
    "admin",
)

# What a cell may say, and the answers it stands for.
OUTCOMES = {
    "ok": "2xx",
    "redirect": "3xx to somewhere other than a sign-in page",
    "login": "a redirect to a sign-in page (pages), 401 (API)",
    "forbidden": "403",
    "not_found": "404",
    "method": "405 (the method is not allowed)",
    "bad": "400 or 422 (refused as invalid, after the permission check)",
    "conflict": "409",
    "gone": "410",
    "limited": "429",
}


class MatrixError(ValueError):
    pass


@dataclass
class Row:
    key: str
    expected: dict[str, str]
    module: str
    line: int


def table(text: str) -> list[tuple[int, list[str]]]:
    """Parse a whitespace-aligned table: a header line (`route` and the role names), then one
    line per route. Blank lines and lines starting with # are ignored. A route key with
    spaces ("GET /api/v1/trainings") is written with its method and path separated by one
    space; the parser takes the last len(ROLES) words as the cells."""
    rows = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split()
        if not header_seen:
            if words != ["route", *ROLES]:
                raise MatrixError(f"header must be: route {' '.join(ROLES)}")
            header_seen = True
            continue
        if len(words) < len(ROLES) + 1:
            raise MatrixError(f"line {number}: {len(ROLES)} cells expected: {line}")
        key = " ".join(words[: -len(ROLES)])
        cells = words[-len(ROLES) :]
        for cell in cells:
            if cell not in OUTCOMES and not cell.isdigit():
                raise MatrixError(f"line {number}: unknown outcome {cell!r}")
        rows.append((number, [key, *cells]))
    return rows


@dataclass
class Registry:
    rows: dict[str, Row] = field(default_factory=dict)
    args: dict = field(default_factory=dict)
    bodies: dict = field(default_factory=dict)
    builders: list = field(default_factory=list)


def load() -> Registry:
    """Every module's rows, argument builders, bodies and world builders, merged. A route
    with rows in two modules is an error."""
    registry = Registry()
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for number, (key, *cells) in getattr(module, "ROWS", []):
            if key in registry.rows:
                other = registry.rows[key]
                raise MatrixError(f"{key}: rows in {other.module} and {info.name}")
            registry.rows[key] = Row(key, dict(zip(ROLES, cells, strict=True)), info.name, number)
        for name in ("args", "bodies"):
            mine = getattr(module, name.upper(), {})
            clash = set(mine) & set(getattr(registry, name))
            if clash:
                raise MatrixError(f"{info.name}: {name} given twice: {sorted(clash)}")
            getattr(registry, name).update(mine)
        if hasattr(module, "world"):
            registry.builders.append((getattr(module, "WORLD_ORDER", 50), info.name, module.world))
    registry.builders.sort()
    return registry
