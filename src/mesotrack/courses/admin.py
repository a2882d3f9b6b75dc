"""Read-mostly admin for support staff; the pages and services are where work is done."""

from django.contrib import admin

from mesotrack.courses.models import Chair, ClinicProtocol, Closure, OpeningHours, Reminder


@admin.register(Chair)
class ChairAdmin(admin.ModelAdmin):
    list_display = ("name", "clinic", "is_active")
    list_filter = ("clinic",)


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ("clinic", "weekday", "opens", "closes")
    list_filter = ("clinic",)


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("clinic", "starts_on", "ends_on", "reason")
    list_filter = ("clinic",)


@admin.register(ClinicProtocol)
class ClinicProtocolAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "clinic", "modality", "is_active")
    readonly_fields = ("definition",)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("appointment_id", "channel", "status", "queued_at", "sent_at")
    list_filter = ("status", "channel")
    readonly_fields = (
        "appointment",
        "channel",
        "status",
        "task_id",
        "queued_at",
        "sent_at",
        "detail",
    )
