"""The screening engine: every contraindication caught before a needle touches the scalp.

`screen(profile, proposed)` runs each row of the screening_rules table (src/mesotrack/rules/data/
screening_rules.json) through the check its row names (mesotrack.screening.checks), adds the lab
flags (mesotrack.screening.labs) and returns the flags, most severe first. Each rule's row holds
its severity, message and source; the rules cover clinical_rules.md §1.4 (anaesthetics and the
lidocaine dose), §2 (contraindications and precautions), §5 (labs) and §8 (the encodable rule
sketch). Facts marked [V] there are parameters of their rows and say so in their sources.

Without a proposed treatment the engine screens the patient for any scalp injection (rules about
ingredients, the anaesthetic or the dose need a proposal and are skipped). With one, only the rules
for its modality run. Pure: no database, no clock.
"""

from dataclasses import dataclass

from mesotrack.screening import tables
from mesotrack.screening.checks import CHECKS, Context
from mesotrack.screening.flags import SEVERITY_ORDER, STOPPING, Flag, Severity
from mesotrack.screening.labs import LabThresholds, default_lab_thresholds, lab_flags
from mesotrack.screening.profile import ProposedTreatment, ScreeningProfile

__all__ = ["Flag", "ScreeningResult", "Severity", "screen"]


@dataclass(frozen=True)
class ScreeningResult:
    flags: tuple[Flag, ...]
    proposed: ProposedTreatment | None = None
    lab_thresholds: LabThresholds | None = None

    @property
    def blocked(self) -> bool:
        """True when any flag is a block or a postpone: the session may not start today."""
        return any(flag.severity in STOPPING for flag in self.flags)

    @property
    def blocks(self) -> tuple[Flag, ...]:
        """The flags that stop a session (block and postpone)."""
        return tuple(flag for flag in self.flags if flag.severity in STOPPING)

    def flags_for(self, modality: str) -> tuple[Flag, ...]:
        return tuple(flag for flag in self.flags if modality in flag.modalities)


def screen(
    profile: ScreeningProfile,
    proposed: ProposedTreatment | None = None,
    *,
    lab_thresholds: LabThresholds | None = None,
) -> ScreeningResult:
    """Every flag the rule table raises for `profile` (and `proposed`, if given)."""
    thresholds = lab_thresholds or default_lab_thresholds()
    context = Context.build(profile, proposed, thresholds)
    flags: list[Flag] = []
    for rule in tables.screening_rules().values():
        check = CHECKS.get(rule.check)
        if check is None:
            continue  # lab rules: lab_flags below
        if proposed is not None and proposed.modality not in rule.modalities:
            continue
        flags.extend(check(rule, context))
    flags.extend(lab_flags(profile.labs, profile.sex_at_birth, thresholds))
    return ScreeningResult(flags=_ordered(flags), proposed=proposed, lab_thresholds=lab_thresholds)


def _ordered(flags: list[Flag]) -> tuple[Flag, ...]:
    order = tables.rule_order()
    unique = list(dict.fromkeys(flags))
    return tuple(sorted(unique, key=lambda flag: (SEVERITY_ORDER[flag.severity], order[flag.code])))
