"""Pure charting rules over plain data: the numbing wait, volume reconciliation, aftercare text,
follow-up call windows. No database."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from mesotrack.rules.loader import load_table

# Volumes injected and drawn may differ by a drop left in the hub, no more.
RECONCILE_TOLERANCE_ML = Decimal("0.05")
# EMLA holds lidocaine 2.5%: 25 mg per gram of cream (clinical_rules.md §1.4).
EMLA_LIDOCAINE_MG_PER_G = Decimal("25")
# Follow-up calls: an early call 24–72 h after the session and one at 7 days (clinic convention,
# clinical_rules.md §3: most reactions appear within days).
EARLY_CALL = (dt.timedelta(hours=24), dt.timedelta(hours=72))
WEEK_CALL = (dt.timedelta(days=7), dt.timedelta(days=8))


@dataclass(frozen=True)
class NumbingWait:
    agent: str
    label: str
    minimum_minutes: int
    optimum_minutes: int
    note: str
    source: str

    def earliest_start(self, applied_at: dt.datetime) -> dt.datetime:
        return applied_at + dt.timedelta(minutes=self.minimum_minutes)


def numbing_wait(agent: str) -> NumbingWait | None:
    """The minimum wait rule for a numbing agent, from the `numbing_wait` rule table."""
    table = load_table("numbing_wait")
    if not agent or agent not in table:
        return None
    row = table.get(agent)
    extra = row.model_extra or {}
    return NumbingWait(
        agent=agent,
        label=row.label,
        minimum_minutes=int(extra.get("minimum_minutes", 0)),
        optimum_minutes=int(extra.get("optimum_minutes", 0)),
        note=str(extra.get("note", "")),
        source=row.source,
    )


def volume_mismatch(injected: Decimal, drawn: Decimal) -> str | None:
    """The refusal message when the zones' total and the volume drawn differ too much."""
    if abs(injected - drawn) <= RECONCILE_TOLERANCE_ML:
        return None
    return (
        f"The zones add up to {injected:.2f} mL but {drawn:.2f} mL was drawn from lots and "
        f"syringes; they must agree to within {RECONCILE_TOLERANCE_ML} mL before signing."
    )


@dataclass(frozen=True)
class Aftercare:
    title: str
    lines: tuple[str, ...]
    source: str

    def as_text(self) -> str:
        return "\n".join([self.title, "", *(f"- {line}" for line in self.lines)])


def aftercare_for(modality: str) -> Aftercare:
    """The plain-language aftercare for a modality (rule table `aftercare`)."""
    row = load_table("aftercare").get(modality)
    lines = (row.model_extra or {}).get("lines", [])
    return Aftercare(title=row.label, lines=tuple(str(line) for line in lines), source=row.source)


def call_windows(signed_at: dt.datetime) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """When each follow-up call is due, from the signing time."""
    return {
        "early": (signed_at + EARLY_CALL[0], signed_at + EARLY_CALL[1]),
        "week": (signed_at + WEEK_CALL[0], signed_at + WEEK_CALL[1]),
    }


def zone_rows() -> list[dict[str, object]]:
    """The map's zones with labels and the donor-area warning (rule table `scalp_zones`)."""
    rows = []
    for row in load_table("scalp_zones"):
        extra = row.model_extra or {}
        rows.append(
            {
                "code": row.code,
                "label": row.label,
                "donor": bool(extra.get("donor")),
                "warning": str(extra.get("warning", "")),
            }
        )
    return rows


# Where each stage's thinning lies (clinical_rules.md §4.1 Hamilton–Norwood: fronto-temporal
# recession, then vertex, joining by VI; §4.2 Ludwig: crown behind a preserved hairline; §4.3–4.5
# Sinclair/Savin/Olsen: the central part and top, with frontal accentuation in Olsen).
_NORWOOD_FRONT = ["frontal_hairline", "left_temporal", "right_temporal"]
_STAGE_ZONES: dict[str, dict[str, list[str]]] = {
    "norwood": {
        "I": _NORWOOD_FRONT,
        "II": _NORWOOD_FRONT,
        "IIa": ["frontal_hairline", "frontal"],
        "III": [*_NORWOOD_FRONT, "frontal"],
        "III vertex": [*_NORWOOD_FRONT, "vertex"],
        "IIIa": ["frontal_hairline", "frontal", "mid_scalp"],
        "IV": [*_NORWOOD_FRONT, "frontal", "vertex"],
        "IVa": ["frontal_hairline", "frontal", "mid_scalp"],
        "V": [*_NORWOOD_FRONT, "frontal", "mid_scalp", "vertex"],
        "Va": ["frontal_hairline", "frontal", "mid_scalp"],
        "VI": [*_NORWOOD_FRONT, "frontal", "mid_scalp", "vertex"],
        "VII": [*_NORWOOD_FRONT, "frontal", "mid_scalp", "vertex"],
    },
}
_FEMALE_SCALES = {
    "ludwig": ["mid_scalp", "vertex"],
    "sinclair": ["mid_scalp", "frontal", "vertex"],
    "savin": ["mid_scalp", "frontal", "vertex"],
    "olsen": ["frontal", "mid_scalp"],
}


def zones_for_stage(scale: str, value: str) -> list[str]:
    """The zones to pre-select for a staged pattern (none for scales without a pattern)."""
    scale = (scale or "").lower()
    if scale in _FEMALE_SCALES:
        return list(_FEMALE_SCALES[scale])
    return list(_STAGE_ZONES.get(scale, {}).get(value, []))
