from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/perbarui/", views.refresh, name="refresh"),
    path("dasbor/laporan.pdf", views.report, name="report"),
    path("dasbor/indikator/<str:code>/", views.indicator, name="indicator"),
    path(
        "dasbor/indikator/<str:code>/ekspor.<str:fmt_>",
        views.export,
        name="export",
    ),
]
