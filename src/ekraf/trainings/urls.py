from django.urls import path

from . import views

app_name = "trainings"

_manage = "kelola/pelatihan/<str:public_id>/"

urlpatterns = [
    # Public: the catalogue, a training, registration, tickets.
    path("pelatihan/", views.catalogue, name="catalogue"),
    path("pelatihan/saya/", views.my_trainings, name="my_trainings"),
    path("pelatihan/tiket/<str:public_id>/", views.ticket, name="ticket"),
    path("pelatihan/tiket/<str:public_id>/qr.svg", views.ticket_qr, name="ticket_qr"),
    path("pelatihan/tiket/<str:public_id>/tiket.pdf", views.ticket_pdf, name="ticket_pdf"),
    path("pelatihan/tiket/<str:public_id>/batal/", views.cancel, name="cancel"),
    path("pelatihan/tiket/<str:public_id>/tawaran/", views.respond_offer, name="respond_offer"),
    path("pelatihan/tiket/<str:public_id>/umpan-balik/", views.feedback, name="feedback"),
    path("pelatihan/t/<str:token>/", views.ticket_link, name="ticket_link"),
    path("pelatihan/t/<str:token>/qr.svg", views.ticket_link_qr, name="ticket_link_qr"),
    path("pelatihan/t/<str:token>/tiket.pdf", views.ticket_link_pdf, name="ticket_link_pdf"),
    path("pelatihan/tawaran/<str:token>/<str:action>/", views.offer, name="offer"),
    path(
        "pelatihan/presensi/<str:session_id>/<str:code>/",
        views.self_checkin,
        name="self_checkin",
    ),
    path("pelatihan/<str:public_id>/", views.detail, name="detail"),
    path("pelatihan/<str:public_id>/jadwal.ics", views.ics, name="ics"),
    path("pelatihan/<str:public_id>/daftar/", views.register, name="register"),
    # Organisers.
    path("kelola/pelatihan/", views.manage_list, name="manage_list"),
    path("kelola/pelatihan/baru/", views.manage_create, name="manage_create"),
    path(_manage, views.manage_detail, name="manage_detail"),
    path(_manage + "ubah/", views.manage_edit, name="manage_edit"),
    path(_manage + "pertanyaan/", views.manage_questions, name="manage_questions"),
    path(_manage + "status/", views.manage_status, name="manage_status"),
    path(_manage + "duplikat/", views.manage_duplicate, name="manage_duplicate"),
    path(_manage + "pesan/", views.manage_message, name="manage_message"),
    path(_manage + "batalkan/", views.manage_cancel, name="manage_cancel"),
    path(_manage + "peserta/", views.manage_participants, name="manage_participants"),
    path(_manage + "peserta.xlsx", views.manage_participants_xlsx, name="manage_participants_xlsx"),
    path(_manage + "peserta/daftarkan/", views.manage_register_other, name="manage_register_other"),
    path(
        _manage + "peserta/<str:registration_id>/",
        views.manage_participant,
        name="manage_participant",
    ),
    path(_manage + "checkin/<str:session_id>/", views.manage_checkin, name="manage_checkin"),
    path(
        _manage + "checkin/<str:session_id>/tiket.json",
        views.manage_checkin_tickets,
        name="manage_checkin_tickets",
    ),
    path(
        _manage + "checkin/<str:session_id>/sinkron/",
        views.manage_checkin_sync,
        name="manage_checkin_sync",
    ),
    path(
        _manage + "presensi-mandiri/<str:session_id>/",
        views.manage_projector,
        name="manage_projector",
    ),
    path(
        _manage + "presensi-mandiri/<str:session_id>/qr.svg",
        views.manage_projector_qr,
        name="manage_projector_qr",
    ),
    path(_manage + "nilai/", views.manage_scores, name="manage_scores"),
    path(_manage + "nilai/impor/", views.manage_score_import, name="manage_score_import"),
    path(_manage + "kelulusan/", views.manage_completion, name="manage_completion"),
    path(
        _manage + "daftar-hadir/<str:session_id>.pdf",
        views.manage_attendance_sheet,
        name="manage_attendance_sheet",
    ),
    path(_manage + "laporan.pdf", views.manage_report, name="manage_report"),
    path(_manage + "umpan-balik/", views.manage_feedback, name="manage_feedback"),
]
