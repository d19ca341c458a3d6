from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "safemoves.letters"
    label = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        from safemoves.cases.extensions import CasePanel, register_export_section, register_panel
        from safemoves.letters.panels import export_section, letters_panel_context, letters_panel_reads

        register_panel(
            CasePanel(
                order=45,
                template="letters/_panel.html",
                context=letters_panel_context,
                reads=letters_panel_reads,
            )
        )
        register_export_section("letters", export_section)
