from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "mesotrack.consent"
    label = "consent"
