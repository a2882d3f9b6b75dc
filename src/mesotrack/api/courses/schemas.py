"""Input and output schemas of the courses API."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from mesotrack.api.errors import ErrorOut
from mesotrack.courses.models import Appointment, Zone

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_RANGE_DAYS = 31
ZoneCode = Literal[
    "frontal_hairline",
    "frontal",
    "mid_scalp",
    "vertex",
    "left_temporal",
    "right_temporal",
    "left_parietal",
    "right_parietal",
    "occipital",
]


class _In(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProtocolOut(Schema):
    code: str
    label: str
    modality: str
    schedule: str
    sessions: int
    source: str


class AppointmentOut(Schema):
    id: int
    course_id: int
    patient_id: int
    record_number: str
    kind: str
    number: int
    measurement_code: str
    label: str
    phase: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    status_reason: str
    practitioner_id: int
    chair: str
    window_earliest: dt.date
    window_latest: dt.date
    window_late: bool

    @staticmethod
    def resolve_record_number(appointment: Appointment) -> str:
        return appointment.patient.record_number

    @staticmethod
    def resolve_chair(appointment: Appointment) -> str:
        return appointment.chair.name


class ProgressOut(Schema):
    attended: int
    total: int
    label: str
    next_visit: dt.datetime | None
    unbooked_sessions: list[int]


class CourseOut(Schema):
    id: int
    patient_id: int
    protocol_code: str
    protocol_label: str
    modality: str
    recipe: str
    recipe_version_id: int
    target_zones: list[str]
    practitioner_id: int
    start_date: dt.date
    preferred_time: dt.time | None
    status: str
    session_count: int
    notes: str
    cancellation_reason: str
    created_at: dt.datetime
    progress: ProgressOut
    appointments: list[AppointmentOut] = []


class VisitOut(Schema):
    kind: str
    number: int
    code: str
    label: str
    phase: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    window_earliest: dt.date
    window_target: dt.date
    window_latest: dt.date


class PlanOut(Schema):
    protocol_code: str
    sessions: int
    price_per_session: Decimal | None
    currency: str | None
    total_price: Decimal | None
    fingerprint: str = Field(description="Send back as `fingerprint` to book exactly this plan.")
    visits: list[VisitOut]


class ReplanOut(Schema):
    booked: list[AppointmentOut]
    moved: int
    problem: str = Field(description="Why the rest could not be re-planned (then book by hand).")


class CourseIn(_In):
    # Required fields are checked after the patient is found, so another clinic's patient is
    # a 404 whatever the body holds (then a missing field is a 422 as usual).
    protocol: str | None = Field(
        None, min_length=1, description="A protocol code (GET /protocols)."
    )
    recipe: int | None = Field(None, description="Id of one of the organisation's recipes.")
    target_zones: list[ZoneCode] | None = Field(None, min_length=1, max_length=len(Zone.values))
    practitioner: int | None = Field(
        None, description="Id of the practitioner or nurse who treats."
    )
    start_date: dt.date | None = None
    preferred_time: dt.time | None = None
    notes: str = ""
    fingerprint: str | None = Field(None, max_length=16)
    dry_run: bool = Field(False, description="Only plan: answer 200 with the plan, book nothing.")


class BookIn(_In):
    starts_at: AwareDatetime | None = Field(None, description="When the next session starts.")
    outside_window_reason: str = ""


class MoveIn(_In):
    starts_at: AwareDatetime | None = Field(None, description="Required.")
    outside_window_reason: str = ""


class ReplanIn(_In):
    reason: str = ""
    replan_from: dt.date | None = None


class ReasonIn(_In):
    reason: str = ""


class RangeParams(Schema):
    start: dt.date
    end: dt.date = Field(description="Last day included.")
    clinic: int | None = None
    practitioner: int | None = None
