"""Reads of intakes. The patient always comes from a clinic-scoped selector first."""

from django.db.models import QuerySet

from mesotrack.accounts.models import CLINICAL_ROLES
from mesotrack.accounts.selectors import AnyUser
from mesotrack.intake.models import Intake
from mesotrack.intake.profile import ClinicalProfile, clinical_profile_from_intake
from mesotrack.patients.models import Patient
from mesotrack.patients.selectors import patient_get_for_user


def patient_get_for_clinician(*, user: AnyUser, patient_id: int) -> Patient:
    """A patient in a clinic where the user holds a clinical role; Patient.DoesNotExist if not."""
    return patient_get_for_user(user=user, patient_id=patient_id, roles=CLINICAL_ROLES)


def _intakes(patient: Patient) -> QuerySet[Intake]:
    return (
        Intake.objects.filter(patient=patient)
        .select_related("created_by", "updated_by", "signed_by")
        .order_by("-version")
    )


def intake_latest_for_patient(*, patient: Patient) -> Intake | None:
    """The newest version, draft or signed, or None before the first intake."""
    return _intakes(patient).first()


def intake_versions_for_patient(*, patient: Patient) -> list[Intake]:
    """Every version, newest first."""
    return list(_intakes(patient))


def intake_get_for_patient(*, patient: Patient, version: int) -> Intake:
    """One version of the patient's intake; Intake.DoesNotExist if there is none."""
    return _intakes(patient).get(version=version)


def patient_clinical_profile(patient: Patient) -> ClinicalProfile:
    """The typed current picture (conditions, medicines, allergies, pregnancy, weight, labs).

    One query. Built from the latest intake version; `profile.intake_signed` says whether a
    practitioner has signed it.
    """
    return clinical_profile_from_intake(patient, intake_latest_for_patient(patient=patient))
