from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "safemoves.documents"
    label = "documents"
    verbose_name = "Case documents"

    def ready(self) -> None:
        from safemoves.cases.extensions import CasePanel, register_export_section, register_panel
        from safemoves.documents.panels import documents_panel_context, documents_panel_reads, export_section

        register_panel(
            CasePanel(
                order=50, template="documents/_panel.html", context=documents_panel_context, reads=documents_panel_reads
            )
        )
        register_export_section("documents", export_section)
