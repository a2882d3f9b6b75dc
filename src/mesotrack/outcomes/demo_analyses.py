"""Demo trichoscopy analyses: synthetic fields run through the real analyser, then corrected the
way a reviewer would, against the generator's ground truth (a missed hair added, a false one
removed)."""

import datetime as dt
import hashlib
import math
import random
from dataclasses import dataclass

from mesotrack.accounts.models import User
from mesotrack.outcomes import analyser
from mesotrack.outcomes.codes import AnalysisStatus, CorrectionKind, MeasurementSource
from mesotrack.outcomes.corrections import corrected_result
from mesotrack.outcomes.demo_images import TRICHOSCOPY_PX_PER_MM, Field, trichoscopy_field
from mesotrack.outcomes.models import (
    AnalysisCorrection,
    MeasurementSite,
    MeasurementVisit,
    SiteMeasurement,
    TrichoscopyAnalysis,
)
from mesotrack.outcomes.services.analyses import measurement_values
from mesotrack.outcomes.storage import private_storage, random_name, store
from mesotrack.patients.models import Patient

MATCH_RADIUS_PX = 15.0
MAX_ADDED = 5
MAX_REMOVED = 3


@dataclass(frozen=True)
class DemoAnalysis:
    patient: Patient
    site: MeasurementSite
    visit: MeasurementVisit
    density: float
    recorder: User
    reviewer: User
    threshold: float
    seed: int
    token: str
    taken: dt.datetime


def _near(point: tuple[float, float], others: list[tuple[float, float]]) -> bool:
    return any(math.dist(point, other) <= MATCH_RADIUS_PX for other in others)


def _corrections(
    rng: random.Random, analysis: TrichoscopyAnalysis, field: Field, reviewer: User
) -> list[AnalysisCorrection]:
    hairs = (analysis.result or {})["hairs"]
    # A hair traced from the wrong end still found the hair: match either of its ends.
    ends = [tuple(h[end]) for h in hairs for end in ("exit_point", "tip_point")]
    missed = [p for p in field.true_exits if not _near(p, ends)][:MAX_ADDED]
    false = [
        h["id"]
        for h in hairs
        if not _near(tuple(h["exit_point"]), field.all_exits)
        and not _near(tuple(h["tip_point"]), field.all_exits)
    ][:MAX_REMOVED]
    when = analysis.finished_at or analysis.submitted_at
    rows = [
        AnalysisCorrection(
            analysis=analysis,
            kind=CorrectionKind.ADD,
            x=round(x, 1),
            y=round(y, 1),
            is_vellus=rng.random() < 0.3,
            author=reviewer,
            created_at=when + dt.timedelta(minutes=2 + index),
        )
        for index, (x, y) in enumerate(missed)
    ]
    rows += [
        AnalysisCorrection(
            analysis=analysis,
            kind=CorrectionKind.REMOVE,
            hair_ref=f"auto:{ref}",
            author=reviewer,
            created_at=when + dt.timedelta(minutes=5 + index),
        )
        for index, ref in enumerate(false)
    ]
    return rows


def _analysis(plan: DemoAnalysis, field: Field) -> TrichoscopyAnalysis:
    output = analyser.run(
        field.pixels,
        px_per_mm=TRICHOSCOPY_PX_PER_MM,
        region=None,
        vellus_threshold_um=plan.threshold,
        progress=lambda fraction: None,
    )
    storage = private_storage()
    folder = f"outcomes/trichoscopy/{plan.patient.pk}"
    image = store(storage, random_name(folder, "png", plan.token), field.png)
    overlay = store(storage, f"{image.rsplit('.', 1)[0]}-overlay.png", output.overlay_png)
    result = output.result
    height, width = field.pixels.shape[:2]
    return TrichoscopyAnalysis.objects.create(
        patient=plan.patient,
        site=plan.site,
        visit=plan.visit,
        px_per_mm=TRICHOSCOPY_PX_PER_MM,
        vellus_threshold_um=plan.threshold,
        status=AnalysisStatus.FINISHED,
        progress=100,
        submitted_at=plan.taken,
        submitted_by=plan.recorder,
        started_at=plan.taken,
        finished_at=plan.taken + dt.timedelta(seconds=2),
        seconds=0.4,
        result=result,
        overlay=overlay,
        image=image,
        content_type="image/png",
        width=width,
        height=height,
        file_size=len(field.png),
        sha256=hashlib.sha256(field.png).hexdigest(),
        taken_on=plan.visit.measured_on,
        captured_at=plan.taken,
        area_mm2=result["area_mm2"],
        auto_hair_count=result["hair_count"],
        auto_density_per_cm2=result["density_per_cm2"],
        auto_vellus_count=result["vellus_count"],
        auto_mean_diameter_um=result.get("mean_diameter_um"),
        quality_ok=bool(result.get("quality", {}).get("ok", True)),
        quality_messages=list(result.get("quality", {}).get("messages", [])),
    )


def seed_analyses(rng: random.Random, planned: list[DemoAnalysis]) -> tuple[int, int]:
    """Analyse and correct each planned field; the corrected figures become the site's capture."""
    corrections_made = 0
    for plan in planned:
        field = trichoscopy_field(plan.density, plan.seed)
        analysis = _analysis(plan, field)
        rows = AnalysisCorrection.objects.bulk_create(
            _corrections(rng, analysis, field, plan.reviewer)
        )
        corrections_made += len(rows)
        current = corrected_result(analysis.result, rows, analysis.area_mm2 or 0.0)
        analysis.hair_count = current.hair_count
        analysis.density_per_cm2 = current.density_per_cm2
        analysis.vellus_count = current.vellus_count
        analysis.mean_diameter_um = current.mean_diameter_um
        analysis.cumulative_thickness_mm_per_cm2 = current.cumulative_thickness_mm_per_cm2
        analysis.corrections_count = len(rows)
        analysis.save()
        SiteMeasurement.objects.create(
            visit=plan.visit,
            site=plan.site,
            capture=1,
            source=MeasurementSource.TRICHOSCOPY,
            analysis=analysis,
            created_at=plan.taken,
            created_by=plan.recorder,
            **measurement_values(analysis),
        )
    return len(planned), corrections_made
