"""Open data: monthly immutable releases of suppressed, person-free tables, described by a
Frictionless Data Package (validated with `frictionless`) and a DCAT catalogue (expanded by
PyLD against the shipped context, never fetched), streamed with flat memory."""

import csv
import io
import json
import tracemalloc

import pytest
from pyld import jsonld

from ekraf.insights import disclosure
from ekraf.insights.models import ImmutableError, Release, ReleaseRow
from ekraf.insights.opendata import datasets as ds
from ekraf.insights.opendata import package, releases

from . import crafted

pytestmark = pytest.mark.django_db


@pytest.fixture
def release(diskominfo, diskopindag):
    crafted.build(diskominfo, diskopindag)
    for n in range(7):  # enough creators in one kelurahan that some cells are published
        crafted.creator("Dinoyo", "L" if n % 2 else "P", 1990 + n, ["musik"])
    return releases.publish(crafted.MARCH)


def _read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content).decode("utf-8")


def test_no_published_count_is_small_and_none_can_be_recomputed(release):
    built, protected = ds.build(crafted.MARCH)
    published = [v for key, v in protected.values.items() if protected.status[key] == "published"]
    assert published and all(not (1 <= v <= 4) for v in published)
    assert protected.suppressed  # the crafted city has small cells
    assert disclosure.determined_cells(protected.equations, sorted(protected.suppressed)) == []
    # What is stored is what was protected: a suppressed cell has no value.
    for row in ReleaseRow.objects.filter(release=release, dataset="pelaku-kecamatan-jenis-kelamin"):
        value, status = row.values[-2], row.values[-1]
        assert (value is None) == (status == ds.SUPPRESSED)
        assert value is None or not (1 <= value <= 4)
    # The two creators' tables share the kecamatan totals, so they were protected together.
    totals = {
        tuple(r.values[:2]): r.values[2]
        for r in ReleaseRow.objects.filter(
            release=release, dataset="pelaku-kecamatan-jenis-kelamin"
        )
        if r.values[1] == ""
    }
    totals_age = {
        tuple(r.values[:2]): r.values[2]
        for r in ReleaseRow.objects.filter(
            release=release, dataset="pelaku-kecamatan-kelompok-umur"
        )
        if r.values[1] == ""
    }
    assert totals == totals_age
    assert totals[("", "")] == 11  # 4 crafted + 7 in March


def test_releases_are_immutable_and_versioned(release):
    with pytest.raises(ImmutableError):
        release.note = "diubah"
        release.save()
    with pytest.raises(ImmutableError):
        release.delete()
    row = ReleaseRow.objects.filter(release=release).first()
    with pytest.raises(ImmutableError):
        row.save()
    second = releases.publish(crafted.MARCH, note="Koreksi kelurahan dua pelaku.")
    assert (release.version, second.version) == ("2026-03", "2026-03.r2")
    assert second.note.startswith("Koreksi kelurahan dua pelaku.")
    assert "Dibanding 2026-03" in second.note
    assert releases.get("terbaru") == second
    assert Release.objects.get(version="2026-03").note.endswith("Rilis pertama.")


