from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _everyone(user) -> bool:
    return True


class TrainingsConfig(AppConfig):
    name = "ekraf.trainings"
    label = "trainings"
    verbose_name = _("Pelatihan")

    def ready(self):
        from ekraf.accounts import permissions, personal_data
        from ekraf.core import home, nav, periodic

        from . import services, views

        nav.register(
            nav.NavItem(_("Pelatihan"), "trainings:catalogue", lambda user: True, "main", 20)
        )
        nav.register(
            nav.NavItem(
                _("Pelatihan saya"),
                "trainings:my_trainings",
                lambda user: bool(user and user.is_authenticated),
                "main",
                21,
            )
        )
        nav.register(
            nav.NavItem(
                _("Kelola pelatihan"),
                "trainings:manage_list",
                permissions.can_manage_trainings,
                "staff",
                20,
            )
        )
        home.register(home.HomePanel("trainings/home_panel.html", views.home_panel, 20))
        periodic.register("trainings.expire_offers", services.expire_offers)
        periodic.register("trainings.reminders", services.send_reminders)
        personal_data.register(
            "trainings", export=services.export_person, erase=services.erase_person
        )
