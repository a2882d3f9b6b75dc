from django.contrib import admin
from django.urls import include, path

from mesotrack.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("mesotrack.accounts.urls")),
    path("patients/", include("mesotrack.patients.urls")),
    path("patients/<int:patient_id>/intake/", include("mesotrack.intake.urls")),
    path("patients/<int:patient_id>/consents/", include("mesotrack.consent.urls")),
    path("patients/<int:patient_id>/assessments/", include("mesotrack.assessment.urls")),
    path("patients/<int:patient_id>/outcomes/", include("mesotrack.outcomes.urls")),
    path("outcomes/", include("mesotrack.outcomes.cohort_urls")),
    path("clinic-settings/", include("mesotrack.assessment.settings_urls")),
    path("patients/<int:patient_id>/courses/", include("mesotrack.courses.urls")),
    path("calendar/", include("mesotrack.courses.calendar_urls")),
    path("patients/<int:patient_id>/sessions/", include("mesotrack.charting.urls")),
    path("follow-up-calls/", include("mesotrack.charting.call_urls")),
    path("consent-templates/", include("mesotrack.consent.template_urls")),
    path("formulary/", include("mesotrack.formulary.urls")),
    path("audit/", include("mesotrack.audit.urls")),
    path("", include("mesotrack.safety.urls")),
    path("api/v1/", include("mesotrack.api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "mesotrack.core.views.permission_denied"
