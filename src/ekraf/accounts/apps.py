from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ekraf.accounts"
    label = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self):
        from ekraf.core import nav, periodic

        from . import permissions, retention

        periodic.register("accounts.purge_unverified", retention.purge_unverified)

        nav.register(
            nav.NavItem(
                _("Token API"), "accounts:tokens", permissions.can_use_api_tokens, "staff", 900
            )
        )
        nav.register(
            nav.NavItem(
                _("Administrasi"), "admin:index", permissions.can_manage_users, "staff", 999
            )
        )
