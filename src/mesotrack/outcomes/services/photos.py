"""Uploading clinical photographs: consent first, then the file is checked before decoding,
re-encoded without its metadata (the capture time is kept in a field) and stored privately."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.outcomes.codes import PhotoView
from mesotrack.outcomes.models import ClinicalPhoto, MeasurementSite
from mesotrack.outcomes.selectors import visit_on_day
from mesotrack.outcomes.services.common import (
    checked_day,
    checked_notes,
    require_own_site,
    require_photo_consent,
)
from mesotrack.outcomes.services.roles import require_recording_role
from mesotrack.outcomes.storage import private_storage, random_name, store
from mesotrack.outcomes.uploads import PHOTO_LIMITS, CleanImage, cleaned_image
from mesotrack.patients.models import Patient


def taken_day(clean: CleanImage, given: object, patient: Patient, field: str) -> dt.date:
    """The day given, else the camera's capture day, else today."""
    if given not in (None, ""):
        return checked_day(given, patient, field)
    if clean.captured_at is not None:
        captured = timezone.localtime(clean.captured_at).date()
        if captured >= patient.date_of_birth:
            return min(captured, timezone.localdate())
    return timezone.localdate()


@transaction.atomic
def clinical_photo_upload(
    *,
    actor: User,
    patient: Patient,
    data: bytes,
    view: str,
    taken_on: dt.date | str | None = None,
    site: MeasurementSite | None = None,
    notes: str = "",
    file_token: str | None = None,
) -> ClinicalPhoto:
    """Store one clinical photograph. Refused without a valid clinical photography consent, and
    for a file that is not a sound PNG, JPEG or TIFF within the size and pixel limits; nothing
    is stored when refused."""
    require_recording_role(actor, patient)
    if view not in PhotoView.values:
        raise DomainError(
            "Choose the view: frontal, vertex, left, right or close-up.", field="view"
        )
    require_own_site(site, patient)
    notes = checked_notes(notes)
    require_photo_consent(patient, timezone.localdate())
    clean = cleaned_image(data, PHOTO_LIMITS)
    day = taken_day(clean, taken_on, patient, "taken_on")
    storage = private_storage()
    name = store(
        storage,
        random_name(f"outcomes/photos/{patient.pk}", clean.extension, file_token),
        clean.data,
    )
    try:
        photo = ClinicalPhoto(
            patient=patient,
            view=view,
            site=site,
            visit=visit_on_day(patient=patient, day=day),
            notes=notes,
            uploaded_by=actor,
            image=name,
            content_type=clean.content_type,
            width=clean.width,
            height=clean.height,
            file_size=len(clean.data),
            sha256=clean.sha256,
            captured_at=clean.captured_at,
            taken_on=day,
        )
        photo.full_clean()
        photo.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            patient=patient,
            obj=photo,
            detail={
                "view": view,
                "taken_on": day.isoformat(),
                "sha256": clean.sha256,
                "capture_time_kept": clean.captured_at is not None,
            },
        )
    except BaseException:
        storage.delete(name)
        raise
    return photo
