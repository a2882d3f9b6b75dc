from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "mesotrack.assessment"
    label = "assessment"

    def ready(self) -> None:
        from mesotrack.assessment.chart import assessment_chart_section, assessment_timeline
        from mesotrack.patients.chart import register_chart_section, register_timeline

        register_chart_section(assessment_chart_section)
        register_timeline(assessment_timeline)
