from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "safemoves.organisations"
    label = "organisations"
    verbose_name = "Organisations"
