"""Concurrent bookings of one slot: the database lets exactly one through.

Each thread has its own database connection and transaction, as two receptionists' requests
would. On PostgreSQL the losers wait on the unique slot rows and then fail with the clear
DomainError a user sees. SQLite's in-memory test database does not wait at all: it refuses the
other writers outright ("database table is locked") and, on a loaded machine, can refuse all
twenty, so there the test proves the part that matters to a clinic: never two bookings. (A file
database, as the demo uses, waits for the lock and then fails as PostgreSQL does.)
"""

import threading
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection

from mesotrack.accounts.models import Role
from mesotrack.core.errors import DomainError
from mesotrack.courses.models import Appointment, ChairSlot, PractitionerSlot, TreatmentCourse
from mesotrack.courses.services.courses import course_create, course_plan_preview
from tests.courses.factories import choice, clinic_week
from tests.factories import ClinicFactory, PatientFactory, staff_user, totp_device

THREADS = 20


def race(work: Callable[[int], object]) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(THREADS)
    done: list[object] = []
    failed: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait()
            result = work(index)
            with lock:
                done.append(result)
        except BaseException as error:  # noqa: BLE001 — collected and asserted below
            with lock:
                failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return done, failed


def lost_cleanly(error: BaseException) -> bool:
    if isinstance(error, DomainError):
        return error.code in {"slot_taken", "plan_changed"}
    return (
        connection.vendor == "sqlite"
        and isinstance(error, OperationalError)
        and "locked" in str(error)
    )


def assert_one_winner(done: list[object], failed: list[BaseException]) -> None:
    assert len(done) + len(failed) == THREADS
    assert [error for error in failed if not lost_cleanly(error)] == []
    if connection.vendor == "sqlite" and not done:
        assert TreatmentCourse.objects.count() == 0  # all refused: nothing half-booked
        return
    assert len(done) == 1, failed
    if connection.vendor == "postgresql":
        assert all(isinstance(error, DomainError) for error in failed)
    assert TreatmentCourse.objects.count() == 1
    course = TreatmentCourse.objects.get()
    assert set(Appointment.objects.values_list("course_id", flat=True)) == {course.pk}
    assert set(PractitionerSlot.objects.values_list("appointment__course", flat=True)) == {
        course.pk
    }


@pytest.mark.usefixtures("transactional_db")
def test_twenty_concurrent_bookings_of_one_practitioners_slot_let_exactly_one_through() -> None:
    clinic = ClinicFactory(name="Leeds", code="LDS")
    clinic_week(clinic, chairs=THREADS)
    doctor = staff_user(clinic, Role.PRACTITIONER, "doctor")
    totp_device(doctor)
    patients = [PatientFactory(clinic=clinic) for _ in range(THREADS)]
    wanted = choice(clinic, doctor)
    plan = course_plan_preview(actor=doctor, patient=patients[0], choice=wanted)

    done, failed = race(
        lambda i: course_create(
            actor=doctor, patient=patients[i], choice=wanted, fingerprint=plan.fingerprint
        )
    )
    assert_one_winner(done, failed)


@pytest.mark.usefixtures("transactional_db")
def test_twenty_practitioners_racing_for_the_last_chair_let_exactly_one_through() -> None:
    clinic = ClinicFactory(name="Leeds", code="LDS")
    clinic_week(clinic, chairs=1)
    doctors = [staff_user(clinic, Role.PRACTITIONER, f"doctor{i}") for i in range(THREADS)]
    patients = [PatientFactory(clinic=clinic) for _ in range(THREADS)]
    choices = [choice(clinic, doctor) for doctor in doctors]
    plan = course_plan_preview(actor=doctors[0], patient=patients[0], choice=choices[0])

    done, failed = race(
        lambda i: course_create(
            actor=doctors[i], patient=patients[i], choice=choices[i], fingerprint=plan.fingerprint
        )
    )
    assert_one_winner(done, failed)
    assert ChairSlot.objects.count() == PractitionerSlot.objects.count()