def test_anonymous_pages_and_downloads(client, release):
    body = client.get("/data/").content.decode()
    assert "2026-03" in body and "Bulanan" in body and "data-freshness" in body
    text = _read(client, "/data/rilis/2026-03/pelaku-kecamatan-jenis-kelamin.csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["kecamatan", "jenis_kelamin", "jumlah", "status"]
    assert any(r[2] == "*" and r[3] == "ditekan" for r in rows[1:])
    assert all(r[2] == "*" or not (1 <= int(r[2]) <= 4) for r in rows[1:])
    data = json.loads(_read(client, "/data/rilis/terbaru/pelaku-subsektor.json"))
    assert data["release"] == "2026-03" and data["fields"] == ["subsektor", "jumlah", "status"]
    musik = next(r for r in data["data"] if r["subsektor"] == "musik")
    assert musik == {"subsektor": "musik", "jumlah": 7, "status": "terbit"}
    assert client.get("/data/rilis/1999-01/datapackage.json").status_code == 404
    assert client.get("/data/rilis/2026-03/rahasia.csv").status_code == 404
    assert client.get("/data/kamus/").status_code == 200


def test_api(client, release):
    listed = client.get("/api/v1/open-data/releases").json()
    assert listed[0]["version"] == "2026-03" and listed[0]["frequency"] == "monthly"
    codes = {d["code"] for d in listed[0]["datasets"]}
    assert {"pelaku-subsektor", "kode-wilayah", "pemanfaatan-ruang"} <= codes
    assert client.get("/api/v1/open-data/releases/terbaru").json()["version"] == "2026-03"
    assert client.get("/api/v1/open-data/releases/1999-01").status_code == 404
    pkg = client.get("/api/v1/open-data/releases/2026-03/datapackage").json()
    assert pkg["version"] == "2026-03"
    response = client.get("/api/v1/open-data/releases/2026-03/datasets/pelaku-subsektor")
    assert json.loads(b"".join(response.streaming_content))["dataset"] == "pelaku-subsektor"
    response = client.get("/api/v1/open-data/releases/2026-03/datasets/kode-wilayah?format=csv")
    assert b"35.73.05" in b"".join(response.streaming_content)
    catalog = client.get("/api/v1/open-data/catalog").json()
    assert catalog["@type"] == "Catalog"


def test_the_datapackage_validates_with_frictionless(client, release, tmp_path):
    from frictionless import Package

    descriptor = package.datapackage(release, releases.specs(), absolute=False)
    for spec in releases.specs():
        (tmp_path / f"{spec.code}.csv").write_text(
            "".join(releases.csv_stream(release, spec)), encoding="utf-8"
        )
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note", "rowNumber", "fieldName"])[:10]
    # The published descriptor is the same but with absolute links.
    served = json.loads(client.get("/data/rilis/2026-03/datapackage.json").content)
    assert [r["name"] for r in served["resources"]] == [r["name"] for r in descriptor["resources"]]
    assert served["resources"][0]["path"].endswith(
        "/data/rilis/2026-03/pelaku-kecamatan-jenis-kelamin.csv"
    )
    schema = served["resources"][0]["schema"]
    assert schema["missingValues"] == ["", "*"]
    assert schema["foreignKeys"][0]["reference"] == {"resource": "kode-wilayah", "fields": "kode"}
    # A broken code would be caught: the foreign keys are checked.
    path = tmp_path / "pelaku-subsektor.csv"
    path.write_text(path.read_text() + "bukan-subsektor,10,terbit\n")
    assert not Package(str(tmp_path / "datapackage.json")).validate().valid


def _pinned_loader(url, options=None):
    if url != package.context_url():
        raise jsonld.JsonLdError(
            f"refused {url}", "jsonld.LoadDocumentError", code="loading document failed"
        )
    return {"contextUrl": None, "documentUrl": url, "document": package.context_document()}


def test_the_dcat_catalogue_is_json_ld(client, release):
    catalog = json.loads(client.get("/data/katalog.jsonld").content)
    assert client.get("/data/konteks-dcat.jsonld").json() == package.context_document()
    expanded = jsonld.expand(catalog, {"documentLoader": _pinned_loader})
    dcat = "http://www.w3.org/ns/dcat#"
    dct = "http://purl.org/dc/terms/"
    (root,) = expanded
    assert root["@type"] == [dcat + "Catalog"]
    datasets = root[dcat + "dataset"]
    assert len(datasets) == len(releases.specs())
    for item in datasets:
        assert item["@type"] == [dcat + "Dataset"]
        assert item[dct + "accrualPeriodicity"] == [{"@id": "http://purl.org/cld/freq/monthly"}]
        assert item[dct + "modified"][0]["@type"] == "http://www.w3.org/2001/XMLSchema#dateTime"
        assert len(item[dcat + "distribution"]) == 2
        assert item[dcat + "distribution"][0][dcat + "downloadURL"][0]["@id"].startswith("http")

    # Every key of the document maps to an IRI: nothing is dropped by the expansion.
    def keys(node):
        if isinstance(node, dict):
            yield from (k for k in node if not k.startswith("@"))
            for v in node.values():
                yield from keys(v)
        elif isinstance(node, list):
            for v in node:
                yield from keys(v)

    context = package.context_document()["@context"]
    assert set(keys(catalog)) <= set(context)
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(
            {"@context": "https://example.org/other.jsonld", "a": 1},
            {"documentLoader": _pinned_loader},
        )


def test_exports_stream_with_flat_memory(release):
    spec = releases.dataset_spec("pelaku-subsektor")

    def peak(n):
        big = Release.objects.create(
            month=crafted.MARCH.replace(year=2020 + n // 1000),
            version=f"uji-{n}",
            published_at=release.published_at,
            data_as_of=release.data_as_of,
            note="uji",
            threshold=4,
            datasets={},
        )
        ReleaseRow.objects.bulk_create(
            ReleaseRow(
                release=big, dataset=spec.code, position=i, values=["musik", 10 + i, "terbit"]
            )
            for i in range(n)
        )
        tracemalloc.start()
        size = sum(len(chunk) for chunk in releases.csv_stream(big, spec))
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size, top

    small_size, small_peak = peak(2000)
    big_size, big_peak = peak(20000)
    assert big_size > 9 * small_size
    assert big_peak < 2 * small_peak + 200_000  # ten times the rows, not ten times the memory
