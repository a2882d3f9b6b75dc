"""Reads of adverse events and notifications, scoped to the clinics the user works in."""

from django.db.models import Q, QuerySet

from mesotrack.accounts.models import CLINICAL_ROLES, Role
from mesotrack.accounts.selectors import AnyUser, clinic_ids_for
from mesotrack.charting.models import TreatmentSession
from mesotrack.patients.models import Patient
from mesotrack.patients.selectors import patient_queryset_for_user
from mesotrack.safety.grading import ALERT_FROM_GRADE
from mesotrack.safety.models import AdverseEvent, Notification

BLOCK_MESSAGE = (
    "{label} (grade {grade}{serious}) reported on {onset:%d %b %Y} must be reviewed by a "
    "practitioner before another session."
)


def _unreviewed_alerting(events: QuerySet[AdverseEvent]) -> QuerySet[AdverseEvent]:
    return events.filter(reviewed_at__isnull=True).filter(
        Q(grade__gte=ALERT_FROM_GRADE) | Q(serious=True)
    )


def safety_blocks_for_patient(patient: Patient) -> list[str]:
    """Messages of the unreviewed serious or grade ≥ 3 events that block a new session."""
    events = _unreviewed_alerting(AdverseEvent.objects.filter(patient=patient))
    return [
        BLOCK_MESSAGE.format(
            label=event.term_label,
            grade=event.grade,
            serious=", serious" if event.is_serious else "",
            onset=event.onset_at,
        )
        for event in events.order_by("onset_at", "id")
    ]


def adverse_event_list_for_patient(*, patient: Patient) -> list[AdverseEvent]:
    """Every adverse event of the patient, newest first, with who reported and reviewed."""
    return list(
        AdverseEvent.objects.filter(patient=patient).select_related(
            "session", "practitioner", "reported_by", "reviewed_by"
        )
    )


def adverse_event_get_for_user(
    *, user: AnyUser, patient: Patient, adverse_event_id: int
) -> AdverseEvent:
    """One event of a patient the user may see; raises AdverseEvent.DoesNotExist otherwise."""
    if patient.clinic_id not in clinic_ids_for(user, CLINICAL_ROLES):
        raise AdverseEvent.DoesNotExist
    return (
        AdverseEvent.objects.select_related("session", "practitioner", "reported_by", "reviewed_by")
        .prefetch_related("suspected_lots__product")
        .get(pk=adverse_event_id, patient=patient)
    )


def session_get_for_user(
    *, user: AnyUser, session_id: int, roles: frozenset[Role] = CLINICAL_ROLES
) -> TreatmentSession:
    """A treatment session of a patient the user may see; TreatmentSession.DoesNotExist else."""
    patients = patient_queryset_for_user(user=user, roles=roles)
    return TreatmentSession.objects.select_related("patient", "practitioner").get(
        pk=session_id, patient__in=patients
    )


def sessions_of_patient(*, patient: Patient) -> QuerySet[TreatmentSession]:
    """The patient's sessions that an event can be linked to, newest first."""
    return TreatmentSession.objects.filter(patient=patient).exclude(status="abandoned")


def notifications_unread_count(*, user: AnyUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notification_list(*, user: AnyUser, limit: int = 50) -> list[Notification]:
    """The user's newest notifications, limited to clinics where the user still works."""
    return list(
        Notification.objects.filter(recipient_id=user.pk, clinic_id__in=clinic_ids_for(user))[
            :limit
        ]
    )
