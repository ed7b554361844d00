"""Open data through the API: the same immutable, suppressed releases as /data/. No login."""

import datetime as dt

from django.http import Http404
from ninja import Router, Schema

from .opendata import package, releases
from .opendata import views as pages

router = Router(tags=["Data terbuka"])


class DatasetOut(Schema):
    code: str
    title: str
    rows: int
    suppressed: int


class ReleaseOut(Schema):
    version: str
    month: dt.date
    revision: int
    published_at: dt.datetime
    data_as_of: dt.datetime
    note: str
    threshold: int
    frequency: str = "monthly"
    datasets: list[DatasetOut]


def _out(release) -> dict:
    titles = {s.code: s.title for s in releases.specs()}
    return {
        "version": release.version,
        "month": release.month,
        "revision": release.revision,
        "published_at": release.published_at,
        "data_as_of": release.data_as_of,
        "note": release.note,
        "threshold": release.threshold,
        "datasets": [
            {"code": code, "title": titles.get(code, code), **info}
            for code, info in release.datasets.items()
        ],
    }


@router.get(
    "/open-data/releases", response=list[ReleaseOut], auth=None, summary="Rilis data terbuka"
)
def list_releases(request):
    from .models import Release

    return [_out(r) for r in Release.objects.order_by("-month", "-revision")[:60]]


@router.get(
    "/open-data/releases/{version}",
    response=ReleaseOut,
    auth=None,
    summary="Satu rilis (“terbaru” = yang terakhir)",
)
def get_release(request, version: str):
    release = releases.get(version)
    if release is None:
        raise Http404
    return _out(release)


@router.get(
    "/open-data/releases/{version}/datapackage",
    auth=None,
    summary="datapackage.json (Frictionless) sebuah rilis",
)
def get_datapackage(request, version: str):
    release = releases.get(version)
    if release is None:
        raise Http404
    return package.datapackage(release, releases.specs())


@router.get(
    "/open-data/releases/{version}/datasets/{code}",
    auth=None,
    summary="Satu dataset sebuah rilis (JSON, atau CSV dengan ?format=csv), dialirkan",
)
def get_dataset(request, version: str, code: str, format: str = "json"):  # noqa: A002
    if format == "csv":
        return pages.dataset_csv(request, version, code)
    return pages.dataset_json(request, version, code)


@router.get("/open-data/catalog", auth=None, summary="Katalog DCAT (JSON-LD) untuk CKAN")
def get_catalog(request):
    return package.catalogue(releases.latest(), releases.specs())
