"""Safety signals at scale: 1,000,000 signed sessions and 50,000 adverse events in PostgreSQL.

    .venv/bin/python bench/safety_signals.py [--sessions 1000000] [--events 50000] [--runs 5]

Builds (once) a clinic "SIG" in the local database `mesotrack_bench` with 40 practitioners,
20,000 patients, 10 recipes, 200 lots, the sessions (each drawing one or two lots) and the events,
all written with COPY. Then times the real signal page for each grouping (Django test client:
routing, 2FA session, selector, template, audit write) and the selector alone over a one-year
period that holds every session. Prints a Markdown table of medians over the runs.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mesotrack_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesotrack.config.settings")
os.environ.setdefault("MESOTRACK_LOG_LEVEL", "WARNING")

CODE = "SIG"
PRACTITIONERS = 40
PATIENTS = 20_000
LOTS = 200
START = dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC)
GROUPINGS = ["practitioner", "recipe", "ingredient", "lot", "clinic"]


def ensure_database() -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'mesotrack_bench'"
        ).fetchone()
        if not exists:
            conn.execute("CREATE DATABASE mesotrack_bench")


def _setup():  # noqa: ANN202 - returns the bench's objects
    from decimal import Decimal

    from mesotrack.accounts.models import Clinic, Membership, Organisation, Role, User
    from mesotrack.formulary.models import (
        Lot,
        Product,
        ProductIngredient,
        Recipe,
        RecipeComponent,
        RecipeVersion,
    )
    from mesotrack.patients.models import Patient

    organisation, _ = Organisation.objects.get_or_create(name="Bench Signal Clinics")
    clinic, _ = Clinic.objects.get_or_create(
        code=CODE, defaults={"organisation": organisation, "name": "Bench signals"}
    )
    manager, created = User.objects.get_or_create(username="bench-signal-manager")
    if created:
        Membership.objects.create(user=manager, clinic=clinic, role=Role.MANAGER)
    people = []
    for number in range(PRACTITIONERS):
        user, created = User.objects.get_or_create(
            username=f"bench-signal-doctor{number}",
            defaults={"first_name": "Doctor", "last_name": f"{number:02d}"},
        )
        if created:
            Membership.objects.create(user=user, clinic=clinic, role=Role.PRACTITIONER)
        people.append(user.pk)
    have = Patient.objects.filter(clinic=clinic).count()
    Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            record_number=f"{CODE}-{n:06d}",
            given_name="Bench",
            family_name=f"Patient {n}",
            date_of_birth=dt.date(1980, 1, 1),
            sex_at_birth="female",
        )
        for n in range(have + 1, PATIENTS + 1)
    )
    patients = list(Patient.objects.filter(clinic=clinic).values_list("pk", flat=True))
    codes = ["dutasteride", "minoxidil", "biotin", "dexpanthenol", "hyaluronic_acid", "zinc"]
    products = []
    for code in codes:
        product, created = Product.objects.get_or_create(
            organisation=organisation, name=f"Bench {code}", defaults={"kind": "ready_made"}
        )
        if created:
            ProductIngredient.objects.create(
                product=product, ingredient_code=code, amount=Decimal(1), amount_unit="mg"
            )
        products.append(product)
    versions = []
    for number in range(10):
        recipe, created = Recipe.objects.get_or_create(
            organisation=organisation,
            name=f"Bench recipe {number}",
            defaults={"modality": "mesotherapy"},
        )
        if created:
            version = RecipeVersion.objects.create(
                recipe=recipe, version=1, total_volume_ml=Decimal(2)
            )
            for product in random.Random(number).sample(products, 2):
                RecipeComponent.objects.create(
                    version=version, product=product, volume_ml=Decimal(1)
                )
        versions.append(recipe.current_version().pk)
    for number in range(Lot.objects.filter(clinic=clinic).count(), LOTS):
        Lot.objects.create(
            product=products[number % len(products)],
            clinic=clinic,
            lot_number=f"B{number}",
            expiry_date=dt.date(2030, 1, 1),
            supplier="Bench",
            received_on=dt.date(2024, 12, 1),
        )
    lots = list(Lot.objects.filter(clinic=clinic).values_list("pk", flat=True))
    return clinic, manager, people, patients, versions, lots


def fill(sessions: int, events: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from mesotrack.charting.models import TreatmentSession

    call_command("migrate", verbosity=0)
    clinic, manager, people, patients, versions, lots = _setup()
    from mesotrack.safety.models import AdverseEvent

    have = TreatmentSession.objects.filter(clinic=clinic).count()
    have_events = AdverseEvent.objects.filter(clinic=clinic).count()
    if have >= sessions:
        return
    rng = random.Random(5)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.connection
        first_id = raw.execute(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM charting_treatmentsession"
        ).fetchone()[0]
        columns = (
            "id, created_at, updated_at, modality, status, checked_in_at, identity_confirmed, "
            "today_answers, numbing_agent, numbing_area, early_start_reason, started_at, "
            "ended_at, immediate_reactions, notes, signed_at, aftercare_text, abandon_reason, "
            "checked_in_by_id, clinic_id, patient_id, practitioner_id, recipe_version_id, "
            "signed_by_id"
        )
        session_rows = []
        signed_at: dict[int, dt.datetime] = {}
        with raw.cursor().copy(f"COPY charting_treatmentsession ({columns}) FROM STDIN") as copy:
            for number in range(have, sessions):
                when = START + dt.timedelta(minutes=number * 525_600 // sessions)
                person = people[number % PRACTITIONERS]
                session_id = first_id + number - have
                session_rows.append(session_id)
                signed_at[session_id] = when
                copy.write_row(
                    (
                        session_id,
                        when,
                        when,
                        "mesotherapy",
                        "signed",
                        when,
                        True,
                        "{}",
                        "",
                        "",
                        "",
                        when,
                        when,
                        "",
                        "",
                        when,
                        "",
                        "",
                        person,
                        clinic.pk,
                        patients[number % len(patients)],
                        person,
                        versions[number % len(versions)],
                        person,
                    )
                )
        with raw.cursor().copy(
            "COPY charting_sessionlotuse (session_id, lot_id, syringes, volume_ml, "
            "signed_clinic_id, signed_at) FROM STDIN"
        ) as copy:
            for session_id in session_rows:
                for lot in rng.sample(lots, rng.choice([1, 1, 2])):
                    copy.write_row((session_id, lot, 0, "1.00", clinic.pk, signed_at[session_id]))
        # Practitioner 0 has a raised rate, so the page has something to flag.
        weights = [5 if (s - first_id) % PRACTITIONERS == 0 else 1 for s in session_rows]
        chosen = rng.choices(session_rows, weights=weights, k=max(0, events - have_events))
        event_columns = (
            "created_at, updated_at, term, other_term, description, grade, onset_at, outcome, "
            "seriousness, serious, causality, suspected_ingredients, zones, actions_taken, "
            "review_notes, clinic_id, patient_id, session_id, reported_by_id"
        )
        with raw.cursor().copy(f"COPY safety_adverseevent ({event_columns}) FROM STDIN") as copy:
            for session_id in chosen:
                when = START + dt.timedelta(minutes=(session_id - first_id) * 525_600 // sessions)
                copy.write_row(
                    (
                        when,
                        when,
                        "bruising",
                        "",
                        "",
                        1,
                        when,
                        "recovered",
                        "[]",
                        False,
                        "possible",
                        "[]",
                        "[]",
                        "",
                        "",
                        clinic.pk,
                        patients[(session_id - first_id) % len(patients)],
                        session_id,
                        manager.pk,
                    )
                )
        raw.execute(
            "SELECT setval(pg_get_serial_sequence('charting_treatmentsession', 'id'), "
            "(SELECT MAX(id) FROM charting_treatmentsession))"
        )
        for table in ("charting_treatmentsession", "charting_sessionlotuse", "safety_adverseevent"):
            cursor.execute(f"ANALYZE {table}")
    print(f"filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def _client():  # noqa: ANN202
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mesotrack.accounts.models import User

    manager = User.objects.get(username="bench-signal-manager")
    device = TOTPDevice.objects.filter(user=manager).first() or TOTPDevice.objects.create(
        user=manager, name="bench", confirmed=True
    )
    client = Client()
    client.force_login(manager)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client, manager


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    fill(args.sessions, args.events)
    from mesotrack.safety.signals import safety_signal_report

    client, manager = _client()
    period = {"start": "2025-01-01", "end": "2025-12-31"}
    page: dict[str, list[float]] = {g: [] for g in GROUPINGS}
    selector: dict[str, list[float]] = {g: [] for g in GROUPINGS}
    flagged: dict[str, int] = {}
    for _ in range(args.runs):
        for grouping in GROUPINGS:
            began = time.perf_counter()
            response = client.get("/safety-signals/", {**period, "by": grouping})
            page[grouping].append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
            began = time.perf_counter()
            report = safety_signal_report(
                user=manager,
                start=dt.date(2025, 1, 1),
                end=dt.date(2025, 12, 31),
                grouping=grouping,
            )
            selector[grouping].append((time.perf_counter() - began) * 1000)
            flagged[grouping] = len(report.flagged)
    print(
        f"\n{args.sessions:,} signed sessions · {args.events:,} adverse events · "
        f"{args.runs} runs (median)\n"
    )
    print("| rates by | page ms | selector ms | rows flagged |")
    print("|---|---|---|---|")
    for grouping in GROUPINGS:
        print(
            f"| {grouping} | {statistics.median(page[grouping]):.0f} | "
            f"{statistics.median(selector[grouping]):.0f} | {flagged[grouping]} |"
        )


if __name__ == "__main__":
    main()
