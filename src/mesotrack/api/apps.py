from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mesotrack.api"
    label = "api"
