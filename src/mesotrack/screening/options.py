"""The decision aid: rank the treatment options for a screened patient, each with its reasons.

`rank_options(profile, result)` scores mesotherapy, PRP, medical therapy and a transplant
consultation with the decision_rules table (src/mesotrack/rules/data/decision_rules.json: points,
rationale sentence and source per rule), and puts two gates before them when they apply: a
referral (scarring alopecia, alopecia areata, unexplained patchy loss) and correcting a deficiency
(lab flags from clinical_rules.md §5, known iron deficiency or anaemia).

Where the ranking comes from: clinical_rules.md §7 (guideline first line, positioning of
mesotherapy and PRP, transplant candidacy — not advised under 25 [C]), §2.1 (who may take which
medicine: the medical_options table), §1.1–1.2 and §8 (suggested protocols: the
treatment_protocols table), and the seed article's three rules: PRP right after a transplant,
mesotherapy to maintain a transplant, mesotherapy to slow ongoing loss. A block from screening
about the patient marks the option contraindicated: it stays listed, last, with the reason.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, get_args

from django.utils import timezone

from mesotrack.rules.schemas import DecisionRuleRow
from mesotrack.screening import tables
from mesotrack.screening.engine import ScreeningResult
from mesotrack.screening.flags import in_sentence, joined, number
from mesotrack.screening.medical import medical_therapy_choice, pregnancy_answers
from mesotrack.screening.profile import ScreeningProfile
from mesotrack.screening.scales import SCALES
from mesotrack.screening.screened import injectable_findings

Modality = Literal[
    "mesotherapy", "prp", "medical_therapy", "transplant_consultation", "referral",
    "correct_deficiency",
]  # fmt: skip
MODALITIES: tuple[str, ...] = get_args(Modality)
GATES = ("referral", "correct_deficiency")
# Tie-break between equal scores: the cheaper, better-evidenced option first (§7).
TREATMENT_ORDER = ("medical_therapy", "mesotherapy", "prp", "transplant_consultation")
PATTERN_LOSS = frozenset({"aga_male", "fphl"})
SPECIALIST_DIAGNOSES = frozenset({"alopecia_areata", "scarring_alopecia"})
NOT_FOR_TRANSPLANT = frozenset({"alopecia_areata", "scarring_alopecia", "telogen_effluvium"})
MEDICAL_TREATMENTS = frozenset(
    {"topical_minoxidil", "oral_minoxidil", "finasteride", "dutasteride", "spironolactone"}
)
NOT_WORKING = frozenset({"worse", "stopped_side_effects"})
WORKING = frozenset({"improved", "stable"})


@dataclass(frozen=True)
class TreatmentOption:
    modality: Modality
    rank: int  # 1 = first choice
    rationale: tuple[str, ...]
    sources: tuple[str, ...]
    suggested_protocol: str | None = None  # e.g. "Weekly ×4, every 2 weeks ×2, then monthly ×4"
    medical_options: tuple[str, ...] = ()  # topical_minoxidil, oral_minoxidil, finasteride, ...
    contraindicated: bool = False  # still listed, ranked last, with the reason in rationale


@dataclass
class Draft:
    """An option being scored."""

    modality: str
    score: int = 0
    applies: bool = False
    rationale: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    contraindicated: bool = False
    suggested_protocol: str | None = None
    medical_options: tuple[str, ...] = ()

    def note(self, rule: DecisionRuleRow, source: str | None = None, **values: str) -> None:
        fill = {key: number(float(value)) for key, value in rule.params.items()}
        fill.update(values)
        sentence = rule.rationale.format_map(fill)
        self.rationale.append(sentence[:1].upper() + sentence[1:])
        for cited in (rule.source, source):
            if cited and cited not in self.sources:
                self.sources.append(cited)


@dataclass
class Options:
    drafts: dict[str, Draft]

    def apply(self, code: str, **values: str) -> None:
        """Add decision rule `code`'s points and rationale to every option it scores."""
        rule = tables.decision_rules()[code]
        for modality, points in rule.points.items():
            draft = self.drafts[modality]
            draft.score += points
            draft.applies = True
            draft.note(rule, **values)

    def apply_gate(self, modality: str, code: str, **values: str) -> None:
        draft = self.drafts[modality]
        draft.applies = True
        draft.note(tables.decision_rules()[code], **values)

    def note(self, modality: str, code: str, source: str | None = None, **values: str) -> None:
        self.drafts[modality].note(tables.decision_rules()[code], source, **values)


