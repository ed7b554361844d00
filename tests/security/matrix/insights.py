"""Rows of the permission matrix: the committee's dashboard (role-gated, unsuppressed figures)
and the open data (public, suppressed releases only). Format: tests/security/README.md."""

from . import table

WORLD_ORDER = 70  # after the apps whose figures it aggregates

ROWS = table("""
route                                                anon      creator   org_a     org_b     staff     editor    space     comm      admin
insights:dashboard                                   login     forbidden forbidden forbidden forbidden forbidden forbidden ok        ok
insights:indicator                                   login     forbidden forbidden forbidden forbidden forbidden forbidden ok        ok
insights:export                                      login     forbidden forbidden forbidden forbidden forbidden forbidden ok        ok
insights:report                                      login     forbidden forbidden forbidden forbidden forbidden forbidden ok        ok
# POST-only: a GET is refused before anything is decided.
insights:refresh                                     login     method    method    method    method    method    method    method    method
opendata:index                                       ok        ok        ok        ok        ok        ok        ok        ok        ok
opendata:dictionary                                  ok        ok        ok        ok        ok        ok        ok        ok        ok
opendata:catalogue                                   ok        ok        ok        ok        ok        ok        ok        ok        ok
opendata:context                                     ok        ok        ok        ok        ok        ok        ok        ok        ok
opendata:datapackage                                 ok        ok        ok        ok        ok        ok        ok        ok        ok
opendata:csv                                         ok        ok        ok        ok        ok        ok        ok        ok        ok
opendata:json                                        ok        ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/open-data/releases                       ok        ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/open-data/releases/{version}             ok        ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/open-data/releases/{version}/datapackage ok        ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/open-data/releases/{version}/datasets/{code} ok    ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/open-data/catalog                        ok        ok        ok        ok        ok        ok        ok        ok        ok
""")


def world(w):
    from ekraf.insights import rollups
    from ekraf.insights.opendata import releases

    w.release = releases.publish(rollups.previous_month(rollups.current_month()))


ARGS = {
    "insights:indicator": lambda w: {"code": "PEL-04"},
    "insights:export": lambda w: {"code": "PEL-04", "fmt_": "csv"},
    "opendata:datapackage": lambda w: {"version": w.release.version},
    "opendata:csv": lambda w: {"version": w.release.version, "code": "pelaku-subsektor"},
    "opendata:json": lambda w: {"version": w.release.version, "code": "kode-wilayah"},
    "/api/v1/open-data/releases/{version}": lambda w: {"version": w.release.version},
    "/api/v1/open-data/releases/{version}/datapackage": lambda w: {"version": w.release.version},
    "/api/v1/open-data/releases/{version}/datasets/{code}": lambda w: {
        "version": w.release.version,
        "code": "pelaku-subsektor",
    },
}
