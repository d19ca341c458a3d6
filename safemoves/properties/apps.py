from django.apps import AppConfig


class PropertiesConfig(AppConfig):
    name = "safemoves.properties"
    label = "properties"
    verbose_name = "Void homes"

    def ready(self) -> None:
        from safemoves.properties.jobs import register

        register()
