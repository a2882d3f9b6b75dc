"""URL and API path arguments for the authorisation matrices (tests/test_authorisation_matrix.py,
tests/api/test_api_matrix.py): a product, a lot, a recipe and a batch of the cast's clinic."""

from collections.abc import Callable
from typing import Any

from mesotrack.formulary import services
from tests.conftest import Cast
from tests.formulary.factories import in_minutes, lot, product, recipe


def _batch(cast: Cast) -> int:
    lot(cast, "Dutasteride 0.01% solution")
    lot(cast, "Sodium chloride 0.9%", number="NS-1")
    batch = services.batch_prepare(
        actor=cast.nurse,
        version=recipe(cast).current_version(),
        clinic=cast.clinic,
        syringes=2,
        use_by=in_minutes(240),
    )
    return batch.pk


ARGUMENTS: dict[str, Callable[[Cast], Any]] = {
    "product_id": lambda cast: product(cast).pk,
    "lot_id": lambda cast: lot(cast).pk,
    "recipe_id": lambda cast: recipe(cast).pk,
    "batch_id": _batch,
}
URL_ARGUMENTS = ARGUMENTS
API_ARGUMENTS = ARGUMENTS
