"""Input and output schemas of the outcomes API."""

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from mesotrack.outcomes.models import AnalysisCorrection


class _In(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SiteIn(_In):
    label: str = Field("", max_length=60)
    region: str = Field("", description="frontal, midscalp, vertex, left_temporal, …")
    landmark: str = ""
    offset_back_mm: float | None = None
    offset_right_mm: float | None = None
    tattoo_dot: bool = False
    notes: str = ""


class SiteOut(Schema):
    id: int
    label: str
    region: str
    landmark: str
    offset_back_mm: float | None
    offset_right_mm: float | None
    tattoo_dot: bool
    is_reference: bool
    notes: str


class SiteValuesIn(_In):
    site_id: int
    hair_count: int | None = None
    area_mm2: float | None = None
    density_per_cm2: float | None = None
    mean_diameter_um: float | None = None
    terminal_count: int | None = None
    vellus_count: int | None = None
    cumulative_thickness_mm_per_cm2: float | None = None
    anagen_percent: float | None = None


class VisitIn(_In):
    measured_on: dt.date | None = Field(None, description="Defaults to today.")
    label: str = ""
    hair_count_60s: int | None = None
    pull_test_hairs_held: int | None = None
    pull_test_hairs_out: int | None = None
    asfs_total: int | None = None
    global_photographic_score: int | None = None
    self_assessment_score: int | None = None
    qol_instrument: str = ""
    qol_score: float | None = None
    notes: str = ""
    sites: list[SiteValuesIn] = Field([], max_length=20)


class SiteMeasurementOut(Schema):
    id: int
    site_id: int
    capture: int
    source: str
    analysis_id: int | None
    hair_count: int | None
    area_mm2: float | None
    density_per_cm2: float | None
    mean_diameter_um: float | None
    terminal_count: int | None
    vellus_count: int | None
    vellus_threshold_um: float
    cumulative_thickness_mm_per_cm2: float | None
    anagen_percent: float | None


class VisitOut(Schema):
    id: int
    measured_on: dt.date
    label: str
    hair_count_60s: int | None
    pull_test_hairs_held: int | None
    pull_test_hairs_out: int | None
    asfs_total: int | None
    global_photographic_score: int | None
    self_assessment_score: int | None
    qol_instrument: str
    qol_score: float | None
    notes: str
    sites: list[SiteMeasurementOut]


class PhotoOut(Schema):
    id: int
    view: str
    taken_on: dt.date
    captured_at: dt.datetime | None
    site_id: int | None
    visit_id: int | None
    width: int
    height: int
    content_type: str
    file_size: int
    sha256: str
    uploaded_at: dt.datetime
    notes: str


class PhotoImageOut(Schema):
    id: int
    content_type: str
    width: int
    height: int
    data_base64: str


class FiguresOut(Schema):
    hair_count: int | None
    density_per_cm2: float | None
    vellus_count: int | None
    mean_diameter_um: float | None


class AnalysisOut(Schema):
    id: int
    status: str
    progress: int
    progress_message: str
    error: str
    taken_on: dt.date
    site_id: int | None
    visit_id: int | None
    px_per_mm: float
    device_profile_id: int | None
    region: dict[str, Any] | None
    vellus_threshold_um: float
    width: int
    height: int
    area_mm2: float | None
    quality_ok: bool | None
    quality_messages: list[str]
    seconds: float | None
    automatic: FiguresOut
    corrected: FiguresOut
    corrections_count: int


class HairOut(Schema):
    ref: str
    number: int
    x: float
    y: float
    diameter_um: float | None
    is_vellus: bool
    added: bool
    removed: bool


class AnalysisResultOut(AnalysisOut):
    hairs: list[HairOut]
    automatic_result: dict[str, Any]


class CorrectionIn(_In):
    kind: str = Field("", description="add (with x, y), remove or restore (with hair_ref).")
    hair_ref: str = ""
    x: float | None = None
    y: float | None = None
    is_vellus: bool = False


class CorrectionOut(Schema):
    id: int
    kind: str
    hair_ref: str
    x: float | None
    y: float | None
    is_vellus: bool
    author: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(correction: AnalysisCorrection) -> str:
        return correction.author.get_username()
