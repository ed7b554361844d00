from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ekraf.core"
    label = "core"
    verbose_name = _("Kota dan data referensi")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import notifications, periodic, selectors, spreadsheets
        from .models import City

        periodic.register("outbox", notifications.send_pending)
        periodic.register("core.purge_stored_sheets", spreadsheets.purge_stale)
        post_save.connect(selectors.forget_city, sender=City, dispatch_uid="core.forget_city")
        post_delete.connect(selectors.forget_city, sender=City, dispatch_uid="core.forget_city_del")
