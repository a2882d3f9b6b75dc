from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "mesotrack.intake"
    label = "intake"
