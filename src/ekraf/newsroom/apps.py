from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """Citizen reporters' stories, the editorial desk and the public portal."""

    name = "ekraf.newsroom"
    label = "newsroom"
    verbose_name = _("Berita pewarta warga")

    def ready(self):
        from ekraf.accounts import permissions
        from ekraf.core import nav, periodic, sitemaps

        from . import services
        from .sitemaps import StorySitemap

        nav.register(nav.NavItem(_("Berita"), "newsroom:portal", lambda user: True, "main", 70))
        nav.register(
            nav.NavItem(
                _("Tulis berita"), "newsroom:mine", permissions.can_write_stories, "main", 71
            )
        )
        nav.register(
            nav.NavItem(_("Redaksi"), "newsroom:desk", permissions.can_edit_newsroom, "staff", 70)
        )
        periodic.register("newsroom.publish_due", services.publish_due)
        sitemaps.register("berita", StorySitemap)
