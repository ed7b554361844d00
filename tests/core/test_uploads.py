"""The upload gate (ekraf.core.uploads): every image or document upload is checked by what its
bytes are, refused by its header before decoding when too big, decoded within bounds,
re-encoded without metadata, named by us, and served with safe headers."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from PIL import Image

from ekraf.core import uploads
from ekraf.core.errors import DomainError


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), **save):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt, **save)
    return out.getvalue()


def upload(data: bytes, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def exif_with_gps_and_serial(orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "KameraKu"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0xA431] = "SN-123456"  # BodySerialNumber
    exif[0x0132] = "2026:01:02 03:04:05"  # DateTime
    gps = {1: "S", 2: (7.0, 57.0, 0.0), 3: "E", 4: (112.0, 37.0, 0.0)}
    exif[0x8825] = gps
    if orientation:
        exif[0x0112] = orientation
    return exif


def test_a_photo_keeps_no_gps_camera_or_dates_and_is_stored_under_our_name():
    data = image_bytes(exif=exif_with_gps_and_serial())
    assert Image.open(io.BytesIO(data)).getexif()  # the original carries them

    clean = uploads.accept_image(upload(data, name="../../etc/passwd.jpg"), "story_photo")

    stored = Image.open(io.BytesIO(clean.content.read()))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert "exif" not in stored.info and "xmp" not in stored.info
    assert clean.name.endswith(".jpg") and "passwd" not in clean.name and "/" not in clean.name
    assert clean.content_type == "image/jpeg"


def test_orientation_is_applied_before_the_metadata_goes():
    data = image_bytes(size=(80, 40), exif=exif_with_gps_and_serial(orientation=6))
    clean = uploads.accept_image(upload(data), "profile_photo")
    assert (clean.width, clean.height) == (40, 80)  # rotated upright


def test_colour_profile_is_kept_only_where_the_rule_asks():
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = image_bytes(icc_profile=icc)
    story = uploads.accept_image(upload(data), "story_photo")
    profile = uploads.accept_image(upload(data), "profile_photo")
    assert Image.open(io.BytesIO(story.content.read())).info.get("icc_profile") == icc
    assert "icc_profile" not in Image.open(io.BytesIO(profile.content.read())).info


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "foto.jpg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "foto.svg"),
        (image_bytes("TIFF"), "foto.jpg"),
        (image_bytes("GIF"), "foto.gif"),
        (image_bytes("BMP"), "foto.png"),
        (b"%PDF-1.4\n%%EOF", "foto.jpg"),
    ],
    ids=["html", "svg", "tiff", "gif", "bmp", "pdf"],
)
def test_the_type_comes_from_the_bytes_never_the_name(data, name):
    with pytest.raises(DomainError) as refused:
        uploads.accept_image(upload(data, name=name), "profile_photo", field="photo")
    assert refused.value.field == "photo"
    assert "JPG, PNG, WebP" in refused.value.message


def test_a_png_named_jpg_is_read_as_the_png_it_is():
    clean = uploads.accept_image(upload(image_bytes("PNG"), name="x.jpg"), "profile_photo")
    assert Image.open(io.BytesIO(clean.content.read())).format == "JPEG"


def _huge_png(side=6300) -> bytes:
    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding(monkeypatch):
    """The attacker's 6300 × 6300 PNG is small on the wire; decoding it cost 465 MB."""
    data = _huge_png()
    assert len(data) < 200_000

    def never(*args, **kwargs):
        raise AssertionError("decoded a bomb")

    monkeypatch.setattr(Image.Image, "load", never)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", never)
    with pytest.raises(DomainError) as refused:
        uploads.accept_image(upload(data, name="bom.png"), "profile_photo")
    assert "megapiksel" in refused.value.message


def test_a_large_jpeg_is_decoded_at_reduced_scale(monkeypatch):
    """A 24-megapixel phone photo is decoded at 1/2 scale straight to about the stored size:
    12 MB of pixels instead of 72 MB (Pillow's arena is outside tracemalloc, so the decoded
    size is observed where decoding happens)."""
    from PIL import ImageFile

    decoded = []
    real_load = ImageFile.ImageFile.load

    def load(self):
        decoded.append(self.size)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    data = image_bytes(size=(6000, 4000), quality=60)
    clean = uploads.accept_image(upload(data), "story_photo")
    assert decoded and decoded[0][0] * decoded[0][1] <= 3000 * 2000
    assert max(clean.width, clean.height) == 2048