def rank_options(profile: ScreeningProfile, result: ScreeningResult) -> list[TreatmentOption]:
    """The options, first choice first: gates, then treatments by score, contraindicated last."""
    options = Options({modality: Draft(modality) for modality in MODALITIES})
    _gates(options, profile, result)
    _by_diagnosis(options, profile)
    _transplant_history(options, profile)
    _goals(options, profile)
    _history(options, profile)
    _stage(options, profile)
    _transplant_consultation(options, profile)
    _screening(options, profile, result)
    _medical(options, profile)
    _protocols(options, profile, result)
    return _ranked(options)


def _ranked(options: Options) -> list[TreatmentOption]:
    gates = [options.drafts[m] for m in GATES if options.drafts[m].applies]
    treatments = [options.drafts[m] for m in TREATMENT_ORDER]
    allowed = sorted(
        (d for d in treatments if not d.contraindicated),
        key=lambda d: (-d.score, TREATMENT_ORDER.index(d.modality)),
    )
    ruled_out = [d for d in treatments if d.contraindicated]
    return [
        TreatmentOption(
            modality=draft.modality,  # type: ignore[arg-type]
            rank=rank,
            rationale=tuple(draft.rationale),
            sources=tuple(draft.sources),
            suggested_protocol=draft.suggested_protocol,
            medical_options=draft.medical_options,
            contraindicated=draft.contraindicated,
        )
        for rank, draft in enumerate([*gates, *allowed, *ruled_out], start=1)
    ]


def _diagnosis_label(profile: ScreeningProfile) -> str:
    row = tables.diagnoses().get(profile.diagnosis or "")
    return in_sentence(row.label) if row else "this diagnosis"


def _gates(options: Options, profile: ScreeningProfile, result: ScreeningResult) -> None:
    if profile.diagnosis == "scarring_alopecia" or "scarring_alopecia" in profile.conditions:
        options.apply_gate("referral", "referral_scarring_alopecia")
    if profile.diagnosis == "alopecia_areata":
        options.apply_gate("referral", "referral_alopecia_areata")
    undiagnosed = profile.diagnosis in {None, "other"}
    if undiagnosed and "undiagnosed_patchy_loss" in profile.conditions:
        options.apply_gate("referral", "referral_unexplained_patchy_loss")
    rules = tables.screening_rules()
    deficient = [
        flag for flag in result.flags if flag.code in rules and rules[flag.code].deficiency_of
    ]
    known = [c for c in ("iron_deficiency", "anaemia") if c in profile.conditions]
    if deficient or known:
        names = [in_sentence(flag.label) for flag in deficient]
        names += [in_sentence(tables.label_of(code)) for code in known]
        options.apply_gate(
            "correct_deficiency", "correct_deficiency_first", deficiencies=joined(names)
        )
        for flag in deficient:
            options.drafts["correct_deficiency"].rationale.append(flag.message)
            if flag.source not in options.drafts["correct_deficiency"].sources:
                options.drafts["correct_deficiency"].sources.append(flag.source)


