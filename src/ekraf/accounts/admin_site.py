"""Django's admin, on a site that requires the second sign-in step (accounts.two_factor)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "ekraf.accounts.two_factor.EkrafAdminSite"
