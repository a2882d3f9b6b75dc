import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mesotrack.audit.models import AuditEvent
from mesotrack.core.errors import DomainError
from mesotrack.formulary import services
from mesotrack.formulary.models import MovementKind, PreparedBatch, StockMovement, SyringeStatus
from mesotrack.formulary.selectors import lot_on_hand
from tests.formulary.factories import in_minutes, lot, recipe


def _prepare(cast, syringes: int = 4, **more):
    return services.batch_prepare(
        actor=cast.nurse,
        version=recipe(cast).current_version(),
        clinic=cast.clinic,
        syringes=syringes,
        use_by=more.pop("use_by", in_minutes(240)),
        **more,
    )


def test_it_draws_every_lot_first_expiry_first_and_makes_numbered_syringes(cast):
    later = lot(cast, number="LATE", expires_in_days=300)
    sooner = lot(cast, number="SOON", expires_in_days=100)
    saline = lot(cast, "Sodium chloride 0.9%", number="NS-1")
    batch = _prepare(cast)
    assert (batch.syringes, batch.volume_per_syringe_ml, batch.prepared_by) == (
        4,
        Decimal(2),
        cast.nurse,
    )
    draws = batch.movements.order_by("id").values_list("lot__lot_number", "kind", "quantity")
    assert list(draws) == [("SOON", "use", Decimal(-4)), ("NS-1", "use", Decimal(-4))]
    assert (lot_on_hand(lot=sooner), lot_on_hand(lot=later), lot_on_hand(lot=saline)) == (
        Decimal(16),
        Decimal(20),
        Decimal(16),
    )
    assert list(batch.prepared_syringes.values_list("number", "status")) == [
        (n, "available") for n in range(1, 5)
    ]
    assert AuditEvent.objects.filter(object_type="formulary.PreparedBatch").count() == 1


def test_a_named_lot_is_used_instead_of_the_first_to_expire(cast):
    later = lot(cast, number="LATE", expires_in_days=300)
    lot(cast, number="SOON", expires_in_days=100)
    lot(cast, "Sodium chloride 0.9%", number="NS-1")
    batch = _prepare(cast, lots={later.product_id: later})
    assert batch.movements.filter(lot=later).get().quantity == Decimal(-4)


def test_it_draws_all_lots_or_none(cast):
    dutasteride = lot(cast)
    lot(cast, "Sodium chloride 0.9%", number="NS-1", quantity="3")
    with pytest.raises(DomainError, match="No usable lot of Sodium chloride 0.9% at Leeds holds 4"):
        _prepare(cast)
    assert not PreparedBatch.objects.exists()
    assert lot_on_hand(lot=dutasteride) == Decimal(20)
    assert not StockMovement.objects.filter(kind=MovementKind.USE).exists()


def test_a_lot_expiring_before_the_use_by_date_is_refused(cast):
    short = lot(cast, expires_in_days=1)
    lot(cast, "Sodium chloride 0.9%", number="NS-1")
    with pytest.raises(DomainError, match="expires on .*, before the syringes' use-by date"):
        _prepare(cast, lots={short.product_id: short}, use_by=timezone.now() + dt.timedelta(days=3))


def test_use_by_must_follow_preparation(cast):
    with pytest.raises(DomainError, match="The use-by time must come after the preparation."):
        _prepare(cast, use_by=timezone.now() - dt.timedelta(minutes=1))


def test_a_syringe_is_given_to_a_patient_and_audited_against_them(cast):
    lot(cast)
    lot(cast, "Sodium chloride 0.9%", number="NS-1")
    batch = _prepare(cast, syringes=2)
    syringe = services.batch_syringe_use(
        actor=cast.nurse, batch=batch, patient=cast.patient, session_ref="courses.Appointment:3"
    )
    assert (syringe.number, syringe.status, syringe.patient, syringe.used_by) == (
        1,
        SyringeStatus.USED,
        cast.patient,
        cast.nurse,
    )
    event = AuditEvent.objects.get(
        patient_id=cast.patient.pk, object_type="formulary.PreparedSyringe"
    )
    assert event.detail == {"batch": batch.pk, "syringe": 1, "session_ref": "courses.Appointment:3"}
    services.batch_syringe_use(actor=cast.nurse, batch=batch, patient=cast.patient, session_ref="x")
    with pytest.raises(DomainError, match=f"Every syringe of batch {batch.pk} has been used."):
        services.batch_syringe_use(
            actor=cast.nurse, batch=batch, patient=cast.patient, session_ref="x"
        )


def test_a_batch_with_a_recalled_lot_or_past_its_use_by_is_not_given(cast):
    dutasteride = lot(cast)
    lot(cast, "Sodium chloride 0.9%", number="NS-1")
    stale = _prepare(
        cast,
        syringes=1,
        prepared_at=timezone.now() - dt.timedelta(hours=5),
        use_by=timezone.now() - dt.timedelta(hours=1),
    )
    with pytest.raises(DomainError, match=f"The syringes of batch {stale.pk} were to be used by"):
        services.batch_syringe_use(
            actor=cast.nurse, batch=stale, patient=cast.patient, session_ref="x"
        )
    batch = services.batch_prepare(
        actor=cast.nurse,
        version=stale.recipe_version,
        clinic=cast.clinic,
        syringes=1,
        use_by=in_minutes(60),
    )
    services.lot_recall(actor=cast.manager, lot=dutasteride, reason="Notice")
    with pytest.raises(DomainError, match="holds lot L-001, which is recalled: do not use it."):
        services.batch_syringe_use(
            actor=cast.nurse, batch=batch, patient=cast.patient, session_ref="x"
        )
    with pytest.raises(DomainError, match="this patient is registered at another clinic"):
        services.batch_syringe_use(
            actor=cast.nurse, batch=batch, patient=cast.other_patient, session_ref="x"
        )


def test_the_syringes_left_can_be_discarded_with_a_reason(cast):
    lot(cast)
    lot(cast, "Sodium chloride 0.9%", number="NS-1")
    batch = _prepare(cast, syringes=3)
    with pytest.raises(DomainError, match="Say why the syringes are discarded."):
        services.batch_discard_remaining(actor=cast.nurse, batch=batch, reason="")
    assert (
        services.batch_discard_remaining(actor=cast.nurse, batch=batch, reason="Past use-by") == 3
    )
    assert set(batch.prepared_syringes.values_list("status", "discard_reason")) == {
        ("discarded", "Past use-by")
    }


def test_a_lot_short_of_stock_undoes_the_draws_already_made(cast):
    dutasteride = lot(cast)
    small = lot(cast, "Sodium chloride 0.9%", number="NS-SMALL", quantity="1")
    with pytest.raises(DomainError, match="Only 1 mL of lot NS-SMALL is on hand; taking 4 mL"):
        _prepare(cast, lots={small.product_id: small})
    assert not PreparedBatch.objects.exists()
    assert lot_on_hand(lot=dutasteride) == Decimal(20) and lot_on_hand(lot=small) == Decimal(1)
    assert not AuditEvent.objects.filter(object_type="formulary.PreparedBatch").exists()
