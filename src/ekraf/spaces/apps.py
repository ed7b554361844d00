from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    """The creative centre's rooms: booking requests, approval, the no-overlap guarantee, calendars."""

    name = "ekraf.spaces"
    label = "spaces"
    verbose_name = _("Ruang MCC")
