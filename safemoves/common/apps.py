from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "safemoves.common"
    label = "common"
    verbose_name = "Common"
