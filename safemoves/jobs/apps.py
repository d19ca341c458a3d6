from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "safemoves.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Bind @shared_task to the configured Celery app before any task is sent.
        from safemoves.jobs import queue, tasks  # noqa: F401
