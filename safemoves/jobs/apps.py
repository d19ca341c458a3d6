from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "safemoves.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Bind @shared_task to the configured Celery app before any task is sent.
        from safemoves.common.ticks import register_tick
        from safemoves.jobs import matching, queue, tasks  # noqa: F401
        from safemoves.jobs.services import job_outputs_purge

        matching.register()
        register_tick("job outputs", lambda: f"{job_outputs_purge()} expired job output(s) deleted.")
