from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "mesotrack.rules"
    label = "rules"

    def ready(self) -> None:
        # A malformed table stops start-up: a clinic must never run on rules it cannot trace.
        from mesotrack.rules.loader import validate_all_tables

        validate_all_tables()
