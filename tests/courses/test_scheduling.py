"""Worked cases of the pure scheduling engine (no database)."""

import datetime as dt

import pytest

from mesotrack.courses.planner import plan_course
from mesotrack.courses.protocols import shipped_protocols
from mesotrack.courses.scheduling import (
    CoursePattern,
    Period,
    ScheduleError,
    ScheduleRequest,
    Step,
    Visit,
    session_window,
    slot_starts,
)
from tests.courses.calendars import LONDON, busy_with, clinic, diary, local

MONDAY = dt.date(2026, 3, 2)
EASTER_MONDAY = dt.date(2026, 4, 6)


def pattern(code: str) -> CoursePattern:
    return shipped_protocols()[code].pattern()


def sessions(visits: tuple[Visit, ...]) -> list[Visit]:
    return [visit for visit in visits if visit.kind == "session"]


def request(code: str, **changes: object) -> ScheduleRequest:
    values: dict[str, object] = {
        "pattern": pattern(code),
        "anchor": MONDAY,
        "earliest": MONDAY,
        "preferred_time": dt.time(10),
    }
    values.update(changes)
    return ScheduleRequest(**values)  # type: ignore[arg-type]


def test_moftah_is_twelve_sessions_over_sixteen_weeks() -> None:
    visits = plan_course(request("dutasteride_moftah"), clinic(), diary())
    days = [(visit.day - MONDAY).days for visit in sessions(visits)]
    assert days == [0, 7, 14, 21, 28, 35, 42, 49, 56, 70, 84, 112]
    phases = [visit.phase for visit in sessions(visits)]
    assert phases == ["induction"] * 9 + ["consolidation"] * 2 + ["maintenance"]
    assert [visit.label for visit in sessions(visits)][:2] == ["Session 1 of 12", "Session 2 of 12"]


def test_every_session_keeps_the_preferred_local_time_across_the_clock_change() -> None:
    visits = plan_course(request("dutasteride_moftah"), clinic(), diary())
    times = {visit.starts_at.astimezone(LONDON).time() for visit in sessions(visits)[1:]}
    assert times == {dt.time(10)}


def test_the_baseline_comes_immediately_before_the_first_session_at_the_preferred_time() -> None:
    visits = plan_course(request("dutasteride_moftah"), clinic(), diary())
    baseline, first = visits[0], visits[1]
    assert (baseline.code, first.number) == ("baseline", 1)
    assert baseline.ends_at == first.starts_at == local(MONDAY, 10)


def test_measurement_visits_count_from_the_first_day() -> None:
    visits = plan_course(request("dutasteride_moftah"), clinic(), diary())
    by_code = {visit.code: visit for visit in visits if visit.kind == "measurement"}
    assert set(by_code) == {"baseline", "month_3", "week_18", "month_6"}
    assert by_code["month_3"].window.target == MONDAY + dt.timedelta(days=91)
    assert by_code["week_18"].day == MONDAY + dt.timedelta(days=126)


def test_a_closure_moves_a_session_to_the_next_open_day_and_the_rest_follows() -> None:
    visits = plan_course(request("dutasteride_moftah"), clinic(closures=(EASTER_MONDAY,)), diary())
    days = [visit.day for visit in sessions(visits)]
    assert EASTER_MONDAY not in days
    assert days[5] == EASTER_MONDAY + dt.timedelta(days=1)
    assert days[6] == days[5] + dt.timedelta(days=7)


def test_a_weekend_target_moves_inside_its_window() -> None:
    visits = plan_course(request("mesotherapy_delrobai"), clinic(), diary())
    for visit in sessions(visits):
        assert visit.day.weekday() < 6
        assert visit.day in visit.window


def test_a_window_never_opens_closer_than_the_minimum_interval() -> None:
    tight = CoursePattern(
        steps=(Step("induction", 3, 10, 5, 2),),
        measurements=(),
        min_interval_days=7,
        session_minutes=30,
    )
    window = session_window(tight, 2, MONDAY, MONDAY)
    assert window.earliest == MONDAY + dt.timedelta(days=7)
    assert window.target == MONDAY + dt.timedelta(days=10)


def test_it_respects_the_practitioners_working_days() -> None:
    tuesdays_and_thursdays = {
        1: (Period(dt.time(9), dt.time(17)),),
        3: (Period(dt.time(13), dt.time(17)),),
    }
    visits = plan_course(
        request("minoxidil_uzel"), clinic(), diary(availability=tuesdays_and_thursdays)
    )
    for visit in visits:
        local_start = visit.starts_at.astimezone(LONDON)
        assert local_start.weekday() in (1, 3)
        if local_start.weekday() == 3:
            assert local_start.time() >= dt.time(13)


def test_it_skips_the_practitioners_days_off() -> None:
    visits = plan_course(request("minoxidil_uzel"), clinic(), diary(days_off=frozenset({MONDAY})))
    assert sessions(visits)[0].day == MONDAY + dt.timedelta(days=1)


def test_it_never_takes_a_slot_the_practitioner_already_has() -> None:
    taken = frozenset(slot_starts(local(MONDAY, 10).astimezone(dt.UTC), 60))
    visits = plan_course(request("minoxidil_uzel"), clinic(), diary(busy=taken))
    first_day = [visit for visit in visits if visit.day == MONDAY]
    for visit in first_day:
        assert not set(slot_starts(visit.starts_at, 30)) & taken