def _by_diagnosis(options: Options, profile: ScreeningProfile) -> None:
    diagnosis = profile.diagnosis
    if diagnosis in PATTERN_LOSS:
        for code in (
            "pattern_loss_medical_first_line",
            "pattern_loss_mesotherapy",
            "pattern_loss_prp",
        ):
            options.apply(code)
    elif diagnosis == "telogen_effluvium":
        options.apply("telogen_effluvium")
    elif diagnosis in SPECIALIST_DIAGNOSES:
        options.apply("specialist_first", diagnosis=_diagnosis_label(profile))
    else:
        options.apply("no_diagnosis")


def months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - (end.day < start.day))


def _on_date(profile: ScreeningProfile) -> dt.date:
    return profile.on_date or timezone.localdate()


def _months_since_transplant(profile: ScreeningProfile) -> int | None:
    if profile.transplant_date is None:
        return None
    return months_between(profile.transplant_date, _on_date(profile))


def _transplant_history(options: Options, profile: ScreeningProfile) -> None:
    months = _months_since_transplant(profile)
    if months is None:
        return
    window = tables.decision_rules()["recent_transplant_prp"].params["months"]
    code = "recent_transplant_prp" if months < window else "transplant_maintenance"
    options.apply(code, months_ago=str(months))


def _goals(options: Options, profile: ScreeningProfile) -> None:
    for goal, code in (
        ("slow_loss", "goal_slow_loss"),
        ("maintain_transplant", "goal_maintain_transplant"),
        ("regrow", "goal_regrow"),
        ("avoid_pills", "goal_avoid_pills"),
        ("avoid_needles", "goal_avoid_needles"),
        ("lowest_cost", "goal_lowest_cost"),
    ):
        if goal in profile.goals:
            options.apply(code)


def _treatment_label(code: str) -> str:
    for table in (tables.medical_options(), tables.prior_treatments()):
        row = table.get(code)
        if row is not None:
            return in_sentence(row.label)
    return code


def _history(options: Options, profile: ScreeningProfile) -> None:
    prior = dict(profile.prior_treatments)
    medical = {code: response for code, response in prior.items() if code in MEDICAL_TREATMENTS}
    failed = [code for code, response in medical.items() if response in NOT_WORKING]
    if failed:
        options.apply("medical_not_working", medicines=joined(map(_treatment_label, failed)))
    side_effects = [
        code for code, response in medical.items() if response == "stopped_side_effects"
    ]
    if side_effects:
        options.apply("medical_side_effects", medicines=joined(map(_treatment_label, side_effects)))
    working = [code for code, response in medical.items() if response in WORKING]
    if working:
        options.apply("medical_working", medicines=joined(map(_treatment_label, working)))
    if prior.get("mesotherapy") == "worse":
        options.apply("prior_mesotherapy_failed")
    if prior.get("prp") == "worse":
        options.apply("prior_prp_failed")


def stage_band(profile: ScreeningProfile) -> tuple[str, str] | None:
    """("advanced" | "early" | "middle", "Norwood VI") for the profile's stage, if it has one."""
    stage = profile.stage
    scale = SCALES.get(stage.scale) if stage else None
    position = scale.position(stage.value) if scale and stage else None
    if scale is None or stage is None or position is None:
        return None
    name = f"{scale.name} {stage.value}"
    advanced = scale.position(scale.advanced_from) if scale.advanced_from else None
    early = scale.position(scale.early_up_to) if scale.early_up_to else None
    if advanced is not None and position >= advanced:
        return "advanced", name
    if early is not None and position <= early:
        return "early", name
    return "middle", name


def _stage(options: Options, profile: ScreeningProfile) -> None:
    band = stage_band(profile)
    if band is None or band[0] == "middle":
        return
    options.apply(f"{band[0]}_stage", stage=band[1])


def _medical_tried(profile: ScreeningProfile) -> bool:
    prior = set(profile.prior_treatments) & MEDICAL_TREATMENTS
    classes = {"five_alpha_reductase_inhibitor", "minoxidil", "antiandrogen"}
    current = {
        code
        for code in profile.medications
        if code in tables.medications() and tables.medications()[code].medication_class in classes
    }
    return bool(prior or current)


