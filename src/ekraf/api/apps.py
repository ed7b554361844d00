from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ekraf.api"
    label = "api"
    verbose_name = "API"
