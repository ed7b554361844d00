from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """Agencies' programmes: matching with reasons, invitations and applications, deliverables, speaker requests."""

    name = "ekraf.programs"
    label = "programs"
    verbose_name = _("Program perangkat daerah")

    def ready(self):
        from ekraf.accounts import permissions
        from ekraf.core import nav, periodic

        from . import services

        nav.register(
            nav.NavItem(_("Program"), "programs:open_calls", lambda user: True, "main", 55)
        )
        nav.register(
            nav.NavItem(
                _("Kelola program"),
                "programs:manage_list",
                permissions.can_manage_programmes,
                "staff",
                55,
            )
        )
        nav.register(
            nav.NavItem(
                _("Paparan rekomendasi"),
                "programs:exposure",
                permissions.can_view_exposure,
                "staff",
                56,
            )
        )
        periodic.register("programs.due_reminders", services.send_due_reminders)
