from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ekraf.api.api import api
from ekraf.core.views import public_media

handler400 = "ekraf.core.views.error_400"
handler403 = "ekraf.core.views.error_403"
handler404 = "ekraf.core.views.error_404"
handler500 = "ekraf.core.views.error_500"

# Django tries the patterns in order, and every app below is included at the root: a request
# walks each app's patterns until one matches (an API call passed some 80 page patterns, a
# story 150). The prefixed parts come first (one check each skips them), then the public pages
# that QR scans and readers reach most: verification and the newsroom portal. No two apps
# share a route, so the order changes what a request costs, never where it goes.
urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("ekraf.credentials.urls")),
    path("", include("ekraf.newsroom.urls")),
    path("", include("ekraf.core.urls")),
    path("", include("ekraf.accounts.urls")),
    path("", include("ekraf.creators.urls")),
    path("", include("ekraf.trainings.urls")),
    path("", include("ekraf.talent.urls")),
    path("", include("ekraf.programs.urls")),
    path("", include("ekraf.spaces.urls")),
    path("", include("ekraf.insights.urls")),
    path("", include("ekraf.insights.opendata.urls")),
]

# Only public files (logos) are served at /media/, from the filesystem or from S3 alike;
# personal files (photos, certificates) go through views that check permission.
urlpatterns += [path("media/<path:path>", public_media, name="public_media")]

if settings.BENCH_ENDPOINTS:
    # The benchmark's floor (python -m ekraf.bench): never on in production.
    from ekraf.bench.views import trivial

    urlpatterns += [path("bench/trivial", trivial, name="bench_trivial")]
