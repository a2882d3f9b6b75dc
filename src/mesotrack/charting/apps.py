from django.apps import AppConfig


class ChartingConfig(AppConfig):
    name = "mesotrack.charting"
    label = "charting"
    verbose_name = "Session charting"

    def ready(self) -> None:
        from mesotrack.charting import chart
        from mesotrack.charting.links import session_url_for_ref
        from mesotrack.formulary.session_links import register_session_linker

        chart.register()
        register_session_linker(session_url_for_ref)
