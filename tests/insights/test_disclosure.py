"""Disclosure control for open data (ekraf.insights.disclosure): no published count is 1–4,
and no suppressed cell can be recomputed from what a release publishes — by subtraction, or
by solving the linear system that all its tables form together."""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ekraf.insights import disclosure
from ekraf.insights.disclosure import PUBLISHED, Table


def audit_rank(release) -> list:
    """An independent check (dense rank comparison, not the module's pivot rule): a hidden cell
    i is determined iff adding the row e_i to the hidden-cell equations does not raise the rank."""
    hidden = sorted(release.suppressed, key=repr)
    index = {key: i for i, key in enumerate(hidden)}
    matrix = []
    for total, children in release.equations:
        row = [Fraction(0)] * len(hidden)
        for key, sign in ((total, 1), *((c, -1) for c in children)):
            if key in index:
                row[index[key]] += sign
        if any(row):
            matrix.append(row)
    base = _rank(matrix)
    determined = []
    for key, i in index.items():
        unit = [Fraction(0)] * len(hidden)
        unit[i] = Fraction(1)
        if _rank([*matrix, unit]) == base:
            determined.append(key)
    return determined


def _rank(matrix) -> int:
    rows = [list(r) for r in matrix]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                f = rows[r][col] / rows[rank][col]
                rows[r] = [a - f * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def assert_safe(release):
    for key, status in release.status.items():
        if status == PUBLISHED:
            assert not 1 <= release.values[key] <= release.threshold, key
    assert audit_rank(release) == []


def test_one_small_cell_in_a_table_with_totals_takes_three_others_with_it():
    table = Table(
        "kreator-subsektor-kecamatan", "creators", ("subsektor", "kecamatan"),
        {("kuliner", "Klojen"): 2, ("kuliner", "Blimbing"): 30,
         ("fotografi", "Klojen"): 12, ("fotografi", "Blimbing"): 40},
    )  # fmt: skip
    release = disclosure.protect([table])
    hidden = {tuple(v for _d, v in key[1]) for key in release.suppressed}
    # The 2, and enough of its row and column that subtraction gives nothing back.
    assert ("Klojen", "kuliner") in hidden
    assert len(hidden) >= 4
    assert_safe(release)


def test_two_tables_that_share_totals_are_protected_together():
    """Kecamatan totals appear in both tables: hiding a cell in one and publishing its
    neighbours in the other would give it away; the pattern is chosen across both."""
    by_subsector = Table(
        "a", "creators", ("kecamatan", "subsektor"),
        {("Klojen", "kuliner"): 3, ("Klojen", "musik"): 20, ("Sukun", "kuliner"): 15,
         ("Sukun", "musik"): 25},
    )  # fmt: skip
    by_gender = Table(
        "b", "creators", ("kecamatan", "gender"),
        {("Klojen", "P"): 11, ("Klojen", "L"): 12, ("Sukun", "P"): 21, ("Sukun", "L"): 19},
    )  # fmt: skip
    release = disclosure.protect([by_subsector, by_gender])
    assert_safe(release)


def test_the_same_input_gives_the_same_pattern_whatever_the_order():
    cells = {
        ("a", "x"): 1,
        ("a", "y"): 9,
        ("b", "x"): 7,
        ("b", "y"): 3,
        ("c", "x"): 8,
        ("c", "y"): 2,
    }
    first = disclosure.protect([Table("t", "p", ("r", "c"), cells)])
    second = disclosure.protect([Table("t", "p", ("r", "c"), dict(reversed(list(cells.items()))))])
    assert first.status == second.status


def test_zeros_are_published_and_a_non_additive_table_gives_no_equations():
    table = Table(
        "t", "creator-subsectors", ("subsektor",), {("kuliner",): 0, ("musik",): 3, ("film",): 9},
        additive=False,
    )  # fmt: skip
    release = disclosure.protect([table])
    assert release.equations == []
    rows = {row["subsektor"]: (value, status) for row, value, status in release.rows(table)}
    assert rows == {"kuliner": (0, PUBLISHED), "musik": (None, "primary"), "film": (9, PUBLISHED)}


counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def releases(draw):
    """One to three tables of one population sharing the dimension "kecamatan"."""
    kecamatan = [f"k{i}" for i in range(draw(st.integers(1, 4)))]
    finest = {}
    others = {"subsektor": [f"s{i}" for i in range(draw(st.integers(1, 4)))],
              "gender": ["L", "P"], "usia": [f"u{i}" for i in range(draw(st.integers(1, 3)))]}  # fmt: skip
    chosen = draw(st.lists(st.sampled_from(sorted(others)), min_size=1, max_size=3, unique=True))
    # Draw microdata as counts over the full cross-classification, then publish marginal tables
    # of it, so shared totals agree as they do in a real release.
    dims = ("kecamatan", *chosen)
    domains = [kecamatan, *[others[d] for d in chosen]]
    import itertools

    for combo in itertools.product(*domains):
        finest[combo] = draw(counts)
    tables = []
    for dim in chosen:
        cells = {}
        j = dims.index(dim)
        for combo, n in finest.items():
            cells[(combo[0], combo[j])] = cells.get((combo[0], combo[j]), 0) + n
        tables.append(
            Table(f"t-{dim}", "creators", ("kecamatan", dim), cells,
                  domains={"kecamatan": kecamatan, dim: others[dim]})
        )  # fmt: skip
    return tables


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(releases())
def test_no_random_release_publishes_a_small_count_or_a_recoverable_one(tables):
    release = disclosure.protect(tables)
    assert_safe(release)
    assert disclosure.protect(tables).status == release.status
