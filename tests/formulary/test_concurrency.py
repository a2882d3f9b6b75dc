"""Many people drawing from one lot at the same moment: the row lock lets through only what the
lot holds, and it never goes below zero."""

import threading
from decimal import Decimal

from django.db import OperationalError, connection, connections

from mesotrack.core.errors import DomainError
from mesotrack.formulary import services
from mesotrack.formulary.selectors import lot_on_hand
from tests.formulary.factories import lot


def test_concurrent_uses_never_take_a_lot_below_zero(transactional_db, cast):
    held = lot(cast, quantity="10")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def draw() -> None:
        try:
            barrier.wait()
            services.stock_use(
                actor=cast.nurse, lot=held, quantity="3", patient=cast.patient, session_ref="c:1"
            )
            outcomes.append("used")
        except DomainError:
            outcomes.append("refused")
        except OperationalError:
            outcomes.append("busy")  # SQLite's in-memory test database refuses a second writer
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draw) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    used = outcomes.count("used")
    assert lot_on_hand(lot=held) == Decimal(10) - 3 * used >= 0
    assert held.movements.filter(kind="use").count() == used
    if connection.vendor == "postgresql":
        assert sorted(outcomes) == ["refused"] * 5 + ["used"] * 3
