"""Recall of a lot used in 10,000 sessions, on PostgreSQL: the selector, the API and the page.

    .venv/bin/python bench/formulary_recall.py [--sessions 10000] [--patients 4000] [--runs 7]

Builds (once) a lot in the database `mesotrack_bench` on the local PostgreSQL and gives it to
`--sessions` sessions of `--patients` synthetic patients (plus a prepared batch of 100 syringes
from it, all given), then times, `--runs` times each: `lot_recall_list` (the selector), the API
`GET /api/v1/lots/{id}/recall` and the recall page and CSV (Django test client: routing, auth,
selector, rendering, audit write — everything but the network). Prints a Markdown table of the
median and the slowest run, and the median CPU time of the Python side (useful when other work
loads the machine). Target: ≤ 200 ms for the selector and the API.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mesotrack_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesotrack.config.settings")
os.environ.setdefault("MESOTRACK_LOG_LEVEL", "WARNING")
os.environ.setdefault("MESOTRACK_DEBUG", "0")

LOT_NUMBER = "BENCH-RECALL"
# Only the apps the recall needs, so the benchmark never migrates other apps' work in progress.
APPS = ["contenttypes", "auth", "sessions", "otp_totp", "audit", "api", "formulary"]


def ensure_database() -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'mesotrack_bench'"
        ).fetchone()
        if not exists:
            conn.execute("CREATE DATABASE mesotrack_bench")


def _staff(clinic: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mesotrack.accounts.models import Membership, Role, User

    user, created = User.objects.get_or_create(username="bench-manager")
    if created:
        Membership.objects.create(user=user, clinic=clinic, role=Role.MANAGER)
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def _patients(clinic: Any, count: int, rng: random.Random) -> list[Any]:
    from mesotrack.core import demo_people
    from mesotrack.patients.models import Patient
    from mesotrack.patients.search import digits_only, search_text_for

    have = list(Patient.objects.filter(clinic=clinic).order_by("id")[:count])
    batch = []
    for number in range(len(have) + 1, count + 1):
        given, family = (
            rng.choice(demo_people.ALL_GIVEN_NAMES),
            rng.choice(demo_people.FAMILY_NAMES),
        )
        phone, record = demo_people.demo_phone(rng), f"REC-{number:06d}"
        batch.append(
            Patient(
                clinic=clinic,
                record_number=record,
                given_name=given,
                family_name=family,
                date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=rng.randint(0, 9000)),
                sex_at_birth=rng.choice(["male", "female"]),
                phone=phone,
                phone_digits=digits_only(phone),
                search_text=search_text_for(given, family, record, phone),
            )
        )
    return have + Patient.objects.bulk_create(batch, batch_size=2000)


def fill(sessions: int, patient_count: int) -> tuple[Any, Any]:
    from django.core.management import call_command
    from django.utils import timezone

    from mesotrack.accounts.models import Clinic, Organisation
    from mesotrack.formulary import services
    from mesotrack.formulary.doses import CompositionLine
    from mesotrack.formulary.models import (
        Lot,
        MovementKind,
        PreparedSyringe,
        Product,
        Recipe,
        StockMovement,
    )
    from mesotrack.formulary.services import ComponentInput

    for app in APPS:
        call_command("migrate", app, verbosity=0)
    organisation, _ = Organisation.objects.get_or_create(name="Recall Bench Clinics")
    clinic, _ = Clinic.objects.get_or_create(organisation=organisation, code="REC", name="Recall")
    user = _staff(clinic)
    number = f"{LOT_NUMBER}-{sessions}"
    lot = Lot.objects.filter(clinic=clinic, lot_number=number).first()
    if lot is not None:
        return lot, user
    rng = random.Random(sessions)
    patients = _patients(clinic, patient_count, rng)
    name = f"Dutasteride 0.01% (bench {sessions})"
    product = Product.objects.filter(organisation=organisation, name=name).first()
    if product is None:
        product = services.product_create(
            actor=user,
            organisation=organisation,
            name=name,
            kind="compounded",
            composition=[CompositionLine("dutasteride", Decimal("0.1"), "mg")],
        )
    lot = services.lot_receive(
        actor=user,
        product=product,
        clinic=clinic,
        lot_number=number,
        expiry_date=timezone.localdate() + dt.timedelta(days=700),
        supplier="Bench Supplies",
        quantity=str(sessions * 2 + 1000),
    )
    start = timezone.now() - dt.timedelta(days=365)
    StockMovement.objects.bulk_create(
        (
            StockMovement(
                lot=lot,
                kind=MovementKind.USE,
                quantity=-Decimal(rng.choice([1, 2])),
                occurred_at=start + dt.timedelta(minutes=50 * number),
                recorded_by=user,
                patient=rng.choice(patients),
                session_ref=f"bench:{number}",
            )
            for number in range(sessions)
        ),
        batch_size=5000,
    )
    recipe = Recipe.objects.filter(organisation=organisation, name=f"Bench {number}").first()
    if recipe is None:
        recipe = services.recipe_create(
            actor=user,
            organisation=organisation,
            name=f"Bench {number}",
            modality="mesotherapy",
            components=[ComponentInput(product, Decimal(1))],
        )
    batch = services.batch_prepare(
        actor=user,
        version=recipe.current_version(),
        clinic=clinic,
        syringes=100,
        use_by=timezone.now() + dt.timedelta(hours=6),
        lots={product.pk: lot},
    )
    given = list(batch.prepared_syringes.all())
    for syringe, patient in zip(given, rng.sample(patients, len(given)), strict=True):
        syringe.status, syringe.patient = "used", patient
        syringe.session_ref, syringe.used_at, syringe.used_by = "bench:batch", timezone.now(), user
    PreparedSyringe.objects.bulk_update(
        given, ["status", "patient", "session_ref", "used_at", "used_by"]
    )
    return lot, user


def timed(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median and slowest wall time, and median CPU time of this process (the PostgreSQL
    server's share is in the wall time only), in ms."""
    action()  # warm caches
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return statistics.median(walls), max(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--patients", type=int, default=4_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from mesotrack.api.services import api_token_issue
    from mesotrack.formulary.selectors import lot_recall_list

    lot, user = fill(args.sessions, args.patients)
    with connection.cursor() as cursor:
        for table in ("patients_patient", "formulary_stockmovement", "formulary_preparedsyringe"):
            cursor.execute(f"ANALYZE {table}")
    entries = lot_recall_list(user=user, lot=lot)
    page = Client()
    page.force_login(user)
    session = page.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    token = api_token_issue(user=user, name="bench").secret
    api = Client(headers={"Authorization": f"Bearer {token}"})

    def get(client: Client, path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    results = {
        "`lot_recall_list` (selector)": timed(
            lambda: lot_recall_list(user=user, lot=lot), args.runs
        ),
        "`GET /api/v1/lots/{id}/recall` (JSON, all entries)": timed(
            lambda: get(api, f"/api/v1/lots/{lot.pk}/recall"), args.runs
        ),
        "recall page (first 200 entries)": timed(
            lambda: get(page, f"/formulary/lots/{lot.pk}/recall/"), args.runs
        ),
        "recall CSV (all entries)": timed(
            lambda: get(page, f"/formulary/lots/{lot.pk}/recall.csv"), args.runs
        ),
    }
    print(f"\nLot used in {len(entries):,} sessions · {args.runs} runs each\n")
    print(f"Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print("| operation | median ms | slowest ms | median CPU ms (Python side) |")
    print("|---|---|---|---|")
    for name, (median, slowest, cpu) in results.items():
        print(f"| {name} | {median:.1f} | {slowest:.1f} | {cpu:.1f} |")


if __name__ == "__main__":
    main()
