"""Small builders for screening tests: an adult with nothing recorded, and proposals."""

from typing import Any

from mesotrack.screening.engine import ScreeningResult, screen
from mesotrack.screening.flags import Flag
from mesotrack.screening.profile import LabReading, ProposedTreatment, ScreeningProfile


def person(**facts: Any) -> ScreeningProfile:
    """A 40-year-old man of 70 kg with nothing recorded, plus `facts`."""
    for name in ("conditions", "medications", "allergies", "goals"):
        if name in facts:
            facts[name] = frozenset(facts[name])
    if "labs" in facts:
        facts["labs"] = {code: LabReading(*reading) for code, reading in facts["labs"].items()}
    base: dict[str, Any] = {"sex_at_birth": "male", "age": 40, "weight_kg": 70.0}
    return ScreeningProfile(**{**base, **facts})


def woman(**facts: Any) -> ScreeningProfile:
    return person(**{"sex_at_birth": "female", "weight_kg": 60.0, **facts})


def meso(
    *ingredients: str, anaesthetic: str | None = None, lidocaine_mg: float | None = None
) -> ProposedTreatment:
    return ProposedTreatment("mesotherapy", tuple(ingredients), anaesthetic, lidocaine_mg)


def prp(anaesthetic: str | None = None, lidocaine_mg: float | None = None) -> ProposedTreatment:
    return ProposedTreatment("prp", (), anaesthetic, lidocaine_mg)


def codes(result: ScreeningResult) -> list[tuple[str, str]]:
    return [(flag.code, flag.severity) for flag in result.flags]


def only(result: ScreeningResult, code: str) -> Flag:
    found = [flag for flag in result.flags if flag.code == code]
    assert len(found) == 1, codes(result)
    return found[0]


def screened(
    profile: ScreeningProfile, proposed: ProposedTreatment | None = None
) -> ScreeningResult:
    return screen(profile, proposed)
