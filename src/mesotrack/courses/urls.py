"""A patient's courses, under /patients/<patient_id>/courses/."""

from django.urls import path

from mesotrack.courses.views import appointments, courses, feeds, packages

app_name = "courses"
urlpatterns = [
    path("", courses.course_list, name="list"),
    path("new/", courses.course_new, name="new"),
    path("calendar-link/", feeds.patient_feed, name="feed"),
    path("<int:course_id>/", courses.course_detail, name="detail"),
    path("<int:course_id>/cancel/", courses.course_cancel_view, name="cancel"),
    path("<int:course_id>/book/", courses.course_book, name="book"),
    path("<int:course_id>/packages/", packages.course_packages, name="packages"),
    path(
        "appointments/<int:appointment_id>/move/",
        appointments.appointment_reschedule_view,
        name="reschedule",
    ),
    path(
        "appointments/<int:appointment_id>/did-not-attend/",
        appointments.appointment_missed_view,
        name="missed",
    ),
    path(
        "appointments/<int:appointment_id>/cancel/",
        appointments.appointment_cancel_view,
        name="appointment-cancel",
    ),
    path(
        "appointments/<int:appointment_id>/attended/",
        appointments.appointment_attended_view,
        name="attended",
    ),
]
