import pytest

from mesotrack.audit.models import AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.formulary import services
from mesotrack.formulary.models import LotStatus
from tests.formulary.factories import lot


def test_quarantine_records_who_when_and_why_and_is_audited(cast):
    held = lot(cast)
    changed = services.lot_quarantine(actor=cast.practitioner, lot=held, reason=" Cloudy vial ")
    assert (changed.status, changed.status_reason, changed.status_changed_by) == (
        LotStatus.QUARANTINED,
        "Cloudy vial",
        cast.practitioner,
    )
    assert changed.status_changed_at is not None
    event = AuditEvent.objects.get(object_type="formulary.Lot", action="update")
    assert event.detail == {
        "lot_number": "L-001",
        "status": ["active", "quarantined"],
        "reason": "Cloudy vial",
    }
    assert (event.actor, event.clinic) == (cast.practitioner, cast.clinic)


def test_a_quarantined_lot_can_be_released_and_used_again(cast):
    held = lot(cast)
    services.lot_quarantine(actor=cast.manager, lot=held, reason="Check")
    released = services.lot_release(actor=cast.manager, lot=held, reason="Supplier cleared it")
    assert released.status == LotStatus.ACTIVE
    services.stock_use(
        actor=cast.nurse, lot=held, quantity="1", patient=cast.patient, session_ref="demo:1"
    )


def test_a_recall_is_final(cast):
    held = lot(cast)
    services.lot_recall(actor=cast.manager, lot=held, reason="Supplier notice")
    for change in (services.lot_release, services.lot_quarantine, services.lot_mark_expired):
        with pytest.raises(DomainError, match="Lot L-001 has been recalled; a recall is final."):
            change(actor=cast.manager, lot=held, reason="Try")
    with pytest.raises(DomainError, match="has been recalled; a recall is final"):
        services.lot_recall(actor=cast.manager, lot=held, reason="Again")


def test_it_refuses_changes_that_make_no_sense(cast):
    held = lot(cast)
    with pytest.raises(DomainError, match="Lot L-001 is not quarantined."):
        services.lot_release(actor=cast.manager, lot=held, reason="x")
    services.lot_quarantine(actor=cast.manager, lot=held, reason="x")
    with pytest.raises(DomainError, match="Lot L-001 is already quarantined."):
        services.lot_quarantine(actor=cast.manager, lot=held, reason="x")


def test_quarantine_and_recall_need_a_reason_but_marking_expired_does_not(cast):
    held = lot(cast)
    with pytest.raises(DomainError, match="Say why the lot is quarantined.") as refused:
        services.lot_quarantine(actor=cast.manager, lot=held, reason="  ")
    assert refused.value.field == "reason"
    with pytest.raises(DomainError, match=r"Say why the lot is recalled \(e.g. the supplier's"):
        services.lot_recall(actor=cast.manager, lot=held, reason="")
    expired = services.lot_mark_expired(actor=cast.manager, lot=held)
    assert expired.status == LotStatus.EXPIRED
    with pytest.raises(DomainError, match="it must not be used"):
        services.stock_use(
            actor=cast.nurse, lot=held, quantity="1", patient=cast.patient, session_ref="demo:1"
        )


@pytest.mark.parametrize("actor,message", [
    ("nurse", "As nurse at Leeds you cannot recall a lot."),
    ("receptionist", "As receptionist at Leeds you cannot recall a lot."),
    ("other_practitioner", "You do not work at Leeds."),
])  # fmt: skip
def test_only_managers_and_practitioners_of_the_lots_clinic_recall_it(cast, actor, message):
    held = lot(cast)
    with pytest.raises(PermissionDenied, match=message):
        services.lot_recall(actor=getattr(cast, actor), lot=held, reason="Notice")
    held.refresh_from_db()
    assert held.status == LotStatus.ACTIVE
