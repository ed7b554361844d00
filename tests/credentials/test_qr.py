"""The printed QR scans from any printout: the longest demo certificate, with a 40-character
base URL, is at most version 10 at level Q, and two independent decoders (zxing-cpp and zbar)
read it at 72, 100 and 150 dpi and from four simulated phone photos of a print (blurred,
rotated, perspective-skewed, noisy). The token is a COSE_Sign1 that an independent COSE
library (pycose) verifies against the served JWKS; the QR codes printed before keep verifying.
"""

import ctypes.util
import json
import random
import re

import cbor2
import pypdfium2
import pytest
import zxingcpp
from django.core.files.storage import default_storage
from PIL import Image, ImageFilter

from ekraf.credentials import codes, keys, multibase, tokens
from ekraf.credentials.models import Certificate
from tests import factories
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db

BASE_URL = "https://e-sertifikat.ekraf.malangkota.id"  # 40 characters
assert len(BASE_URL) == 40


def longest_demo_names() -> tuple[str, str]:
    """The longest holder name the demo's seeded Faker makes, and the longest demo title."""
    from faker import Faker

    from ekraf.trainings import demo as trainings_demo

    faker = Faker("id_ID")
    faker.seed_instance(2024)
    name = max((faker.name() for _ in range(2000)), key=len)
    title = max((plan.title for plan in trainings_demo.PLANS), key=len)
    return name, title


@pytest.fixture
def longest(settings, diskominfo):
    settings.BASE_URL = BASE_URL
    name, title = longest_demo_names()
    training = cf.training(diskominfo, title=title)
    cf.registration(training, factories.user("panjang", full_name=name), name=name)
    cf.issue(training)
    return Certificate.objects.get()


def zbar_decode(image: Image.Image) -> list[str]:
    from pyzbar import pyzbar

    return [found.data.decode() for found in pyzbar.decode(image.convert("L"))]


def zxing_decode(image: Image.Image):
    return [
        found
        for found in zxingcpp.read_barcodes(image)
        if found.format == zxingcpp.BarcodeFormat.QRCode
    ]


needs_zbar = pytest.mark.skipif(
    ctypes.util.find_library("zbar") is None,
    reason="zbar is not installed (apt-get install -y libzbar0; CI installs it)",
)


def render(cert, dpi: int) -> Image.Image:
    with default_storage.open(cert.pdf, "rb") as fh:
        document = pypdfium2.PdfDocument(fh.read())
    return document[0].render(scale=dpi / 72).to_pil().convert("RGB")


def photo_variants(page: Image.Image) -> dict[str, Image.Image]:
    """What a phone makes of a printed certificate: out of focus, held askew, at an angle,
    in poor light (sensor noise)."""
    rng = random.Random(14)
    width, height = page.size
    dx, dy = width * 0.06, height * 0.05
    # Image.transform's PERSPECTIVE maps output to input: one corner pulled in, another out.
    skew = _perspective(
        [(0, 0), (width, 0), (width, height), (0, height)],
        [(dx, dy), (width - dx * 0.3, 0), (width, height - dy), (dx * 0.5, height)],
    )
    noise = Image.effect_noise(page.size, 40).convert("RGB")
    return {
        "blur": page.filter(ImageFilter.GaussianBlur(1.4)),
        "rotation": page.rotate(11 + rng.random(), expand=True, fillcolor="white"),
        "skew": page.transform(page.size, Image.Transform.PERSPECTIVE, skew, Image.BICUBIC),
        "noise": Image.blend(page, noise, 0.22),
    }


