from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "mesotrack.safety"
    label = "safety"
    verbose_name = "Adverse events and safety signals"

    def ready(self) -> None:
        from mesotrack.patients.chart import register_chart_section, register_timeline
        from mesotrack.safety.chart import safety_chart_section, safety_timeline
        from mesotrack.safety.terms import adverse_event_grades, adverse_event_terms

        # A malformed vocabulary stops start-up, as every rule table does.
        adverse_event_terms()
        adverse_event_grades()
        register_chart_section(safety_chart_section)
        register_timeline(safety_timeline)
