"""The site's URLs plus two probe pages for the accessibility checker's own test: one clean, one
with a low-contrast link and an image without a text alternative (no inline style: the CSP holds,
so the bad contrast comes from a Bootstrap class on a white page)."""

from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import path

from ekraf.urls import urlpatterns as site_urlpatterns

# A 1×1 PNG, so the image loads and only its missing alt is wrong.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5dd2e6b0000000049454e44ae426082"
)


def _page(title: str, body: str) -> HttpResponse:
    return HttpResponse(
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        f'<link rel="stylesheet" href="{static("bootstrap/css/bootstrap.min.css")}"></head>'
        f'<body><main class="container"><h1>{title}</h1>{body}</main></body></html>'
    )


def clean(request):
    return _page("Halaman rapi", '<p><a href="/a11y-probe/buruk/">Ke halaman buruk</a></p>')


def bad(request):
    return _page(
        "Halaman buruk",
        '<p><a class="link-light" href="/a11y-probe/rapi/">Kembali</a></p>'
        '<img src="/a11y-probe/pixel.png" width="40" height="40">',
    )


def pixel(request):
    return HttpResponse(PIXEL, content_type="image/png")


urlpatterns = [
    path("a11y-probe/rapi/", clean),
    path("a11y-probe/buruk/", bad),
    path("a11y-probe/pixel.png", pixel),
    *site_urlpatterns,
]
