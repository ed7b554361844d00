from django.urls import path

from . import views

app_name = "programs"

_manage = "kelola/program/"

urlpatterns = [
    # Public open calls and the creators' side.
    path("program/", views.open_calls, name="open_calls"),
    path("program/saya/", views.my_engagements, name="mine"),
    path("program/keterlibatan/<str:public_id>/", views.engagement, name="engagement"),
    path("program/keterlibatan/<str:public_id>/konten/", views.submit_deliverable, name="deliver"),
    path(
        "program/keterlibatan/<str:public_id>/<slug:action>/",
        views.engagement_action,
        name="engagement_action",
    ),
    path("program/<str:public_id>/", views.open_call, name="open_call"),
    # Agency staff.
    path(_manage, views.manage_list, name="manage_list"),
    path(_manage + "baru/", views.manage_create, name="manage_create"),
    path(_manage + "paparan/", views.exposure_report, name="exposure"),
    path(_manage + "<str:public_id>/", views.manage_detail, name="manage_detail"),
    path(_manage + "<str:public_id>/status/", views.manage_status, name="manage_status"),
    path(
        _manage + "<str:public_id>/peran/<int:role_id>/rekomendasi/",
        views.recommendations,
        name="recommendations",
    ),
    path(_manage + "<str:public_id>/undang/", views.manage_invite, name="invite"),
]
