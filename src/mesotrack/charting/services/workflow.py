"""The session's states: check-in → checklist → procedure → post-procedure → signed, or
abandoned with a reason. Status changes happen only here."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import Role, User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.charting.models import (
    OPEN_STATUSES,
    NumbingAgent,
    SessionModality,
    SessionStatus,
    TreatmentSession,
)
from mesotrack.charting.rules import EMLA_LIDOCAINE_MG_PER_G, numbing_wait
from mesotrack.charting.services._common import (
    CHARTING_ROLES,
    PRESCRIBER_ROLES,
    locked,
    require_role,
    require_status,
)
from mesotrack.charting.services.gate import (
    TodayInput,
    refuse_safety_blocks,
    refuse_screening_blocks,
    refuse_without_consent,
)
from mesotrack.core.errors import DomainError
from mesotrack.courses.models import Appointment
from mesotrack.formulary.models import RecipeVersion
from mesotrack.patients.models import Patient

CLOCK_SLACK = dt.timedelta(minutes=5)


def _audit(actor: User, action: Action, session: TreatmentSession, **detail: object) -> None:
    audit_record(
        actor=actor,
        action=action,
        patient=session.patient,
        obj=session,
        detail={"status": session.status, **detail},
    )


def _practitioner_at(user: User | None, clinic_id: int, field: str, roles: frozenset[Role]) -> None:
    if user is None:
        return
    from mesotrack.accounts.selectors import role_in_clinic

    if role_in_clinic(user, clinic_id) not in roles:
        raise DomainError("Choose someone who works at this clinic in that role.", field=field)


@transaction.atomic
def session_check_in(
    *,
    actor: User,
    patient: Patient,
    practitioner: User | None = None,
    appointment: Appointment | None = None,
    modality: str = "",
    recipe_version: RecipeVersion | None = None,
    assisting_nurse: User | None = None,
) -> TreatmentSession:
    """Open a session for `patient` (from a booked course appointment, or walk-in)."""
    require_role(actor, patient.clinic_id, CHARTING_ROLES, "check a patient in")
    course = None
    if appointment is not None:
        if appointment.patient_id != patient.pk or not appointment.is_session:
            raise DomainError(
                "This appointment is not a session of this patient.", field="appointment"
            )
        if TreatmentSession.objects.filter(appointment=appointment).exists():
            raise DomainError("This appointment already has a session.", field="appointment")
        course = appointment.course
        modality = modality or course.modality
        recipe_version = recipe_version or course.recipe_version
        practitioner = practitioner or appointment.practitioner
    if modality not in SessionModality.values:
        raise DomainError("Choose mesotherapy or PRP.", field="modality")
    if practitioner is None:
        raise DomainError("Choose the practitioner who will inject.", field="practitioner")
    _practitioner_at(
        practitioner, patient.clinic_id, "practitioner", PRESCRIBER_ROLES | {Role.NURSE}
    )
    _practitioner_at(assisting_nurse, patient.clinic_id, "assisting_nurse", frozenset({Role.NURSE}))
    if TreatmentSession.objects.filter(patient=patient, status__in=OPEN_STATUSES).exists():
        raise DomainError(
            "This patient already has a session in progress; finish or abandon it first.",
            field="patient",
        )
    session = TreatmentSession(
        patient=patient,
        clinic_id=patient.clinic_id,
        appointment=appointment,
        course=course,
        modality=modality,
        recipe_version=recipe_version,
        practitioner=practitioner,
        assisting_nurse=assisting_nurse,
        checked_in_at=timezone.now(),
        checked_in_by=actor,
    )
    session.full_clean()
    session.save()
    _audit(actor, Action.CREATE, session, step="check_in")
    return session


def _decimal(value: object, field: str, message: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(message, field=field) from None
    if not number.is_finite() or number <= 0:
        raise DomainError(message, field=field)
    return number


def _numbing(
    session: TreatmentSession,
    agent: str,
    amount_g: object,
    lidocaine_mg: object,
    area: str,
    applied_at: dt.datetime | None,
) -> float | None:
    """Record the numbing agent on `session`; returns the lidocaine dose (mg) for screening."""
    if agent not in NumbingAgent.values:
        raise DomainError("Choose a numbing agent from the list.", field="numbing_agent")
    session.numbing_agent = agent
    if not agent:
        session.numbing_amount_g = session.numbing_lidocaine_mg = session.numbing_applied_at = None
        session.numbing_area = ""
        return None
    if applied_at is None:
        raise DomainError(
            "Give the time the numbing agent was applied.", field="numbing_applied_at"
        )
    if timezone.is_naive(applied_at) or applied_at > timezone.now() + CLOCK_SLACK:
        raise DomainError("The numbing time cannot be in the future.", field="numbing_applied_at")
    if not area.strip():
        raise DomainError("Say which area of the scalp was numbed.", field="numbing_area")
    session.numbing_area = area.strip()[:200]
    session.numbing_applied_at = applied_at
    lidocaine: Decimal | None = None
    if agent == NumbingAgent.EMLA:
        grams = _decimal(amount_g, "numbing_amount_g", "Give the grams of cream applied.")
        session.numbing_amount_g = grams.quantize(Decimal("0.1"))
        lidocaine = grams * EMLA_LIDOCAINE_MG_PER_G
    elif agent == NumbingAgent.LIDOCAINE:
        lidocaine = _decimal(lidocaine_mg, "numbing_lidocaine_mg", "Give the lidocaine dose in mg.")
        session.numbing_lidocaine_mg = lidocaine.quantize(Decimal("0.1"))
    return float(lidocaine) if lidocaine is not None else None


@transaction.atomic
def session_checklist_complete(
    *,
    actor: User,
    session: TreatmentSession,
    identity_confirmed: bool,
    today: TodayInput,
    numbing_agent: str = "",
    numbing_amount_g: object = None,
    numbing_lidocaine_mg: object = None,
    numbing_area: str = "",
    numbing_applied_at: dt.datetime | None = None,
) -> TreatmentSession:
    """Run the pre-procedure checklist; refuses (and records nothing) while any check fails."""
    session = locked(session)
    require_role(actor, session.clinic_id, CHARTING_ROLES, "complete the checklist")
    require_status(
        session, SessionStatus.CHECKED_IN, SessionStatus.CHECKLIST_DONE, doing="redo the checklist"
    )
    if not identity_confirmed:
        raise DomainError(
            "Confirm the patient's full name and date of birth before going on.",
            field="identity_confirmed",
        )
    on_date = timezone.localdate()
    lidocaine_mg = _numbing(
        session,
        numbing_agent,
        numbing_amount_g,
        numbing_lidocaine_mg,
        numbing_area,
        numbing_applied_at,
    )
    refuse_without_consent(session, on_date)
    refuse_screening_blocks(session, today, on_date, lidocaine_mg)
    refuse_safety_blocks(session.patient)
    session.identity_confirmed = True
    session.today_answers = today.as_json()
    session.checklist_done_at = timezone.now()
    session.checklist_done_by = actor
    session.status = SessionStatus.CHECKLIST_DONE
    session.full_clean()
    session.save()
    _audit(actor, Action.UPDATE, session, step="checklist", numbing_agent=numbing_agent)
    return session


def numbing_ready_at(session: TreatmentSession) -> dt.datetime | None:
    """When the numbing agent's minimum wait ends (None when there is no wait)."""
    wait = numbing_wait(session.numbing_agent)
    if wait is None or session.numbing_applied_at is None or not wait.minimum_minutes:
        return None
    return wait.earliest_start(session.numbing_applied_at)


