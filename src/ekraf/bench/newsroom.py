"""The newsroom portal: a story page (`/berita/{id}/`) and a kecamatan list
(`/berita/wilayah/{kode}/`) beside the trivial view, measured as the verification scenario is
(interleaved rounds, wrk when installed, the worst round's ratio). Target: ≥ 0.7 of the trivial
view's throughput with p99 < 100 ms, every answer 200. The stories are bulk-inserted here if
the bench city has none (published, spread over every kelurahan)."""

from __future__ import annotations

import random

from .load import merge
from .verification import (
    TARGET_P99_MS,
    TARGET_RATIO,
    against_floor,
    first_visit_row,
    ratios_to_floor,
    wrk_available,
)

KINDS = ("trivial", "story", "district")


def ensure_stories(n: int, seed: int = 2024) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ekraf.core.models import Region
    from ekraf.newsroom.models import Story
    from ekraf.newsroom.services.markdown import render

    have = Story.objects.filter(status=Story.Status.PUBLISHED).count()
    if have >= n:
        return
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    author = get_user_model().objects.order_by("pk").first()
    villages = list(Region.objects.filter(level=Region.Level.VILLAGE).select_related("parent"))
    body = "Warga **bergotong royong** membangun kampung.\n\n## Awal mula\n\n" + (
        "Kegiatan ini bermula dari obrolan di pos ronda. " * 20
    )
    html = render(body)
    now = timezone.now()
    rows = []
    for i in range(n - have):
        village = rng.choice(villages)
        rows.append(
            Story(
                author=author,
                region=village,
                district=village.parent,
                status=Story.Status.PUBLISHED,
                title=f"Cerita warga {village.name} nomor {i}",
                lead="Warga punya cerita tentang potensi kelurahannya.",
                body=body,
                body_html=html,
                tags=[rng.choice(["umkm", "wisata", "budaya", "kuliner"])],
                published_at=now - timezone.timedelta(minutes=i),
            )
        )
    Story.objects.bulk_create(rows, batch_size=1000)


def scenario_newsroom(ctx) -> dict:
    from ekraf.core.models import Region
    from ekraf.newsroom.models import Story

    quick = ctx["args"].quick or ctx["args"].tiny
    ensure_stories(300 if quick else 5000)
    ids = list(
        Story.objects.filter(status=Story.Status.PUBLISHED)
        .order_by("?")
        .values_list("public_id", flat=True)[:500]
    )
    districts = list(
        Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", flat=True)
    )
    web, clients, duration = ctx["web"], ctx["args"].clients, ctx["duration"]
    rounds = 3 if quick else 5
    paths = {
        "trivial": ["/bench/trivial"],
        "story": [f"/berita/{i}/" for i in ids],
        "district": [f"/berita/wilayah/{code}/" for code in districts],
    }
    use_wrk = wrk_available() and not ctx["args"].tiny
    first, per_round = against_floor(
        web.url, paths, clients=clients, duration=duration, rounds=rounds, use_wrk=use_wrk
    )
    merged = {kind: merge(results) for kind, results in per_round.items()}
    out = {
        "stories": Story.objects.filter(status=Story.Status.PUBLISHED).count(),
        "clients": clients,
        "rounds": rounds,
        "generator": "wrk" if use_wrk else "python",
        **{kind: merged[kind].summary() for kind in KINDS},
        "first_visit": {kind: first[kind].summary() for kind in ("story", "district")},
    }
    for kind in ("story", "district"):
        out[f"{kind}_ratios"] = ratios_to_floor(per_round, kind)
    out["all_200"] = all(
        merged[kind].statuses.get(200, 0) == merged[kind].requests for kind in ("story", "district")
    )
    out["met"] = bool(
        out["all_200"]
        and all(out[f"{k}_ratios"]["worst"] >= TARGET_RATIO for k in ("story", "district"))
        and all(merged[k].percentile(99) < TARGET_P99_MS for k in ("story", "district"))
    )
    return out


def table_rows(v: dict, fmt) -> list[tuple]:
    if "story" not in v:
        return []
    floor = (
        f"trivial view {fmt(v['trivial']['rps'])} req/s ({v['rounds']} rounds, {v['generator']})"
    )
    rows = []
    for key, label in (("story", "/berita/{id}/"), ("district", "/berita/wilayah/{kode}/")):
        s, ratios = v[key], v[f"{key}_ratios"]
        met = ratios["worst"] >= TARGET_RATIO and s["p99_ms"] < TARGET_P99_MS
        rows.append(
            (
                f"newsroom {label}, {v['stories']:,} stories, {v['clients']} clients",
                f"{fmt(s['rps'])} req/s, p50 {fmt(s['p50_ms'])} ms, p99 {fmt(s['p99_ms'])} ms",
                floor,
                f"{fmt(ratios['worst'], 2)} (middle {fmt(ratios['middle'], 2)})",
                f"worst ≥ {TARGET_RATIO:.2f}, p99 < {TARGET_P99_MS:.0f} ms",
                "yes" if met else "no",
            )
        )
        if key in v.get("first_visit", {}):
            rows.append(first_visit_row(f"newsroom {label}", v["first_visit"][key], fmt))
    return rows
