from django.apps import AppConfig


class KeysConfig(AppConfig):
    name = "safemoves.keys"
    label = "keys"
    verbose_name = "Encryption keys"