@transaction.atomic
def session_procedure_start(
    *, actor: User, session: TreatmentSession, early_start_reason: str = ""
) -> TreatmentSession:
    """Start injecting; refused before the numbing wait ends unless a practitioner says why."""
    session = locked(session)
    role = require_role(actor, session.clinic_id, CHARTING_ROLES, "start the procedure")
    require_status(session, SessionStatus.CHECKLIST_DONE, doing="start the procedure")
    refuse_safety_blocks(session.patient)
    now = timezone.now()
    ready_at = numbing_ready_at(session)
    reason = early_start_reason.strip()
    if ready_at is not None and now < ready_at:
        wait = numbing_wait(session.numbing_agent)
        assert wait is not None  # noqa: S101 - ready_at implies a wait rule
        if not reason:
            raise DomainError(
                f"The numbing cream needs at least {wait.minimum_minutes} minutes: wait until "
                f"{timezone.localtime(ready_at):%H:%M}, or a practitioner records why to start "
                "earlier.",
                field="early_start_reason",
                code="numbing_wait",
            )
        if role not in PRESCRIBER_ROLES:
            raise DomainError(
                "Only a practitioner can start before the numbing wait ends.",
                field="early_start_reason",
            )
        session.early_start_reason = reason
    session.started_at = now
    session.status = SessionStatus.IN_PROCEDURE
    session.full_clean()
    session.save()
    _audit(actor, Action.UPDATE, session, step="procedure_start", early=bool(reason))
    return session


