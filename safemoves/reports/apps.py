from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safemoves.reports"
    label = "reports"
    verbose_name = "Reports, dashboards and exports"

    def ready(self) -> None:
        from safemoves.reports.jobs import register

        register()
