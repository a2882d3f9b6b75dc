from django.urls import path

from mesotrack.consent import template_views

app_name = "consent_templates"
urlpatterns = [
    path("", template_views.template_list, name="list"),
    path("new/<str:kind>/", template_views.template_create, name="create"),
    path("<int:template_id>/", template_views.template_detail, name="detail"),
    path("<int:template_id>/edit/", template_views.template_edit, name="edit"),
    path("<int:template_id>/retire/", template_views.template_retire, name="retire"),
]
