from django.urls import path

from . import views

app_name = "creators"
urlpatterns = [
    path("profil/", views.my_profile, name="my_profile"),
    path("profil/ubah/", views.edit_profile, name="edit_profile"),
    path("profil/berbagi/", views.sharing, name="sharing"),
    path("profil/unduh-data/", views.export_my_data, name="export_my_data"),
    path("profil/hapus-akun/", views.delete_account, name="delete_account"),
    path("kreator/<str:public_id>/", views.public_profile, name="public_profile"),
    path("kreator/<str:public_id>/foto/", views.photo, name="photo"),
    path("kelola/pelaku/", views.staff_list, name="staff_list"),
    path("kelola/pelaku/ekspor.<str:fmt>", views.staff_export, name="staff_export"),
    path("kelola/pelaku/impor/", views.import_start, name="import_start"),
    path("kelola/pelaku/impor/<str:public_id>/", views.import_detail, name="import_detail"),
    path(
        "kelola/pelaku/impor/<str:public_id>/terapkan/",
        views.import_commit,
        name="import_commit",
    ),
    path(
        "kelola/pelaku/impor/<str:public_id>/batalkan/",
        views.import_abandon,
        name="import_abandon",
    ),
    path("kelola/pelaku/<str:public_id>/", views.staff_detail, name="staff_detail"),
]
