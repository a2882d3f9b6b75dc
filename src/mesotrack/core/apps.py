from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mesotrack.core"
    label = "core"
