from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """Citizen reporters' stories, the editorial desk and the public portal."""

    name = "ekraf.newsroom"
    label = "newsroom"
    verbose_name = _("Berita pewarta warga")
