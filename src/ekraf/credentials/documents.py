"""The public documents verifiers fetch (JWKS, issuer profiles and keys, DID documents, status
lists, achievements, the local CA's certificate and revocation list) and the offline verifier.

All are read-only and public: each answers any origin (``Access-Control-Allow-Origin: *``), so
browser-based verifiers on other sites can call them. Split from views.py, which keeps the
pages people use.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache

from ekraf.core.models import Agency
from ekraf.core.selectors import current_city
from ekraf.trainings.models import Training

from . import keys, openbadges, selectors, services
from .views import _public_page

# --- the offline verifier -----------------------------------------------------------------------

OFFLINE_SCOPE = "/verifikasi/offline"


def _offline_files() -> list[str]:
    """What the offline verifier needs once loaded: the page, its styles and scripts, the keys
    and the status document (revoked and superseded certificates)."""
    from django.templatetags.static import static

    files = [
        reverse("credentials:verify_offline"),
        static("bootstrap/css/bootstrap.min.css"),
        static("ekraf/app.css"),
        static("credentials/offline.js"),
        reverse("credentials:jwks"),
        reverse("credentials:verify_offline_status"),
    ]
    scanning = _scanning()
    if scanning:
        files += [scanning["qrscan"], scanning["jsqr"]]
    city = current_city()
    if city is not None and city.logo:
        files.append(city.logo.url)  # the header's logo and the page's icon
    return files


@functools.cache
def _scanning() -> dict | None:
    """The shared camera QR scanner (core's ekraf/qrscan.js and its decoder) when this
    installation has it; without it the page offers pasting the QR's content only."""
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    names = {"qrscan": "ekraf/qrscan.js", "jsqr": "ekraf/vendor/jsqr/jsQR.js"}
    if not all(finders.find(name) for name in names.values()):
        return None
    return {key: static(name) for key, name in names.items()}


def verify_offline(request):
    """Checks a certificate's QR in the browser, against the JWKS it keeps: once loaded, it
    works with no network (its service worker keeps the page, its script and the keys)."""
    context = {
        "jwks_url": reverse("credentials:jwks"),
        "status_url": reverse("credentials:verify_offline_status"),
        "worker_url": reverse("credentials:verify_offline_worker"),
        "scope": OFFLINE_SCOPE,
        "scanning": _scanning(),
    }
    return _public_page(request, "credentials/verify_offline.html", context)


def verify_offline_worker(request):
    """The service worker (a view, not a static file: its scope must cover the page)."""
    files = _offline_files()
    version = hashlib.sha256("|".join(files).encode()).hexdigest()[:12]
    body = render_to_string(
        "credentials/offline_sw.js", {"files": json.dumps(files), "version": json.dumps(version)}
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def verify_offline_status(request):
    """Which certificates are revoked or superseded, as hashes of their codes
    (selectors.offline_status): what the offline verifier keeps to say so without a network.
    Cached a minute only, so a revocation reaches the phones at their next sync."""
    body = json.dumps(selectors.offline_status(), separators=(",", ":"))
    return _public_document(body, "application/json", max_age=60)


def jwks(request):
    try:
        body = keys.keyring().jwks()
    except keys.KeysMissing:
        body = {"keys": []}
    return _public_document(json.dumps(body), "application/jwk-set+json")


def pki_crl(request):
    """The local CA's current revocation list: where PDF validators check, years from now, that
    the timestamping certificate of a certificate's latest archive timestamp is not revoked."""
    body = keys.local_crl()
    if body is None:
        raise Http404
    return _public_document(body, "application/pkix-crl", max_age=3600)


def pki_ca(request):
    """The local CA's certificate, for whoever wants their PDF reader to trust it."""
    cert = keys.local_ca_certificate()
    if cert is None:
        raise Http404
    from cryptography.hazmat.primitives.serialization import Encoding

    return _public_document(cert.public_bytes(Encoding.PEM), "application/x-pem-file", 86400)


def _public_document(body, content_type: str, max_age: int = 300) -> HttpResponse:
    """A public read-only document browser-based verifiers may fetch from any origin."""
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- Open Badges documents ------------------------------------------------------------------------


def _json_ld(data: dict, content_type: str = "application/ld+json") -> HttpResponse:
    return _public_document(json.dumps(data, ensure_ascii=False, indent=2), content_type)


def ob_issuer(request, agency_code):
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise Http404
    try:
        return _json_ld(openbadges.issuer_profile(agency))
    except keys.KeysMissing as exc:
        raise Http404 from exc


def _public_training(public_id) -> Training:
    training = Training.objects.filter(public_id=public_id).select_related("agency").first()
    if training is None or training.status == Training.Status.DRAFT:
        raise Http404
    return training


def ob_did(request, agency_code):
    """The agency's did:web DID document (the issuer's identifier on an HTTPS site)."""
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise Http404
    try:
        document = openbadges.did_document(agency)
    except keys.KeysMissing as exc:
        raise Http404 from exc
    return _public_document(json.dumps(document, indent=2), "application/did+ld+json")


def ob_achievement(request, public_id):
    """The achievement its credentials embed: from the latest certificate's printed fields (the
    same object, byte for byte), or from the training before any is issued."""
    training = _public_training(public_id)
    printed = selectors.latest_certificate(training) or services.TrainingPrint.of(training)
    return _json_ld(openbadges.hosted_achievement(training, printed))


def ob_achievement_image(request, public_id):
    training = _public_training(public_id)
    svg = openbadges.achievement_svg(training, current_city())
    return _public_document(svg, "image/svg+xml", max_age=86400)


def _agency_key(agency_code, kid):
    if not Agency.objects.filter(code=agency_code).exists():
        raise Http404
    try:
        key = keys.keyring().get(kid)
    except keys.KeysMissing as exc:
        raise Http404 from exc
    if key is None:
        raise Http404
    return key


def ob_key(request, agency_code, kid):
    """A verification method on its own URL: its Multikey document, naming the issuer profile
    as controller (what Data Integrity verifiers dereference)."""
    key = _agency_key(agency_code, kid)
    return _json_ld(openbadges.multikey_document(agency_code, key))


def ob_key_jwk(request, agency_code, kid):
    """The same key as a JWK: what the Open Badges JWT's ``kid`` dereferences to."""
    key = _agency_key(agency_code, kid)
    return _public_document(
        json.dumps({**key.jwk(), "kid": openbadges.key_jwk_url(agency_code, kid)}),
        "application/jwk+json",
    )


@never_cache
def ob_status_list(request, agency_code, number):
    status_list = selectors.status_list(agency_code, number)
    if status_list is None:
        raise Http404
    status_list = services.ensure_status_list_published(status_list)
    try:
        with default_storage.open(status_list.file, "rb") as fh:
            body = fh.read()
    except FileNotFoundError:
        # A publish that committed meanwhile deleted the file read above, or storage lost it:
        # every verifier of every certificate of the agency fetches this, so publish afresh.
        status_list = openbadges.publish_status_list(status_list.pk)
        with default_storage.open(status_list.file, "rb") as fh:
            body = fh.read()
    response = HttpResponse(body, content_type=openbadges.VC_MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    return response