def _transplant_consultation(options: Options, profile: ScreeningProfile) -> None:
    draft = options.drafts["transplant_consultation"]
    rules = tables.decision_rules()
    not_indicated = profile.diagnosis in NOT_FOR_TRANSPLANT or "scarring_alopecia" in (
        profile.conditions
    )
    if not_indicated:
        draft.contraindicated = True
        label = _diagnosis_label(profile) if profile.diagnosis else "scarring alopecia"
        draft.note(rules["transplant_not_indicated"], diagnosis=label)
        return
    min_age = rules["transplant_too_young"].params["min_age"]
    if profile.age < min_age:
        draft.contraindicated = True
        draft.note(rules["transplant_too_young"])
        return
    if profile.diagnosis not in PATTERN_LOSS:
        return
    options.apply("transplant_candidate", age=str(profile.age))
    if profile.diagnosis == "fphl":
        options.apply("transplant_women_diffuse")
    if {"pregnant", "breastfeeding"} & pregnancy_answers(profile):
        options.apply("pregnancy_elective_wait")
    if not _medical_tried(profile):
        options.apply("transplant_try_medicines_first")
    months = _months_since_transplant(profile)
    if months is not None and months < rules["transplant_recent_wait"].params["months"]:
        options.apply("transplant_recent_wait", months_ago=str(months))


def _screening(options: Options, profile: ScreeningProfile, result: ScreeningResult) -> None:
    for modality in ("mesotherapy", "prp"):
        findings = injectable_findings(profile, result, modality)
        draft = options.drafts[modality]
        for flag in findings.contraindications:
            draft.contraindicated = True
            reason = in_sentence(flag.message)
            options.note(modality, "screening_contraindication", flag.source, reason=reason)
        for flag in findings.proposal_blocks:
            reason = in_sentence(flag.message)
            options.note(modality, "proposal_blocked", flag.source, reason=reason)
        for flag in findings.postpones:
            reason = in_sentence(flag.message)
            options.note(modality, "screening_postpone", flag.source, reason=reason)
        if findings.cautions:
            labels = joined(in_sentence(flag.label) for flag in findings.cautions)
            sources = " | ".join(dict.fromkeys(flag.source for flag in findings.cautions))
            options.note(modality, "screening_cautions", sources, reasons=labels)


def _medical(options: Options, profile: ScreeningProfile) -> None:
    draft = options.drafts["medical_therapy"]
    choice = medical_therapy_choice(profile)
    draft.medical_options = choice.allowed
    rules = tables.decision_rules()
    for option, reason in choice.excluded:
        draft.note(rules["medical_option_excluded"], option=option, reason=reason)
    for option in choice.off_label:
        draft.note(rules["medical_off_label"], option=option)
    if choice.already_taking:
        draft.note(rules["medical_already_taking"], medicines=joined(choice.already_taking))
    if not choice.allowed:
        draft.contraindicated = True
        draft.note(rules["medical_none_suitable"])


def _protocols(options: Options, profile: ScreeningProfile, result: ScreeningResult) -> None:
    proposed = result.proposed
    ingredients = (
        set(proposed.ingredients) if proposed and proposed.modality == "mesotherapy" else set()
    )
    for modality in ("mesotherapy", "prp"):
        draft = options.drafts[modality]
        if draft.contraindicated:
            continue
        protocol = next(
            (
                row
                for row in tables.protocols().values()
                if row.modality == modality
                and (not row.when_ingredients or ingredients & set(row.when_ingredients))
                and (not row.when_diagnoses or profile.diagnosis in row.when_diagnoses)
            ),
            None,
        )
        if protocol is None:
            continue
        draft.suggested_protocol = protocol.schedule
        options.note(
            modality,
            "suggested_protocol",
            protocol.source,
            protocol=in_sentence(protocol.label),
            schedule=protocol.schedule,
        )
