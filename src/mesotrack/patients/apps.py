from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "mesotrack.patients"
    label = "patients"
