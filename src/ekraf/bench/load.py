"""A small HTTP load generator on loopback: N client threads, each request on a new
connection (gunicorn's sync workers close after every response), latencies in milliseconds.

Python threads cost client CPU on the same two cores the server uses; that is why every
figure is paired with a floor measured by the same client in the same run.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Request:
    path: str
    method: str = "GET"
    body: bytes | None = None
    headers: dict = field(default_factory=dict)


@dataclass
class LoadResult:
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
        return ordered[rank]

    def record(self, status: int | None, began: float, ended: float, body: bytes | None = None):
        """One answer (status None: no answer at all); the caller holds the lock."""
        if status is None:
            self.errors += 1
            return
        self.statuses[status] += 1
        self.latencies_ms.append((ended - began) * 1000)
        if body is not None:
            self.bodies.append(body)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self) -> dict:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(50), 2),
            "p95_ms": round(self.percentile(95), 2),
            "p99_ms": round(self.percentile(99), 2),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": self.errors,
        }


def _send(host: str, port: int, request: Request, timeout: float) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        headers = {"Host": f"{host}:{port}", "Connection": "close", **request.headers}
        connection.request(request.method, request.path, body=request.body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def sustained(
    base_url: str,
    make_request: Callable[[int], Request],
    *,
    clients: int = 16,
    duration: float = 10.0,
    warmup: float = 1.0,
    timeout: float = 30.0,
) -> LoadResult:
    """`clients` threads send requests back to back for `warmup + duration` seconds; only the
    last `duration` seconds count. `make_request(i)` gives the i-th request of a thread."""
    parts = urlsplit(base_url)
    host, port = parts.hostname, parts.port or 80
    result = LoadResult()
    lock = threading.Lock()
    start_at = time.monotonic() + 0.2
    measure_from = start_at + warmup
    stop_at = measure_from + duration

    def client(number: int) -> None:
        latencies, statuses, errors, i = [], Counter(), 0, number
        while time.monotonic() < start_at:
            time.sleep(0.001)
        while True:
            began = time.monotonic()
            if began >= stop_at:
                break
            try:
                status, _ = _send(host, port, make_request(i), timeout)
            except Exception:  # noqa: BLE001 - counted as an error, the client goes on
                status = None
            ended = time.monotonic()
            i += clients
            if began < measure_from or ended > stop_at:
                continue
            if status is None:
                errors += 1
            else:
                statuses[status] += 1
                latencies.append((ended - began) * 1000)
        with lock:
            result.latencies_ms.extend(latencies)
            result.statuses.update(statuses)
            result.errors += errors

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = duration
    result.requests = sum(result.statuses.values()) + result.errors
    return result


def merge(results: list[LoadResult]) -> LoadResult:
    """Several measurements of the same thing as one (interleaved rounds)."""
    out = LoadResult()
    for result in results:
        out.requests += result.requests
        out.seconds += result.seconds
        out.statuses.update(result.statuses)
        out.errors += result.errors
        out.latencies_ms.extend(result.latencies_ms)
    return out


def interleaved(
    base_url: str,
    kinds: dict[str, Callable[[int], Request]],
    *,
    clients: int,
    duration: float,
    rounds: int = 5,
) -> dict[str, LoadResult]:
    """Each kind of request in turn, `rounds` times, `duration / rounds` seconds a turn: a
    change in the machine's load (other work on shared cores) hits every kind alike, so the
    ratios between them hold."""
    parts: dict[str, list[LoadResult]] = {name: [] for name in kinds}
    for _ in range(rounds):
        for name, make in kinds.items():
            parts[name].append(
                sustained(base_url, make, clients=clients, duration=duration / rounds, warmup=0.5)
            )
    return {name: merge(results) for name, results in parts.items()}


def each_once(base_url: str, paths: list[str], *, clients: int = 4, headers=None) -> LoadResult:
    """Every path requested exactly once, by `clients` threads taking the next from one list:
    the first visit of each (what fills the caches), measured apart from the rounds that
    follow it."""
    parts = urlsplit(base_url)
    host, port = parts.hostname, parts.port or 80
    result = LoadResult(requests=len(paths))
    lock = threading.Lock()
    pending = iter(paths)

    def client() -> None:
        while True:
            with lock:
                path = next(pending, None)
            if path is None:
                return
            began = time.monotonic()
            try:
                status, _body = _send(host, port, Request(path, headers=dict(headers or {})), 30)
            except Exception:  # noqa: BLE001 - counted as an error
                status = None
            with lock:
                result.record(status, began, time.monotonic())

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - began
    return result


def burst(
    base_url: str, requests: list[Request], *, timeout: float = 120.0, keep_bodies=False
) -> LoadResult:
    """Every request at once, one thread each, released together: a rush."""
    parts = urlsplit(base_url)
    host, port = parts.hostname, parts.port or 80
    result = LoadResult(requests=len(requests))
    lock = threading.Lock()
    ready = threading.Barrier(len(requests) + 1)
    threading.stack_size(256 * 1024)

    def client(request: Request) -> None:
        ready.wait()
        began = time.monotonic()
        try:
            status, body = _send(host, port, request, timeout)
        except Exception:  # noqa: BLE001 - counted as an error
            status, body = None, b""
        ended = time.monotonic()
        with lock:
            result.record(status, began, ended, body if keep_bodies else None)

    threads = [threading.Thread(target=client, args=(r,), daemon=True) for r in requests]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    ready.wait()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - began
    threading.stack_size(0)
    return result
