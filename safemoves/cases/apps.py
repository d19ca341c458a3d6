from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "safemoves.cases"
    label = "cases"
    verbose_name = "Domestic-abuse cases"

    def ready(self) -> None:
        from safemoves.cases.extensions import CasePanel, register_panel
        from safemoves.cases.panels import same_perpetrator_panel_context
        from safemoves.cases.services.status import cases_of_departing_member
        from safemoves.organisations.extensions import register_departure_hook

        register_departure_hook(cases_of_departing_member)

        # First of the added sections: a warning belongs before the work.
        register_panel(
            CasePanel(order=0, template="cases/_panel_same_perpetrator.html", context=same_perpetrator_panel_context)
        )
