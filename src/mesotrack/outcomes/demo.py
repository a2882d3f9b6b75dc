"""Demo outcomes (called by `manage.py seed_demo`).

Patients with a signed pattern hair loss assessment get measurement sites and visits at
baseline, 3 and 6 months (as far as today allows): a treated site and, for some, the occipital
reference. The effect is small and noisy, as in trials: about 4 in 10 gain 10% or more by six
months, the rest a few per cent; a third of baselines are captured twice, which gives each
clinic its measurement noise. Up to ten patients with a valid photography consent also get
the four standard photographs at every visit and a trichoscopy field of the treated site,
analysed by the real analyser and corrected against the generator's ground truth.
"""

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field

from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.accounts.selectors import clinic_ids_for
from mesotrack.assessment.models import Assessment, AssessmentStatus
from mesotrack.consent.models import ConsentKind
from mesotrack.consent.selectors import consent_is_valid
from mesotrack.core.demo import DemoContext
from mesotrack.outcomes.codes import GLOBAL_VIEWS, ScalpRegion
from mesotrack.outcomes.demo_analyses import DemoAnalysis, seed_analyses
from mesotrack.outcomes.demo_images import TRICHOSCOPY_PX_PER_MM, look_for, photo_jpeg
from mesotrack.outcomes.models import (
    ClinicalPhoto,
    DeviceProfile,
    MeasurementSite,
    MeasurementVisit,
    OutcomeSettings,
    SiteMeasurement,
)
from mesotrack.outcomes.storage import private_storage, random_name, store
from mesotrack.patients.models import Patient

TREATABLE = {"aga_male": "male", "fphl": "female"}
MAX_SERIES = 90
MAX_IMAGED = 10
FOLLOW_UPS = [(91, "3 months"), (182, "6 months")]
CAPTURE_NOISE = 0.035  # relative SD of one capture, about the 3% CV a good set-up reaches
AREA_MM2 = 100.0  # a 1 cm² field, as in TrichoScan


@dataclass
class Story:
    patient: Patient
    pattern: str
    baseline_on: dt.date
    recorder: User
    gain: float  # relative density gain reached by six months
    densities: dict[str, float]  # site region → baseline density
    visits: list[MeasurementVisit] = field(default_factory=list)
    sites: dict[str, MeasurementSite] = field(default_factory=dict)


