"""Recommendations for a programme role: hard filters, a transparent score, fair exposure.

Everything is computed by the database. Scoring the whole candidate set takes seconds over
100k creators, so it is done per role into a snapshot (RoleCandidate rows, `build_snapshot`:
one INSERT … SELECT and one UPDATE) and a page reads 20 rows of it through the ranking index,
applying the hard filters live (one query), plus one query for the excluded sample of the
snapshot. Python only turns the numbers of the rows on the page into reasons. The page and the
API call `recommend()` and show the same `Candidate.reasons`.

Freshness: engagement moves, closing a programme and pathway assessments rescore the creators
concerned (`refresh_creators`), exposures bump the appearance counters in place, and a snapshot
older than EKRAF_MATCHING_SNAPSHOT_SECONDS is served while a django-tasks job rebuilds it.

The rules live by use case: `scoring` (weights, hard filters, the score's parts, reasons),
`snapshot` (building and rescoring the per-role snapshot), `recommend` (reading a page).
"""

from .recommend import recommend
from .scoring import (
    FILTERS,
    WEIGHTS,
    Candidate,
    Excluded,
    Reason,
    Recommendations,
    Weights,
    assessed_pathway_model,
    filter_label,
)
from .snapshot import build_snapshot, refresh_creators, snapshot_seconds

__all__ = [
    "FILTERS",
    "WEIGHTS",
    "Candidate",
    "Excluded",
    "Reason",
    "Recommendations",
    "Weights",
    "assessed_pathway_model",
    "build_snapshot",
    "filter_label",
    "recommend",
    "refresh_creators",
    "snapshot_seconds",
]
