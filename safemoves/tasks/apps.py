from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "safemoves.tasks"
    label = "tasks"
    verbose_name = "Tasks on cases"

    def ready(self) -> None:
        from safemoves.cases.extensions import (
            CasePanel,
            register_assign_hook,
            register_clock_source,
            register_export_section,
            register_panel,
        )
        from safemoves.common.ticks import register_tick
        from safemoves.organisations.extensions import register_departure_hook
        from safemoves.tasks.panels import export_section, tasks_panel_context, tasks_panel_reads
        from safemoves.tasks.services import (
            next_open_task_due,
            tasks_follow_the_case,
            tasks_of_departing_member,
            tasks_overdue_notify,
        )

        register_panel(
            CasePanel(
                order=15, template="tasks/_panel_tasks.html", context=tasks_panel_context, reads=tasks_panel_reads
            )
        )
        register_clock_source(next_open_task_due)
        register_export_section("tasks", export_section)
        register_departure_hook(tasks_of_departing_member)
        register_assign_hook(tasks_follow_the_case)
        register_tick("tasks overdue", lambda: f"{len(tasks_overdue_notify())} overdue task(s) notified.")
