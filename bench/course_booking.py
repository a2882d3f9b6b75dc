"""Course booking and the clinic day calendar at scale, on PostgreSQL.

    .venv/bin/python bench/course_booking.py [--runs 20]

Builds (once) in the database `mesotrack_bench` a clinic with 40 practitioners, 40 chairs and a
busy calendar, then measures:
- planning and booking a 12-session course (Moftah: 12 sessions and 4 measurement visits) with
  the real service (validation, scheduling engine, inserts of appointments and slot rows, audit);
- the clinic's day calendar page with all 40 practitioners (Django test client: routing, auth,
  selectors, template, audit write), its query count, and the count for one practitioner's and
  for an empty day's calendar (they must be the same).
Prints a Markdown table: the median over the runs.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mesotrack_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesotrack.config.settings")
os.environ.setdefault("MESOTRACK_LOG_LEVEL", "WARNING")

PRACTITIONERS = 40
COURSES_EACH = 6
CODE = "CRS"


def ensure_database() -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'mesotrack_bench'"
        ).fetchone()
        if not exists:
            conn.execute("CREATE DATABASE mesotrack_bench")


def bench_day() -> dt.date:
    from django.utils import timezone

    today = timezone.localdate()
    return today + dt.timedelta(days=7 + (7 - today.weekday()) % 7)


def patient(clinic, number: int):  # type: ignore[no-untyped-def]
    from mesotrack.patients.models import Patient

    record = f"{CODE}-{number:06d}"
    return Patient.objects.create(
        clinic=clinic,
        record_number=record,
        given_name="Bench",
        family_name=f"Patient{number}",
        date_of_birth=dt.date(1980, 1, 1),
        sex_at_birth="female",
        search_text=f"bench patient{number} {record.lower()}",
    )


def fill():  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from tqdm import tqdm

    from mesotrack.accounts.models import Clinic, Membership, Organisation, Role, User
    from mesotrack.courses.models import Chair, OpeningHours, TreatmentCourse
    from mesotrack.courses.services.courses import CourseChoice, course_create
    from mesotrack.formulary.models import Recipe, RecipeVersion

    call_command("migrate", verbosity=0)
    organisation, _ = Organisation.objects.get_or_create(name="Bench Clinics")
    clinic, created = Clinic.objects.get_or_create(
        organisation=organisation, code=CODE, name="Courses bench"
    )
    manager, _ = User.objects.get_or_create(username="bench-course-manager")
    reception, _ = User.objects.get_or_create(username="bench-course-reception")
    if created:
        Membership.objects.create(user=manager, clinic=clinic, role=Role.MANAGER)
        Membership.objects.create(user=reception, clinic=clinic, role=Role.RECEPTIONIST)
        OpeningHours.objects.bulk_create(
            OpeningHours(clinic=clinic, weekday=d, opens=dt.time(8), closes=dt.time(18))
            for d in range(6)
        )
        Chair.objects.bulk_create(
            Chair(clinic=clinic, name=f"Room {n:02d}") for n in range(1, PRACTITIONERS + 1)
        )
        recipe = Recipe.objects.create(
            organisation=organisation, name="Bench dutasteride", modality="mesotherapy"
        )
        RecipeVersion.objects.create(recipe=recipe, version=1, total_volume_ml=2)
    doctors = []
    for n in range(PRACTITIONERS):
        doctor, made = User.objects.get_or_create(
            username=f"bench-course-doctor{n:02d}",
            defaults={"first_name": "Doctor", "last_name": f"{n:02d}"},
        )
        if made:
            Membership.objects.create(user=doctor, clinic=clinic, role=Role.PRACTITIONER)
        doctors.append(doctor)
    recipe = Recipe.objects.get(organisation=organisation, name="Bench dutasteride")
    have = TreatmentCourse.objects.filter(clinic=clinic, start_date=bench_day()).count()
    wanted = PRACTITIONERS * COURSES_EACH
    number = clinic.patients.count()
    with tqdm(total=wanted, initial=have, desc="courses on the bench day", unit="") as bar:
        while have < wanted:
            number += 1
            choice = CourseChoice(
                protocol_code="dutasteride_moftah",
                recipe=recipe,
                target_zones=["vertex"],
                practitioner=doctors[have % PRACTITIONERS],
                start_date=bench_day(),
            )
            course_create(actor=manager, patient=patient(clinic, number), choice=choice)
            have += 1
            bar.update(1)
    return clinic, manager, reception, doctors, recipe


def time_booking(clinic, manager, doctors, recipe, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from mesotrack.courses.services.courses import CourseChoice, course_create

    durations = []
    start = bench_day() + dt.timedelta(days=28)
    for run in range(runs + 3):
        person = patient(clinic, 900_000 + run + int(time.time()) % 10_000 * 100)
        choice = CourseChoice(
            protocol_code="dutasteride_moftah",
            recipe=recipe,
            target_zones=["vertex", "frontal"],
            practitioner=doctors[run % PRACTITIONERS],
            start_date=start + dt.timedelta(days=run % 5),
        )
        started = time.perf_counter()
        with transaction.atomic():
            course = course_create(actor=manager, patient=person, choice=choice)
        elapsed = (time.perf_counter() - started) * 1000
        assert course.appointments.count() == 16
        if run >= 3:  # the first runs warm caches
            durations.append(elapsed)
    return durations


def time_calendar(reception, clinic, runs: int) -> tuple[list[float], int, int, int, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(reception)
    url = f"/calendar/?clinic={clinic.pk}&date={bench_day().isoformat()}"
    client.get(url)
    durations = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    shown = response.content.decode().count('data-testid="appointment"')
    someone = clinic.memberships.filter(role="practitioner").first().user_id
    with CaptureQueriesContext(connection) as one:
        client.get(f"{url}&practitioner={someone}")
    empty_day = (bench_day() + dt.timedelta(days=1)).isoformat()
    with CaptureQueriesContext(connection) as empty:
        client.get(f"/calendar/?clinic={clinic.pk}&date={empty_day}")
    return durations, len(queries), len(one), len(empty), shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    clinic, manager, reception, doctors, recipe = fill()
    booking = time_booking(clinic, manager, doctors, recipe, args.runs)
    calendar, queries, one, empty, shown = time_calendar(reception, clinic, args.runs)
    print(f"\n{len(doctors)} practitioners · {shown} visits on the day · {args.runs} runs\n")
    print("| measure | median | p95 |")
    print("|---|---|---|")
    rows = [
        ("plan and book a 12-session course (16 visits)", booking),
        (f"clinic day calendar, {len(doctors)} practitioners", calendar),
    ]
    for label, values in rows:
        p95 = sorted(values)[max(0, int(len(values) * 0.95) - 1)]
        print(f"| {label} | {statistics.median(values):.1f} ms | {p95:.1f} ms |")
    counts = f"{queries} / {one} / {empty}"
    print(
        f"| calendar queries: all {len(doctors)} / one practitioner / an empty day | {counts} | |"
    )


if __name__ == "__main__":
    main()
