from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """The committee's dashboard: the ecosystem's indicators, read-only."""

    name = "ekraf.insights"
    label = "insights"
    verbose_name = _("Indikator ekosistem")

    def ready(self):
        from ekraf.accounts import permissions
        from ekraf.core import nav

        nav.register(
            nav.NavItem(
                _("Dasbor komite"), "insights:dashboard", permissions.can_view_insights, "staff", 90
            )
        )
