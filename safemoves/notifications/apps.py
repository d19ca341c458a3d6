from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "safemoves.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from safemoves.cases.extensions import register_frame_reads
        from safemoves.common.ticks import register_tick
        from safemoves.notifications.selectors import unread_count_reads
        from safemoves.notifications.services import requests_waiting_notify

        register_frame_reads(unread_count_reads)
        register_tick("requests waiting", lambda: f"{len(requests_waiting_notify())} waiting request(s) notified.")
