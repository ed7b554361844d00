"""The service files in deploy/ parse and point at commands that exist.

systemd units are checked by `systemd-analyze verify` (any warning fails the test); the nginx
site by `nginx -t` inside a throwaway configuration when nginx is installed (CI may not have
it: then a structural check runs instead); gunicorn's configuration by gunicorn itself,
loading the application under a production environment.
"""

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PYTHON, production_env

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
VENV_PYTHON = "/srv/ekraf/venv/bin/python"


def test_every_unit_runs_an_ekraf_command_that_exists(tmp_path):
    env = production_env(tmp_path)
    for unit in UNITS:
        text = unit.read_text()
        for line in re.findall(r"^ExecStart=(.*)$", text, flags=re.M):
            argv = line.split()
            if argv[0] != VENV_PYTHON:
                continue
            assert argv[1] == "-m"
            if argv[2] == "ekraf":
                # `--help` proves the management command exists in this version.
                result = subprocess.run(
                    [PYTHON, "-m", "ekraf", argv[3], "--help"],
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
                assert result.returncode == 0, f"{unit.name}: {result.stderr}"
            else:
                assert argv[2] == "gunicorn", unit.name
    names = {unit.name for unit in UNITS}
    assert {"ekraf-web.service", "ekraf-worker@.service", "ekraf-periodic.timer"} <= names
    for timer in (u for u in UNITS if u.suffix == ".timer"):
        target = re.search(r"^Unit=(.*)$", timer.read_text(), flags=re.M).group(1)
        assert target in names, timer.name


def test_units_are_valid_for_systemd(tmp_path):
    for unit in UNITS:
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str
        parser.read_string(unit.read_text())
        assert parser.sections()[0] == "Unit", unit.name
        if unit.suffix == ".service":
            assert parser.get("Service", "ExecStart")
            assert parser.get("Service", "User") == "ekraf"
            assert parser.get("Service", "EnvironmentFile") == "/etc/ekraf/ekraf.env"
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed; the structural check above ran")
    for unit in UNITS:
        # ExecStart must be executable on this machine: point it at this interpreter.
        name = unit.name.replace("@.", "@1.")
        (tmp_path / name).write_text(unit.read_text().replace(VENV_PYTHON, sys.executable))
    result = subprocess.run(
        [analyze, "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    ours = [line for line in result.stderr.splitlines() if "ekraf" in line]
    assert ours == []


def test_gunicorn_configuration_loads_the_application(tmp_path):
    env = production_env(tmp_path, EKRAF_WEB_WORKERS="3")
    result = subprocess.run(
        [PYTHON, "-m", "gunicorn", "--check-config", "-c", "python:ekraf.ops.gunicorn_conf"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    printed = subprocess.run(
        [PYTHON, "-m", "gunicorn", "--print-config", "-c", "python:ekraf.ops.gunicorn_conf"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert re.search(r"^workers\s*=\s*3$", printed, flags=re.M)
    assert re.search(r"^preload_app\s*=\s*True$", printed, flags=re.M)


def _self_signed(tmp_path):
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ekraf.malangkota.go.id")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _structure(text: str) -> None:
    """nginx's grammar in brief: statements end with ';', blocks are balanced braces; quotes
    and comments hold anything."""
    depth, pending, quote = 0, "", None
    for line in text.splitlines():
        for char in line:
            if quote:
                quote = None if char == quote else quote
                pending += "x"
            elif char in "'\"":
                quote = char
                pending += "x"
            elif char == "#":
                break
            elif char == "{":
                assert pending.strip(), "block without a name"
                depth, pending = depth + 1, ""
            elif char == "}":
                assert not pending.strip(), f"missing ';' before '}}': {pending.strip()}"
                depth -= 1
                assert depth >= 0, "unbalanced }"
            elif char == ";":
                assert pending.strip(), "empty statement"
                pending = ""
            else:
                pending += char
        pending += " "
    assert quote is None, "unclosed quote"
    assert not pending.strip(), f"missing ';' at the end: {pending.strip()}"
    assert depth == 0, "unbalanced braces"


def test_nginx_site_is_accepted_by_nginx(tmp_path):
    site = (DEPLOY / "nginx/ekraf.conf").read_text()
    snippet = (DEPLOY / "nginx/ekraf-proxy.conf").read_text()
    _structure(site)
    _structure(snippet)
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in snippet  # Django trusts it
    assert "proxy_set_header X-Request-ID $request_id;" in snippet  # the log's request id
    assert "proxy_pass http://ekraf_web;" in snippet and "upstream ekraf_web" in site
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.skip("nginx not installed (apt-get install nginx-light); structure checked")
    _self_signed(tmp_path)
    (tmp_path / "logs").mkdir()
    site = (
        site.replace("/etc/letsencrypt/live/ekraf.malangkota.go.id/fullchain.pem", "cert.pem")
        .replace("/etc/letsencrypt/live/ekraf.malangkota.go.id/privkey.pem", "key.pem")
        .replace("/etc/nginx/snippets/ekraf-proxy.conf", str(tmp_path / "proxy.conf"))
        .replace("/var/log/nginx/", str(tmp_path / "logs") + "/")
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "proxy.conf").write_text(snippet)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/logs/error.log;\n"
        "events {}\n"
        "http {\n"
        f"  access_log {tmp_path}/logs/access.log;\n"
        f"  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/site.conf;\n"
        "}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


@pytest.mark.parametrize(
    "broken",
    ["server { listen 80 }", "server { listen 80; ", "a 'b;", "upstream x { server y; }}"],
)
def test_the_structural_check_catches_broken_files(broken):
    with pytest.raises(AssertionError):
        _structure(broken)


WARM_CHECK = """
import sys
import ekraf.wsgi
from django.db import connections
from django.template import engines
from django.urls import get_resolver

resolver = get_resolver()
assert resolver._populated, "URLconf not resolved"
assert {"id", "en"} <= set(resolver._reverse_dict), sorted(resolver._reverse_dict)
assert "ekraf.api.api" in sys.modules and "ekraf.newsroom.views" in sys.modules
loader = engines["django"].engine.template_loaders[0]
assert "base.html" in {key.split("-")[0] for key in loader.get_template_cache}
assert all(c.connection is None for c in connections.all()), "a connection made before fork"
print("warm")
"""


def test_the_application_is_warm_before_gunicorn_forks_its_workers(tmp_path):
    """Importing ekraf.wsgi (gunicorn's preload) resolves the URLconf in every language,
    compiles the page shell and leaves no connection behind: a new worker's first visitor
    no longer pays 0.8-1.3 s for it (ekraf.core.warmup)."""
    result = subprocess.run(
        [PYTHON, "-c", WARM_CHECK],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stdout.strip() == "warm", result.stderr


def test_gunicorn_freezes_the_warmed_master_before_each_fork():
    import gc

    from ekraf.ops import gunicorn_conf

    try:
        gunicorn_conf.pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
