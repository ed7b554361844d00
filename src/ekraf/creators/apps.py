from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreatorsConfig(AppConfig):
    name = "ekraf.creators"
    label = "creators"
    verbose_name = _("Pelaku ekraf")

    def ready(self):
        from ekraf.accounts import permissions, personal_data
        from ekraf.core import nav, periodic

        from . import imports, services

        personal_data.register(
            "creators", export=services.export_profile, erase=services.erase_profile
        )
        periodic.register("creators.purge_stale_imports", imports.purge_stale_files)
        nav.register(
            nav.NavItem(_("Profil saya"), "creators:my_profile", permissions.is_creator, "main", 20)
        )
        nav.register(
            nav.NavItem(
                _("Pelaku ekraf"),
                "creators:staff_list",
                permissions.can_view_creator_registry,
                "staff",
                10,
            )
        )
        nav.register(
            nav.NavItem(
                _("Impor pelaku ekraf"),
                "creators:import_start",
                lambda user: bool(
                    permissions.is_admin(user) or permissions.organiser_agency_ids(user)
                ),
                "staff",
                11,
            )
        )
