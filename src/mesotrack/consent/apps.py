from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "mesotrack.consent"
    label = "consent"

    def ready(self) -> None:
        from mesotrack.consent.chart import consent_chart_section, consent_timeline
        from mesotrack.patients.chart import register_chart_section, register_timeline

        register_chart_section(consent_chart_section)
        register_timeline(consent_timeline)
