from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "safemoves.common"
    label = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        from safemoves.common import checks  # noqa: F401 - registers the system check
        from safemoves.common.lookups import register as register_lookups
        from safemoves.common.scoping import connect_row_guards

        connect_row_guards()
        register_lookups()
        # After every migrate: row-level security on every organisation-owned table (ADR 0020).
        from django.db.models.signals import post_migrate

        from safemoves.common.rls import apply_after_migrate

        post_migrate.connect(apply_after_migrate, dispatch_uid="safemoves.rls")
