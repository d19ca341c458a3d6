from django.apps import AppConfig


class ReciprocalConfig(AppConfig):
    name = "safemoves.reciprocal"
    label = "reciprocal"
    verbose_name = "Reciprocal rehousing scheme"

    def ready(self) -> None:
        from safemoves.cases.extensions import (
            CasePanel,
            register_clock_source,
            register_close_hook,
            register_export_section,
            register_panel,
        )
        from safemoves.common.ticks import register_tick
        from safemoves.reciprocal.panels import (
            export_section,
            next_due_for_case,
            request_panel_context,
            request_panel_reads,
        )
        from safemoves.reciprocal.pool.services import case_closed, moves_post_ledger, offers_expire

        register_panel(
            CasePanel(
                order=50,
                template="reciprocal/_panel_case.html",
                context=request_panel_context,
                reads=request_panel_reads,
            )
        )
        register_clock_source(next_due_for_case)
        register_export_section("reciprocal", export_section)
        register_close_hook(case_closed)
        register_tick("offers", lambda: f"{offers_expire()} offer(s) expired.")
        register_tick("moves ledger", lambda: f"{moves_post_ledger()} move(s) posted to the ledger on their date.")
