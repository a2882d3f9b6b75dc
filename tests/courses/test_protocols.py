"""The protocol table: published regimens as data, each with its source, all obeying the
minimum interval; and the same schema for a clinic's own protocols."""

import datetime as dt

import pytest
from pydantic import ValidationError

from mesotrack.courses.planner import plan_course
from mesotrack.courses.protocols import (
    ProtocolDefinition,
    min_interval_days,
    scheduling_rules,
    shipped_protocols,
)
from mesotrack.courses.scheduling import PractitionerDiary, ScheduleRequest
from mesotrack.rules import load_table
from tests.courses.calendars import clinic, week

MONDAY = dt.date(2026, 3, 2)
EVERY_DAY = clinic(opening=week(range(7), saturday=False))


def session_days(code: str) -> list[int]:
    pattern = shipped_protocols()[code].pattern()
    visits = plan_course(
        ScheduleRequest(pattern=pattern, anchor=MONDAY, earliest=MONDAY),
        EVERY_DAY,
        PractitionerDiary(),
    )
    return [(v.day - MONDAY).days for v in visits if v.kind == "session"]


@pytest.mark.parametrize(
    ("code", "days"),
    [
        # Moftah: weekly ×8, every 2 weeks ×2, one after 4 weeks — 12 sessions over 16 weeks.
        ("dutasteride_moftah", [0, 7, 14, 21, 28, 35, 42, 49, 56, 70, 84, 112]),
        # Abdallah: weeks 0, 1, 2, 3, 5, 7, 11.
        ("dutasteride_abdallah", [0, 7, 14, 21, 35, 49, 77]),
        # Delrobai: weekly in month 1, every 2 weeks in month 2, then monthly for 4 months.
        ("mesotherapy_delrobai", [0, 7, 14, 21, 35, 49, 79, 109, 139, 169]),
        # Uzel: weekly × 10.
        ("minoxidil_uzel", [0, 7, 14, 21, 28, 35, 42, 49, 56, 63]),
        # Dutasteride every 3 months for a year.
        ("dutasteride_quarterly", [0, 90, 180, 270]),
        # PRP (IADVL): 3 a month apart, then every 6 months.
        ("prp_iadvl", [0, 30, 60, 242, 424]),
    ],
)
def test_published_regimens_give_their_published_days(code, days) -> None:
    assert session_days(code) == days


def test_every_protocol_cites_its_sources_and_measures_at_baseline_3_and_6_months() -> None:
    for protocol in shipped_protocols().values():
        assert protocol.source.startswith("clinical_rules.md §")
        assert "https://" in protocol.source or "http://" in protocol.source
        assert protocol.technique.source
        codes = {m.code for m in protocol.measurements}
        assert {"baseline", "month_6"} <= codes, protocol.code
        assert all(m.source for m in protocol.measurements)
        assert {p.phase for p in protocol.steps} <= {"induction", "consolidation", "maintenance"}


def test_no_window_opens_closer_than_the_minimum_interval() -> None:
    for protocol in shipped_protocols().values():
        minimum = min_interval_days(protocol.modality)
        for step in protocol.steps:
            assert step.interval_days - step.window_before_days >= minimum, protocol.code


def test_the_minimum_intervals_are_a_rule_with_its_source() -> None:
    rules = scheduling_rules()
    assert (rules["mesotherapy"].min_interval_days, rules["prp"].min_interval_days) == (7, 28)
    assert "§8" in rules["mesotherapy"].source
    assert len(load_table("scheduling_rules")) == 2


def test_the_fortnightly_steps_allow_three_days_either_side() -> None:
    step = shipped_protocols()["dutasteride_moftah"].steps[1]
    assert (step.interval_days, step.window_before_days, step.window_after_days) == (14, 3, 3)


def test_technique_defaults_follow_the_technique_vocabulary() -> None:
    prp = shipped_protocols()["prp_iadvl"].technique
    assert (prp.method, prp.needle_gauge, prp.angle_degrees, prp.spacing_mm) == (
        "point_by_point",
        30,
        90,
        10,
    )
    assert (prp.session_volume_ml.min, prp.session_volume_ml.max) == (5, 7)
    assert shipped_protocols()["dutasteride_abdallah"].technique.method == "nappage"


def test_the_decision_aids_suggested_protocols_are_untouched() -> None:
    table = load_table("treatment_protocols")
    assert {"dutasteride_induction_moftah", "prp_monthly_iadvl"} <= table.codes


def definition(**changes) -> dict:
    base = shipped_protocols()["minoxidil_uzel"].model_dump(mode="json")
    base.update(code="clinic_weekly", label="Clinic weekly")
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {
                "steps": [
                    {
                        "phase": "induction",
                        "sessions": 4,
                        "interval_days": 8,
                        "window_before_days": 2,
                        "window_after_days": 2,
                    }
                ]
            },
            "Step 1: sessions 8 days apart, up to 2 days earlier, could come closer than the "
            "7-day minimum between mesotherapy sessions.",
        ),
        ({"session_minutes": 20}, "visit lengths must be multiples of 15 minutes"),
        (
            {
                "measurements": [
                    {
                        "code": "x",
                        "label": "X",
                        "day_offset": 10,
                        "window_before_days": 1,
                        "window_after_days": 1,
                    }
                ]
                * 2
            },
            "each measurement visit needs its own code",
        ),
        ({"steps": []}, "Tuple should have at least 1 item after validation, not 0"),
    ],
)
def test_a_clinic_protocol_obeys_the_same_rules(changes, message) -> None:
    with pytest.raises(ValidationError) as refused:
        ProtocolDefinition.model_validate(definition(**changes))
    assert message in str(refused.value)


def test_a_prp_protocol_may_not_come_monthly_closer_than_28_days() -> None:
    with pytest.raises(ValidationError, match="28-day minimum between PRP sessions"):
        ProtocolDefinition.model_validate(
            definition(
                modality="prp",
                steps=[
                    {
                        "phase": "induction",
                        "sessions": 3,
                        "interval_days": 30,
                        "window_before_days": 5,
                        "window_after_days": 5,
                    }
                ],
            )
        )
