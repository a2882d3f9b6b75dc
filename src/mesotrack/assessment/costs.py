"""Cost comparison of the decision aid's options from the clinic's own price list.

Prices are configuration, never rules (clinical_rules.md §7: no reliable price data). The session
counts are the published envelope and are stated on the page so the patient sees the arithmetic.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mesotrack.assessment.codes import PriceItem
from mesotrack.screening.options import TreatmentOption

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
NO_PRICE = "no price set"

# Course length when the suggested protocol does not say: up to 10 mesotherapy sessions
# (clinical_rules.md §1.2, Delrobai §1.1) and 3 PRP sessions a month apart (IADVL, §7).
DEFAULT_SESSIONS = {"mesotherapy": 10, "prp": 3}
# Maintenance in the rest of the first year: mesotherapy every 3 months (§1.2), PRP every 6 (§7).
MAINTENANCE_IN_FIRST_YEAR = {"mesotherapy": 2, "prp": 1}
# Medicines are judged after 6 months (minoxidil 3–6, 5-ARIs 6–12; §6 response timing).
MEDICINE_REVIEW_MONTHS = 6
# ISHRS census: 2,347 grafts on average at a first procedure (§7); an example, not a quote.
EXAMPLE_GRAFTS = 2347
DEFICIENCY_MONTHS = 3

MEDICINE_PRICES = {
    "topical_minoxidil": PriceItem.TOPICAL_MINOXIDIL_MONTH,
    "oral_minoxidil": PriceItem.ORAL_MINOXIDIL_MONTH,
    "finasteride": PriceItem.FINASTERIDE_MONTH,
    "dutasteride": PriceItem.DUTASTERIDE_MONTH,
}


@dataclass(frozen=True)
class Price:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class CostItem:
    label: str
    basis: str  # the arithmetic, in words
    course: Price | None
    year: Price | None

    @property
    def priced(self) -> bool:
        return self.course is not None


@dataclass(frozen=True)
class CostComparison:
    modality: str
    items: tuple[CostItem, ...]


def format_money(price: Price | None) -> str:
    if price is None:
        return NO_PRICE
    symbol = CURRENCY_SYMBOLS.get(price.currency)
    amount = f"{price.amount:,.2f}"
    return f"{symbol}{amount}" if symbol else f"{amount} {price.currency}"


def sessions_in_protocol(protocol: str | None, modality: str) -> int:
    """Sessions in a protocol written as "Weekly ×4, every 2 weeks ×2, then monthly ×4"."""
    counts = [int(n) for n in re.findall(r"[×x]\s*(\d+)", protocol or "")]
    return sum(counts) if counts else DEFAULT_SESSIONS.get(modality, 1)


def _times(price: Price | None, count: int) -> Price | None:
    return Price(price.amount * count, price.currency) if price else None


def _sessions(option: TreatmentOption, price: Price | None) -> CostItem:
    course = sessions_in_protocol(option.suggested_protocol, option.modality)
    year = course + MAINTENANCE_IN_FIRST_YEAR[option.modality]
    name = "Mesotherapy" if option.modality == "mesotherapy" else "PRP"
    return CostItem(
        f"{name} session",
        f"{course} sessions for the course; {year} in the first 12 months with maintenance",
        _times(price, course),
        _times(price, year),
    )


def _medicines(option: TreatmentOption, prices: Mapping[str, Price]) -> list[CostItem]:
    items = []
    for medicine in option.medical_options or tuple(MEDICINE_PRICES):
        item = MEDICINE_PRICES.get(medicine)
        if item is None:
            continue
        monthly = prices.get(item.value)
        items.append(
            CostItem(
                item.label.removesuffix(", one month"),
                f"{MEDICINE_REVIEW_MONTHS} months before the first review; 12 months",
                _times(monthly, MEDICINE_REVIEW_MONTHS),
                _times(monthly, 12),
            )
        )
    return items


def _transplant(prices: Mapping[str, Price]) -> list[CostItem]:
    consultation = prices.get(PriceItem.TRANSPLANT_CONSULTATION.value)
    per_graft = prices.get(PriceItem.TRANSPLANT_PER_GRAFT.value)
    return [
        CostItem("Transplant consultation", "one consultation", consultation, consultation),
        CostItem(
            "Transplant procedure (example)",
            f"{EXAMPLE_GRAFTS:,} grafts, the average first procedure (ISHRS census)",
            _times(per_graft, EXAMPLE_GRAFTS),
            _times(per_graft, EXAMPLE_GRAFTS),
        ),
    ]


def _deficiency(prices: Mapping[str, Price]) -> list[CostItem]:
    supplements = prices.get(PriceItem.SUPPLEMENTS_MONTH.value)
    tests = prices.get(PriceItem.BLOOD_TESTS.value)
    return [
        CostItem(
            "Supplements",
            f"{DEFICIENCY_MONTHS} months, then blood tests again",
            _times(supplements, DEFICIENCY_MONTHS),
            _times(supplements, DEFICIENCY_MONTHS),
        ),
        CostItem("Repeat blood tests", "once after the supplements", tests, tests),
    ]


def cost_comparison(
    options: Sequence[TreatmentOption], prices: Mapping[str, Price]
) -> list[CostComparison]:
    """One comparison per option, in the options' order; missing prices stay None."""
    comparisons = []
    for option in options:
        if option.modality in ("mesotherapy", "prp"):
            items = [_sessions(option, prices.get(f"{option.modality}_session"))]
        elif option.modality == "medical_therapy":
            items = _medicines(option, prices)
        elif option.modality == "transplant_consultation":
            items = _transplant(prices)
        elif option.modality == "referral":
            referral = prices.get(PriceItem.SPECIALIST_REFERRAL.value)
            items = [CostItem("Specialist referral", "one referral", referral, referral)]
        else:
            items = _deficiency(prices)
        comparisons.append(CostComparison(option.modality, tuple(items)))
    return comparisons


def comparisons_to_dicts(comparisons: Sequence[CostComparison]) -> list[dict[str, Any]]:
    return [
        {
            "modality": comparison.modality,
            "items": [
                {
                    "label": item.label,
                    "basis": item.basis,
                    "course": format_money(item.course),
                    "year": format_money(item.year),
                }
                for item in comparison.items
            ],
        }
        for comparison in comparisons
    ]
