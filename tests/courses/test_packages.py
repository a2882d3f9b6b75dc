"""Course packages: sessions prepaid, used as sessions are attended, refunded or adjusted."""

from decimal import Decimal

import pytest

from mesotrack.audit.models import AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.courses.models import PackageEntry
from mesotrack.courses.services.appointments import appointment_mark_attended
from mesotrack.courses.services.packages import package_balance, package_correct, package_sell
from tests.courses.factories import booked_course, live_sessions, move_to_the_past

pytestmark = pytest.mark.usefixtures("clinic_time")


@pytest.fixture
def course(cast):
    return booked_course(cast.patient, cast.practitioner)


def balance(package):
    return package_balance(list(package.entries.all()))


def sell(cast, course, sessions=4, price="100.00"):
    return package_sell(
        actor=cast.receptionist, course=course, sessions=sessions, price_per_session=Decimal(price)
    )


def test_selling_a_package_records_the_purchase(cast, course) -> None:
    package = sell(cast, course)
    assert (package.sessions, package.total_price, package.currency) == (
        4,
        Decimal("400.00"),
        "GBP",
    )
    assert balance(package).remaining == 4 and balance(package).paid == Decimal("400.00")
    event = AuditEvent.objects.get(object_type="courses.CoursePackage")
    assert event.patient_id == cast.patient.pk and event.detail["sessions"] == 4


def test_attending_a_session_uses_one_prepaid_session(cast, course) -> None:
    package = sell(cast, course, sessions=2)
    sessions = live_sessions(course)
    for number, session in enumerate(sessions[:3]):
        appointment_mark_attended(
            actor=cast.nurse, appointment=move_to_the_past(session, 50 - number)
        )
    assert balance(package).used == 2 and balance(package).remaining == 0
    used = PackageEntry.objects.filter(kind="use")
    assert sorted(used.values_list("appointment_id", flat=True)) == sorted(
        s.pk for s in sessions[:2]
    )


def test_a_measurement_visit_uses_no_session(cast, course) -> None:
    package = sell(cast, course, sessions=2)
    baseline = course.appointments.get(measurement_code="baseline")
    appointment_mark_attended(actor=cast.nurse, appointment=move_to_the_past(baseline, 5))
    assert balance(package).remaining == 2


def test_it_never_sells_more_sessions_than_are_left_to_pay_for(cast, course) -> None:
    sell(cast, course, sessions=8)
    with pytest.raises(DomainError) as refused:
        sell(cast, course, sessions=3)
    assert refused.value.message == (
        "Choose from 1 to 2 sessions: that many are neither done nor paid for."
    )
    assert refused.value.field == "sessions"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"price": "-1"}, "price_per_session", "A price cannot be negative."),
        (
            {"sessions": 0},
            "sessions",
            "Choose from 1 to 10 sessions: that many are neither done nor paid for.",
        ),
    ],
)
def test_bad_sales_name_the_field_and_write_nothing(cast, course, kwargs, field, message) -> None:
    with pytest.raises(DomainError) as refused:
        sell(cast, course, **kwargs)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not PackageEntry.objects.exists()


def test_a_nurse_cannot_sell_a_package(cast, course) -> None:
    with pytest.raises(PermissionDenied):
        package_sell(actor=cast.nurse, course=course, sessions=1, price_per_session=Decimal(1))


def test_a_manager_refunds_unused_sessions(cast, course) -> None:
    package = sell(cast, course, sessions=4)
    package_correct(
        actor=cast.manager,
        package=package,
        kind="refund",
        sessions=3,
        amount=Decimal("300"),
        reason="Stopped treatment",
    )
    assert balance(package).remaining == 1 and balance(package).paid == Decimal("100.00")
    with pytest.raises(DomainError) as refused:
        package_correct(
            actor=cast.manager,
            package=package,
            kind="refund",
            sessions=2,
            amount=Decimal(0),
            reason="Again",
        )
    assert refused.value.message == "Only 1 session of this package are left."


def test_an_adjustment_goes_either_way_and_needs_a_reason(cast, course) -> None:
    package = sell(cast, course, sessions=2)
    with pytest.raises(DomainError, match="Say why."):
        package_correct(
            actor=cast.manager,
            package=package,
            kind="adjustment",
            sessions=1,
            amount=Decimal(0),
            reason="",
        )
    package_correct(
        actor=cast.manager,
        package=package,
        kind="adjustment",
        sessions=1,
        amount=Decimal(0),
        reason="Goodwill session",
    )
    assert balance(package).remaining == 3


def test_only_managers_correct_packages(cast, course) -> None:
    package = sell(cast, course)
    with pytest.raises(PermissionDenied):
        package_correct(
            actor=cast.receptionist,
            package=package,
            kind="refund",
            sessions=1,
            amount=Decimal(1),
            reason="x",
        )


def test_package_entries_are_append_only(cast, course) -> None:
    entry = sell(cast, course).entries.get()
    entry.sessions = 40
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
