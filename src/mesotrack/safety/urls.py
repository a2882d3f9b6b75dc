"""Mounted at the site root: patient pages under patients/<id>/adverse-events/.

`safety:event-create` answers with and without a patient id: charting's follow-up call list links
to it with only `?session=<id>`, which is sent on to the patient's page.
"""

from django.urls import path

from mesotrack.safety import signal_views, views

app_name = "safety"
EVENTS = "patients/<int:patient_id>/adverse-events/"
urlpatterns = [
    path("adverse-events/new/", views.event_create_from_session, name="event-create"),
    path(EVENTS, views.event_list, name="event-list"),
    path(f"{EVENTS}new/", views.event_create, name="event-create"),
    path(f"{EVENTS}<int:adverse_event_id>/", views.event_detail, name="event-detail"),
    path(f"{EVENTS}<int:adverse_event_id>/edit/", views.event_edit, name="event-edit"),
    path(f"{EVENTS}<int:adverse_event_id>/review/", views.event_review, name="event-review"),
    path("safety-signals/", signal_views.signal_page, name="signals"),
    path("safety-signals/export.csv", signal_views.signal_export, name="signals-export"),
    path("notifications/", signal_views.notification_list, name="notifications"),
    path("notifications/badge/", signal_views.notification_badge, name="notification-badge"),
]
