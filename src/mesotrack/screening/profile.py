"""The plain data the screening engine reads: a patient profile and a proposed treatment.

Codes are those of the screening vocabulary (`mesotrack.screening.vocabulary`, served at
GET /api/v1/vocabulary). Nothing here touches the database.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LabReading:
    value: float
    unit: str  # any accepted unit; the engine converts via the lab_tests rule table


@dataclass(frozen=True)
class Stage:
    scale: str  # "norwood" | "ludwig" | "sinclair" | "olsen" | "salt"
    value: str  # "IIIa", "III vertex", "2", "30" (SALT total) ...


@dataclass(frozen=True)
class ProposedTreatment:
    modality: str  # "mesotherapy" | "prp"
    ingredients: tuple[str, ...] = ()
    anaesthetic: str | None = None  # "lidocaine" | "lidocaine_prilocaine_cream" | None
    lidocaine_mg: float | None = None


@dataclass(frozen=True)
class ScreeningProfile:
    sex_at_birth: str  # "female" | "male" (anything else is screened with the cautious choice)
    age: int
    weight_kg: float | None = None
    pregnant: bool = False
    breastfeeding: bool = False
    could_become_pregnant: bool = False
    trying_to_conceive: bool = False
    conditions: frozenset[str] = frozenset()
    medications: frozenset[str] = frozenset()
    allergies: frozenset[str] = frozenset()
    diagnosis: str | None = None
    stage: Stage | None = None
    transplant_date: dt.date | None = None
    transplant_grafts: int | None = None
    labs: Mapping[str, LabReading] = field(default_factory=dict)
    prior_treatments: Mapping[str, str] = field(default_factory=dict)  # intake code -> response
    goals: frozenset[str] = frozenset()
    contraception: bool = False
    on_date: dt.date | None = None  # the day screened (defaults to today where needed)
