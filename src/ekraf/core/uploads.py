"""The one gate every uploaded image or document passes, and the one way such files are served.

Profile photos, signatures, logos, programme evidence screenshots, story photos and booking
request letters all come in through here, so a limit or a check exists once. An attacker's
154 KB PNG of 6300 × 6300 pixels took a web process from 170 MB to 635 MB when it was decoded
whole; the gate now refuses an image by what its header says before a single pixel is decoded:

1. the size in bytes, counted while reading (a wrong `size` attribute cannot lie past it);
2. the type, sniffed from the first bytes — never the name or the browser's content type — and
   the image opened with only that decoder (no TIFF, EPS or ICO decoder ever sees user bytes);
3. width × height from the header, against the rule's pixel limit;
4. a bounded decode: JPEG is decoded at reduced scale (`draft`) straight to about the size it
   is stored at; formats that cannot be reduced while decoding (PNG, WebP) have a lower limit;
5. orientation applied, then re-encoded from pixels alone: EXIF (GPS, device serial, dates),
   XMP, comments and embedded thumbnails are gone; the colour profile is kept where asked;
6. stored under a generated name (`random_code`), never the uploader's.

PDF documents are sniffed (`%PDF-` … `%%EOF`), parsed with pyHanko's reader (already trusted
for signatures), limited in pages, and refused when they carry scripts, launch actions or
embedded files. They cannot be re-encoded, so they are only ever served as attachments with a
sandboxing Content-Security-Policy.

`serve` answers with a content type decided by the gate (from the stored name it generated),
`Content-Disposition`, `nosniff` and no caching of personal files.

The application's own request-size limit (`MAX_REQUEST_BYTES`, `EKRAF_MAX_REQUEST_MB`) is
enforced by `RequestSizeLimitMiddleware` (declared length) and `LimitedUploadHandler` (bytes
actually streamed, for chunked bodies), both in this module.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import DomainError
from .ids import random_code

log = logging.getLogger(__name__)

MB = 1024 * 1024

# Pillow's own bomb guard, as a second line behind the rules below (it errors at twice this).
Image.MAX_IMAGE_PIXELS = 64_000_000

# Decoders that cannot decode at reduced scale decode every pixel: RGBA at 12 MP is 48 MB.
FULL_DECODE_MAX_PIXELS = 12_000_000

SIGNATURES = {
    "JPEG": (b"\xff\xd8\xff",),
    "PNG": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "PDF": "pdf"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}
FORMAT_LABELS = {"JPEG": "JPG", "PNG": "PNG", "WEBP": "WebP"}


@dataclass(frozen=True)
class ImageRule:
    """What one kind of image upload may be, and how it is stored."""

    label: str  # the thing, for messages: "Foto profil"
    max_bytes: int
    max_pixels: int  # width × height as the header declares it
    max_side: int  # the stored image fits in max_side × max_side
    formats: tuple[str, ...] = ("JPEG", "PNG", "WEBP")
    output: str = "JPEG"  # JPEG (photos), PNG (transparency: signatures, logos)
    keep_icc: bool = False  # keep the colour profile (published photos)
    quality: int = 85


@dataclass(frozen=True)
class DocumentRule:
    label: str
    max_bytes: int
    max_pages: int


# Every kind of upload and its limits, in one place. Apps ask for a rule by name.
IMAGE_RULES: dict[str, ImageRule] = {
    "profile_photo": ImageRule(
        gettext_lazy("Foto profil"), 5 * MB, 40_000_000, 800, keep_icc=False
    ),
    "signature": ImageRule(
        gettext_lazy("Gambar tanda tangan"),
        2 * MB,
        4_000_000,
        1200,
        formats=("JPEG", "PNG"),
        output="PNG",
    ),
    "logo": ImageRule(gettext_lazy("Logo"), 2 * MB, 16_000_000, 1024, output="PNG"),
    "evidence": ImageRule(
        gettext_lazy("Tangkapan layar bukti"), 10 * MB, 40_000_000, 2400, keep_icc=True
    ),
    "story_photo": ImageRule(
        gettext_lazy("Foto berita"), 15 * MB, 64_000_000, 2048, keep_icc=True, quality=88
    ),
    "room_photo": ImageRule(
        gettext_lazy("Foto ruang"), 15 * MB, 64_000_000, 2048, keep_icc=True, quality=88
    ),
}
DOCUMENT_RULES: dict[str, DocumentRule] = {
    "request_letter": DocumentRule(gettext_lazy("Surat permohonan"), 5 * MB, 20),
}


@dataclass(frozen=True)
class CleanFile:
    """What passed the gate: the bytes to store under `name`, and what they are."""

    content: ContentFile
    name: str
    content_type: str
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    icc_kept: bool = False


def _refuse(message, field: str) -> DomainError:
    return DomainError(message, field=field, code="invalid_file")


def read_limited(uploaded, max_bytes: int, label, field: str) -> bytes:
    """The upload's bytes, never more than max_bytes + 1 read (whatever `size` claims)."""
    size = getattr(uploaded, "size", None)
    too_big = _("%(what)s paling besar %(mb)s MB.") % {
        "what": label,
        "mb": _megabytes(max_bytes),
    }
    if size is not None and size > max_bytes:
        raise _refuse(too_big, field)
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refuse(too_big, field)
    if not data:
        raise _refuse(_("Berkas kosong."), field)
    return data


