from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("data/", views.index, name="index"),
    path("data/kamus/", views.dictionary, name="dictionary"),
    path("data/katalog.jsonld", views.catalogue, name="catalogue"),
    path("data/konteks-dcat.jsonld", views.context, name="context"),
    path("data/rilis/<str:version>/datapackage.json", views.datapackage, name="datapackage"),
    path("data/rilis/<str:version>/<slug:code>.csv", views.dataset_csv, name="csv"),
    path("data/rilis/<str:version>/<slug:code>.json", views.dataset_json, name="json"),
]
