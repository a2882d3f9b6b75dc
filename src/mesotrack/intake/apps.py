from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "mesotrack.intake"
    label = "intake"

    def ready(self) -> None:
        from mesotrack.intake.chart import intake_chart_section, intake_timeline
        from mesotrack.patients.chart import register_chart_section, register_timeline
        from mesotrack.rules import validate_all_tables

        # Intake reads the rule tables; start-up fails on a malformed one even while
        # mesotrack.rules is not yet in INSTALLED_APPS.
        validate_all_tables()
        register_chart_section(intake_chart_section)
        register_timeline(intake_timeline)
