from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("data/kamus/", views.dictionary, name="dictionary"),
]
