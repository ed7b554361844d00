"""Issue 9, point 5: every image upload passes the one gate (ekraf.core.uploads).

A 154 KB, 6300 × 6300 PNG profile photo once took a web process from 170 MB to 635 MB. Each
path an image comes in by — the profile photo, a signatory's signature (page and admin site),
the city's and the agencies' logos (admin site) — is walked here with that picture, which must
be refused before a single pixel is decoded, and with a phone photo carrying its GPS position,
which must be stored without it. Stored files are served with the gate's headers.
"""

import io

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from ekraf.core.models import Agency, City
from ekraf.creators.models import CreatorProfile
from ekraf.credentials.models import Signatory
from tests.creators import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _city(city):
    return city


GPS = 0x8825
CAMERA = 0x0110


def huge_png() -> bytes:
    """The attacker's picture: 6300 × 6300 pixels, a few dozen KB."""
    out = io.BytesIO()
    Image.new("L", (6300, 6300), 255).save(out, "PNG")
    return out.getvalue()


def photo_with_gps(fmt="JPEG") -> bytes:
    """A phone photo that says where it was taken and with what."""
    exif = Image.Exif()
    exif[CAMERA] = "Kamera Rahasia"
    exif[GPS] = {1: "S", 2: (7.0, 57.0, 30.0), 3: "E", 4: (112.0, 37.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def upload(content: bytes, name="gambar.png"):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def no_decoding(monkeypatch):
    """Any decode of pixels fails the test: the refusal must come from the header alone."""

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"decoded {self.size} pixels")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def assert_clean(stored_bytes: bytes):
    assert b"Kamera Rahasia" not in stored_bytes
    with Image.open(io.BytesIO(stored_bytes)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(GPS) and CAMERA not in exif
        assert "exif" not in image.info


# --- profile photo (creator's page) -----------------------------------------------------------


def _profile_post(client, profile, photo):
    from tests.creators.test_profile import profile_post

    client.force_login(profile.user)
    return client.post(reverse("creators:edit_profile"), profile_post(photo=photo))


def test_profile_photo_of_6300_pixels_square_is_refused_without_decoding(client, no_decoding):
    profile = cf.creator()
    response = _profile_post(client, profile, upload(huge_png()))
    assert response.status_code == 200
    assert "megapiksel" in response.content.decode()
    assert not CreatorProfile.objects.get(pk=profile.pk).photo


def test_profile_photo_is_stored_without_its_gps_position(client):
    profile = cf.creator()
    response = _profile_post(client, profile, upload(photo_with_gps(), "IMG_0001.jpg"))
    assert response.status_code == 302
    stored = CreatorProfile.objects.get(pk=profile.pk).photo
    assert "IMG_0001" not in stored.name
    with stored.open("rb") as fh:
        assert_clean(fh.read())


def test_profile_photo_is_served_with_the_gates_headers(client):
    profile = cf.creator()
    _profile_post(client, profile, upload(photo_with_gps(), "foto.jpg"))
    response = client.get(reverse("creators:photo", args=[profile.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


# --- signatures (organiser's page and admin site) ----------------------------------------------


def _signatory_post(client, organiser, agency, picture):
    client.force_login(organiser)
    return client.post(
        reverse("credentials:signatories"),
        {"agency": agency.pk, "name": "Drs. Ahmad", "title": "Kepala", "signature": picture},
    )


def test_signature_of_6300_pixels_square_is_refused_without_decoding(
    client, organiser, diskominfo, no_decoding
):
    response = _signatory_post(client, organiser, diskominfo, upload(huge_png()))
    assert response.status_code == 200
    assert "terlalu besar" in " ".join(response.context["form"].errors["signature"])
    assert not Signatory.objects.exists()


def test_signature_is_stored_without_metadata(client, organiser, diskominfo):
    response = _signatory_post(client, organiser, diskominfo, upload(photo_with_gps(), "t.jpg"))
    assert response.status_code == 302
    stored = Signatory.objects.get().signature
    assert stored.name.endswith(".png")
    with stored.open("rb") as fh:
        assert_clean(fh.read())


def _admin_form(model, instance, data, files):
    form_class = admin.site._registry[model].form
    return form_class(data, files, instance=instance)


def test_signature_through_the_admin_site_passes_the_same_gate(diskominfo, no_decoding):
    data = {"agency": diskominfo.pk, "name": "Drs. Ahmad", "title": "Kepala", "nip": ""}
    form = _admin_form(Signatory, None, data, {"signature": upload(huge_png())})
    assert not form.is_valid() and "terlalu besar" in " ".join(form.errors["signature"])


def test_signature_through_the_admin_site_loses_its_gps(diskominfo):
    data = {"agency": diskominfo.pk, "name": "Drs. Ahmad", "title": "Kepala", "nip": ""}
    form = _admin_form(Signatory, None, data, {"signature": upload(photo_with_gps(), "t.jpg")})
    assert form.is_valid(), form.errors
    with form.save().signature.open("rb") as fh:
        assert_clean(fh.read())


# --- logos (admin site) ------------------------------------------------------------------------


def _city_data(city):
    return {
        name: getattr(city, name)
        for name in ("code", "name", "short_name", "province", "platform_name")
    } | {"address": "", "email": "", "phone": "", "website": ""}


def _agency_data(agency):
    return {
        "code": agency.code,
        "short_name": agency.short_name,
        "name": agency.name,
        "kind": agency.kind,
        "is_active": "on",
    }


@pytest.mark.parametrize("model", [City, Agency], ids=["city", "agency"])
def test_logo_of_6300_pixels_square_is_refused_without_decoding(model, diskominfo, no_decoding):
    instance = City.objects.get() if model is City else diskominfo
    data = _city_data(instance) if model is City else _agency_data(instance)
    form = _admin_form(model, instance, data, {"logo": upload(huge_png())})
    assert not form.is_valid()
    assert "terlalu besar" in " ".join(form.errors["logo"]) or "megapiksel" in str(form.errors)


@pytest.mark.parametrize("model", [City, Agency], ids=["city", "agency"])
def test_logo_is_stored_without_its_gps_under_a_generated_name(model, diskominfo):
    instance = City.objects.get() if model is City else diskominfo
    data = _city_data(instance) if model is City else _agency_data(instance)
    form = _admin_form(model, instance, data, {"logo": upload(photo_with_gps(), "logo.jpg")})
    assert form.is_valid(), form.errors
    stored = form.save().logo
    assert stored.name.endswith(".png") and "logo" not in stored.name.rsplit("/", 1)[-1]
    with stored.open("rb") as fh:
        assert_clean(fh.read())


def test_a_stored_logo_that_is_not_an_image_is_never_served_as_a_page(client, city):
    name = default_storage.save("agencies/logo.html", ContentFile(b"<script>alert(1)</script>"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_certificate_pdfs_draw_stored_images_within_the_gates_bounds(settings, no_decoding):
    """A huge logo stored before the gate existed is skipped, never decoded whole."""
    from ekraf.credentials import pdf

    name = default_storage.save("city/besar.png", ContentFile(huge_png()))
    pdf.forget_images()
    assert pdf.image(name, 280) is None
