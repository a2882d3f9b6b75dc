"""Signing (stock moves in the same transaction), addenda, co-signatures, aftercare and the
follow-up calls signing schedules."""

from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from mesotrack.accounts.models import Role, User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.charting.models import (
    CallKind,
    FollowUpCall,
    SessionAddendum,
    SessionCosign,
    SessionLotUse,
    SessionStatus,
    TreatmentSession,
)
from mesotrack.charting.rules import aftercare_for, call_windows, volume_mismatch
from mesotrack.charting.services._common import (
    CHARTING_ROLES,
    PRESCRIBER_ROLES,
    locked,
    require_role,
    require_status,
)
from mesotrack.core.errors import DomainError
from mesotrack.formulary.services import batch_syringe_use, stock_use


def _refuse_unbalanced(session: TreatmentSession, uses: list[SessionLotUse]) -> None:
    injected = session.injections.aggregate(total=Sum("volume_ml"))["total"]
    if injected is None:
        raise DomainError("Chart at least one zone on the map before signing.", field="injections")
    drawn = sum((use.volume_ml for use in uses), Decimal("0"))
    if not uses:
        raise DomainError(
            "Record the lots or prepared syringes the injected volume came from.", field="lots"
        )
    message = volume_mismatch(injected, drawn)
    if message:
        raise DomainError(message, field="lots", code="volume_mismatch")


def _move_stock(actor: User, session: TreatmentSession, uses: list[SessionLotUse]) -> None:
    moment = session.started_at or timezone.now()
    for use in uses:
        if use.lot is not None:
            stock_use(
                actor=actor,
                lot=use.lot,
                quantity=use.volume_ml,
                patient=session.patient,
                session_ref=session.session_ref,
                occurred_at=moment,
            )
        elif use.batch is not None:
            for _ in range(use.syringes):
                batch_syringe_use(
                    actor=actor,
                    batch=use.batch,
                    patient=session.patient,
                    session_ref=session.session_ref,
                    occurred_at=moment,
                )


def _schedule_calls(session: TreatmentSession) -> None:
    assert session.signed_at is not None  # noqa: S101 - called right after signing
    windows = call_windows(session.signed_at)
    FollowUpCall.objects.bulk_create(
        FollowUpCall(
            session=session,
            patient=session.patient,
            clinic_id=session.clinic_id,
            kind=kind,
            due_from=windows[kind][0],
            due_by=windows[kind][1],
        )
        for kind in (CallKind.EARLY, CallKind.WEEK)
    )


def aftercare_email(session_id: int) -> None:
    """Email the aftercare to the patient (run after the signing transaction commits)."""
    session = TreatmentSession.objects.select_related("patient").get(pk=session_id)
    email = getattr(session.patient, "email", "")
    if not email:
        return
    aftercare = aftercare_for(session.modality)
    send_mail(
        subject=aftercare.title,
        message=session.aftercare_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )


@transaction.atomic
def session_sign(*, session: TreatmentSession, signed_by: User) -> TreatmentSession:
    """Sign the session: volumes reconciled, lots re-checked and the stock moved in the same
    transaction, aftercare produced and emailed, follow-up calls scheduled. Immutable after."""
    session = locked(session)
    require_role(signed_by, session.clinic_id, CHARTING_ROLES, "sign a session")
    require_status(session, SessionStatus.POST_PROCEDURE, doing="sign it")
    if session.pain_nrs is None:
        raise DomainError("Record the pain score before signing.", field="pain_nrs")
    uses = list(session.lot_uses.select_related("lot", "batch").order_by("id"))
    _refuse_unbalanced(session, uses)
    _move_stock(signed_by, session, uses)
    now = timezone.now()
    session.aftercare_text = aftercare_for(session.modality).as_text()
    session.ended_at = session.ended_at or now
    session.signed_at = now
    session.signed_by = signed_by
    session.status = SessionStatus.SIGNED
    session.lot_uses.update(signed_clinic_id=session.clinic_id, signed_at=now)
    session.save()
    _schedule_calls(session)
    audit_record(
        actor=signed_by,
        action=Action.SIGN,
        patient=session.patient,
        obj=session,
        detail={"lots": [u.lot_id for u in uses if u.lot_id], "zones": session.injections.count()},
    )
    session_id = session.pk
    transaction.on_commit(lambda: aftercare_email(session_id))
    return session


@transaction.atomic
def session_addendum_add(*, actor: User, session: TreatmentSession, text: str) -> SessionAddendum:
    """A correction or later note on a signed session."""
    session = locked(session)
    require_role(actor, session.clinic_id, CHARTING_ROLES, "add an addendum")
    require_status(session, SessionStatus.SIGNED, doing="add an addendum")
    body = text.strip()
    if not body:
        raise DomainError("Write the addendum.", field="text")
    addendum = SessionAddendum(session=session, text=body, written_by=actor)
    addendum.full_clean()
    addendum.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=session.patient,
        obj=addendum,
        detail={"session": session.pk},
    )
    return addendum


@transaction.atomic
def session_cosign(*, actor: User, session: TreatmentSession, comment: str = "") -> SessionCosign:
    """A practitioner countersigns a session a nurse signed."""
    session = locked(session)
    require_role(actor, session.clinic_id, PRESCRIBER_ROLES, "co-sign a session")
    require_status(session, SessionStatus.SIGNED, doing="co-sign it")
    from mesotrack.accounts.selectors import role_in_clinic

    assert session.signed_by is not None  # noqa: S101 - signed sessions have a signer
    if role_in_clinic(session.signed_by, session.clinic_id) != Role.NURSE:
        raise DomainError("Only a session signed by a nurse needs a co-signature.")
    if SessionCosign.objects.filter(session=session).exists():
        raise DomainError("This session is already co-signed.")
    cosign = SessionCosign(session=session, cosigned_by=actor, comment=comment.strip())
    cosign.full_clean()
    cosign.save()
    audit_record(
        actor=actor,
        action=Action.SIGN,
        patient=session.patient,
        obj=cosign,
        detail={"session": session.pk, "cosign": True},
    )
    return cosign


@transaction.atomic
def follow_up_call_record(
    *, actor: User, call: FollowUpCall, reached: bool, outcome_notes: str
) -> FollowUpCall:
    """Record a follow-up call: whether the patient was reached and what they said."""
    call = FollowUpCall.objects.select_for_update().select_related("patient").get(pk=call.pk)
    require_role(actor, call.clinic_id, CHARTING_ROLES, "record a follow-up call")
    if call.called_at is not None:
        raise DomainError("This call has already been recorded.")
    notes = outcome_notes.strip()
    if not notes:
        raise DomainError(
            "Write what the patient said (or that there was no answer).", field="outcome_notes"
        )
    call.called_at = timezone.now()
    call.called_by = actor
    call.reached = reached
    call.outcome_notes = notes
    call.full_clean()
    call.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=call.patient,
        obj=call,
        detail={"session": call.session_id, "reached": reached},
    )
    return call
