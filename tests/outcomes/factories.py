"""Outcome records made the way the clinic makes them: through the services."""

import datetime as dt
import io
from typing import Any

import numpy as np
from PIL import Image

from mesotrack.accounts.models import User
from mesotrack.imaging.synthetic import FieldSpec, make_image
from mesotrack.outcomes import services
from mesotrack.outcomes.models import (
    ClinicalPhoto,
    MeasurementSite,
    MeasurementVisit,
    TrichoscopyAnalysis,
)
from mesotrack.patients.models import Patient
from tests.consent.factories import sign

EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 0x9003
GPS_IFD = 0x8825
MAKE = 0x010F
TRICHOSCOPY_PX_PER_MM = 100.0


def photo_consent(patient: Patient, witness: User, at: dt.datetime | None = None) -> None:
    sign(patient=patient, witness=witness, kind="clinical_photography", at=at)


def picture(size: tuple[int, int] = (96, 64), colour: tuple[int, int, int] = (180, 140, 120)):
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 8):
        for y in range(0, size[1], 8):
            image.putpixel((x, y), (40, 30, 20))
    return image


def jpeg_bytes(
    size: tuple[int, int] = (96, 64), captured: str | None = None, gps: bool = False
) -> bytes:
    image = picture(size)
    exif = Image.Exif()
    exif[MAKE] = "TestCam"
    if captured:
        exif.get_ifd(EXIF_IFD)[DATE_TIME_ORIGINAL] = captured
    if gps:
        exif.get_ifd(GPS_IFD)[2] = (51.0, 30.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (96, 64)) -> bytes:
    buffer = io.BytesIO()
    picture(size).save(buffer, format="PNG")
    return buffer.getvalue()


def trichoscopy_png(seed: int = 5, density: float = 160.0, size: tuple[int, int] = (480, 360)):
    spec = FieldSpec(
        width=size[0],
        height=size[1],
        px_per_mm=TRICHOSCOPY_PX_PER_MM,
        density_per_cm2=density,
        glare_spots=0,
    )
    pixels, truth = make_image(spec, seed=seed)
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(pixels)).save(buffer, format="PNG")
    return buffer.getvalue(), truth


def site(patient: Patient, actor: User, **overrides: Any) -> MeasurementSite:
    data = {
        "label": "Vertex A",
        "region": "vertex",
        "landmark": "vertex_whorl",
        "offset_back_mm": 10,
        "offset_right_mm": 0,
    }
    data.update(overrides)
    return services.measurement_site_create(actor=actor, patient=patient, data=data)


def visit(
    patient: Patient,
    actor: User,
    day: dt.date,
    sites: list[tuple[MeasurementSite, dict[str, Any]]] | None = None,
    **values: Any,
) -> MeasurementVisit:
    return services.measurement_visit_record(
        actor=actor,
        patient=patient,
        data={"measured_on": day, **values},
        site_values=sites or [],
    )


def photo(patient: Patient, actor: User, view: str = "vertex", **kwargs: Any) -> ClinicalPhoto:
    data = kwargs.pop("data", None)
    return services.clinical_photo_upload(
        actor=actor,
        patient=patient,
        data=jpeg_bytes() if data is None else data,
        view=view,
        **kwargs,
    )


def analysis(patient: Patient, actor: User, seed: int = 5, **kwargs: Any) -> TrichoscopyAnalysis:
    data, _ = trichoscopy_png(seed=seed)
    kwargs.setdefault("px_per_mm", TRICHOSCOPY_PX_PER_MM)
    return services.trichoscopy_analysis_submit(actor=actor, patient=patient, data=data, **kwargs)


def event_for(obj: Any, action: str) -> Any:
    from mesotrack.audit.models import AuditEvent

    return AuditEvent.objects.get(action=action, object_type=obj._meta.label, object_id=str(obj.pk))
