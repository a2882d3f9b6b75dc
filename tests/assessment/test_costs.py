from decimal import Decimal

from mesotrack.assessment.costs import (
    Price,
    cost_comparison,
    format_money,
    sessions_in_protocol,
)
from mesotrack.screening.options import TreatmentOption


def option(modality: str, protocol: str | None = None, medicines: tuple = ()) -> TreatmentOption:
    return TreatmentOption(modality, 1, ("why",), ("source",), protocol, medicines)


def test_sessions_are_counted_from_the_protocol():
    assert sessions_in_protocol("Weekly ×4, every 2 weeks ×2, then monthly ×4", "mesotherapy") == 10
    assert sessions_in_protocol(None, "mesotherapy") == 10
    assert sessions_in_protocol("Monthly ×3 (up to 5)", "prp") == 3


def test_money_is_shown_in_the_clinics_currency():
    assert format_money(Price(Decimal("1800"), "GBP")) == "£1,800.00"
    assert format_money(Price(Decimal("95.5"), "CHF")) == "95.50 CHF"
    assert format_money(None) == "no price set"


def test_course_and_year_costs_come_from_the_price_list():
    prices = {"mesotherapy_session": Price(Decimal("180"), "GBP")}
    [meso, prp] = cost_comparison(
        [option("mesotherapy", "Weekly ×4, every 2 weeks ×2"), option("prp")], prices
    )
    [item] = meso.items
    # 6 sessions, then maintenance every 3 months for the rest of the year (+2).
    assert (format_money(item.course), format_money(item.year)) == ("£1,080.00", "£1,440.00")
    assert prp.items[0].course is None


def test_medicines_are_priced_per_month():
    prices = {"finasteride_month": Price(Decimal("25"), "GBP")}
    [medical] = cost_comparison([option("medical_therapy", None, ("finasteride",))], prices)
    [item] = medical.items
    assert (item.label, format_money(item.course), format_money(item.year)) == (
        "Finasteride",
        "£150.00",
        "£300.00",
    )
