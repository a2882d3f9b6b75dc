"""What screening says about one injectable modality, sorted for the decision aid.

A block about the patient (scope "patient" in the screening_rules table) rules the modality out;
a block about the proposal (an ingredient, the anaesthetic, the dose) only asks for a different
proposal; a postpone means "not today"; warnings are cautions. Lab flags belong to "correct a
deficiency first", not here.
"""

from dataclasses import dataclass

from mesotrack.screening import tables
from mesotrack.screening.engine import ScreeningResult, screen
from mesotrack.screening.flags import Flag
from mesotrack.screening.profile import ProposedTreatment, ScreeningProfile


@dataclass(frozen=True)
class Findings:
    contraindications: tuple[Flag, ...]
    proposal_blocks: tuple[Flag, ...]
    postpones: tuple[Flag, ...]
    cautions: tuple[Flag, ...]


def modality_flags(
    profile: ScreeningProfile, result: ScreeningResult, modality: str
) -> tuple[Flag, ...]:
    """The flags for `modality`: the result's own, or a fresh screen when it was for another."""
    if result.proposed is None:
        return result.flags_for(modality)
    if result.proposed.modality == modality:
        return result.flags
    again = screen(profile, ProposedTreatment(modality), lab_thresholds=result.lab_thresholds)
    return again.flags


def injectable_findings(
    profile: ScreeningProfile, result: ScreeningResult, modality: str
) -> Findings:
    scopes = {code: rule.scope for code, rule in tables.screening_rules().items()}
    # A flag the table does not know (made by a caller) counts as one about the patient.
    flags = [f for f in modality_flags(profile, result, modality) if scopes.get(f.code) != "lab"]

    def scoped(severity: str, scope: str | None = None) -> tuple[Flag, ...]:
        return tuple(
            f
            for f in flags
            if f.severity == severity and scope in {None, scopes.get(f.code, "patient")}
        )

    return Findings(
        contraindications=scoped("block", "patient"),
        proposal_blocks=scoped("block", "proposal"),
        postpones=scoped("postpone"),
        cautions=scoped("warn"),
    )
