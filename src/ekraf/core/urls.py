from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import SITEMAPS

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("privasi/", views.privacy, name="privacy"),
    path("bahasa/<str:code>/", views.switch_language, name="switch_language"),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
