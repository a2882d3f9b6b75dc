from django.urls import path

from mesotrack.outcomes.views import cohort

app_name = "cohort"
urlpatterns = [
    path("", cohort.cohort_page, name="analytics"),
    path("export.csv", cohort.cohort_export, name="export"),
    path("settings/", cohort.settings_home, name="settings-home"),
    path("settings/<int:clinic_id>/", cohort.clinic_settings, name="settings"),
]
