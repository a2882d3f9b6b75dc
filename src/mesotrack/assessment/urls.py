from django.urls import path

from mesotrack.assessment import plan_views, views

app_name = "assessment"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_new, name="new"),
    path("<int:assessment_id>/", views.assessment_detail, name="detail"),
    path("<int:assessment_id>/edit/", views.assessment_edit, name="edit"),
    path("<int:assessment_id>/sign/", views.assessment_sign, name="sign"),
    path("<int:assessment_id>/addendum/", views.assessment_addendum, name="addendum"),
    path("<int:assessment_id>/decision-aid/", plan_views.decision_aid_page, name="decision-aid"),
    path("plans/<int:plan_id>/", plan_views.plan_detail, name="plan"),
    path("screening/", plan_views.screening_page, name="screening"),
    path("screening/override/", plan_views.override_new, name="override"),
]
