"""Calendars, feeds, protocols and calendar settings, under /calendar/."""

from django.urls import path

from mesotrack.courses.views import calendar, feeds, protocols, settings

app_name = "calendar"
urlpatterns = [
    path("", calendar.calendar_day, name="day"),
    path("week/", calendar.calendar_week, name="week"),
    path("reminders/", calendar.reminders_queue, name="reminders"),
    path("my-calendar-link/", feeds.my_feed, name="my-feed"),
    path("feeds/<slug:feed_token>.ics", feeds.feed, name="feed"),
    path("settings/", settings.calendar_settings, name="settings"),
    path("protocols/", protocols.protocol_list, name="protocols"),
    path("protocols/new/", protocols.protocol_new, name="protocol-new"),
    path("protocols/<slug:protocol_code>/", protocols.protocol_detail, name="protocol"),
]
