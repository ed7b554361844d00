"""Reporters, editors, stories and photos for the newsroom's tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ekraf.creators.models import CreatorProfile, Pathway, PathwayInterest
from ekraf.newsroom import services
from ekraf.newsroom.models import Story
from tests import factories


def reporter(name: str = "Sari Pewarta"):
    user = factories.user("pewarta", role="creator", full_name=name)
    profile = CreatorProfile.objects.create(user=user, full_name=name)
    PathwayInterest.objects.create(profile=profile, pathway=Pathway.CITIZEN_REPORTER)
    return user


def editor():
    return factories.user("editor", role="editor", full_name="Yusuf Editor")


def jpeg(size=(640, 480), *, exif: bool = True, orientation: int | None = None) -> bytes:
    """A JPEG carrying what a phone writes: GPS, camera make and serial, dates, a thumbnail,
    an sRGB colour profile; optionally an orientation tag."""
    from PIL import ImageCms

    image = Image.new("RGB", size, (200, 120, 40))
    image.paste((10, 10, 200), (0, 0, size[0] // 2, size[1] // 4))  # the top-left marker
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    if not exif:
        image.save(out, "JPEG", icc_profile=icc)
        return out.getvalue()
    data = Image.Exif()
    data[0x010F] = "PhoneMaker"  # Make
    data[0x0110] = "Model X"  # Model
    data[0x0132] = "2024:01:15 10:00:00"  # DateTime
    if orientation:
        data[0x0112] = orientation
    exif_ifd = data.get_ifd(0x8769)
    exif_ifd[0xA431] = "SERIAL-123456"  # BodySerialNumber
    exif_ifd[0x9003] = "2024:01:15 10:00:00"  # DateTimeOriginal
    gps = data.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (7.0, 57.0, 0.0)
    gps[3] = "E"
    gps[4] = (112.0, 37.0, 0.0)
    image.save(out, "JPEG", exif=data, icc_profile=icc)
    return out.getvalue()


def upload(data: bytes | None = None, name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or jpeg(), content_type="image/jpeg")


def draft(author, *, village: str = "Dinoyo", title: str = "Kampung Warna-warni Jodipan"):
    story = services.start_story(author)
    story, _rev = services.save_story(
        story,
        author,
        {
            "title": title,
            "lead": "Warga mengecat ulang kampung mereka menjelang festival.",
            "body": "Warga **bergotong royong** mengecat rumah.\n\nFestival digelar Minggu.",
            "region": factories.village(village).code,
            "tags": ["wisata", "budaya"],
            "sources": [{"name": "Pak RT", "how": "wawancara langsung"}],
            "byline_consent": True,
        },
    )
    return story


def published(author, editor_user, **kwargs) -> Story:
    story = draft(author, **kwargs)
    services.submit(story, author)
    services.review(story, editor_user)
    services.approve(story, editor_user)
    return services.publish(story, editor_user)
