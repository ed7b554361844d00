"""Resident memory of a process and its children, from /proc (Linux)."""

from __future__ import annotations

import threading
import time
from pathlib import Path


def _status(pid: int) -> dict[str, int]:
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])  # kB
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return values


def rss_mb(pid: int) -> float:
    return _status(pid).get("VmRSS", 0) / 1024


def peak_rss_mb(pid: int) -> float:
    """The process's high-water mark (VmHWM): its peak resident memory so far."""
    return _status(pid).get("VmHWM", 0) / 1024


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        for child in children(current):
            out.append(child)
            todo.append(child)
    return out


class Sampler:
    """Samples, every `interval` seconds, the largest resident set among a process's
    descendants (an RQ work horse, a gunicorn worker) and keeps the series."""

    def __init__(self, root_pid: int, interval: float = 0.1, include_root: bool = False):
        self.root_pid, self.interval, self.include_root = root_pid, interval, include_root
        self.series: list[tuple[float, float]] = []
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        started = time.monotonic()
        while not self._stop.is_set():
            pids = descendants(self.root_pid) + ([self.root_pid] if self.include_root else [])
            sizes = [rss_mb(pid) for pid in pids]
            peaks = [peak_rss_mb(pid) for pid in pids]
            if sizes:
                largest = max(sizes)
                self.series.append((time.monotonic() - started, largest))
                self.peak_mb = max(self.peak_mb, largest, *peaks)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        return False
