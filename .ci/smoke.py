"""Smoke run: `make run` on a fresh var/ dir must serve /, /healthz and a working demo login."""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

PORT = os.environ.get("EKRAF_SMOKE_PORT", "8765")
BASE = f"http://127.0.0.1:{PORT}"


def fetch(opener, path, data=None):
    body = urllib.parse.urlencode(data).encode() if data else None
    request = urllib.request.Request(BASE + path, data=body)
    if data:
        request.add_header("Referer", BASE + path)
    with opener.open(request, timeout=20) as response:
        return response.status, response.geturl(), response.read().decode()


def main() -> int:
    var = Path(tempfile.mkdtemp(prefix="ekraf-smoke-"))
    env = dict(os.environ, EKRAF_VAR_DIR=str(var), EKRAF_BASE_URL=BASE)
    env.pop("DATABASE_URL", None)
    log = open(var / "run.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        ["make", "run", f"HOST=127.0.0.1:{PORT}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        deadline = time.monotonic() + 600
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"make run exited with {proc.returncode}")
            try:
                status, _, body = fetch(opener, "/healthz")
                if status == 200 and '"status": "ok"' in body:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not answer /healthz in time")
            time.sleep(2)
        status, _, home = fetch(opener, "/")
        assert status == 200 and "Ekraf Kota Malang" in home, "home page"
        print("/ and /healthz answer")

        output = (var / "run.log").read_text()
        password = re.search(r"kata sandi sama untuk semua\): (\S+)", output).group(1)
        _, _, page = fetch(opener, "/masuk/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        _, url, _ = fetch(
            opener,
            "/masuk/",
            {"csrfmiddlewaretoken": token, "username": "penyelenggara", "password": password},
        )
        assert not url.endswith("/masuk/"), "demo login refused"
        print("demo login works")
        return 0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        if "--keep" not in sys.argv:
            print(f"log: {var / 'run.log'}")


if __name__ == "__main__":
    sys.exit(main())
