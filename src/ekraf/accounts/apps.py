from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ekraf.accounts"
    label = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_save

        from ekraf.core import nav, periodic

        from . import permissions, retention, sessions, two_factor
        from .models import User

        periodic.register("accounts.purge_unverified", retention.purge_unverified)
        user_logged_in.connect(sessions.record_sign_in, dispatch_uid="ekraf-record-sign-in")
        user_logged_in.connect(two_factor.on_sign_in, dispatch_uid="ekraf-two-factor")
        user_logged_out.connect(sessions.record_sign_out, dispatch_uid="ekraf-record-sign-out")
        post_save.connect(
            sessions.password_changed, sender=User, dispatch_uid="ekraf-password-changed"
        )

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
