from django.urls import path

from mesotrack.charting import call_views

app_name = "charting-calls"

urlpatterns = [
    path("", call_views.call_list, name="calls"),
]
