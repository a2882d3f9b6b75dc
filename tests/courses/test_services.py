"""Planning and booking courses: rows, messages and audit events."""

import datetime as dt
from decimal import Decimal

import pytest

from mesotrack.accounts.models import Role
from mesotrack.assessment.models import ClinicPrice
from mesotrack.audit.models import Action, AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.courses.models import (
    Appointment,
    ChairSlot,
    CourseStatus,
    PractitionerSlot,
    TreatmentCourse,
)
from mesotrack.courses.scheduling import slot_starts
from mesotrack.courses.services.booking import visits_book
from mesotrack.courses.services.courses import (
    PLAN_CHANGED,
    course_cancel,
    course_create,
    course_plan_preview,
)
from tests.courses.factories import booked_course, choice, live_sessions, monday_after, recipe
from tests.factories import PatientFactory, staff_user

pytestmark = pytest.mark.usefixtures("clinic_time")


def test_it_books_every_session_and_measurement_visit_of_the_protocol(cast) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    appointments = list(course.appointments.order_by("starts_at"))
    assert course.status == CourseStatus.PLANNED and course.session_count == 10
    assert [a.number for a in appointments if a.kind == "session"] == list(range(1, 11))
    assert sorted(a.measurement_code for a in appointments if a.kind == "measurement") == [
        "after_last_6_weeks",
        "baseline",
        "month_3",
        "month_6",
    ]
    assert {a.status for a in appointments} == {"booked"}
    assert appointments[0].measurement_code == "baseline"
    slots = sum(len(slot_starts(a.starts_at, a.minutes)) for a in appointments)
    assert PractitionerSlot.objects.count() == ChairSlot.objects.count() == slots
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="courses.TreatmentCourse")
    assert event.patient_id == cast.patient.pk
    assert event.detail["protocol"] == "minoxidil_uzel"
    assert len(event.detail["appointments"]) == 14


def test_the_course_keeps_the_recipe_version_and_protocol_it_was_planned_with(cast) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    assert course.recipe_version.version == 1
    assert course.protocol["code"] == "minoxidil_uzel"
    assert course.protocol["steps"][0]["sessions"] == 10
    assert course.zone_labels() == ["Vertex (crown)", "Mid-scalp"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"zones": []}, "target_zones", "Choose at least one zone to treat."),
        ({"zones": ["vertex", "ear"]}, "target_zones", "Choose zones from the list, each once."),
        ({"protocol": "nonsense"}, "protocol", "Choose one of the clinic's protocols."),
        (
            {"start": dt.date(2020, 1, 6)},
            "start_date",
            "The start date is in the past.",
        ),
    ],
)
def test_it_refuses_bad_choices_naming_the_field_and_writes_nothing(
    cast, changes, field, message
) -> None:
    with pytest.raises(DomainError) as refused:
        course_create(
            actor=cast.practitioner,
            patient=cast.patient,
            choice=choice(cast.clinic, cast.practitioner, **changes),
        )
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not TreatmentCourse.objects.exists() and not Appointment.objects.exists()


def test_it_refuses_a_recipe_for_another_modality(cast) -> None:
    prp = recipe(cast.clinic, "prp")
    wanted = choice(cast.clinic, cast.practitioner)
    wanted = type(wanted)(**{**wanted.__dict__, "recipe": prp})
    with pytest.raises(DomainError) as refused:
        course_create(actor=cast.practitioner, patient=cast.patient, choice=wanted)
    assert refused.value.message == "This recipe is for PRP, but the protocol is for mesotherapy."


def test_it_refuses_a_practitioner_of_another_clinic(cast) -> None:
    with pytest.raises(DomainError) as refused:
        booked_course(cast.patient, cast.practitioner, practitioner=cast.other_practitioner)
    assert refused.value.message == "Choose a practitioner or nurse who treats at this clinic."


@pytest.mark.parametrize("actor", ["nurse", "receptionist", "other_practitioner"])
def test_only_practitioners_and_managers_of_the_clinic_plan_courses(cast, actor) -> None:
    with pytest.raises(PermissionDenied):
        booked_course(cast.patient, getattr(cast, actor), practitioner=cast.practitioner)


def test_a_nurse_can_be_the_treating_practitioner(cast) -> None:
    course = booked_course(cast.patient, cast.manager, practitioner=cast.nurse)
    assert course.practitioner == cast.nurse


def test_it_refuses_a_second_course_of_the_same_modality_in_progress(cast) -> None:
    booked_course(cast.patient, cast.practitioner)
    with pytest.raises(DomainError) as refused:
        booked_course(cast.patient, cast.practitioner, protocol="dutasteride_moftah")
    assert refused.value.message.endswith(
        "already has a mesotherapy course in progress (Minoxidil 0.5% weekly (Uzel)): "
        "complete or cancel it first."
    )


def test_a_prp_course_can_run_alongside_a_mesotherapy_course(cast) -> None:
    booked_course(cast.patient, cast.practitioner)
    booked_course(cast.patient, cast.practitioner, protocol="prp_iadvl", modality="prp")
    assert TreatmentCourse.objects.count() == 2


