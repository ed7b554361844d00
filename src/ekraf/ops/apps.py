from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the platform: worker selection, backup and restore, task log ids."""

    name = "ekraf.ops"
    label = "ops"
    verbose_name = _("Operasional")

    def ready(self):
        from . import checks, tasklog  # noqa: F401 - checks register themselves

        tasklog.connect()
