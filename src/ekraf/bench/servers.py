"""Real server processes on loopback: gunicorn web processes and background workers, started
exactly as the systemd units start them (same commands, same gunicorn configuration), each in
a process group of its own so stopping one stops its children too."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    log: Path
    url: str = ""
    _log_file: object = field(default=None, repr=False)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 20) -> None:
        if self.alive():
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=timeout)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self._log_file is not None:
            self._log_file.close()


def stop_all(servers: list[Server], timeout: float = 20) -> None:
    """SIGTERM to every process group at once, then wait: shutdowns overlap."""
    for server in servers:
        if server.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGTERM)
    for server in servers:
        server.stop(timeout=timeout)


def _start(name: str, argv: list[str], env: dict, log: Path) -> Server:
    log.parent.mkdir(parents=True, exist_ok=True)
    log_file = open(log, "wb")  # noqa: SIM115 - closed by Server.stop
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        argv, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    return Server(name=name, process=process, log=log, _log_file=log_file)


def start_web(env: dict, log: Path, *, port: int | None = None, workers: int = 1, threads=1):
    """A gunicorn web process with Ekraf's production configuration on 127.0.0.1."""
    port = port or free_port()
    env = {
        **env,
        "EKRAF_BIND": f"127.0.0.1:{port}",
        "EKRAF_WEB_WORKERS": str(workers),
        "EKRAF_WEB_THREADS": str(threads),
    }
    argv = [sys.executable, "-m", "gunicorn", "-c", "python:ekraf.ops.gunicorn_conf"]
    server = _start(f"web:{port}", argv, env, log)
    server.url = f"http://127.0.0.1:{port}"
    return server


def start_worker(env: dict, log: Path) -> Server:
    """`python -m ekraf worker`: RQ's worker with REDIS_URL, the database worker without."""
    return _start("worker", [sys.executable, "-m", "ekraf", "worker"], env, log)


def wait_healthy(server: Server, timeout: float = 60) -> dict:
    """Poll /healthz until it answers 200; the process's log on failure."""
    import json

    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"{server.name} exited:\n{server.output()[-4000:]}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:  # noqa: S310
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            last = exc.read().decode(errors="replace")
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} not healthy: {last}\n{server.output()[-4000:]}")
