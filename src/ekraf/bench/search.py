"""The creator directory for agency staff (/kelola/pelaku/) searched from 4 clients with 400
queries in turn: a first name, a subsector, a kecamatan with a surname, a full name. Reported
(latency and throughput over every creator of the bench city), no target; every answer 200."""

from __future__ import annotations

import random
from urllib.parse import urlencode

from .sessions import session_cookie


def scenario_search(ctx) -> dict:
    from ekraf.accounts.models import User
    from ekraf.core.models import Region, Subsector
    from ekraf.creators.models import CreatorProfile

    from .load import Request, sustained

    cookie = session_cookie(User.objects.get(pk=ctx["city"].staff_id))
    rng = random.Random(7)  # noqa: S311
    names = list(CreatorProfile.objects.order_by("?").values_list("full_name", flat=True)[:200])
    subsectors = list(Subsector.objects.values_list("code", flat=True))
    districts = list(Region.objects.filter(level="kecamatan").values_list("code", flat=True))
    queries = []
    for i in range(400):
        kind = i % 4
        if kind == 0:
            query = {"q": rng.choice(names).split()[0]}
        elif kind == 1:
            query = {"subsector": rng.choice(subsectors)}
        elif kind == 2:
            query = {"kecamatan": rng.choice(districts), "q": rng.choice(names).split()[-1]}
        else:
            query = {"q": rng.choice(names)}
        queries.append(urlencode(query))
    result = sustained(
        ctx["web"].url,
        lambda i: Request(
            f"/kelola/pelaku/?{queries[i % len(queries)]}", headers={"Cookie": cookie}
        ),
        clients=4,
        duration=ctx["duration"],
        warmup=1.0,
    )
    return {
        "creators": CreatorProfile.objects.count(),
        "clients": 4,
        **result.summary(),
        "all_200": result.statuses.get(200, 0) == result.requests,
    }


def table_rows(s: dict, fmt) -> list[tuple]:
    """The table's directory-search row (reported, no target)."""
    if "p50_ms" not in s:
        return []
    return [
        (
            f"directory search, {s['creators']:,} creators, {s['clients']} clients",
            f"p50 {fmt(s['p50_ms'])} ms, p95 {fmt(s['p95_ms'])} ms, {fmt(s['rps'])} req/s",
            "–",
            "–",
            "(reported)",
            "–",
        )
    ]
