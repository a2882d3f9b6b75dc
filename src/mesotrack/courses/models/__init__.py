"""Models of the courses app: clinic time, courses and appointments, packages, feeds and
reminders (one module each)."""

from mesotrack.courses.models.clinic_time import (
    Chair,
    ClinicProtocol,
    Closure,
    OpeningHours,
    PractitionerHours,
    PractitionerLeave,
    Weekday,
)
from mesotrack.courses.models.courses import (
    LIVE_STATUSES,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ChairSlot,
    CourseStatus,
    Modality,
    PractitionerSlot,
    TreatmentCourse,
    Zone,
)
from mesotrack.courses.models.notices import (
    CalendarFeed,
    FeedKind,
    Reminder,
    ReminderChannel,
    ReminderStatus,
)
from mesotrack.courses.models.packages import (
    APPEND_ONLY_MESSAGE,
    CoursePackage,
    PackageEntry,
    PackageEntryKind,
)

__all__ = [
    "APPEND_ONLY_MESSAGE",
    "LIVE_STATUSES",
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "CalendarFeed",
    "Chair",
    "ChairSlot",
    "ClinicProtocol",
    "Closure",
    "CoursePackage",
    "CourseStatus",
    "FeedKind",
    "Modality",
    "OpeningHours",
    "PackageEntry",
    "PackageEntryKind",
    "PractitionerHours",
    "PractitionerLeave",
    "PractitionerSlot",
    "Reminder",
    "ReminderChannel",
    "ReminderStatus",
    "TreatmentCourse",
    "Weekday",
    "Zone",
]
