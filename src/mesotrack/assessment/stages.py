"""The stage pickers' content: every scale with its stages and reference drawings, and which
diagnoses each scale fits (from mesotrack.screening.scales)."""

from dataclasses import dataclass

from mesotrack.assessment.codes import Diagnosis
from mesotrack.screening.scales import SALT_REGIONS, SCALES, Scale, StageDefinition

SALT = "salt"
SALT_DRAWING = "assessment/stages/salt-regions.svg"
SALT_REGION_LABELS = {
    "vertex": "Top (vertex)",
    "posterior": "Back (posterior)",
    "right": "Right side",
    "left": "Left side",
}


@dataclass(frozen=True)
class StageChoice:
    key: str  # the form value: "norwood:IIIa"
    scale: Scale
    stage: StageDefinition

    @property
    def slug(self) -> str:
        return f"{self.scale.code}-{self.stage.value.replace(' ', '-')}"


@dataclass(frozen=True)
class ScalePicker:
    scale: Scale
    choices: tuple[StageChoice, ...]

    @property
    def diagnoses(self) -> str:
        return " ".join(sorted(self.scale.diagnoses))

    @property
    def is_salt(self) -> bool:
        return self.scale.code == SALT


def stage_key(scale: str, value: str) -> str:
    if not scale:
        return ""
    return SALT if scale == SALT else f"{scale}:{value}"


def split_stage_key(key: str) -> tuple[str, str]:
    if not key:
        return "", ""
    if key == SALT:
        return SALT, ""
    scale, _, value = key.partition(":")
    return scale, value


def pickers() -> list[ScalePicker]:
    return [
        ScalePicker(
            scale,
            tuple(StageChoice(stage_key(scale.code, s.value), scale, s) for s in scale.stages),
        )
        for scale in SCALES.values()
    ]


def stage_choices() -> list[tuple[str, str]]:
    choices = [("", "Not staged")]
    for picker in pickers():
        if picker.is_salt:
            choices.append((SALT, "SALT score"))
            continue
        choices.extend((c.key, f"{picker.scale.name} {c.stage.value}") for c in picker.choices)
    return choices


def stage_drawing(scale: str, value: str) -> str | None:
    """The static path of the reference drawing of one stage, if it has one."""
    if scale == SALT:
        return SALT_DRAWING
    definition = SCALES.get(scale)
    if definition is None:
        return None
    return next((s.drawing for s in definition.stages if s.value == value), None)


def scales_by_diagnosis() -> dict[str, list[str]]:
    return {
        diagnosis: [code for code, scale in SCALES.items() if diagnosis in scale.diagnoses]
        for diagnosis in Diagnosis.values
    }


def salt_regions() -> list[tuple[str, str, int]]:
    """(region code, label, weight in percent) in the order the SALT form asks them."""
    return [
        (region, SALT_REGION_LABELS.get(region, region), round(weight * 100))
        for region, weight in SALT_REGIONS.items()
    ]
