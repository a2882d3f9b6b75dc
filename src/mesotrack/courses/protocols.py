"""Protocol templates: the shipped table (rules/data/protocols.json) and a clinic's own.

Both are validated by `ProtocolDefinition`, so a clinic's protocol obeys the same limits as a
published one (above all the modality's minimum interval between sessions, from the
scheduling_rules table), and both turn into the scheduling engine's plain `CoursePattern`.
"""

from decimal import Decimal
from functools import cache
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mesotrack.courses.scheduling import SLOT_MINUTES, CoursePattern, MeasurementSpec, Step
from mesotrack.rules import load_table

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
Modality = Literal["mesotherapy", "prp"]
Phase = Literal["induction", "consolidation", "maintenance"]
Method = Literal["nappage", "point_by_point", "linear", "meso_gun", "microneedling"]

PHASE_LABELS = {
    "induction": "Induction",
    "consolidation": "Consolidation",
    "maintenance": "Maintenance",
}
METHOD_LABELS = {
    "nappage": "Nappage",
    "point_by_point": "Point by point (micropapules)",
    "linear": "Linear (retrograde)",
    "meso_gun": "Meso-gun",
    "microneedling": "Microneedling",
}
MODALITY_LABELS = {"mesotherapy": "Mesotherapy", "prp": "PRP"}
MODALITY_WORDS = {"mesotherapy": "mesotherapy", "prp": "PRP"}  # inside a sentence
MAX_SESSIONS = 60


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Range(_Part):
    min: Decimal = Field(ge=0)
    max: Decimal = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "Range":
        if self.min > self.max:
            raise ValueError("min must not be above max")
        return self


class ProtocolStep(_Part):
    phase: Phase
    sessions: int = Field(ge=1, le=52)
    interval_days: int = Field(ge=1, le=365)
    window_before_days: int = Field(ge=0, le=60)
    window_after_days: int = Field(ge=0, le=90)


class MeasurementVisit(_Part):
    code: str = Field(pattern=CODE_PATTERN, max_length=40)
    label: str = Field(min_length=1, max_length=120)
    day_offset: int = Field(ge=0, le=730)
    window_before_days: int = Field(ge=0, le=60)
    window_after_days: int = Field(ge=0, le=60)
    with_first_session: bool = False
    source: str = ""


class Technique(_Part):
    method: Method
    needle_gauge: int | None = Field(default=None, ge=18, le=34)
    needle_length_mm: Decimal | None = Field(default=None, gt=0, le=20)
    depth_mm: Range | None = None
    angle_degrees: int | None = Field(default=None, ge=10, le=90)
    volume_per_point_ml: Range | None = None
    volume_per_cm2_ml: Range | None = None
    spacing_mm: int | None = Field(default=None, ge=1, le=50)
    session_volume_ml: Range | None = None
    note: str = ""
    source: str = ""


def _check_intervals(steps: tuple[ProtocolStep, ...], modality: str) -> None:
    minimum = min_interval_days(modality)
    for index, step in enumerate(steps, start=1):
        if step.interval_days - step.window_before_days < minimum:
            raise ValueError(
                f"Step {index}: sessions {step.interval_days} days apart, up to "
                f"{step.window_before_days} days earlier, could come closer than the "
                f"{minimum}-day minimum between {MODALITY_WORDS[modality]} sessions."
            )


class ProtocolDefinition(_Part):
    code: str = Field(pattern=CODE_PATTERN, max_length=60)
    label: str = Field(min_length=1, max_length=200)
    modality: Modality
    schedule: str = Field(min_length=1, max_length=300)
    description: str = ""
    steps: tuple[ProtocolStep, ...] = Field(min_length=1)
    measurements: tuple[MeasurementVisit, ...] = ()
    technique: Technique
    session_minutes: int = Field(ge=SLOT_MINUTES, le=240)
    measurement_minutes: int = Field(default=30, ge=SLOT_MINUTES, le=120)
    source: str = Field(min_length=1)
    evidence: Literal["P", "S", "C", "V"] | None = None

    @field_validator("steps")
    @classmethod
    def _never_too_close(
        cls, steps: tuple[ProtocolStep, ...], info: ValidationInfo
    ) -> tuple[ProtocolStep, ...]:
        if "modality" in info.data:
            _check_intervals(steps, info.data["modality"])
        return steps

    @model_validator(mode="after")
    def _consistent(self) -> "ProtocolDefinition":
        for minutes in (self.session_minutes, self.measurement_minutes):
            if minutes % SLOT_MINUTES:
                raise ValueError(f"visit lengths must be multiples of {SLOT_MINUTES} minutes")
        if self.session_count > MAX_SESSIONS:
            raise ValueError(f"a course has at most {MAX_SESSIONS} sessions")
        codes = [visit.code for visit in self.measurements]
        if len(codes) != len(set(codes)):
            raise ValueError("each measurement visit needs its own code")
        baselines = [visit for visit in self.measurements if visit.with_first_session]
        if len(baselines) > 1 or any(visit.day_offset for visit in baselines):
            raise ValueError("only one measurement visit, on day 0, goes with the first session")
        return self

    @property
    def session_count(self) -> int:
        return sum(step.sessions for step in self.steps)

    def pattern(self) -> CoursePattern:
        return CoursePattern(
            steps=tuple(
                Step(
                    phase=step.phase,
                    sessions=step.sessions,
                    interval_days=step.interval_days,
                    window_before_days=step.window_before_days,
                    window_after_days=step.window_after_days,
                )
                for step in self.steps
            ),
            measurements=tuple(
                MeasurementSpec(
                    code=visit.code,
                    label=visit.label,
                    day_offset=visit.day_offset,
                    window_before_days=visit.window_before_days,
                    window_after_days=visit.window_after_days,
                    with_first_session=visit.with_first_session,
                )
                for visit in self.measurements
            ),
            min_interval_days=min_interval_days(self.modality),
            session_minutes=self.session_minutes,
            measurement_minutes=self.measurement_minutes,
        )


class SchedulingRule(_Part):
    code: str
    label: str
    modality: Modality
    min_interval_days: int = Field(ge=1, le=365)
    source: str = Field(min_length=1)
    evidence: Literal["P", "S", "C", "V"] | None = None


@cache
def scheduling_rules() -> dict[str, SchedulingRule]:
    rows = [
        SchedulingRule.model_validate(row.model_dump()) for row in load_table("scheduling_rules")
    ]
    return {row.modality: row for row in rows}


def min_interval_days(modality: str) -> int:
    """The fewest days allowed between two sessions of `modality` (scheduling_rules table)."""
    return scheduling_rules()[modality].min_interval_days


@cache
def shipped_protocols() -> dict[str, ProtocolDefinition]:
    """The published and conventional protocols of rules/data/protocols.json, by code."""
    table = load_table("protocols")
    found = {}
    for row in table:
        try:
            found[row.code] = ProtocolDefinition.model_validate(row.model_dump())
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise ValueError(f"protocols.json, {row.code}: {where}: {first['msg']}") from None
    return found
