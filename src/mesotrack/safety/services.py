"""Writes of adverse events: record, edit until reviewed, review; alerts to the managers."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mesotrack.accounts.models import CLINICAL_ROLES, Membership, Role, User
from mesotrack.accounts.selectors import role_in_clinic
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.charting.models import ScalpZone, TreatmentSession
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.formulary.models import Lot
from mesotrack.patients.models import Patient
from mesotrack.rules.loader import load_table
from mesotrack.safety.models import AdverseEvent, Causality, Notification, Outcome, Seriousness
from mesotrack.safety.terms import OTHER_TERM, adverse_event_terms

REVIEWED_MESSAGE = "This adverse event has been reviewed and can no longer be edited."
ONLY_PRACTITIONERS_REVIEW = "Only a practitioner of the patient's clinic can review an event."
ONLY_CLINICAL_STAFF = "Only clinical staff of the patient's clinic can record adverse events."


@dataclass
class AdverseEventInput:
    term: str
    grade: int
    onset_at: dt.datetime
    causality: str
    other_term: str = ""
    description: str = ""
    pain_nrs: int | None = None
    duration_hours: int | None = None
    outcome: str = Outcome.UNKNOWN
    seriousness: list[str] = field(default_factory=list)
    suspected_lot_ids: list[int] = field(default_factory=list)
    suspected_ingredients: list[str] = field(default_factory=list)
    zones: list[str] = field(default_factory=list)
    practitioner: User | None = None
    actions_taken: str = ""


def _check(data: AdverseEventInput, session: TreatmentSession | None) -> None:
    if data.term not in adverse_event_terms():
        raise DomainError("Choose an adverse event from the list.", field="term")
    if data.term == OTHER_TERM and not data.other_term.strip():
        raise DomainError("Describe the event when the term is Other.", field="other_term")
    if data.grade not in range(1, 6):
        raise DomainError("The grade is a CTCAE grade from 1 to 5.", field="grade")
    if data.pain_nrs is not None and data.pain_nrs not in range(11):
        raise DomainError("Pain is scored from 0 to 10.", field="pain_nrs")
    if data.onset_at > timezone.now():
        raise DomainError("The onset cannot be in the future.", field="onset_at")
    session_start = session and (session.started_at or session.checked_in_at)
    if session_start and data.onset_at < session_start - dt.timedelta(minutes=1):
        raise DomainError("The onset cannot be before the session began.", field="onset_at")
    _check_codes(data)


def _check_codes(data: AdverseEventInput) -> None:
    if data.causality not in Causality.values:
        raise DomainError("Choose the causality.", field="causality")
    if data.outcome not in Outcome.values:
        raise DomainError("Choose the outcome.", field="outcome")
    if set(data.seriousness) - set(Seriousness.values):
        raise DomainError("Choose seriousness criteria from the list.", field="seriousness")
    if data.grade == 5 and Seriousness.DEATH not in data.seriousness:
        raise DomainError(
            "A grade 5 event is a death: tick 'Resulted in death'.", field="seriousness"
        )
    if (data.outcome == Outcome.FATAL) != (data.grade == 5):
        raise DomainError("A fatal outcome goes with grade 5, and only with it.", field="outcome")
    if set(data.suspected_ingredients) - load_table("ingredients").codes:
        raise DomainError("Choose ingredients from the list.", field="suspected_ingredients")
    if set(data.zones) - set(ScalpZone.values):
        raise DomainError("Choose zones from the scalp map's list.", field="zones")


def _lots(patient: Patient, lot_ids: list[int]) -> list[Lot]:
    lots = list(Lot.objects.filter(pk__in=set(lot_ids), clinic_id=patient.clinic_id))
    if len(lots) != len(set(lot_ids)):
        raise DomainError(
            "A suspected lot must be one of the clinic's lots.", field="suspected_lots"
        )
    return lots


def _practitioner(
    patient: Patient, data: AdverseEventInput, session: TreatmentSession | None
) -> User | None:
    if data.practitioner is None:
        return session.practitioner if session else None
    if role_in_clinic(data.practitioner, patient.clinic_id) not in (
        Role.PRACTITIONER,
        Role.MANAGER,
    ):
        raise DomainError("Choose a practitioner of the patient's clinic.", field="practitioner")
    return data.practitioner


def _apply(event: AdverseEvent, data: AdverseEventInput) -> None:
    for name in (
        "term",
        "grade",
        "onset_at",
        "causality",
        "description",
        "pain_nrs",
        "duration_hours",
        "outcome",
        "actions_taken",
    ):
        setattr(event, name, getattr(data, name))
    event.other_term = data.other_term.strip() if data.term == OTHER_TERM else ""
    event.seriousness = [code for code in Seriousness.values if code in data.seriousness]
    event.serious = bool(event.seriousness)
    event.suspected_ingredients = sorted(set(data.suspected_ingredients))
    event.zones = [code for code in ScalpZone.values if code in data.zones]


@transaction.atomic
def adverse_event_create(
    *,
    actor: User,
    patient: Patient,
    data: AdverseEventInput,
    session: TreatmentSession | None = None,
) -> AdverseEvent:
    """Record an adverse event; a serious or grade ≥ 3 one alerts the clinic's managers."""
    if role_in_clinic(actor, patient.clinic_id) not in CLINICAL_ROLES:
        raise PermissionDenied(ONLY_CLINICAL_STAFF)
    if session is not None and session.patient_id != patient.pk:
        raise DomainError("The session belongs to another patient.", field="session")
    _check(data, session)
    lots = _lots(patient, data.suspected_lot_ids)
    event = AdverseEvent(
        patient=patient,
        clinic_id=patient.clinic_id,
        session=session,
        practitioner=_practitioner(patient, data, session),
        reported_by=actor,
    )
    _apply(event, data)
    event.full_clean()
    event.save()
    event.suspected_lots.set(lots)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=event,
        detail={"term": event.term, "grade": event.grade, "serious": event.is_serious},
    )
    if event.needs_review:
        _alert_managers(event, patient)
    return event


