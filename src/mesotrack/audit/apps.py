from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mesotrack.audit"
    label = "audit"
