from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ekraf.core"
    label = "core"
    verbose_name = _("Kota dan data referensi")

    def ready(self):
        from . import notifications, periodic

        periodic.register("outbox", notifications.send_pending)
