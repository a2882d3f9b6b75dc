import datetime as dt
from typing import Any

import pytest

from mesotrack.intake import services
from mesotrack.intake.models import Intake

TAKEN_ON = dt.date(2025, 3, 14)


def full_answers(**overrides: Any) -> dict[str, Any]:
    """A complete, valid set of answers as the edit page would submit them."""
    answers: dict[str, Any] = {
        "hair_loss_history": {
            "onset_on": dt.date(2022, 5, 1),
            "onset_speed": "gradual",
            "patterns": ["widening_part"],
            "shedding": "more_than_usual",
            "family_history": "mother_side",
            "triggers": ["childbirth"],
        },
        "prior_treatments": [
            {
                "treatment": "topical_minoxidil",
                "started_on": dt.date(2022, 9, 1),
                "stopped_on": dt.date(2023, 6, 1),
                "response": "stopped_side_effects",
                "details": "5% foam, scalp itch",
            },
            {
                "treatment": "hair_transplant",
                "started_on": dt.date(2023, 11, 10),
                "graft_count": 2200,
                "response": "improved",
            },
        ],
        "medical_history": {"conditions": ["thyroid_underactive", "pcos"], "notes": ""},
        "medications": [
            {
                "name": "Levothyroxine",
                "medication_class": "thyroid_medicine",
                "dose": "75 micrograms",
                "since": dt.date(2019, 1, 1),
            }
        ],
        "no_known_allergies": False,
        "allergies": [
            {
                "allergy_class": "amide_local_anaesthetic",
                "substance": "lidocaine",
                "reaction": "hives",
            }
        ],
        "reproductive": {
            "pregnant": False,
            "breastfeeding": False,
            "could_become_pregnant": True,
            "trying_to_conceive": False,
            "contraception": "Copper coil",
        },
        "weight_kg": "64.5",
        "labs": [
            {"test": "ferritin", "value": "18", "unit": "ng/mL", "taken_on": TAKEN_ON},
            {"test": "vitamin_d_25oh", "value": "40", "unit": "nmol/L", "taken_on": TAKEN_ON},
        ],
    }
    answers.update(overrides)
    return answers


@pytest.fixture
def draft(cast) -> Intake:
    return services.intake_start(actor=cast.nurse, patient=cast.patient)


@pytest.fixture
def signed(cast, draft) -> Intake:
    services.intake_update(actor=cast.nurse, intake=draft, answers=full_answers())
    return services.intake_sign(actor=cast.practitioner, intake=draft)