@transaction.atomic
def session_procedure_end(*, actor: User, session: TreatmentSession) -> TreatmentSession:
    """The last injection is done: the post-procedure record begins."""
    session = locked(session)
    require_role(actor, session.clinic_id, CHARTING_ROLES, "end the procedure")
    require_status(session, SessionStatus.IN_PROCEDURE, doing="end the procedure")
    if not session.injections.exists():
        raise DomainError("Chart at least one zone on the map first.", field="injections")
    session.ended_at = timezone.now()
    session.status = SessionStatus.POST_PROCEDURE
    session.full_clean()
    session.save()
    _audit(actor, Action.UPDATE, session, step="procedure_end")
    return session


@transaction.atomic
def session_post_procedure_record(
    *,
    actor: User,
    session: TreatmentSession,
    pain_nrs: int | None,
    immediate_reactions: str = "",
    notes: str = "",
    assisting_nurse: User | None = None,
) -> TreatmentSession:
    """Record pain (NRS 0–10), immediate reactions, notes and the assisting nurse."""
    session = locked(session)
    require_role(actor, session.clinic_id, CHARTING_ROLES, "record the session")
    require_status(
        session, SessionStatus.IN_PROCEDURE, SessionStatus.POST_PROCEDURE, doing="record it"
    )
    if pain_nrs is None or not 0 <= pain_nrs <= 10:
        raise DomainError("Give the pain score from 0 (none) to 10 (worst).", field="pain_nrs")
    _practitioner_at(assisting_nurse, session.clinic_id, "assisting_nurse", frozenset({Role.NURSE}))
    session.pain_nrs = pain_nrs
    session.immediate_reactions = immediate_reactions.strip()
    session.notes = notes.strip()
    session.assisting_nurse = assisting_nurse or session.assisting_nurse
    session.full_clean()
    session.save()
    _audit(actor, Action.UPDATE, session, step="post_procedure")
    return session


@transaction.atomic
def session_abandon(*, actor: User, session: TreatmentSession, reason: str) -> TreatmentSession:
    """Stop a session that will not go ahead, saying why; no stock moves."""
    session = locked(session)
    require_role(actor, session.clinic_id, CHARTING_ROLES, "abandon a session")
    require_status(session, *OPEN_STATUSES, doing="abandon it")
    why = reason.strip()
    if not why:
        raise DomainError("Say why the session is abandoned.", field="reason")
    session.abandon_reason = why
    session.abandoned_at = timezone.now()
    session.status = SessionStatus.ABANDONED
    session.full_clean()
    session.save()
    _audit(actor, Action.UPDATE, session, step="abandon", reason=why)
    return session