def _perspective(targets, sources):
    """The eight coefficients of the perspective transform taking `targets` to `sources`
    (an 8 x 8 linear system, solved by Gaussian elimination)."""
    rows = []
    for (x, y), (u, v) in zip(targets, sources, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
    n = 8
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def test_the_longest_demo_certificate_is_version_10_at_level_q(longest):
    claims = tokens.QrClaims(
        longest.code,
        longest.holder_name,
        longest.training_title,
        longest.agency_short_name,
        longest.issued_on.isoformat(),
    )
    url, qr = tokens.qr_for(claims)
    assert qr.version <= 10 and qr.error == "Q"
    assert qr.mode is None  # two segments: the URL alphanumeric, the token numeric
    assert url.startswith("HTTPS://E-SERTIFIKAT.EKRAF.MALANGKOTA.ID/V/")
    assert re.fullmatch(r"[0-9]+", url.rsplit("/", 1)[1])
    # The whole name still fits here; a longer one would be shortened, not the QR grown.
    read = tokens.read_cose_token(url.rsplit("/", 1)[1])
    assert read["code"] == longest.code and read["holder_name"]
    assert longest.holder_name.startswith(read["holder_name"].removesuffix("…"))
    very_long = tokens.QrClaims(longest.code, "A" * 150, "B" * 200, "C" * 40, "2026-01-01")
    assert tokens.qr_for(very_long)[1].version <= 10


@needs_zbar
@pytest.mark.parametrize("dpi", [72, 100, 150])
def test_the_printed_qr_decodes_at_72_100_and_150_dpi_with_two_decoders(longest, client, dpi):
    page = render(longest, dpi)
    found = zxing_decode(page)
    assert len(found) == 1, f"zxing-cpp found nothing at {dpi} dpi"
    assert int(found[0].extra["Version"]) <= 10
    assert found[0].ec_level == "Q"
    url = found[0].text
    assert zbar_decode(page) == [url], f"zbar at {dpi} dpi"
    response = client.get(url.removeprefix(BASE_URL.upper()))
    assert response.status_code == 200
    assert "ASLI dan berlaku" in response.content.decode()


@needs_zbar
def test_the_printed_qr_decodes_from_phone_photos_of_a_print(longest):
    page = render(longest, 150)
    expected = zxing_decode(page)[0].text
    for name, variant in photo_variants(page).items():
        found = zxing_decode(variant)
        assert [f.text for f in found] == [expected], f"zxing-cpp: {name}"
        assert int(found[0].extra["Version"]) <= 10 and found[0].ec_level == "Q", name
        assert zbar_decode(variant) == [expected], f"zbar: {name}"


def test_the_cose_token_verifies_with_pycose_against_the_served_jwks(client, longest):
    """An independent COSE implementation, with only the JWKS the site publishes."""
    from pycose.algorithms import EdDSA
    from pycose.headers import KID, Algorithm
    from pycose.keys import OKPKey
    from pycose.keys.curves import Ed25519
    from pycose.messages import Sign1Message

    url, _qr = tokens.qr_for(
        tokens.QrClaims(longest.code, "Budi", "Bimtek", "Diskominfo", "2026-01-02")
    )
    number = int(url.rsplit("/", 1)[1])
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    message = Sign1Message.decode(raw)
    assert message.phdr[Algorithm] is EdDSA
    kid = message.phdr[KID].decode()
    jwk = next(k for k in client.get("/.well-known/jwks.json").json()["keys"] if k["kid"] == kid)
    message.key = OKPKey(crv=Ed25519, x=multibase.b64url_decode(jwk["x"]))
    assert message.verify_signature()
    code_value, days, name, agency, title = cbor2.loads(message.payload)
    assert (name, agency, title) == ("Budi", "Diskominfo", "Bimtek")
    assert tokens.read_cose_token(str(number))["code"] == longest.code

    # One changed bit of the payload and the signature no longer holds.
    forged = Sign1Message.decode(raw)
    forged.payload = cbor2.dumps([code_value, days, "Orang Lain", agency, title])
    forged.key = message.key
    assert not forged.verify_signature()


def test_a_changed_digit_is_refused(client, longest):
    url, _qr = tokens.qr_for(
        tokens.QrClaims(longest.code, "Budi", "Bimtek", "Diskominfo", "2026-01-02")
    )
    digits = url.rsplit("/", 1)[1]
    changed = digits[:-5] + str((int(digits[-5]) + 1) % 10) + digits[-4:]
    response = client.get(f"/V/{changed}")
    assert response.status_code == 400 and "QR tidak sah" in response.content.decode()
    for garbage in ("0", "12ab", "9" * 2000):
        assert client.get(f"/V/{garbage}").status_code == 400


def test_qr_codes_printed_before_keep_verifying(client, longest):
    """Certificates printed before issue 14 carry a compact JWS at /v/<token>."""
    payload = json.dumps(
        {
            "c": longest.code,
            "n": longest.holder_name,
            "t": "x",
            "a": "Diskominfo",
            "d": "2025-01-25",
        },
        separators=(",", ":"),
    ).encode()
    old = tokens.sign_compact(payload)
    response = client.get(f"/v/{old}")
    assert response.status_code == 200 and "ASLI dan berlaku" in response.content.decode()
    keys.add_ed25519_key()  # and after a key rotation
    assert client.get(f"/v/{old}").status_code == 200


def test_the_code_survives_the_round_trip(longest):
    for _ in range(50):
        code = codes.new_code()
        assert tokens._code_text(tokens._code_value(code)) == code
