from django.urls import path

from . import views

app_name = "spaces"

_booking = "ruang/pemesanan/<str:public_id>/"
_manage = "kelola/ruang/"

urlpatterns = [
    # Public: rooms, calendars (free/busy), the feed; requesters: asking and following.
    path("ruang/", views.rooms, name="rooms"),
    path("ruang/kalender/", views.centre_calendar, name="calendar"),
    path("ruang/pemesanan/", views.my_bookings, name="my_bookings"),
    path(_booking, views.booking, name="booking"),
    path(_booking + "ubah/", views.booking_move, name="booking_move"),
    path(_booking + "batal/", views.booking_cancel, name="booking_cancel"),
    path(_booking + "surat.pdf", views.booking_letter, name="booking_letter"),
    path("ruang/<slug:code>/", views.room, name="room"),
    path("ruang/<slug:code>/jadwal.ics", views.room_ics, name="room_ics"),
    path("ruang/<slug:code>/pesan/", views.request_booking, name="request"),
    # The space manager.
    path(_manage, views.manage_queue, name="manage_queue"),
    path(_manage + "kalender/", views.manage_calendar, name="manage_calendar"),
    path(_manage + "meja-depan/", views.manage_desk, name="manage_desk"),
    path(_manage + "jadwal/<str:day>.pdf", views.manage_day_pdf, name="manage_day_pdf"),
    path(_manage + "tarif/", views.manage_prices, name="manage_prices"),
    path(_manage + "pemesanan/<str:public_id>/setujui/", views.manage_approve, name="approve"),
    path(_manage + "pemesanan/<str:public_id>/tolak/", views.manage_decline, name="decline"),
    path(_manage + "pemesanan/<str:public_id>/check-in/", views.manage_check_in, name="check_in"),
    path(_manage + "pemesanan/<str:public_id>/lepas/", views.manage_release, name="release"),
    path(_manage + "<slug:code>/", views.manage_room, name="manage_room"),
    path(_manage + "<slug:code>/pesan/", views.manage_book_direct, name="book_direct"),
]
