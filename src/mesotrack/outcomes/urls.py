from django.urls import path

from mesotrack.outcomes.views import analyses, measures, photos

app_name = "outcomes"
urlpatterns = [
    path("", measures.outcomes_home, name="home"),
    path("sites/new/", measures.site_new, name="site-new"),
    path("visits/new/", measures.visit_new, name="visit-new"),
    path("visits/<int:visit_id>/", measures.visit_detail, name="visit"),
    path("visits/<int:visit_id>/edit/", measures.visit_edit, name="visit-edit"),
    path("visits/<int:visit_id>/captures/new/", measures.capture_new, name="capture-new"),
    path("photos/", photos.photo_list, name="photos"),
    path("photos/new/", photos.photo_new, name="photo-new"),
    path("photos/compare/", photos.photo_compare, name="photo-compare"),
    path("photos/<int:photo_id>/image/", photos.photo_image, name="photo-image"),
    path("analyses/", analyses.analysis_list, name="analyses"),
    path("analyses/new/", analyses.analysis_new, name="analysis-new"),
    path("analyses/<int:analysis_id>/", analyses.analysis_detail, name="analysis"),
    path("analyses/<int:analysis_id>/status/", analyses.analysis_status, name="analysis-status"),
    path("analyses/<int:analysis_id>/image/", analyses.analysis_image, name="analysis-image"),
    path(
        "analyses/<int:analysis_id>/corrections/",
        analyses.analysis_corrections,
        name="analysis-corrections",
    ),
    path("analyses/<int:analysis_id>/retry/", analyses.analysis_retry, name="analysis-retry"),
]
