from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safemoves.audit"
    label = "audit"
    verbose_name = "Audit log"
