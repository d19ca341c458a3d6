from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "safemoves.common"
    label = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        from safemoves.common import checks  # noqa: F401 - registers the system check
        from safemoves.common.scoping import connect_row_guards

        connect_row_guards()
