from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """The committee's indicators (monthly rollups, dashboard, report) and the open data."""

    name = "ekraf.insights"
    label = "insights"
    verbose_name = _("Indikator ekosistem")

    def ready(self):
        from ekraf.accounts import permissions
        from ekraf.core import nav, periodic

        from . import rollups
        from .opendata import releases

        nav.register(
            nav.NavItem(
                _("Dasbor komite"), "insights:dashboard", permissions.can_view_insights, "staff", 90
            )
        )
        periodic.register("insights.rollups", rollups.periodic)
        periodic.register("insights.open_data_release", releases.periodic)
