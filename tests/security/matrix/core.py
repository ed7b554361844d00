"""Rows of the permission matrix: core (home, privacy, health, sitemap, public media, language) and the
API's own pages. Format: tests/security/README.md."""

from ekraf.core.models import City

from . import table

WORLD_ORDER = 0

ROWS = table("""
route                                                anon      creator   org_a     org_b     staff     editor    space     comm      admin
core:home                                            ok        ok        ok        ok        ok        ok        ok        ok        ok
core:privacy                                         ok        ok        ok        ok        ok        ok        ok        ok        ok
core:healthz                                         ok        ok        ok        ok        ok        ok        ok        ok        ok
core:sitemap                                         ok        ok        ok        ok        ok        ok        ok        ok        ok
api:openapi-json                                     ok        ok        ok        ok        ok        ok        ok        ok        ok
api:openapi-view                                     ok        ok        ok        ok        ok        ok        ok        ok        ok
set_language                                         redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect
core:switch_language                                 redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect
public_media                                         ok        ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/regions                                  ok        ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/subsectors                               ok        ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/agencies                                 ok        ok        ok        ok        ok        ok        ok        ok        ok
""")


def _public_file(w):
    city = City.objects.get()
    return {"path": city.logo.name} if city.logo else {"path": "city/none.png"}


ARGS = {"public_media": _public_file, "core:switch_language": lambda w: {"code": "en"}}
