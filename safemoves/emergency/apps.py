from django.apps import AppConfig


class EmergencyConfig(AppConfig):
    name = "safemoves.emergency"
    label = "emergency"
    verbose_name = "Emergency and temporary accommodation"

    def ready(self) -> None:
        from safemoves.cases.extensions import CasePanel, register_export_section, register_panel
        from safemoves.emergency.panels import export_section, offers_panel_context, offers_panel_reads

        register_panel(
            CasePanel(
                order=45,
                template="emergency/_panel_offers.html",
                context=offers_panel_context,
                reads=offers_panel_reads,
            )
        )
        register_export_section("emergency_accommodation", export_section)
