from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """Agencies' programmes: matching with reasons, invitations and applications, deliverables, speaker requests."""

    name = "ekraf.programs"
    label = "programs"
    verbose_name = _("Program perangkat daerah")
