"""Writes of the outcomes app (one module per kind of record)."""

from mesotrack.outcomes.services.analyses import (
    trichoscopy_analysis_retry,
    trichoscopy_analysis_run,
    trichoscopy_analysis_submit,
)
from mesotrack.outcomes.services.corrections import analysis_correction_add
from mesotrack.outcomes.services.photos import clinical_photo_upload
from mesotrack.outcomes.services.settings import (
    device_profile_create,
    device_profile_set_active,
    outcome_settings_set,
)
from mesotrack.outcomes.services.sites import measurement_site_create
from mesotrack.outcomes.services.visits import (
    measurement_visit_record,
    measurement_visit_update,
    site_measurement_add,
)

__all__ = [
    "analysis_correction_add",
    "clinical_photo_upload",
    "device_profile_create",
    "device_profile_set_active",
    "measurement_site_create",
    "measurement_visit_record",
    "measurement_visit_update",
    "outcome_settings_set",
    "site_measurement_add",
    "trichoscopy_analysis_retry",
    "trichoscopy_analysis_run",
    "trichoscopy_analysis_submit",
]
