"""Trichoscopy analyses through the services: submit, the background run, corrections."""

import pytest
from django.utils import timezone

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.outcomes import analyser, services
from mesotrack.outcomes.models import (
    AnalysisCorrection,
    AppendOnlyRecordError,
    DeviceProfile,
    SiteMeasurement,
    TrichoscopyAnalysis,
)
from mesotrack.outcomes.services.analyses import UNEXPECTED_FAILURE
from tests.factories import ClinicFactory
from tests.outcomes.conftest import stored_files
from tests.outcomes.factories import (
    TRICHOSCOPY_PX_PER_MM,
    analysis,
    event_for,
    site,
    trichoscopy_png,
)


def submit(cast, **kwargs):
    data = kwargs.pop("data", None) or trichoscopy_png()[0]
    return services.trichoscopy_analysis_submit(
        actor=cast.nurse, patient=cast.patient, data=data, **kwargs
    )


def test_the_analysis_runs_in_the_background_and_keeps_the_automatic_result(
    cast, consented, private_media
):
    data, truth = trichoscopy_png()
    vertex = site(cast.patient, cast.nurse)
    done = submit(cast, data=data, px_per_mm=TRICHOSCOPY_PX_PER_MM, site=vertex)
    assert done.status == "finished" and done.progress == 100
    assert done.task_id
    assert done.result["hair_count"] == done.auto_hair_count == done.hair_count
    assert done.area_mm2 == pytest.approx(480 * 360 / TRICHOSCOPY_PX_PER_MM**2)
    assert done.auto_density_per_cm2 == pytest.approx(done.auto_hair_count / 0.1728, abs=0.01)
    # Its accuracy against the generator's truth is the imaging package's own tests' business.
    assert truth.count > 0 and done.auto_hair_count > 0
    assert done.overlay and done.visit.measured_on == timezone.localdate()
    capture = SiteMeasurement.objects.get(analysis=done)
    assert (capture.source, capture.site, capture.hair_count) == (
        "trichoscopy",
        vertex,
        done.hair_count,
    )
    assert len(stored_files(private_media)) == 2  # the image and its overlay
    automatic = AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(done.pk), object_type="outcomes.TrichoscopyAnalysis"
    ).get()
    assert automatic.actor is None and automatic.detail["automatic"] is True


def test_a_device_profile_gives_the_calibration(cast, consented):
    profile = DeviceProfile.objects.create(clinic=cast.clinic, name="Scope", px_per_mm=100)
    done = submit(cast, device_profile=profile)
    assert (done.px_per_mm, done.device_profile) == (100.0, profile)


@pytest.mark.parametrize(
    "kwargs,field,message",
    [
        (
            {},
            "px_per_mm",
            "Give the calibration: pixels per millimetre, or a saved device profile.",
        ),
        ({"px_per_mm": 0}, "px_per_mm", "Pixels per millimetre must be from 1 to 20,000."),
        ({"px_per_mm": "many"}, "px_per_mm", "Enter a number of pixels per millimetre."),
        (
            {"px_per_mm": 100, "region": {"kind": "circle", "cx": 10, "cy": 10, "r": -5}},
            "region",
            "The circle's radius must be positive.",
        ),
        (
            {"px_per_mm": 100, "region": {"kind": "circle", "cx": 5000, "cy": 5000, "r": 5}},
            "region",
            "The region does not cover any part of the image.",
        ),
        (
            {"px_per_mm": 100, "region": {"kind": "star"}},
            "region",
            "A region is either a circle or a polygon.",
        ),
        ({"px_per_mm": 100, "taken_on": "2999-01-01"}, "taken_on", "The date is in the future."),
    ],
)
def test_it_refuses_a_bad_calibration_or_region_and_stores_nothing(
    cast, consented, private_media, kwargs, field, message
):
    with pytest.raises(DomainError) as refused:
        submit(cast, **kwargs)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not TrichoscopyAnalysis.objects.exists()
    assert stored_files(private_media) == []


def test_another_clinics_device_profile_is_refused(cast, consented):
    elsewhere = DeviceProfile.objects.create(
        clinic=ClinicFactory(), name="Their scope", px_per_mm=100
    )
    with pytest.raises(DomainError, match="Choose one of this clinic's device profiles."):
        submit(cast, device_profile=elsewhere)


