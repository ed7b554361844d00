from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreatorsConfig(AppConfig):
    name = "ekraf.creators"
    label = "creators"
    verbose_name = _("Pelaku ekraf")
