from django.apps import AppConfig


class ChartingConfig(AppConfig):
    name = "mesotrack.charting"
    label = "charting"
    verbose_name = "Session charting"

    def ready(self) -> None:
        from mesotrack.charting import chart

        chart.register()
