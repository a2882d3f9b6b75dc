from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "mesotrack.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from mesotrack.outcomes.chart import outcomes_chart_section, outcomes_timeline
        from mesotrack.patients.chart import register_chart_section, register_timeline

        register_chart_section(outcomes_chart_section)
        register_timeline(outcomes_timeline)
