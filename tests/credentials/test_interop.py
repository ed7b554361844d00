"""Journey 5 with tools this project does not use: the credentials a running server hands out
verify in Digital Bazaar's vc (eddsa-rdfc-2022), in the Digital Credentials Consortium's
verifier-core (the library behind Learner Credential Wallet and VerifierPlus, unmodified), and
in jose (the Open Badges JWT); the QR's COSE token verifies with cbor-x and node's Ed25519
against the served JWKS, and a QR printed before as a JWS still verifies with jose.

The node packages are pinned in tests/credentials/interop/package.json and package-lock.json
and installed with `npm ci` from the npm registry into a folder outside the source tree
(EKRAF_INTEROP_DIR, default ~/.cache/ekraf-interop). Without node the test is skipped, unless
EKRAF_INTEROP_REQUIRED=1 (CI), which makes that a failure. Every JSON-LD context comes from the
pinned files; the node script refuses any fetch that is not to this machine.
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from ekraf.credentials import jsonld, services, tokens
from ekraf.credentials.models import Certificate
from tests import factories
from tests.credentials import factories as cf

HERE = Path(__file__).resolve().parent / "interop"
REQUIRED = os.environ.get("EKRAF_INTEROP_REQUIRED") == "1"


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"EKRAF_INTEROP_REQUIRED=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def verifier_dir() -> Path:
    """The pinned node packages, installed once per lock file (npm ci)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _unavailable("node and npm are not installed (the independent verifiers run on node)")
    lock = (HERE / "package-lock.json").read_bytes()
    base = Path(os.environ.get("EKRAF_INTEROP_DIR", Path.home() / ".cache" / "ekraf-interop"))
    target = base / hashlib.sha256(lock).hexdigest()[:16]
    if not (target / "node_modules" / ".package-lock.json").exists():
        target.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(HERE / name, target / name)
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=target,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if done.returncode != 0:
            _unavailable(f"npm ci failed: {done.stderr[-2000:]}")
    shutil.copy(HERE / "verify.mjs", target / "verify.mjs")
    return target


def run_verifiers(folder: Path, data: dict, tmp_path) -> dict:
    source, result = tmp_path / "input.json", tmp_path / "output.json"
    source.write_text(json.dumps(data))
    done = subprocess.run(
        [shutil.which("node"), "verify.mjs", str(source), str(result)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(result.read_text())


@pytest.mark.django_db(transaction=True)
def test_independent_verifiers_accept_what_a_running_server_serves(
    verifier_dir, live_server, settings, tmp_path, diskominfo, organiser
):
    settings.BASE_URL = live_server.url
    training = cf.training(diskominfo, title="Bimtek Konten Kreator: Branding Kota")
    cf.registration(training, factories.user("dewi", full_name="Dewi Anggraini"))
    cf.registration(training, factories.user("budi", full_name="Budi Hartono"))
    cf.issue(training)
    valid, revoked = Certificate.objects.order_by("sequence")
    services.revoke_certificate(organiser, revoked.code, "Data peserta keliru")

    credentials = []
    for cert in (valid, revoked):
        client = Client()
        client.force_login(cert.holder)
        for fmt in ("json", "jwt"):
            response = client.get(f"/sertifikat-saya/{cert.code}/openbadges.{fmt}")
            assert response.status_code == 200
            (tmp_path / f"{cert.code}.{fmt}").write_bytes(response.content)
        credentials.append(
            {
                "code": cert.code,
                "json": str(tmp_path / f"{cert.code}.json"),
                "jwt": str(tmp_path / f"{cert.code}.jwt"),
            }
        )
    url, _qr = tokens.qr_for(
        tokens.QrClaims(
            valid.code,
            valid.holder_name,
            valid.training_title,
            valid.agency_short_name,
            valid.issued_on.isoformat(),
        )
    )
    printed = tokens.sign_compact(
        json.dumps({"c": valid.code, "n": valid.holder_name, "d": "2025-01-25"}).encode()
    )
    result = run_verifiers(
        verifier_dir,
        {
            "contexts": {
                url_: str(jsonld.CONTEXTS_DIR / name) for url_, name in jsonld.PINNED.items()
            },
            "credentials": credentials,
            "jwksUrl": f"{live_server.url}/.well-known/jwks.json",
            "qr": {"digits": url.rsplit("/", 1)[1]},
            "printedQr": printed,
        },
        tmp_path,
    )

    good, bad = result["credentials"]
    # Digital Bazaar's vc: signature, key, controller and status all hold for the valid one ...
    assert good["digitalbazaar"] == {"verified": True, "error": None}, good
    # ... and the revoked one fails on its status only.
    assert bad["digitalbazaar"]["verified"] is False
    # verifier-core, unmodified: the key dereferences (no "Unsupported key type Profile").
    assert good["verifierCore"]["errors"] == [], good
    assert good["verifierCore"]["log"]["valid_signature"] is True
    assert good["verifierCore"]["log"]["revocation_status"] is True
    assert good["verifierCore"]["log"].get("expiration", True) is True
    assert bad["verifierCore"]["log"]["valid_signature"] is True
    assert bad["verifierCore"]["log"]["revocation_status"] is False

    for jwt in result["jwt"]:
        assert jwt["verified"] and jwt["matches"], jwt
        assert jwt["header"]["typ"] == "JWT" and "cty" not in jwt["header"]
        assert jwt["header"]["kid"].startswith(live_server.url)

    qr = result["qr"]
    assert qr["tag"] == 18 and qr["alg"] == -8 and qr["verified"] is True
    assert qr["forgedVerified"] is False
    assert result["printedQr"]["verified"] and result["printedQr"]["claims"]["c"] == valid.code

    # Nothing JSON-LD was fetched from the internet (a schema check may have been refused).
    assert not [u for u in result["refused"] if "context" in u or "/ns/" in u], result["refused"]
