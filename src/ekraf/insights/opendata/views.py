"""Open data for everyone: only published (suppressed) release rows ever leave these views."""

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from .. import indicators
from ..models import Release
from . import package, releases


def dictionary(request):
    """The data dictionary: every indicator's metadata, available or not (public)."""
    return render(
        request,
        "opendata/dictionary.html",
        {"items": indicators.all_indicators(), "latest": releases.latest()},
    )


def index(request):
    latest = releases.latest()
    return render(
        request,
        "opendata/index.html",
        {
            "latest": latest,
            "specs": releases.specs(),
            "releases": Release.objects.order_by("-month", "-revision")[:36],
        },
    )


def _release(version):
    release = releases.get(version)
    if release is None:
        raise Http404
    return release


def _spec(code):
    spec = releases.dataset_spec(code)
    if spec is None:
        raise Http404
    return spec


def _public(response, filename=None):
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    if filename:
        response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


def datapackage(request, version):
    release = _release(version)
    return _public(
        JsonResponse(
            package.datapackage(release, releases.specs()), json_dumps_params={"indent": 1}
        )
    )


def dataset_csv(request, version, code):
    release, spec = _release(version), _spec(code)
    response = StreamingHttpResponse(
        releases.csv_stream(release, spec), content_type="text/csv; charset=utf-8"
    )
    return _public(response, f"{code}-{release.version}.csv")


def dataset_json(request, version, code):
    release, spec = _release(version), _spec(code)
    response = StreamingHttpResponse(
        releases.json_stream(release, spec), content_type="application/json"
    )
    return _public(response)


def catalogue(request):
    release = releases.latest()
    return _public(
        JsonResponse(
            package.catalogue(release, releases.specs()),
            content_type="application/ld+json",
            json_dumps_params={"indent": 1, "ensure_ascii": False},
        )
    )


def context(request):
    return _public(JsonResponse(package.context_document(), content_type="application/ld+json"))
