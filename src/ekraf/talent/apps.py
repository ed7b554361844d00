from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    """Pathways (jalur talenta) and the talent directory agencies search for creators, motivators and narasumber."""

    name = "ekraf.talent"
    label = "talent"
    verbose_name = _("Talenta")