def _token(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    clock = dt.time(rng.randint(9, 16), rng.choice([0, 15, 30, 45]))
    return timezone.make_aware(dt.datetime.combine(day, clock))


def _candidates(context: DemoContext) -> list[Assessment]:
    assessments = Assessment.objects.filter(
        patient__in=context.patients,
        status=AssessmentStatus.SIGNED,
        diagnosis__in=list(TREATABLE),
    ).order_by("patient_id", "assessed_on")
    first: dict[int, Assessment] = {}
    for assessment in assessments:
        first.setdefault(assessment.patient_id, assessment)
    return list(first.values())


def _recorders(context: DemoContext) -> dict[int, list[User]]:
    first = clinic_ids_for(context.users["doctor"])
    recorders: dict[int, list[User]] = {}
    for clinic in context.clinics.values():
        if clinic.pk in first:
            recorders[clinic.pk] = [context.users["nurse"], context.users["doctor"]]
        else:
            recorders[clinic.pk] = [context.users["doctor2"]]
    return recorders


def _stories(context: DemoContext) -> list[Story]:
    rng, stories = context.rng, list[Story]()
    recorders = _recorders(context)
    patients = {p.pk: p for p in context.patients}
    for assessment in _candidates(context):
        if len(stories) >= MAX_SERIES or rng.random() < 0.2:
            continue
        pattern = TREATABLE[assessment.diagnosis]
        responder = rng.random() < 0.42
        gain = rng.gauss(0.13, 0.03) if responder else rng.gauss(0.02, 0.04)
        treated: str = ScalpRegion.VERTEX if pattern == "male" else ScalpRegion.MIDSCALP
        densities = {
            treated: min(230.0, max(90.0, rng.gauss(150 if pattern == "male" else 160, 22)))
        }
        if rng.random() < 0.5:
            densities[ScalpRegion.OCCIPITAL] = rng.gauss(205, 18)
        patient = patients[assessment.patient_id]
        stories.append(
            Story(
                patient=patient,
                pattern=pattern,
                baseline_on=assessment.assessed_on,
                recorder=rng.choice(recorders[patient.clinic_id]),
                gain=gain,
                densities=densities,
            )
        )
    return stories


SITE_PLACES: dict[str, tuple[str, str, float, float]] = {
    ScalpRegion.VERTEX: ("Vertex A", "vertex_whorl", 0.0, 0.0),
    ScalpRegion.MIDSCALP: ("Mid-scalp A", "hairline_midline", 60.0, 10.0),
    ScalpRegion.OCCIPITAL: ("Occiput reference", "occipital_protuberance", -20.0, 0.0),
}


def _sites(context: DemoContext, stories: list[Story]) -> None:
    rows = []
    for story in stories:
        for region in story.densities:
            label, landmark, back, right = SITE_PLACES[region]
            tattoo = context.rng.random() < 0.3
            site = MeasurementSite(
                patient=story.patient,
                label=label,
                region=region,
                landmark=landmark,
                offset_back_mm=back,
                offset_right_mm=right,
                tattoo_dot=tattoo,
                created_at=_at(context.rng, story.baseline_on),
                created_by=story.recorder,
            )
            story.sites[region] = site
            rows.append(site)
    MeasurementSite.objects.bulk_create(rows, batch_size=200)


def _visit_days(rng: random.Random, story: Story, today: dt.date) -> list[tuple[dt.date, str]]:
    days = [(story.baseline_on, "Baseline")]
    for offset, label in FOLLOW_UPS:
        day = story.baseline_on + dt.timedelta(days=offset + rng.randint(-10, 10))
        if day <= today and rng.random() > 0.08:
            days.append((day, label))
    return days


def _progress_at(story: Story, day: dt.date) -> float:
    months = (day - story.baseline_on).days / 30.44
    return story.gain * min(months, 6.0) / 6.0


def _visit(rng: random.Random, story: Story, day: dt.date, label: str) -> MeasurementVisit:
    progress = _progress_at(story, day)
    baseline = day == story.baseline_on
    values: dict = {
        "hair_count_60s": max(0, round(rng.gauss(12 * (1 - 2 * progress), 3))),
        "qol_instrument": "Hairdex (overall, 0–100)",
        "qol_score": round(min(100.0, max(0.0, rng.gauss(45 - 60 * progress, 6))), 1),
    }
    if not baseline:
        photo = max(-3, min(3, round(progress * 16 + rng.gauss(0, 0.6))))
        values.update(
            global_photographic_score=photo,
            self_assessment_score=max(-3, min(3, photo + rng.choice([-1, 0, 0, 1]))),
        )
    if rng.random() < 0.25:
        values["asfs_total"] = rng.randint(0, 14)
    if rng.random() < 0.3:
        held = rng.randint(50, 60)
        values.update(pull_test_hairs_held=held, pull_test_hairs_out=rng.randint(0, 4))
    return MeasurementVisit(
        patient=story.patient,
        measured_on=day,
        label=label,
        created_by=story.recorder,
        updated_by=story.recorder,
        **values,
    )


def _capture(
    rng: random.Random,
    story: Story,
    visit: MeasurementVisit,
    region: str,
    number: int,
    threshold: float,
) -> SiteMeasurement:
    treated = region != ScalpRegion.OCCIPITAL
    progress = _progress_at(story, visit.measured_on) if treated else 0.0
    density = story.densities[region] * (1 + progress) * (1 + rng.gauss(0, CAPTURE_NOISE))
    count = max(1, round(density * AREA_MM2 / 100))
    vellus_share = min(0.5, max(0.02, rng.gauss(0.2 if treated else 0.06, 0.04) - progress / 2))
    vellus = round(count * vellus_share)
    diameter = rng.gauss(56 if treated else 64, 4) * (1 + progress / 2)
    return SiteMeasurement(
        visit=visit,
        site=story.sites[region],
        capture=number,
        hair_count=count,
        area_mm2=AREA_MM2,
        density_per_cm2=round(count / (AREA_MM2 / 100), 1),
        mean_diameter_um=round(diameter, 1),
        terminal_count=count - vellus,
        vellus_count=vellus,
        vellus_threshold_um=threshold,
        cumulative_thickness_mm_per_cm2=round(count * diameter / 1000 / (AREA_MM2 / 100), 2),
        created_at=_at(rng, visit.measured_on),
        created_by=story.recorder,
    )


def _settings(context: DemoContext) -> dict[int, float]:
    thresholds = {}
    for code, clinic in context.clinics.items():
        # York follows TrichoScan's 40 µm cut-off, to show the setting at work.
        threshold = 40.0 if code == "YRK" else 30.0
        OutcomeSettings.objects.create(clinic=clinic, vellus_threshold_um=threshold)
        DeviceProfile.objects.create(
            clinic=clinic,
            name="Dermatoscope 20× (calibrated)",
            px_per_mm=TRICHOSCOPY_PX_PER_MM,
            magnification="20×",
            notes="Calibrated with a 1 mm stage micrometer.",
        )
        thresholds[clinic.pk] = threshold
    return thresholds


def _visits_and_captures(
    context: DemoContext, stories: list[Story], thresholds: dict[int, float], imaged: set[int]
) -> int:
    rng = context.rng
    visits = []
    for story in stories:
        story.visits = [
            _visit(rng, story, d, label) for d, label in _visit_days(rng, story, context.today)
        ]
        visits.extend(story.visits)
    MeasurementVisit.objects.bulk_create(visits, batch_size=200)
    captures = []
    for story in stories:
        threshold = thresholds[story.patient.clinic_id]
        for visit in story.visits:
            for region in story.densities:
                treated = region != ScalpRegion.OCCIPITAL
                if treated and story.patient.pk in imaged:
                    continue  # the trichoscopy analysis is this site's capture
                captures.append(_capture(rng, story, visit, region, 1, threshold))
                if visit.label == "Baseline" and rng.random() < 0.35:
                    captures.append(_capture(rng, story, visit, region, 2, threshold))
    SiteMeasurement.objects.bulk_create(captures, batch_size=500)
    return len(captures)


def _imaged(stories: list[Story], today: dt.date) -> list[Story]:
    chosen: list[Story] = []
    for story in stories:
        if len(chosen) >= MAX_IMAGED:
            break
        if consent_is_valid(story.patient, ConsentKind.CLINICAL_PHOTOGRAPHY, today):
            chosen.append(story)
    return chosen


def _photos(context: DemoContext, stories: list[Story]) -> int:
    rng, storage, rows = context.rng, private_storage(), []
    for story in stories:
        look = look_for(rng, story.pattern == "male")
        treated = next(iter(story.densities))
        for visit in story.visits:
            density = story.densities[treated] * (1 + _progress_at(story, visit.measured_on))
            factor = density / 200.0
            taken = _at(rng, visit.measured_on)
            for view in GLOBAL_VIEWS:
                data = photo_jpeg(view, look, factor, random.Random(rng.getrandbits(32)))
                folder = f"outcomes/photos/{story.patient.pk}"
                rows.append(
                    ClinicalPhoto(
                        patient=story.patient,
                        view=view,
                        visit=visit,
                        image=store(storage, random_name(folder, "jpg", _token(rng)), data),
                        content_type="image/jpeg",
                        width=320,
                        height=240,
                        file_size=len(data),
                        sha256=_sha256(data),
                        captured_at=taken,
                        taken_on=visit.measured_on,
                        uploaded_at=taken + dt.timedelta(minutes=10),
                        uploaded_by=story.recorder,
                    )
                )
    ClinicalPhoto.objects.bulk_create(rows, batch_size=200)
    return len(rows)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _analyses(
    context: DemoContext, stories: list[Story], thresholds: dict[int, float]
) -> list[DemoAnalysis]:
    planned = []
    for story in stories:
        # One seed per patient: the same patch of scalp, with more hair as it grows back.
        seed = context.rng.getrandbits(31)
        treated = next(iter(story.densities))
        for visit in story.visits:
            density = story.densities[treated] * (1 + _progress_at(story, visit.measured_on))
            planned.append(
                DemoAnalysis(
                    patient=story.patient,
                    site=story.sites[treated],
                    visit=visit,
                    density=density,
                    recorder=story.recorder,
                    reviewer=story.recorder,
                    threshold=thresholds[story.patient.clinic_id],
                    seed=seed,
                    token=_token(context.rng),
                    taken=_at(context.rng, visit.measured_on),
                )
            )
    return planned


def seed(context: DemoContext) -> None:
    thresholds = _settings(context)
    stories = _stories(context)
    _sites(context, stories)
    imaged = _imaged(stories, context.today)
    captures = _visits_and_captures(context, stories, thresholds, {s.patient.pk for s in imaged})
    photos = _photos(context, imaged)
    analyses, corrections = seed_analyses(context.rng, _analyses(context, imaged, thresholds))
    visits = sum(len(s.visits) for s in stories)
    context.progress(
        f"{len(stories)} patients measured over {visits} visits ({captures} site captures), "
        f"{photos} photographs, {analyses} trichoscopy analyses with {corrections} corrections"
    )
