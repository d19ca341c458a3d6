from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safemoves.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from safemoves.accounts import signals  # noqa: F401 - connects receivers
