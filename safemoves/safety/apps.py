from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safemoves.safety"
    label = "safety"
    verbose_name = "Safety actions, agencies and options"

    def ready(self) -> None:
        from safemoves.cases.extensions import (
            CasePanel,
            register_assign_hook,
            register_case_opened_hook,
            register_clock_source,
            register_export_section,
            register_panel,
            register_perpetrator_hook,
        )
        from safemoves.common.ticks import register_tick
        from safemoves.organisations.extensions import register_departure_hook
        from safemoves.safety.panels import (
            actions_panel_context,
            actions_panel_reads,
            export_section,
            options_panel_context,
            options_panel_reads,
            referrals_panel_context,
            referrals_panel_reads,
        )
        from safemoves.safety.services import (
            lock_change_on_case_opened,
            lock_change_on_perpetrator,
            next_open_due,
            safety_actions_follow_the_case,
            safety_actions_of_departing_member,
            safety_breaches_notify,
        )

        register_panel(
            CasePanel(
                order=10,
                template="safety/_panel_actions.html",
                context=actions_panel_context,
                reads=actions_panel_reads,
            )
        )
        register_panel(
            CasePanel(
                order=30,
                template="safety/_panel_referrals.html",
                context=referrals_panel_context,
                reads=referrals_panel_reads,
            )
        )
        register_panel(
            CasePanel(
                order=40,
                template="safety/_panel_options.html",
                context=options_panel_context,
                case_relations=("options_appraisal", "options_appraisal__decided_by"),
                reads=options_panel_reads,
            )
        )
        register_clock_source(next_open_due)
        register_case_opened_hook(lock_change_on_case_opened)
        register_perpetrator_hook(lock_change_on_perpetrator)
        register_departure_hook(safety_actions_of_departing_member)
        register_assign_hook(safety_actions_follow_the_case)
        register_export_section("safety", export_section)
        register_tick("safety breaches", lambda: f"{len(safety_breaches_notify())} new breach(es) notified.")
