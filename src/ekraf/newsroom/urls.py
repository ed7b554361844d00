from django.urls import path

from . import feeds, views

app_name = "newsroom"

_story = "pewarta/<str:public_id>/"
_desk = "kelola/redaksi/"

urlpatterns = [
    # The public portal (no login to read).
    path("berita/", views.portal, name="portal"),
    path("berita/feed.atom", feeds.AllStoriesFeed(), name="feed"),
    path("berita/koreksi/", views.corrections, name="corrections"),
    path("berita/topik/<slug:tag>/", views.by_tag, name="tag"),
    path("berita/wilayah/<str:code>/", views.by_region, name="region"),
    path("berita/wilayah/<str:code>/feed.atom", feeds.RegionFeed(), name="region_feed"),
    path("berita/foto/<str:public_id>/", views.photo, name="photo"),
    path("berita/<str:public_id>/", views.story, name="story"),
    path("berita/<str:public_id>/lapor/", views.complain, name="complain"),
    # Citizen reporters.
    path("pewarta/", views.mine, name="mine"),
    path("pewarta/baru/", views.new_story, name="new"),
    path(_story, views.write, name="write"),
    path(_story + "simpan/", views.autosave, name="autosave"),
    path(_story + "foto/", views.add_photo, name="add_photo"),
    path(_story + "foto/<str:photo_id>/hapus/", views.remove_photo, name="remove_photo"),
    path(_story + "kirim/", views.submit, name="submit"),
    # The editors' desk.
    path(_desk, views.desk, name="desk"),
    path(_desk + "pengaduan/", views.complaints, name="complaints"),
    path(_desk + "pengaduan/<str:public_id>/", views.complaint, name="complaint"),
    path(_desk + "pewarta/", views.reporters, name="reporters"),
    path(_desk + "<str:public_id>/", views.review, name="review"),
    path(_desk + "<str:public_id>/banding/", views.comparison, name="compare"),
    path(_desk + "<str:public_id>/<slug:action>/", views.act, name="act"),
]
