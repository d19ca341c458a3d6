from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "safemoves.risk"
    label = "risk"
    verbose_name = "Risk assessment and MARAC"

    def ready(self) -> None:
        from safemoves.cases.extensions import CasePanel, register_export_section, register_panel
        from safemoves.risk.panels import export_section, risk_panel_context
        from safemoves.risk.selectors import risk_summary_reads

        register_panel(
            CasePanel(order=20, template="risk/_panel.html", context=risk_panel_context, reads=risk_summary_reads)
        )
        register_export_section("risk", export_section)
