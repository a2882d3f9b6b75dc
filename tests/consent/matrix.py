"""URL arguments for the authorisation matrix (tests/test_authorisation_matrix.py)."""

from collections.abc import Callable
from typing import Any

from tests.conftest import Cast
from tests.consent.factories import current_template, sign

URL_ARGUMENTS: dict[str, Callable[[Cast], Any]] = {
    "consent_id": lambda cast: sign(patient=cast.patient, witness=cast.receptionist).pk,
    "kind": lambda cast: "mesotherapy",
    "template_id": lambda cast: current_template("mesotherapy").pk,
}
