from django.apps import AppConfig


class FormularyConfig(AppConfig):
    name = "mesotrack.formulary"
    label = "formulary"
    verbose_name = "Formulary"
