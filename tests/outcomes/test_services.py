import datetime as dt

import pytest
from django.utils import timezone

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.outcomes import services
from mesotrack.outcomes.models import MeasurementSite, MeasurementVisit, SiteMeasurement
from tests.outcomes.factories import event_for, site, visit


def today() -> dt.date:
    """Read at each use: a run that crosses midnight must not compare with yesterday."""
    return timezone.localdate()


def test_it_adds_a_site_found_again_by_a_landmark_and_offsets(cast):
    added = site(cast.patient, cast.nurse, offset_back_mm=20, offset_right_mm=-15)
    assert added.location_text == "Vertex whorl, 20 mm behind, 15 mm to the left"
    assert not added.is_reference
    event = event_for(added, Action.CREATE)
    assert event.patient_id == cast.patient.pk
    assert event.detail == {"label": "Vertex A", "region": "vertex"}


def test_it_accepts_a_tattoo_dot_instead_of_a_landmark(cast):
    added = site(
        cast.patient,
        cast.nurse,
        label="Occiput",
        region="occipital",
        landmark="",
        offset_back_mm=None,
        offset_right_mm=None,
        tattoo_dot=True,
    )
    assert added.is_reference
    assert added.location_text == "tattoo dot"


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"label": " "}, "label", "Name the site, for example “Vertex A”."),
        ({"region": "crown"}, "region", "Choose the scalp region."),
        (
            {"landmark": "", "offset_back_mm": None, "offset_right_mm": None},
            "landmark",
            "Say how to find the site again: a landmark with offsets, or a tattoo dot.",
        ),
        ({"landmark": ""}, "landmark", "Offsets are measured from a landmark: choose one."),
        ({"offset_back_mm": 400}, "offset_back_mm", "An offset is from −250 to 250 mm."),
        ({"offset_right_mm": "far"}, "offset_right_mm", "Enter a number of millimetres."),
    ],
)
def test_it_refuses_a_site_it_could_not_find_again(cast, overrides, field, message):
    with pytest.raises(DomainError) as refused:
        site(cast.patient, cast.nurse, **overrides)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not MeasurementSite.objects.exists()


def test_it_refuses_a_second_site_with_the_same_name(cast):
    site(cast.patient, cast.nurse)
    with pytest.raises(DomainError, match="already has a site called “vertex a”"):
        site(cast.patient, cast.nurse, label="vertex a")


@pytest.mark.parametrize("who", ["manager", "receptionist", "other_practitioner"])
def test_only_practitioners_and_nurses_of_the_clinic_record_outcomes(cast, who):
    with pytest.raises(PermissionDenied):
        site(cast.patient, getattr(cast, who))
    with pytest.raises(PermissionDenied):
        visit(cast.patient, getattr(cast, who), today(), hair_count_60s=10)


def test_it_records_a_visit_with_site_measures_and_derives_density_and_split(cast):
    vertex = site(cast.patient, cast.nurse)
    recorded = visit(
        cast.patient,
        cast.nurse,
        today(),
        sites=[(vertex, {"hair_count": 120, "area_mm2": 80, "vellus_count": 18})],
        label="Baseline",
        hair_count_60s=14,
        pull_test_hairs_held=60,
        pull_test_hairs_out=4,
        asfs_total=12,
        global_photographic_score=0,
        self_assessment_score=1,
        qol_instrument="Hairdex",
        qol_score=42.5,
    )
    capture = SiteMeasurement.objects.get()
    assert (capture.density_per_cm2, capture.terminal_count, capture.vellus_count) == (
        150.0,
        102,
        18,
    )
    assert capture.vellus_threshold_um == 30.0 and capture.capture == 1
    assert capture.vellus_percent == 15.0
    assert recorded.label == "Baseline" and recorded.qol_score == 42.5
    event = event_for(recorded, Action.CREATE)
    assert event.detail["site_measurements"] == [capture.pk]
    assert "hair_count_60s" in event.detail["measures"]


