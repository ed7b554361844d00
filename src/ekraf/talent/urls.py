from django.urls import path

from . import views

app_name = "talent"

urlpatterns = [
    # Agency staff, organisers, administrators: the directory and a creator in it.
    path("kelola/talenta/", views.directory, name="directory"),
    path("kelola/talenta/<str:public_id>/", views.creator, name="creator"),
    # Organisers: pathways of a training's class at once.
    path("kelola/pelatihan/<str:public_id>/jalur/", views.pathway_grid, name="pathway_grid"),
    # Agencies: speaker requests (journey 9).
    path("kelola/narasumber/", views.speaker_requests, name="speaker_requests"),
    path("kelola/narasumber/<str:public_id>/", views.speaker_request, name="speaker_request"),
    # The creator: assessed pathways, invitations to speak.
    path("talenta/saya/", views.my_speaking, name="my_speaking"),
]
