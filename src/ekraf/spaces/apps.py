from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _room_for_new_space(sender, instance, created, raw=False, **kwargs):
    """Every room of the city data gets its booking rules (defaults) when it is created, so
    `load_city` needs to know nothing of this app."""
    if created and not raw:
        from .services import create_room_for

        create_room_for(instance)


class SpacesConfig(AppConfig):
    """The creative centre's rooms: booking requests, approval, the no-overlap guarantee, calendars."""

    name = "ekraf.spaces"
    label = "spaces"
    verbose_name = _("Ruang MCC")

    def ready(self):
        from ekraf.accounts import permissions, personal_data
        from ekraf.core import nav, periodic
        from ekraf.core.models import Space

        from . import services
        from .personal_data import erase_person, export_person

        post_save.connect(_room_for_new_space, sender=Space, dispatch_uid="spaces.room_for_space")
        # Every write of a hold, closure or room makes the cached availability miss.
        from . import availability
        from .models import Blackout, Booking, OpeningHours, Room

        for model in (Booking, Blackout, OpeningHours, Room, Space):
            for signal in (post_save, post_delete):
                signal.connect(
                    availability.changed,
                    sender=model,
                    dispatch_uid=f"spaces.availability.{signal is post_save}.{model.__name__}",
                )
        nav.register(nav.NavItem(_("Ruang MCC"), "spaces:rooms", lambda user: True, "main", 60))
        nav.register(
            nav.NavItem(
                _("Kelola ruang"), "spaces:manage_queue", permissions.can_manage_spaces, "staff", 60
            )
        )
        periodic.register("spaces.lapse_open_requests", services.lapse_open_requests)
        periodic.register("spaces.reminders", services.send_reminders)
        personal_data.register("spaces", export=export_person, erase=erase_person)