def test_two_courses_never_share_a_practitioners_time(cast) -> None:
    first = booked_course(cast.patient, cast.practitioner)
    second = booked_course(PatientFactory(clinic=cast.clinic), cast.practitioner)
    taken = {slot for a in first.appointments.all() for slot in slot_starts(a.starts_at, a.minutes)}
    for appointment in second.appointments.all():
        assert not taken & set(slot_starts(appointment.starts_at, appointment.minutes))


def test_two_practitioners_share_one_chair_without_overlapping(cast) -> None:
    from mesotrack.courses.models import Chair

    Chair.objects.filter(clinic=cast.clinic, name="Chair 2").update(is_active=False)
    second_doctor = staff_user(cast.clinic, Role.PRACTITIONER, "doctor3")
    first = booked_course(cast.patient, cast.practitioner)
    second = booked_course(PatientFactory(clinic=cast.clinic), second_doctor)
    first_slots = {s for a in first.appointments.all() for s in slot_starts(a.starts_at, a.minutes)}
    for appointment in second.appointments.all():
        assert not first_slots & set(slot_starts(appointment.starts_at, appointment.minutes))


def test_the_preview_prices_the_course_from_the_clinic_price_list(cast) -> None:
    ClinicPrice.objects.create(
        clinic=cast.clinic, item="mesotherapy_session", amount=Decimal("120")
    )
    plan = course_plan_preview(
        actor=cast.practitioner, patient=cast.patient, choice=choice(cast.clinic, cast.practitioner)
    )
    assert (plan.price.amount, plan.price.currency, plan.total_price) == (
        Decimal("120"),
        "GBP",
        Decimal("1200"),
    )
    assert not Appointment.objects.exists()


def test_a_preview_without_a_price_says_so(cast) -> None:
    plan = course_plan_preview(
        actor=cast.practitioner, patient=cast.patient, choice=choice(cast.clinic, cast.practitioner)
    )
    assert plan.price is None and plan.total_price is None


def test_confirming_a_stale_preview_is_refused(cast) -> None:
    wanted = choice(cast.clinic, cast.practitioner)
    plan = course_plan_preview(actor=cast.practitioner, patient=cast.patient, choice=wanted)
    booked_course(PatientFactory(clinic=cast.clinic), cast.practitioner)
    with pytest.raises(DomainError) as refused:
        course_create(
            actor=cast.practitioner,
            patient=cast.patient,
            choice=wanted,
            fingerprint=plan.fingerprint,
        )
    assert refused.value.message == PLAN_CHANGED
    assert TreatmentCourse.objects.count() == 1


def test_a_fresh_preview_books_exactly_what_it_showed(cast) -> None:
    wanted = choice(cast.clinic, cast.practitioner)
    plan = course_plan_preview(actor=cast.practitioner, patient=cast.patient, choice=wanted)
    course = course_create(
        actor=cast.practitioner, patient=cast.patient, choice=wanted, fingerprint=plan.fingerprint
    )
    assert [a.starts_at for a in course.appointments.order_by("starts_at")] == [
        v.starts_at for v in plan.visits
    ]


def test_the_database_refuses_a_second_booking_of_a_taken_slot(cast) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    plan = course_plan_preview(
        actor=cast.practitioner,
        patient=PatientFactory(clinic=cast.clinic),
        choice=choice(cast.clinic, cast.practitioner),
    )
    first = course.appointments.order_by("starts_at").first()
    clash = type(plan.visits[0])(
        **{**plan.visits[0].__dict__, "starts_at": first.starts_at, "ends_at": first.ends_at}
    )
    other = booked_course(
        PatientFactory(clinic=cast.clinic), cast.practitioner, start=monday_after(40)
    )
    with pytest.raises(DomainError) as refused:
        visits_book(actor=cast.practitioner, course=other, visits=[clash])
    assert refused.value.code == "slot_taken"


def test_cancelling_a_course_frees_its_time_and_records_why(cast) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    course_cancel(actor=cast.manager, course=course, reason="Moved abroad")
    course.refresh_from_db()
    assert course.status == CourseStatus.CANCELLED and course.cancellation_reason == "Moved abroad"
    assert set(course.appointments.values_list("status", flat=True)) == {"cancelled"}
    assert not PractitionerSlot.objects.exists() and not ChairSlot.objects.exists()
    event = AuditEvent.objects.filter(object_type="courses.TreatmentCourse").latest("id")
    assert event.detail == {
        "status": "cancelled",
        "reason": "Moved abroad",
        "appointments_cancelled": 14,
    }


def test_cancelling_needs_a_reason_and_the_right_role(cast) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    with pytest.raises(DomainError, match="Say why the course is cancelled."):
        course_cancel(actor=cast.practitioner, course=course, reason=" ")
    with pytest.raises(PermissionDenied):
        course_cancel(actor=cast.receptionist, course=course, reason="No")
    assert live_sessions(course)[0].status == "booked"