def _megabytes(n: int) -> str:
    value = n / MB
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")


def sniff(data: bytes) -> str | None:
    """The type the bytes themselves say: JPEG, PNG, WEBP, PDF, or None."""
    for name, prefixes in SIGNATURES.items():
        if data.startswith(prefixes):
            return name
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:5] == b"%PDF-":
        return "PDF"
    return None


def _formats_text(formats) -> str:
    return ", ".join(FORMAT_LABELS.get(f, f) for f in formats)


def accept_image(uploaded, rule: str | ImageRule, *, field: str = "file") -> CleanFile:
    """Check and re-encode an uploaded image by its rule; DomainError (on `field`) otherwise."""
    rule = IMAGE_RULES[rule] if isinstance(rule, str) else rule
    data = read_limited(uploaded, rule.max_bytes, rule.label, field)
    kind = sniff(data)
    if kind not in rule.formats:
        raise _refuse(
            _("%(what)s harus berupa gambar %(formats)s.")
            % {"what": rule.label, "formats": _formats_text(rule.formats)},
            field,
        )
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            width, height = image.size
            if width < 1 or height < 1 or width * height > rule.max_pixels:
                raise _refuse(_pixels_message(rule.label, rule.max_pixels), field)
            if kind != "JPEG" and width * height > FULL_DECODE_MAX_PIXELS:
                raise _refuse(
                    _(
                        "%(what)s dalam format %(format)s paling besar %(mp)s megapiksel; "
                        "perkecil gambarnya atau kirim sebagai JPG."
                    )
                    % {
                        "what": rule.label,
                        "format": FORMAT_LABELS[kind],
                        "mp": FULL_DECODE_MAX_PIXELS // 1_000_000,
                    },
                    field,
                )
            icc = image.info.get("icc_profile") if rule.keep_icc else None
            pixels = _to_output_mode(_bounded_decode(image, kind, rule.max_side), rule.output)
            if icc and pixels.mode not in ("RGB", "RGBA", "L", "LA"):
                icc = None
            pixels.thumbnail((rule.max_side, rule.max_side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            options = {"icc_profile": icc} if icc else {}
            if rule.output == "JPEG":
                pixels.save(out, "JPEG", quality=rule.quality, optimize=True, **options)
            elif rule.output == "PNG":
                pixels.save(out, "PNG", optimize=True, **options)
            else:
                pixels.save(out, rule.output, quality=rule.quality, **options)
    except DomainError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise _refuse(_("Berkas ini bukan gambar yang bisa dibaca."), field) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        log.info("image refused: %s", exc)
        raise _refuse(_("Berkas ini bukan gambar yang bisa dibaca."), field) from exc
    ext = EXTENSIONS[rule.output]
    name = f"{random_code(16).lower()}.{ext}"
    return CleanFile(
        content=ContentFile(out.getvalue(), name=name),
        name=name,
        content_type=CONTENT_TYPES[ext],
        width=pixels.width,
        height=pixels.height,
        icc_kept=bool(icc),
    )


def _pixels_message(label, max_pixels: int) -> str:
    return _("%(what)s terlalu besar: paling banyak %(mp)s megapiksel.") % {
        "what": label,
        "mp": max_pixels // 1_000_000,
    }


def _bounded_decode(image: Image.Image, kind: str, max_side: int) -> Image.Image:
    """Decode an opened image whose header passed the checks, upright. JPEG is decoded at 1/2,
    1/4 or 1/8 scale straight to about `max_side` (draft keeps both sides at least as asked,
    so ask with the picture's own shape); an animation gives its first frame."""
    width, height = image.size
    if kind == "JPEG":
        scale = max_side / max(width, height)
        if scale < 1:
            wanted = (max(1, int(width * scale)), max(1, int(height * scale)))
            image.draft("RGB" if image.mode != "L" else "L", wanted)
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    image.load()
    return _upright(image)


def decode_stored(data: bytes, max_side: int, *, max_pixels: int = 64_000_000) -> Image.Image:
    """A stored image (one the gate accepted, or a logo that came with the city's reference
    data) decoded for drawing it at most `max_side` pixels wide, with the gate's own bounds:
    type sniffed, pixels checked from the header, JPEG reduced while decoding. ValueError when
    it is not an image the gate would have let through."""
    kind = sniff(data)
    if kind not in ("JPEG", "PNG", "WEBP"):
        raise ValueError("not a JPEG, PNG or WebP image")
    image = Image.open(io.BytesIO(data), formats=[kind])
    width, height = image.size
    if width * height > max_pixels or (kind != "JPEG" and width * height > FULL_DECODE_MAX_PIXELS):
        raise ValueError(f"{width} x {height} pixels is more than a stored image may hold")
    pixels = _bounded_decode(image, kind, max_side)
    pixels.thumbnail((max_side, max_side))
    return pixels


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; a broken EXIF block is ignored, never trusted further."""
    try:
        return ImageOps.exif_transpose(image)
    except (SyntaxError, ValueError, TypeError, KeyError, OSError):
        return image


def _to_output_mode(image: Image.Image, output: str) -> Image.Image:
    """Pixels in a mode the output format stores; transparency flattened on white for JPEG."""
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("CMYK", "YCbCr", "I", "I;16", "F", "1"):
        image = image.convert("RGB")
    if output == "JPEG":
        if image.mode in ("RGBA", "LA"):
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
            return background
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    return image if image.mode in ("RGB", "RGBA", "L", "LA") else image.convert("RGBA")


class ImageUploadField(forms.FileField):
    """A form field (pages and the admin site alike) whose new uploads pass `accept_image` by
    `rule`: cleaned_data holds the gate's ContentFile under its generated name, ready for a
    model's FileField/ImageField; no other code decodes the upload first (Django's own
    forms.ImageField would open it with every Pillow decoder)."""

    def __init__(self, rule: str, **kwargs):
        self.rule = rule
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": _ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not isinstance(value, UploadedFile):
            return value  # unchanged (the stored file) or cleared (False)
        try:
            return accept_image(value, self.rule, field=self.rule).content
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc


_ACCEPT = "image/jpeg,image/png,image/webp"


# --- documents ----------------------------------------------------------------------------------

# Catalogue or page entries that make a PDF act rather than show: refused.
_ACTIVE_CATALOGUE_KEYS = ("/OpenAction", "/AA")
_ACTIVE_NAME_TREES = ("/JavaScript", "/EmbeddedFiles")


def accept_pdf(uploaded, rule: str | DocumentRule, *, field: str = "file") -> CleanFile:
    """Check an uploaded PDF by its rule: really a PDF, readable, bounded, and inert."""
    rule = DOCUMENT_RULES[rule] if isinstance(rule, str) else rule
    data = read_limited(uploaded, rule.max_bytes, rule.label, field)
    not_pdf = _("%(what)s harus berupa berkas PDF.") % {"what": rule.label}
    if sniff(data) != "PDF" or b"%%EOF" not in data[-2048:]:
        raise _refuse(not_pdf, field)
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise _refuse(
                _("%(what)s terkunci kata sandi; kirim PDF tanpa kata sandi.")
                % {"what": rule.label},
                field,
            )
        root = reader.root
        pages = int(root["/Pages"].get("/Count", 0))
        active = any(key in root for key in _ACTIVE_CATALOGUE_KEYS)
        names = root.get("/Names")
        if names is not None:
            active = active or any(key in names for key in _ACTIVE_NAME_TREES)
    except DomainError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever breaks the parser is the file's fault
        log.info("pdf refused: %s", exc)
        raise _refuse(
            _("%(what)s tidak bisa dibaca sebagai PDF.") % {"what": rule.label}, field
        ) from exc
    if pages < 1:
        raise _refuse(_("%(what)s tidak berisi halaman.") % {"what": rule.label}, field)
    if pages > rule.max_pages:
        raise _refuse(
            _("%(what)s paling banyak %(n)d halaman.") % {"what": rule.label, "n": rule.max_pages},
            field,
        )
    if active:
        raise _refuse(
            _(
                "%(what)s berisi skrip, tindakan otomatis atau lampiran tersemat; cetak ulang "
                "sebagai PDF biasa (mis. “Simpan sebagai PDF”)."
            )
            % {"what": rule.label},
            field,
        )
    name = f"{random_code(16).lower()}.pdf"
    return CleanFile(
        content=ContentFile(data, name=name),
        name=name,
        content_type="application/pdf",
        pages=pages,
    )


# --- serving ------------------------------------------------------------------------------------


def content_type_for(name: str) -> str:
    """The type of a file the gate stored, from the extension it gave it."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return CONTENT_TYPES.get(ext, "application/octet-stream")


def serve(
    field_file,
    *,
    download_name: str,
    inline: bool = False,
    personal: bool = True,
) -> FileResponse:
    """Answer with a stored upload: the gate's content type, a Content-Disposition with a safe
    name, no MIME sniffing, a sandbox for anything that is not a plain image, and no caching
    of personal files by browsers or proxies."""
    content_type = content_type_for(field_file.name)
    if not content_type.startswith("image/"):
        inline = False
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store" if personal else "public, max-age=3600"
    return response


# --- the application's request-size limit -------------------------------------------------------


def max_request_bytes() -> int:
    return getattr(settings, "MAX_REQUEST_BYTES", 32 * MB)


class RequestSizeLimitMiddleware:
    """413 for a request whose declared body is above the application's limit, before Django
    reads any of it (a proxy in front may have a higher limit, or none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > max_request_bytes():
            return too_large_response()
        return self.get_response(request)


def too_large_response() -> HttpResponse:
    message = _("Kiriman terlalu besar: paling besar %(mb)s MB sekaligus.") % {
        "mb": _megabytes(max_request_bytes())
    }
    response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    response["Connection"] = "close"
    return response


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of a multipart body as they stream in (a chunked request declares no
    length) and stops at the limit: the request fails as too big (400) and nothing is kept."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_request_bytes():
            raise RequestDataTooBig(_("Kiriman terlalu besar."))
        return raw_data

    def file_complete(self, file_size):
        return None
