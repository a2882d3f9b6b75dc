from collections import Counter

from mesotrack.assessment import demo as assessment_demo
from mesotrack.consent import demo as consent_demo
from mesotrack.consent.models import ConsentKind
from mesotrack.consent.selectors import consent_is_valid
from mesotrack.intake import demo as intake_demo
from mesotrack.outcomes import demo
from mesotrack.outcomes.models import (
    AnalysisCorrection,
    ClinicalPhoto,
    MeasurementSite,
    MeasurementVisit,
    OutcomeSettings,
    SiteMeasurement,
    TrichoscopyAnalysis,
)
from mesotrack.outcomes.progress import patient_progress
from tests.intake.test_demo import demo_context


def seeded(cast):
    context = demo_context(cast, count=60)
    intake_demo.seed(context)
    consent_demo.seed(context)
    assessment_demo.seed(context)
    demo.seed(context)
    return context


def _series_run_from_baseline_to_six_months(seeded):
    visits = list(MeasurementVisit.objects.order_by("patient_id", "measured_on"))
    assert len({v.patient_id for v in visits}) > 15
    labels = Counter(v.label for v in visits)
    assert labels["Baseline"] == len({v.patient_id for v in visits})
    assert labels["3 months"] > 0 and labels["6 months"] > 0
    assert all(v.measured_on <= seeded.today for v in visits)
    # A third of baselines captured twice: every clinic learns its measurement noise.
    assert SiteMeasurement.objects.filter(capture=2).exists()
    assert MeasurementSite.objects.filter(region="occipital").exists()


def _patients_include_responders_and_non_responders(seeded):
    states = Counter()
    for patient_id in set(MeasurementVisit.objects.values_list("patient_id", flat=True)):
        patient = next(p for p in seeded.patients if p.pk == patient_id)
        responder = patient_progress(patient=patient, today=seeded.today).responder
        states[responder.state if responder else None] += 1
    assert states["responder"] > 0 and states["non_responder"] > 0


def _images_belong_to_consenting_patients_and_analyses_are_corrected(seeded):
    photos = list(ClinicalPhoto.objects.select_related("patient"))
    analyses = list(TrichoscopyAnalysis.objects.select_related("patient"))
    assert photos and analyses
    for item in [*photos, *analyses]:
        assert consent_is_valid(item.patient, ConsentKind.CLINICAL_PHOTOGRAPHY, seeded.today)
    assert Counter(p.view for p in photos).keys() == {"frontal", "vertex", "left", "right"}
    assert all(a.status == "finished" and a.result for a in analyses)
    assert AnalysisCorrection.objects.exists()
    corrected = [a for a in analyses if a.corrections_count]
    assert all(a.hair_count != a.auto_hair_count or a.corrections_count > 1 for a in corrected)
    assert SiteMeasurement.objects.filter(source="trichoscopy").count() == len(analyses)
    for photo in photos[:3]:
        with photo.image.open("rb") as file:
            assert file.read(3) == b"\xff\xd8\xff"


def _clinics_have_settings_and_a_device_profile(seeded):
    thresholds = dict(OutcomeSettings.objects.values_list("clinic__code", "vellus_threshold_um"))
    assert thresholds == {"LDS": 30.0, "YRK": 40.0}
    assert all(clinic.device_profiles.exists() for clinic in seeded.clinics.values())


def test_demo_outcomes_tell_a_plausible_story(cast):
    # One seeding for every check: the demo takes several seconds to draw and analyse.
    context = seeded(cast)
    _series_run_from_baseline_to_six_months(context)
    _patients_include_responders_and_non_responders(context)
    _images_belong_to_consenting_patients_and_analyses_are_corrected(context)
    _clinics_have_settings_and_a_device_profile(context)
