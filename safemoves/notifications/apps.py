from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "safemoves.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from safemoves.common.ticks import register_tick
        from safemoves.notifications.services import requests_waiting_notify

        register_tick("requests waiting", lambda: f"{len(requests_waiting_notify())} waiting request(s) notified.")
