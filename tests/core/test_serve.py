"""`python -m ekraf serve` (what `make run` starts) must not leave its worker and periodic
jobs running when it is told to stop: a real process, real signals."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> set[int]:
    """Every descendant of `pid` (Linux /proc), grandchildren included."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's bookkeeping remains


def _wait(predicate, what: str, timeout: float):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout} s")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A fresh embedded installation: SQLite and the database queue under a temp var dir."""
    var = tmp_path_factory.mktemp("serve-var")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EKRAF_")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(
        EKRAF_VAR_DIR=str(var),
        EKRAF_DEBUG="1",
        PYTHONPATH=str(SRC),
        EKRAF_LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [sys.executable, "-m", "ekraf", "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        timeout=300,
    )
    return env


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_its_worker_and_periodic_jobs(site, tmp_path, signum):
    port = _free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115
    serve = subprocess.Popen(
        [sys.executable, "-m", "ekraf", "serve", f"127.0.0.1:{port}"],
        env=site,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a group of its own: the test can always clean up
    )
    try:

        def answers() -> bool:
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    return True
            except OSError:
                return False

        _wait(answers, "serve did not answer /healthz", timeout=120)
        helpers = _children(serve.pid)
        assert len(helpers) >= 2, "the worker and the periodic jobs run beside the server"

        serve.send_signal(signum)  # to serve alone, as `kill` or a service manager does
        serve.wait(timeout=60)
        _wait(
            lambda: not any(_alive(pid) for pid in helpers),
            f"helpers still running: {[p for p in helpers if _alive(p)]}",
            timeout=30,
        )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(serve.pid, signal.SIGKILL)
        serve.wait(timeout=10)
        log.close()
