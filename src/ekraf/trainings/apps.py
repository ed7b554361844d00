from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _everyone(user) -> bool:
    return True


class TrainingsConfig(AppConfig):
    name = "ekraf.trainings"
    label = "trainings"
    verbose_name = _("Pelatihan")

    def ready(self):
        from django.db.models import OuterRef

        from ekraf.accounts import participation, permissions, personal_data
        from ekraf.core import home, nav, periodic

        from . import services, views
        from .models import Registration

        participation.register(
            "trainings", lambda: Registration.objects.filter(user=OuterRef("pk"))
        )

        nav.register(
            nav.NavItem(_("Pelatihan"), "trainings:catalogue", lambda user: True, "main", 20)
        )
        nav.register(
            nav.NavItem(
                _("Pelatihan saya"),
                "trainings:my_trainings",
                permissions.sees_creator_pages,
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
