"""What `seed_demo` hands to each app's `demo.seed(context)`.

The core command builds the organisation, clinics, users and patients; each domain app then adds
its own demo data (intake, consents, …) in its `demo.py`, deterministically from `context.rng`.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from mesotrack.accounts.models import Clinic, Organisation, User
from mesotrack.patients.models import Patient


@dataclass
class DemoPatientProfile:
    """The story behind a demo patient, so every app's data tells the same story."""

    # male_pattern | female_pattern | telogen_effluvium | alopecia_areata | scarring
    hair_loss: str
    onset_years_ago: float
    prior_treatments: list[str] = field(default_factory=list)
    transplant_years_ago: float | None = None
    grafts: int | None = None
    could_become_pregnant: bool = False
    pregnant: bool = False
    breastfeeding: bool = False
    trying_to_conceive: bool = False
    iron_deficient: bool = False
    vitamin_d_low: bool = False
    thyroid: str = "normal"  # "normal" | "hypo" | "hyper"
    conditions: list[str] = field(default_factory=list)
    allergies: list[str] = field(default_factory=list)


@dataclass
class DemoContext:
    rng: random.Random
    today: dt.date
    organisation: Organisation
    clinics: dict[str, Clinic]
    users: dict[str, User]
    patients: list[Patient]
    profiles: dict[int, DemoPatientProfile]  # by patient id
    progress: Callable[[str], None] = print


# Shared by every demo user who needs TOTP, so a newcomer can add it to an authenticator app
# once (README) or ask `manage.py demo_totp USERNAME` for the current code. Demo only.
DEMO_TOTP_KEY_HEX = "6d65736f747261636b2d64656d6f2d746f74702d"
DEMO_SEED = 20261124
DEMO_MODULES = [
    "mesotrack.intake.demo",
    "mesotrack.consent.demo",
    "mesotrack.assessment.demo",
    "mesotrack.formulary.demo",
    "mesotrack.courses.demo",
    "mesotrack.outcomes.demo",
    "mesotrack.charting.demo",
    "mesotrack.safety.demo",
]
