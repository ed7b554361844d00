"""Statistical disclosure control for published tables: nobody can be singled out.

Every count between 1 and `threshold` (4 by default) in a published table could point at a
handful of people ("the two women of kelurahan X who run a design studio"), so it is suppressed
(primary suppression). That alone is not enough: a suppressed cell next to published totals
is recovered by subtraction, and with several tables of the same release — creators by
subsector × kecamatan, by gender × kecamatan, the kecamatan totals they share — by solving
the linear system they form together. So further cells are suppressed (secondary suppression)
jointly across every table of the release until no suppressed cell is determined by what is
published.

The model. Each table counts one *population* (e.g. registered creators) cross-classified by
its dimensions; it publishes its finest cells and, when additive, every margin (totals by
each subset of its dimensions, down to the grand total). A cell is identified by its
population and its dimension values, so the same quantity in two tables (the total of
kecamatan X in two tables of creators) is one unknown. Margins give equations
(margin = Σ its cells along one dimension). Given the published values, the suppressed cells
are the unknowns of a linear system A·x = b; a suppressed cell x_i is determined exactly
when every solution of A·x = 0 has x_i = 0 — checked by exact rational Gaussian elimination
(`determined_cells`). Because every suppressed value is at least 1 (zeros are never
suppressed), a cell that is not determined by the equalities is not determined by the bounds
x ≥ 0 either: one can move along a null-space direction in both senses and stay feasible.

The algorithm is deterministic (the same input gives the same pattern): cells are ordered by
their key; while some suppressed cell is determined, the smallest published positive cell of
an equation that determines it (preferring inner cells over totals, then the smaller value,
then the key) is suppressed too, and the audit runs again.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

DEFAULT_THRESHOLD = 4

PUBLISHED, PRIMARY, SECONDARY = "published", "primary", "secondary"


@dataclass
class Table:
    """One published table: a population counted by dimensions.

    `cells` maps a tuple of dimension values (in `dims` order) to a count; a combination that
    is absent counts 0. `domains` lists every value of each dimension (so that zeros are
    published too); by default the values seen in `cells`. A non-additive table (a creator
    counted once in each of their subsectors) publishes its cells but no margins, and gives
    no equations.
    """

    name: str
    population: str
    dims: tuple[str, ...]
    cells: dict[tuple, int]
    domains: dict[str, list] | None = None
    additive: bool = True

    def domain(self, dim: str) -> list:
        if self.domains and dim in self.domains:
            return list(self.domains[dim])
        index = self.dims.index(dim)
        return sorted({key[index] for key in self.cells}, key=str)


Key = tuple  # (population, ((dim, value), ...)) with dims sorted


def _key(population: str, assignment: dict) -> Key:
    return (population, tuple(sorted(assignment.items(), key=lambda item: item[0])))


@dataclass
class Release:
    """What a release publishes: each cell's value (None when suppressed) and why."""

    values: dict[Key, int]
    status: dict[Key, str]
    tables: list[Table]
    threshold: int
    equations: list[tuple[Key, list[Key]]] = field(default_factory=list)

    def published(self, key: Key) -> int | None:
        return None if self.status[key] != PUBLISHED else self.values[key]

    def rows(self, table: Table) -> Iterable[tuple[dict, int | None, str]]:
        """Every cell of a table, margins included: ({dim: value or None for "all"}, published
        value or None, status)."""
        for key in table_keys(table):
            assignment = dict(key[1])
            row = {dim: assignment.get(dim) for dim in table.dims}
            yield row, self.published(key), self.status[key]

    @property
    def suppressed(self) -> set[Key]:
        return {key for key, status in self.status.items() if status != PUBLISHED}


def table_keys(table: Table) -> list[Key]:
    """The keys a table publishes: its finest cells, then (additive) every margin."""
    domains = [table.domain(dim) for dim in table.dims]
    subsets = [table.dims] if not table.additive else _subsets(table.dims)
    keys = []
    for subset in subsets:
        subset_domains = [domains[table.dims.index(dim)] for dim in subset]
        for values in itertools.product(*subset_domains):
            keys.append(_key(table.population, dict(zip(subset, values, strict=True))))
    return keys


def _subsets(dims: tuple[str, ...]) -> list[tuple[str, ...]]:
    """All subsets of the dimensions, the full set first and the grand total last."""
    out = []
    for size in range(len(dims), -1, -1):
        out.extend(itertools.combinations(dims, size))
    return out


def _values(table: Table) -> dict[Key, int]:
    """Every key of the table with its count (margins summed from the cells)."""
    values: dict[Key, int] = {}
    for subset in [table.dims] if not table.additive else _subsets(table.dims):
        indexes = [table.dims.index(dim) for dim in subset]
        sums: dict[tuple, int] = {}
        for cell, count in table.cells.items():
            part = tuple(cell[i] for i in indexes)
            sums[part] = sums.get(part, 0) + int(count)
        for key in table_keys_for(table, subset):
            part = tuple(dict(key[1])[dim] for dim in subset)
            values[key] = sums.get(part, 0)
    return values


