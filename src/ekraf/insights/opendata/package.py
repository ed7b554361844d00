"""The release's descriptors: a Frictionless Data Package (Table Schema per resource, the
code lists as foreign keys, "*" labelling suppressed cells) and a DCAT catalogue in JSON-LD
that a CKAN portal (ckanext-dcat) can harvest. The catalogue's context is shipped with the
package (contexts/dcat-ekraf.jsonld) and served at /data/konteks-dcat.jsonld."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ekraf.core.selectors import current_city

from ..models import Release
from . import datasets as ds

CONTEXT_FILE = Path(__file__).resolve().parent.parent / "contexts" / "dcat-ekraf.jsonld"
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
MONTHLY = "http://purl.org/cld/freq/monthly"
MEDIA = "https://www.iana.org/assignments/media-types/"


@cache
def context_document() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


def context_url() -> str:
    return settings.BASE_URL + reverse("opendata:context")


def _url(name, *args) -> str:
    return settings.BASE_URL + reverse(name, args=args)


def schema(spec: ds.Dataset) -> dict:
    fields = []
    for column in spec.columns:
        field = {"name": column.name, "type": column.type, "title": column.title}
        if column.description:
            field["description"] = column.description
        if column.type == "integer":
            field["constraints"] = {"minimum": 0}
        if column.enum:
            field["constraints"] = {"enum": list(column.enum)}
        fields.append(field)
    out = {"fields": fields, "missingValues": ["", ds.SUPPRESSED_MARK]}
    if spec.primary_key:
        out["primaryKey"] = list(spec.primary_key)
    keys = [
        {"fields": c.name, "reference": {"resource": c.reference, "fields": "kode"}}
        for c in spec.columns
        if c.reference
    ]
    if keys:
        out["foreignKeys"] = keys
    return out


def datapackage(release: Release, specs: list[ds.Dataset], *, absolute: bool = True) -> dict:
    """The datapackage.json of a release; `absolute=False` gives file names (for a folder)."""
    city = current_city()
    resources = []
    for spec in specs:
        path = _url("opendata:csv", release.version, spec.code) if absolute else f"{spec.code}.csv"
        info = release.datasets.get(spec.code, {})
        resources.append(
            {
                "name": spec.code,
                "title": spec.title,
                "description": spec.description,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema(spec),
                **({"rows": info["rows"]} if "rows" in info else {}),
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": f"ekraf-{(city.code if city else 'kota').replace('.', '-')}",
        "title": _("Data terbuka ekonomi kreatif %(city)s") % {"city": city.name if city else ""},
        "description": _(
            "Agregat tanpa data pribadi; angka 1–%(t)s dan sel yang dapat dihitung dari angka "
            "lain ditekan (“*”)."
        )
        % {"t": release.threshold},
        "version": release.version,
        "created": release.published_at.isoformat(),
        "licenses": [LICENSE],
        "homepage": _url("opendata:index"),
        "keywords": ["ekonomi kreatif", "Satu Data Indonesia"],
        "resources": resources,
    }


def catalogue(release: Release | None, specs: list[ds.Dataset], releases=()) -> dict:
    """A DCAT catalogue (JSON-LD): one dcat:Dataset per published dataset, each with its CSV
    and JSON distributions, monthly accrual, its last update and version."""
    city = current_city()
    publisher = {
        "@id": settings.BASE_URL + "/",
        "@type": "Organization",
        "name": city.name if city else "",
    }
    contact = {"@type": "Kind", "fn": city.name if city else ""}
    if city and city.email:
        contact["hasEmail"] = f"mailto:{city.email}"
    datasets = []
    if release is not None:
        for spec in specs:
            base = {
                "@id": _url("opendata:index") + f"#{spec.code}",
                "@type": "Dataset",
                "identifier": spec.code,
                "title": spec.title,
                "description": spec.description,
                "keyword": list(spec.keywords) or ["kode"],
                "accrualPeriodicity": MONTHLY,
                "issued": release.published_at.isoformat(),
                "modified": release.published_at.isoformat(),
                "version": release.version,
                "versionNotes": release.note,
                "license": LICENSE["path"],
                "publisher": publisher,
                "contactPoint": contact,
                "landingPage": _url("opendata:index"),
                "conformsTo": "https://specs.frictionlessdata.io/table-schema/",
                "distribution": [
                    {
                        "@id": _url("opendata:csv", release.version, spec.code),
                        "@type": "Distribution",
                        "title": f"{spec.title} (CSV)",
                        "format": "CSV",
                        "mediaType": MEDIA + "text/csv",
                        "downloadURL": _url("opendata:csv", release.version, spec.code),
                        "accessURL": _url("opendata:index"),
                        "license": LICENSE["path"],
                    },
                    {
                        "@id": _url("opendata:json", release.version, spec.code),
                        "@type": "Distribution",
                        "title": f"{spec.title} (JSON)",
                        "format": "JSON",
                        "mediaType": MEDIA + "application/json",
                        "downloadURL": _url("opendata:json", release.version, spec.code),
                        "accessURL": _url("opendata:index"),
                        "license": LICENSE["path"],
                    },
                ],
            }
            datasets.append(base)
    return {
        "@context": context_url(),
        "@id": _url("opendata:catalogue"),
        "@type": "Catalog",
        "title": _("Katalog data terbuka ekonomi kreatif %(city)s")
        % {"city": city.name if city else ""},
        "description": _("Data agregat ekonomi kreatif, rilis bulanan, tanpa data pribadi."),
        "language": "http://publications.europa.eu/resource/authority/language/IND",
        "license": LICENSE["path"],
        "publisher": publisher,
        "homepage": _url("opendata:index"),
        **({"modified": release.published_at.isoformat()} if release else {}),
        "dataset": datasets,
    }
