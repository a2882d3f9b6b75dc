"""Reads of courses, appointments and clinic time. Patient-scoped reads take a patient the
caller already obtained through `patient_get_for_user` (so another clinic's patient is a 404)."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from mesotrack.accounts.models import Clinic, Membership, User
from mesotrack.accounts.selectors import AnyUser, clinic_ids_for
from mesotrack.core.errors import DomainError
from mesotrack.courses.models import (
    LIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    ClinicProtocol,
    CoursePackage,
    TreatmentCourse,
)
from mesotrack.courses.protocols import ProtocolDefinition, shipped_protocols
from mesotrack.courses.roles import PERFORMING_ROLES
from mesotrack.formulary.models import Recipe
from mesotrack.patients.models import Patient

UNKNOWN_PROTOCOL = "Choose one of the clinic's protocols."


def protocol_options(*, clinic_id: int) -> dict[str, ProtocolDefinition]:
    """The shipped protocols and the clinic's own active ones, by code."""
    found = dict(shipped_protocols())
    for protocol in ClinicProtocol.objects.filter(clinic_id=clinic_id, is_active=True):
        found[protocol.code] = ProtocolDefinition.model_validate(protocol.definition)
    return found


def protocol_get(*, clinic_id: int, code: str) -> ProtocolDefinition:
    definition = shipped_protocols().get(code)
    if definition is not None:
        return definition
    own = ClinicProtocol.objects.filter(clinic_id=clinic_id, code=code, is_active=True).first()
    if own is None:
        raise DomainError(UNKNOWN_PROTOCOL, field="protocol")
    return ProtocolDefinition.model_validate(own.definition)


def clinic_protocols(*, clinic_ids: set[int]) -> list[ClinicProtocol]:
    return list(ClinicProtocol.objects.filter(clinic_id__in=clinic_ids).select_related("clinic"))


def recipe_options(*, clinic: Clinic) -> QuerySet[Recipe]:
    """The active recipes of the clinic's organisation."""
    return Recipe.objects.filter(organisation_id=clinic.organisation_id, is_active=True)


def practitioner_options(*, clinic_id: int) -> list[User]:
    """Staff of the clinic who give treatments (practitioners and nurses)."""
    memberships = Membership.objects.filter(
        clinic_id=clinic_id, is_active=True, role__in=PERFORMING_ROLES
    ).select_related("user")
    return sorted(
        (m.user for m in memberships), key=lambda u: (u.get_full_name() or u.username, u.pk)
    )


def _courses(patient: Patient) -> QuerySet[TreatmentCourse]:
    return (
        TreatmentCourse.objects.filter(patient=patient)
        .select_related("practitioner", "recipe_version__recipe", "clinic")
        .annotate(
            attended=Count(
                "appointments",
                filter=Q(
                    appointments__kind="session",
                    appointments__status=AppointmentStatus.ATTENDED,
                ),
            )
        )
    )


def course_list_for_patient(*, patient: Patient) -> list[TreatmentCourse]:
    return list(_courses(patient))


def course_get_for_patient(*, patient: Patient, course_id: int) -> TreatmentCourse:
    """One course of `patient`; TreatmentCourse.DoesNotExist otherwise."""
    return _courses(patient).get(pk=course_id)


def appointments_of_course(*, course: TreatmentCourse) -> list[Appointment]:
    return list(
        Appointment.objects.filter(course=course)
        .select_related("chair", "practitioner", "status_changed_by")
        .order_by("starts_at", "id")
    )


def appointments_of_patient(*, patient: Patient) -> list[Appointment]:
    """Every appointment of the patient, with its course (for the chart)."""
    return list(
        Appointment.objects.filter(patient=patient)
        .select_related("course", "practitioner")
        .order_by("starts_at", "id")
    )


def appointment_get_for_patient(*, patient: Patient, appointment_id: int) -> Appointment:
    """One appointment of `patient`; Appointment.DoesNotExist otherwise."""
    return Appointment.objects.select_related("course", "chair", "practitioner").get(
        patient=patient, pk=appointment_id
    )


def packages_of_course(*, course: TreatmentCourse) -> list[CoursePackage]:
    return list(
        CoursePackage.objects.filter(course=course).prefetch_related(
            Prefetch("entries"), Prefetch("entries__recorded_by")
        )
    )


def appointments_in_range(
    *,
    user: AnyUser,
    starts: dt.datetime,
    ends: dt.datetime,
    clinic_id: int | None = None,
    practitioner_id: int | None = None,
) -> QuerySet[Appointment]:
    """Appointments starting in [starts, ends) in the clinics the user works in."""
    clinics = clinic_ids_for(user)
    if clinic_id is not None:
        clinics &= {clinic_id}
    appointments = Appointment.objects.filter(
        clinic_id__in=clinics, starts_at__gte=starts, starts_at__lt=ends
    ).select_related("patient", "course", "practitioner", "chair", "clinic")
    if practitioner_id is not None:
        appointments = appointments.filter(practitioner_id=practitioner_id)
    return appointments.order_by("starts_at", "id")


def live_appointments(*, course: TreatmentCourse) -> list[Appointment]:
    return list(course.appointments.filter(status__in=LIVE_STATUSES).order_by("starts_at"))
