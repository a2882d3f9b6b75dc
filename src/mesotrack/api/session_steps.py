"""`/api/v1`: the steps of a session after its checklist — procedure start and end, lot draws,
the post-procedure record, abandoning, addenda and co-signature — so a whole session can be
charted and corrected through the API as on its page. Same services, rules, messages and audit.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router

from mesotrack.accounts.models import CLINICAL_ROLES, Role
from mesotrack.api.access import api_staff_required
from mesotrack.api.auth import api_user
from mesotrack.api.charting import (
    ERRORS,
    SessionFullOut,
    StrictIn,
    full_session,
    patient_for,
    session_for,
)
from mesotrack.charting import selectors, services
from mesotrack.charting.models import TreatmentSession
from mesotrack.core.errors import DomainError
from mesotrack.formulary.models import Lot, PreparedBatch
from mesotrack.patients.models import Patient

router = Router(tags=["sessions"])
SESSION = "/patients/{int:patient_id}/sessions/{int:session_id}"
PRESCRIBERS = (Role.MANAGER, Role.PRACTITIONER)


class StartIn(StrictIn):
    early_start_reason: str = Field(default="", max_length=500)


class LotUseIn(StrictIn):
    lot_id: int | None = None
    batch_id: int | None = None
    volume_ml: str = Field(default="", max_length=12)
    syringes: int = Field(default=1, ge=0, le=100)


class PostProcedureIn(StrictIn):
    pain_nrs: int | None = Field(default=None, ge=0, le=10)
    immediate_reactions: str = Field(default="", max_length=2000)
    notes: str = Field(default="", max_length=4000)
    assisting_nurse_id: int | None = None


class TextIn(StrictIn):
    text: str = Field(default="", max_length=4000)


def _step(request: HttpRequest, patient_id: int, session_id: int) -> TreatmentSession:
    return session_for(request, patient_for(request, patient_id), session_id)


def _after(request: HttpRequest, session: TreatmentSession) -> dict[str, Any]:
    return full_session(session_for(request, session.patient, session.pk))


def _lot(session: TreatmentSession, lot_id: int | None) -> Lot | None:
    if lot_id is None:
        return None
    organisation = session.clinic.organisation_id
    found = Lot.objects.filter(pk=lot_id, product__organisation_id=organisation).first()
    if found is None:
        raise DomainError("No such lot in this clinic's formulary.", field="lot_id")
    return found


def _batch(session: TreatmentSession, batch_id: int | None) -> PreparedBatch | None:
    if batch_id is None:
        return None
    found = PreparedBatch.objects.filter(pk=batch_id, clinic_id=session.clinic_id).first()
    if found is None:
        raise DomainError("No such prepared batch at this clinic.", field="batch_id")
    return found


def _nurse(patient: Patient, user_id: int | None) -> Any:
    if user_id is None:
        return None
    nurses = selectors.staff_at(clinic_id=patient.clinic_id, roles=[Role.NURSE])
    found = next((nurse for nurse in nurses if nurse.pk == user_id), None)
    if found is None:
        raise DomainError("Choose a nurse of this clinic.", field="assisting_nurse_id")
    return found


@router.post(f"{SESSION}/start", response={200: SessionFullOut, **ERRORS}, summary="Start")
@api_staff_required(*CLINICAL_ROLES)
def procedure_start(
    request: HttpRequest, patient_id: int, session_id: int, payload: StartIn
) -> dict[str, Any]:
    """Start injecting; before the numbing wait is over, a reason is required."""
    session = _step(request, patient_id, session_id)
    services.session_procedure_start(
        actor=api_user(request), session=session, early_start_reason=payload.early_start_reason
    )
    return _after(request, session)


@router.post(f"{SESSION}/lot-uses", response={200: SessionFullOut, **ERRORS}, summary="Draw")
@api_staff_required(*CLINICAL_ROLES)
def lot_use_add(
    request: HttpRequest, patient_id: int, session_id: int, payload: LotUseIn
) -> dict[str, Any]:
    """Trace volume to a lot or to syringes of a prepared batch (unusable lots are refused)."""
    session = _step(request, patient_id, session_id)
    services.lot_use_add(
        actor=api_user(request),
        session=session,
        volume_ml=payload.volume_ml,
        lot=_lot(session, payload.lot_id),
        batch=_batch(session, payload.batch_id),
        syringes=payload.syringes,
    )
    return _after(request, session)


@router.post(f"{SESSION}/end", response={200: SessionFullOut, **ERRORS}, summary="End")
@api_staff_required(*CLINICAL_ROLES)
def procedure_end(request: HttpRequest, patient_id: int, session_id: int) -> dict[str, Any]:
    """The last injection is done: the post-procedure record begins."""
    session = _step(request, patient_id, session_id)
    services.session_procedure_end(actor=api_user(request), session=session)
    return _after(request, session)


@router.post(
    f"{SESSION}/post-procedure", response={200: SessionFullOut, **ERRORS}, summary="Record"
)
@api_staff_required(*CLINICAL_ROLES)
def post_procedure(
    request: HttpRequest, patient_id: int, session_id: int, payload: PostProcedureIn
) -> dict[str, Any]:
    """Pain (NRS 0–10), immediate reactions, notes and the assisting nurse."""
    session = _step(request, patient_id, session_id)
    services.session_post_procedure_record(
        actor=api_user(request),
        session=session,
        pain_nrs=payload.pain_nrs,
        immediate_reactions=payload.immediate_reactions,
        notes=payload.notes,
        assisting_nurse=_nurse(session.patient, payload.assisting_nurse_id),
    )
    return _after(request, session)


@router.post(f"{SESSION}/abandon", response={200: SessionFullOut, **ERRORS}, summary="Abandon")
@api_staff_required(*CLINICAL_ROLES)
def abandon(
    request: HttpRequest, patient_id: int, session_id: int, payload: TextIn
) -> dict[str, Any]:
    """Stop a session that will not be completed, with the reason."""
    session = _step(request, patient_id, session_id)
    services.session_abandon(actor=api_user(request), session=session, reason=payload.text)
    return _after(request, session)


@router.post(f"{SESSION}/addenda", response={200: SessionFullOut, **ERRORS}, summary="Amend")
@api_staff_required(*CLINICAL_ROLES)
def addendum_add(
    request: HttpRequest, patient_id: int, session_id: int, payload: TextIn
) -> dict[str, Any]:
    """A correction or later note on a signed session (the signed note itself never changes)."""
    session = _step(request, patient_id, session_id)
    services.session_addendum_add(actor=api_user(request), session=session, text=payload.text)
    return _after(request, session)


@router.post(f"{SESSION}/cosign", response={200: SessionFullOut, **ERRORS}, summary="Co-sign")
@api_staff_required(*PRESCRIBERS)
def cosign(
    request: HttpRequest, patient_id: int, session_id: int, payload: TextIn
) -> dict[str, Any]:
    """A practitioner countersigns a session a nurse signed."""
    session = _step(request, patient_id, session_id)
    services.session_cosign(actor=api_user(request), session=session, comment=payload.text)
    return _after(request, session)
