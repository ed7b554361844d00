"""Story photos pass core/uploads.py's gate with the story_photo rule."""

import io
import struct
import zlib

import pytest
from PIL import Image

from ekraf.core.errors import DomainError
from ekraf.newsroom import services

from . import factories as nf


def _add(story, user, data=None, **kwargs):
    meta = {"caption": "Mural di gang", "credit": "Sari", "licence": "cc-by-4.0"}
    meta.update(kwargs)
    return services.add_photo(story, user, nf.upload(data), **meta)


def test_stored_photo_has_no_gps_camera_dates_or_thumbnail_but_keeps_colour_profile(reporter):
    story = nf.draft(reporter)
    original = nf.jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS was there
    photo = _add(story, reporter, original)
    with photo.image.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
        exif = stored.getexif()
        assert len(exif) == 0
        assert not exif.get_ifd(0x8825) and not exif.get_ifd(0x8769)
        assert "exif" not in stored.info
        assert stored.info.get("icc_profile")  # colour profile kept
    with photo.image.open("rb") as f:
        raw = f.read()
    assert b"SERIAL-123456" not in raw and b"PhoneMaker" not in raw and b"2024:01:15" not in raw


def test_orientation_is_applied(reporter):
    story = nf.draft(reporter)
    photo = _add(story, reporter, nf.jpeg((640, 480), orientation=6))  # rotate 90° on display
    assert (photo.width, photo.height) == (480, 640)


def _png_bomb(width=30_000, height=30_000) -> bytes:
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused_without_decoding(reporter, monkeypatch):
    story = nf.draft(reporter)

    def no_decode(self, *args, **kwargs):
        raise AssertionError("the bomb was decoded")

    monkeypatch.setattr(Image.Image, "load", no_decode)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", no_decode)
    with pytest.raises(DomainError) as refused:
        _add(story, reporter, _png_bomb())
    assert refused.value.field == "photo"
    assert story.photos.count() == 0


def test_type_is_sniffed_from_content_not_name(reporter):
    story = nf.draft(reporter)
    with pytest.raises(DomainError):
        services.add_photo(
            story,
            reporter,
            nf.upload(b"GIF89a" + b"\x00" * 100, name="foto.jpg"),
            caption="x",
            credit="y",
            licence="cc-by-4.0",
        )


def test_minor_or_victim_without_consent_is_refused(reporter):
    story = nf.draft(reporter)
    with pytest.raises(DomainError) as refused:
        _add(story, reporter, identifiable_people=True, minor_or_victim=True)
    assert refused.value.field == "people_consent"
    photo = _add(story, reporter, minor_or_victim=True, people_consent=True)
    assert photo.identifiable_people


def test_someone_elses_photo_names_its_owner_and_caption_credit_are_required(reporter):
    story = nf.draft(reporter)
    with pytest.raises(DomainError):
        _add(story, reporter, taken_by_reporter=False, licence="permission")
    with pytest.raises(DomainError):
        _add(story, reporter, caption="")
    with pytest.raises(DomainError):
        _add(story, reporter, credit="")
    assert _add(story, reporter, taken_by_reporter=False, owner="Humas Kelurahan").owner


def test_at_most_ten_photos(reporter):
    story = nf.draft(reporter)
    small = nf.jpeg((40, 30), exif=False)
    for _ in range(10):
        _add(story, reporter, small)
    with pytest.raises(DomainError):
        _add(story, reporter, small)