@transaction.atomic
def adverse_event_update(
    *, actor: User, event: AdverseEvent, data: AdverseEventInput
) -> AdverseEvent:
    """Edit an event until it has been reviewed; becoming alerting alerts the managers."""
    event = (
        AdverseEvent.objects.select_for_update(of=("self",))
        .select_related("session", "patient")
        .get(pk=event.pk)
    )
    if role_in_clinic(actor, event.clinic_id) not in CLINICAL_ROLES:
        raise PermissionDenied(ONLY_CLINICAL_STAFF)
    if event.is_reviewed:
        raise DomainError(REVIEWED_MESSAGE)
    was_alerting = event.needs_review
    _check(data, event.session)
    lots = _lots(event.patient, data.suspected_lot_ids)
    event.practitioner = _practitioner(event.patient, data, event.session)
    _apply(event, data)
    event.full_clean()
    event.save()
    event.suspected_lots.set(lots)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=event.patient,
        obj=event,
        detail={"term": event.term, "grade": event.grade, "serious": event.is_serious},
    )
    if event.needs_review and not was_alerting:
        _alert_managers(event, event.patient)
    return event


@transaction.atomic
def adverse_event_review(*, actor: User, event: AdverseEvent, notes: str) -> AdverseEvent:
    """A practitioner's review: the event is closed to edits and no longer blocks sessions."""
    event = (
        AdverseEvent.objects.select_for_update(of=("self",))
        .select_related("patient")
        .get(pk=event.pk)
    )
    if role_in_clinic(actor, event.clinic_id) != Role.PRACTITIONER:
        raise PermissionDenied(ONLY_PRACTITIONERS_REVIEW)
    if event.is_reviewed:
        raise DomainError("This adverse event has already been reviewed.")
    if not notes.strip():
        raise DomainError("Write what the review found and decided.", field="review_notes")
    event.reviewed_at = timezone.now()
    event.reviewed_by = actor
    event.review_notes = notes.strip()
    event.full_clean()
    event.save(update_fields=["reviewed_at", "reviewed_by", "review_notes", "updated_at"])
    audit_record(
        actor=actor, action=Action.SIGN, patient=event.patient, obj=event, detail={"review": True}
    )
    return event


def _alert_managers(event: AdverseEvent, patient: Patient) -> None:
    managers = [
        membership.user
        for membership in Membership.objects.filter(
            clinic_id=event.clinic_id, role=Role.MANAGER, is_active=True, user__is_active=True
        ).select_related("user")
    ]
    url = reverse("safety:event-detail", args=[patient.pk, event.pk])
    kind = "Serious adverse event" if event.is_serious else f"Grade {event.grade} adverse event"
    text = f"{kind} for {patient.record_number}: {event.term_label}. Sessions are blocked."
    Notification.objects.bulk_create(
        Notification(
            recipient=m, clinic_id=event.clinic_id, adverse_event=event, text=text, url=url
        )
        for m in managers
    )
    addresses = [m.email for m in managers if m.email]
    if addresses:
        # Sent once the event is committed, so no one is told of an event that was rolled back.
        transaction.on_commit(lambda: _email(addresses, text, url))


def _email(addresses: list[str], text: str, url: str) -> None:
    body = (
        f"{text}\n\nA practitioner must review it before the patient's next session. "
        f"Open MesoTrack at {url} to see it.\n"
    )
    send_mail(
        subject="MesoTrack: adverse event needs review",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=addresses,
    )


@transaction.atomic
def notifications_mark_read(*, user: User) -> int:
    """Mark every unread notification of the user as read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
