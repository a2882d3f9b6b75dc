from django.urls import path

from mesotrack.assessment import settings_views

app_name = "clinic_settings"
urlpatterns = [
    path("", settings_views.settings_home, name="home"),
    path("<int:clinic_id>/prices/", settings_views.price_list, name="prices"),
    path("<int:clinic_id>/screening/", settings_views.screening_settings, name="screening"),
]
