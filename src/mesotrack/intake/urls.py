from django.urls import path

from mesotrack.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.intake_summary, name="summary"),
    path("start/", views.intake_start, name="start"),
    path("edit/", views.intake_edit, name="edit"),
    path("v<int:version>/", views.intake_version, name="version"),
    path("v<int:version>/sign/", views.intake_sign, name="sign"),
]
