from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "safemoves.cases"
    label = "cases"
    verbose_name = "Domestic-abuse cases"
