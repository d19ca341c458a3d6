from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safemoves.demo"
    label = "demo"
    verbose_name = "Demo consortium"
