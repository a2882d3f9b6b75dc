"""The stock ledger under any sequence of operations: the quantity on hand is the sum of the
movements, it equals what a plain running total says it should be, and it is never negative —
a movement that would take it below zero is refused and leaves no trace."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesotrack.core.errors import DomainError
from mesotrack.formulary import services
from mesotrack.formulary.models import StockMovement
from mesotrack.formulary.selectors import lot_on_hand
from tests.formulary.factories import product

quantities = st.decimals(min_value="0.01", max_value="30", places=2)
operations = st.lists(
    st.tuples(st.sampled_from(["receive", "use", "waste", "adjust", "return"]), quantities,
              st.booleans()),
    max_size=12,
)  # fmt: skip
lot_numbers = itertools.count(1)


def _apply(cast, lot, kind: str, quantity: Decimal, up: bool) -> Decimal:
    """Run one operation; the change it should make to the balance."""
    if kind == "receive":
        services.lot_receive(
            actor=cast.nurse,
            product=lot.product,
            clinic=lot.clinic,
            lot_number=lot.lot_number,
            expiry_date=lot.expiry_date,
            supplier="Supplier",
            quantity=quantity,
        )
        return quantity
    if kind == "use":
        services.stock_use(
            actor=cast.nurse, lot=lot, quantity=quantity, patient=cast.patient, session_ref="p:1"
        )
        return -quantity
    if kind == "adjust":
        signed = quantity if up else -quantity
        services.stock_adjust(actor=cast.nurse, lot=lot, quantity=str(signed), reason="Count")
        return signed
    record = services.stock_waste if kind == "waste" else services.stock_return
    record(actor=cast.nurse, lot=lot, quantity=quantity, reason="Reason")
    return -quantity


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=quantities, steps=operations)
def test_on_hand_is_the_sum_of_movements_and_never_negative(cast, first, steps):
    lot = services.lot_receive(
        actor=cast.nurse,
        product=product(cast),
        clinic=cast.clinic,
        lot_number=f"P-{next(lot_numbers)}",
        expiry_date=timezone.localdate() + dt.timedelta(days=90),
        supplier="Supplier",
        quantity=first,
    )
    expected = first
    for kind, quantity, up in steps:
        change = quantity if kind == "receive" or (kind == "adjust" and up) else -quantity
        movements_before = lot.movements.count()
        try:
            made = _apply(cast, lot, kind, quantity, up)
        except DomainError as refused:
            assert expected + change < 0
            assert refused.code == "insufficient_stock"
            assert lot.movements.count() == movements_before
        else:
            assert made == change and expected + change >= 0
            expected += change
        on_hand = lot_on_hand(lot=lot)
        movements = StockMovement.objects.filter(lot=lot).values_list("quantity", flat=True)
        assert on_hand == expected == sum(movements, Decimal(0))
        assert on_hand >= 0
