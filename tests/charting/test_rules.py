"""Pure charting rules: numbing wait, reconciliation, aftercare, call windows, stage zones."""

import datetime as dt
from decimal import Decimal

from mesotrack.charting.rules import (
    aftercare_for,
    call_windows,
    numbing_wait,
    volume_mismatch,
    zone_rows,
    zones_for_stage,
)


def test_emla_needs_45_minutes_under_occlusion() -> None:
    wait = numbing_wait("emla")
    assert wait is not None
    assert (wait.minimum_minutes, wait.optimum_minutes) == (45, 60)
    assert "clinical_rules.md §1.4" in wait.source
    assert numbing_wait("") is None


def test_volumes_reconcile_within_five_hundredths() -> None:
    assert volume_mismatch(Decimal("2.00"), Decimal("2.05")) is None
    assert volume_mismatch(Decimal("2.00"), Decimal("2.06")) == (
        "The zones add up to 2.00 mL but 2.06 mL was drawn from lots and syringes; they must "
        "agree to within 0.05 mL before signing."
    )


def test_prp_aftercare_warns_about_anti_inflammatories() -> None:
    lines = aftercare_for("prp").lines
    assert any("ibuprofen" in line for line in lines)
    assert "Keep your hair dry for the first 24 hours." in aftercare_for("mesotherapy").lines


def test_calls_fall_due_at_24_to_72_hours_and_7_days() -> None:
    signed = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    windows = call_windows(signed)
    assert windows["early"] == (signed + dt.timedelta(hours=24), signed + dt.timedelta(hours=72))
    assert windows["week"][0] == signed + dt.timedelta(days=7)


def test_the_map_has_nine_zones_and_warns_on_the_donor_area() -> None:
    rows = zone_rows()
    assert len(rows) == 9
    donor = [row for row in rows if row["donor"]]
    assert [row["code"] for row in donor] == ["occipital"]
    assert "donor area" in str(donor[0]["warning"])


def test_stage_zones() -> None:
    assert zones_for_stage("norwood", "III vertex") == [
        "frontal_hairline",
        "left_temporal",
        "right_temporal",
        "vertex",
    ]
    assert zones_for_stage("ludwig", "II") == ["mid_scalp", "vertex"]
    assert zones_for_stage("salt", "S2") == []