def test_a_failing_analyser_marks_the_analysis_failed_and_it_can_run_again(
    cast, consented, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("segfault-ish")

    monkeypatch.setattr(analyser, "run", broken)
    failed = submit(cast, px_per_mm=100)
    assert (failed.status, failed.error) == ("failed", UNEXPECTED_FAILURE)
    monkeypatch.undo()
    again = services.trichoscopy_analysis_retry(actor=cast.practitioner, analysis=failed)
    assert again.status == "finished" and again.error == ""
    with pytest.raises(DomainError, match="Only a failed analysis can be run again."):
        services.trichoscopy_analysis_retry(actor=cast.practitioner, analysis=again)


def test_a_task_that_runs_twice_does_not_analyse_twice(cast, finished):
    assert services.trichoscopy_analysis_run(analysis_id=finished.pk) == "finished"
    assert (
        AuditEvent.objects.filter(
            object_type="outcomes.TrichoscopyAnalysis", object_id=str(finished.pk), actor=None
        ).count()
        == 1
    )


def test_managers_and_receptionists_cannot_submit(cast, consented):
    for who in (cast.manager, cast.receptionist):
        with pytest.raises(PermissionDenied):
            services.trichoscopy_analysis_submit(
                actor=who, patient=cast.patient, data=trichoscopy_png()[0], px_per_mm=100
            )


def hair_refs(analysis_row) -> list[str]:
    return [f"auto:{hair['id']}" for hair in analysis_row.result["hairs"]]


def test_removing_and_adding_hairs_keeps_both_results(cast, consented):
    vertex = site(cast.patient, cast.nurse)
    done = analysis(cast.patient, cast.nurse, site=vertex)
    automatic = done.auto_hair_count
    first = hair_refs(done)[0]
    services.analysis_correction_add(
        actor=cast.practitioner, analysis=done, kind="remove", hair_ref=first
    )
    added = services.analysis_correction_add(
        actor=cast.nurse, analysis=done, kind="add", x=12.5, y=20, is_vellus=True
    )
    services.analysis_correction_add(actor=cast.nurse, analysis=done, kind="add", x=30, y=40)
    done.refresh_from_db()
    assert done.auto_hair_count == automatic
    assert done.hair_count == automatic + 1
    assert done.corrections_count == 3
    assert done.vellus_count == done.auto_vellus_count + 1 - (
        1 if done.result["hairs"][0]["is_vellus"] else 0
    )
    assert done.density_per_cm2 == pytest.approx(done.hair_count / (done.area_mm2 / 100))
    capture = SiteMeasurement.objects.get(analysis=done)
    assert (capture.hair_count, capture.density_per_cm2) == (
        done.hair_count,
        pytest.approx(done.density_per_cm2, abs=0.01),
    )
    assert event_for(added, Action.CREATE).detail == {
        "analysis": done.pk,
        "kind": "add",
        "hair_ref": "",
        "hair_count": automatic,
        "automatic_hair_count": automatic,
    }
    # Undo: the added hair goes, the removed one comes back.
    services.analysis_correction_add(
        actor=cast.nurse, analysis=done, kind="remove", hair_ref=f"added:{added.pk}"
    )
    services.analysis_correction_add(
        actor=cast.nurse, analysis=done, kind="restore", hair_ref=first
    )
    done.refresh_from_db()
    assert done.hair_count == automatic + 1
    assert AnalysisCorrection.objects.filter(analysis=done).count() == 5


@pytest.mark.parametrize(
    "kwargs,field,message",
    [
        ({"kind": "add", "x": -1, "y": 5}, "x", "The point is outside the image."),
        (
            {"kind": "add", "x": "left", "y": 5},
            "x",
            "Click on the image, or give the point in pixels.",
        ),
        (
            {"kind": "remove", "hair_ref": "auto:9999"},
            "hair_ref",
            "That hair is not on the overlay (it may already have been removed).",
        ),
        (
            {"kind": "restore", "hair_ref": "auto:1"},
            "hair_ref",
            "Only a removed hair can be put back.",
        ),
        ({"kind": "move"}, "kind", "Choose whether to add, remove or restore a hair."),
    ],
)
def test_it_refuses_a_correction_that_makes_no_sense(cast, finished, kwargs, field, message):
    with pytest.raises(DomainError) as refused:
        services.analysis_correction_add(actor=cast.nurse, analysis=finished, **kwargs)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not AnalysisCorrection.objects.exists()


def test_a_hair_outside_the_region_is_refused(cast, consented):
    circled = analysis(
        cast.patient, cast.nurse, region={"kind": "circle", "cx": 240, "cy": 180, "r": 100}
    )
    with pytest.raises(DomainError, match="outside the counted region"):
        services.analysis_correction_add(actor=cast.nurse, analysis=circled, kind="add", x=5, y=5)
    services.analysis_correction_add(actor=cast.nurse, analysis=circled, kind="add", x=240, y=180)


def test_corrections_wait_for_the_analysis_and_never_change(cast, finished):
    TrichoscopyAnalysis.objects.filter(pk=finished.pk).update(status="running")
    with pytest.raises(DomainError, match="has not finished"):
        services.analysis_correction_add(actor=cast.nurse, analysis=finished, kind="add", x=1, y=1)
    TrichoscopyAnalysis.objects.filter(pk=finished.pk).update(status="finished")
    row = services.analysis_correction_add(
        actor=cast.nurse, analysis=finished, kind="add", x=1, y=1
    )
    row.x = 2
    with pytest.raises(AppendOnlyRecordError):
        row.save()
    with pytest.raises(AppendOnlyRecordError):
        row.delete()


def test_managers_read_but_do_not_correct(cast, finished):
    with pytest.raises(PermissionDenied):
        services.analysis_correction_add(
            actor=cast.manager, analysis=finished, kind="add", x=1, y=1
        )


def test_an_image_without_a_site_joins_no_outcome_record(cast, consented):
    from mesotrack.outcomes.models import MeasurementVisit

    done = submit(cast, px_per_mm=100)
    assert done.visit is None
    assert not MeasurementVisit.objects.exists()
    assert not SiteMeasurement.objects.exists()