def table_keys_for(table: Table, subset: tuple[str, ...]) -> list[Key]:
    domains = [table.domain(dim) for dim in subset]
    return [
        _key(table.population, dict(zip(subset, values, strict=True)))
        for values in itertools.product(*domains)
    ]


def _equations(table: Table) -> list[tuple[Key, list[Key]]]:
    """margin = Σ children, for each margin and each dimension it leaves out."""
    if not table.additive:
        return []
    out = []
    for subset in _subsets(table.dims):
        missing = [dim for dim in table.dims if dim not in subset]
        for key in table_keys_for(table, subset):
            assignment = dict(key[1])
            for dim in missing:
                children = [
                    _key(table.population, {**assignment, dim: value})
                    for value in table.domain(dim)
                ]
                out.append((key, children))
    return out


def protect(tables: list[Table], threshold: int = DEFAULT_THRESHOLD) -> Release:
    """Suppress every count in 1..threshold and enough others that none can be recomputed."""
    values: dict[Key, int] = {}
    for table in tables:
        for key, value in _values(table).items():
            if key in values and values[key] != value:
                raise ValueError(
                    f"{table.name}: {key} is {value} here but {values[key]} in another table"
                )
            values[key] = value
    equations = []
    seen = set()
    for table in tables:
        for total, children in _equations(table):
            signature = (total, tuple(sorted(children, key=repr)))
            if signature not in seen:
                seen.add(signature)
                equations.append((total, children))
    status = {
        key: (PRIMARY if 1 <= value <= threshold else PUBLISHED) for key, value in values.items()
    }
    order = {key: i for i, key in enumerate(sorted(values, key=repr))}
    while True:
        suppressed = sorted((k for k, s in status.items() if s != PUBLISHED), key=order.get)
        determined = determined_cells(equations, suppressed)
        if not determined:
            break
        target = min(determined, key=order.get)
        complement = _complement(target, equations, status, values, order)
        if complement is None:
            raise RuntimeError(f"no cell left to suppress beside {target}")  # pragma: no cover
        status[complement] = SECONDARY
    return Release(
        values=values, status=status, tables=tables, threshold=threshold, equations=equations
    )


def _complement(target, equations, status, values, order):
    """The published cell to hide next to a determined one: from an equation that holds it
    (else from any equation that holds a hidden cell), an inner cell before a total, then the
    smallest positive count, then a zero, then the stable key order."""

    def candidates(touching) -> list:
        return [
            key
            for total, children in equations
            if touching(total, children)
            for key in (total, *children)
            if status[key] == PUBLISHED
        ]

    found = candidates(lambda total, children: target == total or target in children)
    if not found:
        found = candidates(
            lambda total, children: any(status[k] != PUBLISHED for k in (total, *children))
        )
    if not found:
        return None
    return min(found, key=lambda k: (values[k] == 0, -len(k[1]), values[k], order[k]))


def determined_cells(equations: list[tuple[Key, list[Key]]], suppressed: list[Key]) -> list[Key]:
    """The suppressed cells whose value follows exactly from the published ones.

    Each equation total − Σ children = 0 restricted to the suppressed cells is a row of A; a
    cell is determined iff it is a pivot of A's reduced row echelon form whose row has no
    entry in a free column (then every solution of A·x = 0 has it at 0).
    """
    if not suppressed:
        return []
    column = {key: i for i, key in enumerate(suppressed)}
    rows = []
    for total, children in equations:
        row: dict[int, Fraction] = {}
        for key, sign in ((total, 1), *((child, -1) for child in children)):
            if key in column:
                row[column[key]] = row.get(column[key], Fraction(0)) + sign
        row = {c: v for c, v in row.items() if v != 0}
        if row:
            rows.append(row)
    return [suppressed[pivot] for pivot, row in _rref(rows, len(suppressed)) if set(row) == {pivot}]


def _rref(rows: list[dict[int, Fraction]], width: int) -> list[tuple[int, dict[int, Fraction]]]:
    """Reduced row echelon form of sparse rows over the rationals: [(pivot column, row)]."""
    rows = [dict(r) for r in rows]
    pivots: list[tuple[int, dict[int, Fraction]]] = []
    for col in range(width):
        pick = next((i for i, r in enumerate(rows) if r.get(col)), None)
        if pick is None:
            continue
        row = rows.pop(pick)
        factor = row[col]
        row = {c: v / factor for c, v in row.items()}
        for other in (*(r for _p, r in pivots), *rows):
            coefficient = other.get(col)
            if coefficient:
                for c, v in row.items():
                    updated = other.get(c, Fraction(0)) - coefficient * v
                    if updated:
                        other[c] = updated
                    else:
                        other.pop(c, None)
        pivots.append((col, row))
    return pivots
