from django.urls import path

from mesotrack.charting import call_views, views

app_name = "charting"

urlpatterns = [
    path("", views.session_list, name="session-list"),
    path("new/", views.session_new, name="session-new"),
    path("<int:session_id>/", views.session_detail, name="session-detail"),
    path("<int:session_id>/aftercare/", views.session_aftercare, name="session-aftercare"),
    path("<int:session_id>/calls/<int:call_id>/", call_views.call_record, name="call-record"),
]