def test_too_many_bytes_are_refused_whatever_size_the_upload_claims():
    data = image_bytes(size=(10, 10)) + b"\0" * (2 * 1024 * 1024)
    fake = upload(data)
    fake.size = 10  # a lying size attribute does not help
    with pytest.raises(DomainError) as refused:
        uploads.accept_image(fake, "signature")
    assert "2 MB" in refused.value.message


def test_transparency_is_flattened_on_white_for_jpeg_and_kept_for_png():
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, "PNG")
    photo = uploads.accept_image(upload(out.getvalue()), "profile_photo")
    assert Image.open(io.BytesIO(photo.content.read())).convert("RGB").getpixel((5, 5)) == (
        255,
        255,
        255,
    )
    signature = uploads.accept_image(upload(out.getvalue()), "signature")
    stored = Image.open(io.BytesIO(signature.content.read()))
    assert stored.format == "PNG" and stored.mode == "RGBA"


def test_a_truncated_image_is_refused_clearly():
    with pytest.raises(DomainError) as refused:
        uploads.accept_image(upload(image_bytes(size=(300, 300))[:200]), "profile_photo")
    assert "bukan gambar yang bisa dibaca" in refused.value.message


# --- documents ---------------------------------------------------------------------------------


def pdf_bytes(pages=1, *, extra=None) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    doc = canvas.Canvas(out)
    for n in range(pages):
        doc.drawString(72, 720, f"Surat permohonan halaman {n + 1}")
        doc.showPage()
    doc.save()
    data = out.getvalue()
    if extra:
        data = extra(data)
    return data


def with_open_action_script(data: bytes) -> bytes:
    """The same PDF with a JavaScript OpenAction added by an incremental update."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    action = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/JavaScript"),
            generic.NameObject("/JS"): generic.TextStringObject("app.alert(1)"),
        }
    )
    writer.root[generic.NameObject("/OpenAction")] = writer.add_object(action)
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_request_letter_must_really_be_a_pdf():
    clean = uploads.accept_pdf(
        upload(pdf_bytes(2), "surat.pdf", "application/pdf"), "request_letter"
    )
    assert clean.pages == 2 and clean.name.endswith(".pdf")

    for data in (b"bukan pdf", image_bytes(), b"%PDF-1.4\nrusak tanpa akhir"):
        with pytest.raises(DomainError) as refused:
            uploads.accept_pdf(upload(data, "surat.pdf", "application/pdf"), "request_letter")
        assert "PDF" in refused.value.message


def test_a_pdf_that_runs_scripts_is_refused():
    data = pdf_bytes(extra=with_open_action_script)
    with pytest.raises(DomainError) as refused:
        uploads.accept_pdf(upload(data, "surat.pdf"), "request_letter")
    assert "skrip" in refused.value.message


def test_a_pdf_with_too_many_pages_is_refused():
    with pytest.raises(DomainError) as refused:
        uploads.accept_pdf(upload(pdf_bytes(21), "surat.pdf"), "request_letter")
    assert "20 halaman" in refused.value.message


# --- serving and the request-size limit ------------------------------------------------------


def test_serving_a_stored_upload_sets_type_disposition_and_no_cache(tmp_path):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("surat/abc.pdf", io.BytesIO(pdf_bytes()))
    response = uploads.serve(storage.open(name), download_name="surat permohonan.pdf", inline=True)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")  # documents never inline
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_a_request_above_the_application_limit_is_refused_before_it_is_read(settings):
    settings.MAX_REQUEST_BYTES = 1024
    request = RequestFactory().post("/profil/ubah/", data=b"x" * 2048, content_type="text/plain")
    response = uploads.RequestSizeLimitMiddleware(lambda r: pytest.fail("read"))(request)
    assert response.status_code == 413
    assert "paling besar" in response.content.decode()


@pytest.mark.django_db
def test_the_limit_holds_for_a_real_request_through_the_whole_stack(settings, city):
    settings.MAX_REQUEST_BYTES = 4096
    response = Client().post(
        "/masuk/", {"username": "x", "password": "y", "file": upload(b"x" * 8192)}
    )
    assert response.status_code == 413


def test_a_streamed_body_stops_at_the_limit(settings):
    from django.core.exceptions import RequestDataTooBig

    settings.MAX_REQUEST_BYTES = 100
    handler = uploads.LimitedUploadHandler()
    handler.receive_data_chunk(b"x" * 60, 0)
    with pytest.raises(RequestDataTooBig):
        handler.receive_data_chunk(b"x" * 60, 60)
