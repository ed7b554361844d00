"""The table printed at the end of a run: one row or two per scenario, each written by its
scenario module (`table_rows`) in a fixed order, then the web workers' peak memory and every
scenario that did not run, with the reason."""

from __future__ import annotations

from . import (
    certificates,
    dashboard,
    newsroom,
    programs,
    rush,
    search,
    spaces,
    talent,
    verification,
)


def _f(value, digits=1, suffix=""):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    return f"{value:,}{suffix}"


def table(results: dict) -> str:
    rows = [("scenario", "figure", "floor (same run)", "ratio", "target", "met")]
    rows.extend(verification.table_rows(results.get("verification", {}), _f))
    rows += certificates.table_rows(results.get("certificates", {}), _f)
    rows += rush.table_rows(results.get("rush", {}), _f)
    rows += dashboard.table_rows(results.get("dashboard", {}), _f)
    rows += search.table_rows(results.get("search", {}), _f)
    rows += spaces.table_rows(results.get("spaces", {}), _f)
    rows += talent.table_rows(results.get("talent", {}), _f)
    rows += programs.table_rows(results.get("programs", {}), _f)
    rows += newsroom.table_rows(results.get("newsroom", {}), _f)
    if results.get("web_peak_rss_mb"):
        rows.append(
            (
                "web worker peak RSS",
                f"{_f(results['web_peak_rss_mb'])} MB",
                "–",
                "–",
                "(reported)",
                "–",
            )
        )
    for name, result in results.items():
        if isinstance(result, dict) and result.get("skipped"):
            rows.append((name, "not run: " + result["skipped"], "", "", "", ""))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
