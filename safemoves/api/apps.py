from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safemoves.api"
    label = "api"
    verbose_name = "HTTP API"