@pytest.mark.parametrize(
    "values,field,message",
    [
        (
            {"hair_count_60s": 1200},
            "hair_count_60s",
            "60-second hair count must be from 0 to 1000 hairs.",
        ),
        ({"asfs_total": 81}, "asfs_total", "ASFS (flaking) must be from 0 to 80."),
        (
            {"global_photographic_score": 4},
            "global_photographic_score",
            "Global photographic assessment must be from −3 to 3.",
        ),
        (
            {"self_assessment_score": -4},
            "self_assessment_score",
            "Patient self-assessment must be from −3 to 3.",
        ),
        (
            {"qol_score": 50},
            "qol_instrument",
            "Name the questionnaire the quality-of-life score comes from.",
        ),
        (
            {"pull_test_hairs_held": 60},
            "pull_test_hairs_out",
            "Give both the hairs held and the hairs that came out.",
        ),
        (
            {"pull_test_hairs_held": 20, "pull_test_hairs_out": 25},
            "pull_test_hairs_out",
            "More hairs came out than were held: check the pull test.",
        ),
        ({"hair_count_60s": 2.5}, "hair_count_60s", "Enter a whole number."),
        ({}, None, "Enter at least one measure."),
    ],
)
def test_it_refuses_visit_measures_out_of_range_and_writes_nothing(cast, values, field, message):
    with pytest.raises(DomainError) as refused:
        visit(cast.patient, cast.nurse, today(), **values)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not MeasurementVisit.objects.exists()
    assert not AuditEvent.objects.filter(object_type__startswith="outcomes.").exists()


@pytest.mark.parametrize(
    "values,field,message",
    [
        (
            {"density_per_cm2": 700},
            "sites.0.density_per_cm2",
            "Density must be from 0 to 600 hairs/cm².",
        ),
        (
            {"mean_diameter_um": 2},
            "sites.0.mean_diameter_um",
            "Mean shaft diameter must be from 5 to 200 µm.",
        ),
        (
            {"hair_count": 100, "terminal_count": 80, "vellus_count": 30},
            "sites.0.vellus_count",
            "Terminal and vellus hairs must add up to the hair count (100).",
        ),
        (
            {"hair_count": 100, "area_mm2": 50, "density_per_cm2": 150},
            "sites.0.density_per_cm2",
            "The density does not match the count and the area, which give 200 hairs/cm².",
        ),
        (
            {"anagen_percent": 101},
            "sites.0.anagen_percent",
            "Anagen hairs must be from 0 to 100 %.",
        ),
        ({"area_mm2": 50}, "sites.0.hair_count", "Enter at least one measure for this site."),
    ],
)
def test_it_names_the_site_field_at_fault(cast, values, field, message):
    vertex = site(cast.patient, cast.nurse)
    with pytest.raises(DomainError) as refused:
        visit(cast.patient, cast.nurse, today(), sites=[(vertex, values)])
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not SiteMeasurement.objects.exists()


def test_it_refuses_a_future_date_and_a_second_visit_on_one_day(cast):
    with pytest.raises(DomainError, match="The date is in the future."):
        visit(cast.patient, cast.nurse, today() + dt.timedelta(days=1), hair_count_60s=3)
    visit(cast.patient, cast.nurse, today(), hair_count_60s=3)
    with pytest.raises(DomainError) as refused:
        visit(cast.patient, cast.practitioner, today(), hair_count_60s=4)
    assert refused.value.field == "measured_on"
    assert "add to it instead" in refused.value.message


def test_it_refuses_another_patients_site(cast):
    foreign = site(cast.other_patient, cast.other_practitioner)
    with pytest.raises(DomainError) as refused:
        visit(cast.patient, cast.nurse, today(), sites=[(foreign, {"hair_count": 10})])
    assert refused.value.message == "That measurement site belongs to another patient."


def test_repeat_captures_of_a_site_are_numbered(cast):
    vertex = site(cast.patient, cast.nurse)
    day = visit(cast.patient, cast.nurse, today(), sites=[(vertex, {"density_per_cm2": 150})])
    second = services.site_measurement_add(
        actor=cast.practitioner, visit=day, site=vertex, data={"density_per_cm2": 154}
    )
    assert second.capture == 2
    assert event_for(second, Action.CREATE).detail == {
        "visit": day.pk,
        "site": vertex.pk,
        "capture": 2,
        "measures": ["density_per_cm2"],
    }


def test_it_updates_visit_measures_and_audits_the_fields_changed(cast):
    day = visit(cast.patient, cast.nurse, today(), hair_count_60s=10, label="Baseline")
    services.measurement_visit_update(
        actor=cast.practitioner,
        visit=day,
        data={"measured_on": today(), "label": "Baseline", "hair_count_60s": 12, "asfs_total": 8},
    )
    day.refresh_from_db()
    assert (day.hair_count_60s, day.asfs_total, day.updated_by) == (12, 8, cast.practitioner)
    event = event_for(day, Action.UPDATE)
    assert event.detail == {"fields": ["asfs_total", "hair_count_60s"]}
