from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "safemoves.web"
    label = "web"
    verbose_name = "Web shell"
