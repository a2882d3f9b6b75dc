from django.urls import URLPattern

app_name = "consent_templates"
urlpatterns: list[URLPattern] = []
