"""The verification scenario: `/verifikasi/{code}` and `GET /api/v1/certificates/{code}` beside
the trivial view, in interleaved rounds.

Each round measures the trivial view, the page and the API one after the other (in an order
that turns from round to round), for the same short time, so a change in the machine's load
(other work on the shared cores) hits the three alike; the ratio of each round is its own. Reported: the worst, the middle (median) and the
best round's ratio, and the p99 latency over all rounds. The target is on the worst round.

The load generator is `wrk` (Debian's package) when it is installed: written in C, its own
CPU does not decide the ratio, as the Python client threads on the same two cores can. Without
it the Python generator of bench.load runs (the table says which one ran).
"""

from __future__ import annotations

import random
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from .load import LoadResult, Request, each_once, sustained

ROUNDS_QUICK, ROUNDS_FULL = 3, 5
TARGET_RATIO, TARGET_P99_MS = 0.70, 100.0
KINDS = ("trivial", "page", "api")

_WRK_SCRIPT = """
-- Cycles through the paths in the file named by EKRAF_WRK_PATHS, a different start per thread.
local paths = {}
local counter = 0
function init(args)
  for line in io.lines(os.getenv("EKRAF_WRK_PATHS")) do paths[#paths + 1] = line end
  counter = math.random(#paths)
end
local headers = {["Connection"] = "close"}
local header_name = os.getenv("EKRAF_WRK_HEADER_NAME")
if header_name and header_name ~= "" then headers[header_name] = os.getenv("EKRAF_WRK_HEADER_VALUE") end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], headers)
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str, duration: float) -> LoadResult:
    """A LoadResult from wrk's report (--latency): requests, non-2xx, latency percentiles.

    wrk gives percentiles, not every latency; they are kept as a small list whose percentile()
    answers the same (p50, p75, p90, p99)."""
    result = LoadResult()
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    bad = int(non_2xx.group(1)) if non_2xx else 0
    result.statuses[200] = requests - bad
    if bad:
        result.statuses[599] = bad  # wrk does not say which; counted as not 200
    result.errors = sum(int(n) for n in errors.groups()) if errors else 0
    result.requests = requests + result.errors
    result.seconds = duration
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.M))
    # 100 synthetic latencies with the reported percentiles at their ranks.
    marks = [(50, "50"), (75, "75"), (90, "90"), (99, "99"), (100, "99")]
    latencies, previous = [], 0
    for rank, key in marks:
        value = _ms(percentiles[key]) if key in percentiles else float("nan")
        latencies.extend([value] * (rank - previous))
        previous = rank
    result.latencies_ms = latencies
    return result


def wrk_run(
    base_url: str, paths: list[str], *, clients: int, duration: float, headers=None
) -> LoadResult:
    """wrk over `paths`; `headers` may hold one header sent with every request (a session
    cookie or a bearer token for the pages and API that need a signed-in user)."""
    (header_name, header_value), *_rest = (headers or {"": ""}).items()
    with tempfile.TemporaryDirectory() as folder:
        script, listing = Path(folder) / "paths.lua", Path(folder) / "paths.txt"
        script.write_text(_WRK_SCRIPT)
        listing.write_text("\n".join(paths) + "\n")
        threads = max(1, min(2, clients))
        done = subprocess.run(  # noqa: S603 - a fixed program on loopback
            [
                shutil.which("wrk"),
                f"-t{threads}",
                f"-c{clients}",
                f"-d{max(1, round(duration))}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                str(script),
                base_url,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            env={
                "EKRAF_WRK_PATHS": str(listing),
                "EKRAF_WRK_HEADER_NAME": header_name,
                "EKRAF_WRK_HEADER_VALUE": header_value,
                "PATH": "/usr/bin:/bin",
            },
            check=True,
        )
    return parse_wrk(done.stdout, max(1, round(duration)))


def measure(
    base_url: str, paths: list[str], *, clients: int, duration: float, use_wrk: bool, headers=None
):
    if use_wrk:
        return wrk_run(base_url, paths, clients=clients, duration=duration, headers=headers)
    return sustained(
        base_url,
        lambda i: Request(paths[i % len(paths)], headers=dict(headers or {})),
        clients=clients,
        duration=duration,
        warmup=0.5,
    )


def spread(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "worst": round(ordered[0], 3),
        "middle": round(statistics.median(ordered), 3),
        "best": round(ordered[-1], 3),
        "rounds": [round(v, 3) for v in values],
    }


def against_floor(
    base_url: str,
    paths: dict[str, list[str]],
    *,
    clients: int,
    duration: float,
    rounds: int,
    use_wrk: bool,
) -> tuple[dict[str, LoadResult], dict[str, list[LoadResult]]]:
    """Each kind of `paths` ("trivial" first among them) measured in `rounds` interleaved turns.

    Before the rounds every path is visited once, unmeasured by them: its first visit fills
    the caches the rounds read (a page's cached HTML, a worker's compiled templates), and is
    reported apart (the first of its two results), so a round never mixes first visits with
    repeat ones by chance of where it fell. Then each round measures every kind one after the
    other, in an order that turns from round to round, so a load that rises or falls through a
    round does not always favour the same one; the ratio of each round is its own."""
    kinds = list(paths)
    first = {kind: each_once(base_url, listed) for kind, listed in paths.items()}
    # A turn long enough that a loaded machine still completes requests in each (a round
    # with no floor request at all would have no ratio).
    turn = max(duration / rounds, 2.0)
    per_round: dict[str, list[LoadResult]] = {kind: [] for kind in kinds}
    for number in range(rounds):
        for kind in kinds[number % len(kinds) :] + kinds[: number % len(kinds)]:
            per_round[kind].append(
                measure(base_url, paths[kind], clients=clients, duration=turn, use_wrk=use_wrk)
            )
    return first, per_round


def ratios_to_floor(per_round: dict[str, list[LoadResult]], kind: str) -> dict:
    """The spread of one kind's per-round throughput over the trivial view's in that round."""
    values = [
        mine.rps / floor.rps
        for mine, floor in zip(per_round[kind], per_round["trivial"], strict=True)
        if floor.rps
    ] or [0.0]
    return spread(values)


def scenario_verification(ctx) -> dict:
    from ekraf.credentials.models import Certificate

    from .load import merge

    codes = list(Certificate.objects.order_by("?").values_list("code", flat=True)[:2000])
    if not codes:
        return {"skipped": "no certificates"}
    web, clients, duration = ctx["web"], ctx["args"].clients, ctx["duration"]
    quick = ctx["args"].quick or ctx["args"].tiny
    rounds = ROUNDS_QUICK if quick else ROUNDS_FULL
    random.Random(1).shuffle(codes)  # noqa: S311
    paths = {
        "trivial": ["/bench/trivial"],
        "page": [f"/verifikasi/{code}" for code in codes],
        "api": [f"/api/v1/certificates/{code}" for code in codes],
    }
    use_wrk = wrk_available() and not ctx["args"].tiny
    first, per_round = against_floor(
        web.url, paths, clients=clients, duration=duration, rounds=rounds, use_wrk=use_wrk
    )
    merged = {kind: merge(results) for kind, results in per_round.items()}
    out = {
        "clients": clients,
        "rounds": rounds,
        "generator": "wrk" if use_wrk else "python",
        **{kind: merged[kind].summary() for kind in KINDS},
        "first_visit": {kind: first[kind].summary() for kind in ("page", "api")},
    }
    for kind in ("page", "api"):
        out[f"{kind}_ratios"] = ratios_to_floor(per_round, kind)
        out[f"{kind}_ratio"] = out[f"{kind}_ratios"]["worst"]
        out[f"{kind}_p99_worst_round_ms"] = round(max(r.percentile(99) for r in per_round[kind]), 2)
    out["all_200"] = all(
        merged[kind].statuses.get(200, 0) == merged[kind].requests for kind in ("page", "api")
    )
    out["met"] = bool(
        out["all_200"]
        and all(out[f"{kind}_ratio"] >= TARGET_RATIO for kind in ("page", "api"))
        and all(merged[kind].percentile(99) < TARGET_P99_MS for kind in ("page", "api"))
    )
    return out


def first_visit_row(label: str, result: dict, fmt) -> tuple:
    """The table's row for a kind's unmeasured-by-the-rounds first visits (caches empty)."""
    return (
        f"{label}, first visit of each (caches empty, 4 clients)",
        f"{fmt(result['rps'])} req/s, p50 {fmt(result['p50_ms'])} ms, p99 {fmt(result['p99_ms'])} ms",
        "–",
        "–",
        "(reported)",
        "–",
    )


def table_rows(v: dict, fmt) -> list[tuple]:
    """The table's verification rows: the worst round's ratio, and the middle and best."""
    if "page" not in v:
        return []
    floor = (
        f"trivial view {fmt(v['trivial']['rps'])} req/s, p99 {fmt(v['trivial']['p99_ms'])} ms "
        f"({v['rounds']} interleaved rounds, {v['generator']})"
    )
    rows = []
    for key, label in (("page", "/verifikasi/{code}"), ("api", "GET /api/v1/certificates/{code}")):
        s, ratios = v[key], v[f"{key}_ratios"]
        met = ratios["worst"] >= TARGET_RATIO and s["p99_ms"] < TARGET_P99_MS
        rows.append(
            (
                f"verification {label}, {v['clients']} clients",
                f"{fmt(s['rps'])} req/s, p50 {fmt(s['p50_ms'])} ms, p99 {fmt(s['p99_ms'])} ms",
                floor,
                f"{fmt(ratios['worst'], 2)} (middle {fmt(ratios['middle'], 2)}, "
                f"best {fmt(ratios['best'], 2)})",
                f"worst ≥ {TARGET_RATIO:.2f}, p99 < {TARGET_P99_MS:.0f} ms",
                "yes" if met else "no",
            )
        )
        if key in v.get("first_visit", {}):
            rows.append(first_visit_row(f"verification {label}", v["first_visit"][key], fmt))
    return rows