def test_it_uses_another_chair_or_time_when_chairs_are_taken() -> None:
    ten = local(MONDAY, 10).astimezone(dt.UTC)
    full = {slot: frozenset({1}) for slot in slot_starts(ten, 60)}
    visits = plan_course(request("minoxidil_uzel"), clinic(chairs=(1,), chair_busy=full), diary())
    first_day = [visit for visit in visits if visit.day == MONDAY]
    assert first_day and all(
        visit.starts_at >= ten + dt.timedelta(hours=1) or visit.ends_at <= ten
        for visit in first_day
    )


def test_a_fully_booked_window_names_the_session_and_its_dates() -> None:
    everything = frozenset(
        slot
        for offset in range(0, 40)
        for slot in slot_starts(
            local(MONDAY + dt.timedelta(days=offset), 0).astimezone(dt.UTC), 24 * 60
        )
    )
    with pytest.raises(ScheduleError) as refused:
        plan_course(request("minoxidil_uzel"), clinic(), diary(busy=everything))
    assert refused.value.message == (
        "No free time for the baseline measurements and session 1 between 2 Mar 2026 and "
        "9 Mar 2026: the clinic is closed, the practitioner is away or fully booked, or every "
        "chair is taken."
    )


def test_it_refuses_a_clinic_without_chairs_or_hours() -> None:
    with pytest.raises(ScheduleError, match="no treatment chairs"):
        plan_course(request("minoxidil_uzel"), clinic(chairs=()), diary())
    with pytest.raises(ScheduleError, match="no opening hours"):
        plan_course(request("minoxidil_uzel"), clinic(opening={}), diary())


def test_nothing_is_placed_before_now() -> None:
    now = local(MONDAY, 14, 5).astimezone(dt.UTC)
    visits = plan_course(request("minoxidil_uzel", not_before=now), clinic(), diary())
    assert visits[0].starts_at >= now and visits[0].starts_at == local(MONDAY, 14, 15)


def test_a_missed_session_is_replanned_from_the_next_day_and_the_rest_follows() -> None:
    kept = (MONDAY, MONDAY + dt.timedelta(days=7))
    missed_on = MONDAY + dt.timedelta(days=14)
    visits = plan_course(
        request(
            "minoxidil_uzel",
            earliest=missed_on + dt.timedelta(days=1),
            kept_session_days=kept,
            kept_measurements=frozenset({"baseline", "month_3", "after_last_6_weeks", "month_6"}),
        ),
        clinic(),
        diary(),
    )
    assert [visit.number for visit in visits] == list(range(3, 11))
    assert visits[0].day == missed_on + dt.timedelta(days=1)
    assert visits[1].day == visits[0].day + dt.timedelta(days=7)


def test_a_session_whose_window_has_passed_comes_as_soon_as_possible() -> None:
    window = session_window(pattern("minoxidil_uzel"), 3, MONDAY, MONDAY + dt.timedelta(days=20))
    assert window.late and window.earliest == MONDAY + dt.timedelta(days=20)


def test_a_pinned_session_must_fall_inside_its_window() -> None:
    kept = (MONDAY,)
    outside = local(MONDAY + dt.timedelta(days=12), 10)
    with pytest.raises(ScheduleError) as refused:
        plan_course(
            request(
                "minoxidil_uzel",
                kept_session_days=kept,
                kept_measurements=frozenset({"baseline"}),
                pinned=outside,
            ),
            clinic(),
            diary(),
        )
    assert refused.value.message == "Session 2 of 10 must fall between 9 Mar 2026 and 12 Mar 2026."


def test_a_pinned_session_is_refused_when_its_slot_is_taken() -> None:
    pinned = local(MONDAY + dt.timedelta(days=8), 11)
    taken = frozenset(slot_starts(pinned.astimezone(dt.UTC), 15))
    with pytest.raises(ScheduleError, match="already booked at that time"):
        plan_course(
            request(
                "minoxidil_uzel",
                kept_session_days=(MONDAY,),
                kept_measurements=frozenset({"baseline"}),
                pinned=pinned,
            ),
            clinic(),
            diary(busy=taken),
        )


def test_a_pinned_session_moves_the_rest_of_the_course() -> None:
    pinned = local(MONDAY + dt.timedelta(days=9), 15)
    visits = plan_course(
        request(
            "minoxidil_uzel",
            kept_session_days=(MONDAY,),
            kept_measurements=frozenset({"baseline", "month_3", "after_last_6_weeks", "month_6"}),
            pinned=pinned,
        ),
        clinic(),
        diary(),
    )
    assert visits[0].starts_at == pinned
    assert visits[1].day == pinned.date() + dt.timedelta(days=7)


def test_a_pinned_time_outside_opening_hours_is_refused() -> None:
    with pytest.raises(ScheduleError, match="closed or the practitioner is not working"):
        plan_course(
            request(
                "minoxidil_uzel",
                kept_session_days=(MONDAY,),
                kept_measurements=frozenset({"baseline"}),
                pinned=local(MONDAY + dt.timedelta(days=8), 19),
            ),
            clinic(),
            diary(),
        )


def test_measurement_visits_are_not_placed_on_top_of_kept_sessions() -> None:
    first = plan_course(request("prp_iadvl"), clinic(chairs=(1,)), diary())
    kept = [visit for visit in first if visit.kind == "session"]
    busy, chairs = busy_with(kept)
    again = plan_course(
        request(
            "prp_iadvl",
            kept_session_days=tuple(visit.day for visit in kept),
            kept_measurements=frozenset({"baseline"}),
        ),
        clinic(chairs=(1,), chair_busy=chairs),
        diary(busy=busy),
    )
    assert {visit.code for visit in again} == {"month_3", "month_6"}
    for visit in again:
        assert not set(slot_starts(visit.starts_at, 30)) & busy
