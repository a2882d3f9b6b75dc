"""Patient search at scale: 100,000 patients in PostgreSQL, search p95 server time.

    .venv/bin/python bench/patient_search.py [--patients 100000] [--runs 5] [--requests 200]

Builds (once) a database `mesotrack_bench` on the local PostgreSQL, fills it with synthetic
patients, then times the real search page (Django test client: URL routing, auth, selector,
template, audit write — everything but the network) for four kinds of query. Prints a Markdown
table: the median over runs of each run's p50 and p95.
"""

import argparse
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


def ensure_database() -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'mesotrack_bench'"
        ).fetchone()
        if not exists:
            conn.execute("CREATE DATABASE mesotrack_bench")


def fill(patients: int) -> None:
    from django.core.management import call_command
    from tqdm import tqdm

    from mesotrack.accounts.models import Clinic, Membership, Organisation, Role, User
    from mesotrack.core import demo_people
    from mesotrack.patients.models import Patient
    from mesotrack.patients.search import digits_only, search_text_for

    call_command("migrate", verbosity=0)
    organisation, _ = Organisation.objects.get_or_create(name="Bench Clinics")
    clinic, _ = Clinic.objects.get_or_create(organisation=organisation, code="BEN", name="Bench")
    user, created = User.objects.get_or_create(username="bench-reception")
    if created:
        Membership.objects.create(user=user, clinic=clinic, role=Role.RECEPTIONIST)
    have = Patient.objects.filter(clinic=clinic).count()
    rng = random.Random(have)
    today = __import__("datetime").date(2026, 1, 1)
    with tqdm(total=patients, initial=have, desc="patients", unit="") as bar:
        while have < patients:
            batch = []
            for number in range(have + 1, min(patients, have + 5000) + 1):
                given = rng.choice(demo_people.ALL_GIVEN_NAMES)
                family = rng.choice(demo_people.FAMILY_NAMES) + rng.choice(["", "", "-Lee", "son"])
                phone = demo_people.demo_phone(rng)
                record = f"BEN-{number:06d}"
                batch.append(
                    Patient(
                        clinic=clinic,
                        record_number=record,
                        given_name=given,
                        family_name=family,
                        date_of_birth=demo_people.demo_birth_date(rng, today),
                        sex_at_birth=rng.choice(["male", "female"]),
                        phone=phone,
                        phone_digits=digits_only(phone),
                        search_text=search_text_for(given, family, record, phone),
                    )
                )
            Patient.objects.bulk_create(batch)
            bar.update(len(batch))
            have += len(batch)
    Clinic.objects.filter(pk=clinic.pk).update(last_record_number=have)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE patients_patient")


def queries(rng: random.Random, count: int) -> dict[str, list[str]]:
    from mesotrack.patients.models import Patient

    sample = list(
        Patient.objects.order_by("?").values_list(
            "given_name", "family_name", "record_number", "date_of_birth", "phone"
        )[:count]
    )
    return {
        "name (2 words, partial)": [f"{g[:3]} {f[:4]}" for g, f, *_ in sample],
        "record number": [r for _, _, r, *_ in sample],
        "date of birth": [d.strftime("%d/%m/%Y") for *_, d, _ in sample],
        "phone (last 6 digits)": [p.replace(" ", "")[-6:] for *_, p in sample],
    }


def time_searches(terms: list[str]) -> tuple[float, float]:
    from django.test import Client

    from mesotrack.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-reception"))
    durations = []
    for term in terms:
        started = time.perf_counter()
        response = client.get("/patients/", {"q": term}, HTTP_HX_REQUEST="true")
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    durations.sort()
    return statistics.median(durations), durations[int(len(durations) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    fill(args.patients)
    from mesotrack.patients.models import Patient

    results: dict[str, list[tuple[float, float]]] = {}
    for run in range(args.runs):
        for kind, terms in queries(random.Random(run), args.requests).items():
            time_searches(terms[:10])  # warm caches for this kind
            results.setdefault(kind, []).append(time_searches(terms))
    print(f"\n{Patient.objects.count():,} patients · {args.runs} runs × {args.requests} searches\n")
    print("| query | p50 ms (median of runs) | p95 ms (median of runs) |")
    print("|---|---|---|")
    for kind, runs in results.items():
        p50 = statistics.median(r[0] for r in runs)
        p95 = statistics.median(r[1] for r in runs)
        print(f"| {kind} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
