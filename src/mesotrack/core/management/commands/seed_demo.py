"""Build the synthetic demo organisation: two clinics, their staff and 300 patients."""

import datetime as dt
import importlib
import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesotrack.accounts.models import TWO_FACTOR_ROLES, Clinic, Membership, Organisation, Role, User
from mesotrack.core import demo_people
from mesotrack.core.demo import (
    DEMO_MODULES,
    DEMO_SEED,
    DEMO_TOTP_KEY_HEX,
    DemoContext,
    DemoPatientProfile,
)
from mesotrack.patients.models import Patient
from mesotrack.patients.search import digits_only, search_text_for

STAFF = [
    # username, first, last, clinic codes, role
    ("manager", "Helen", "Marsh", ("LDS", "YRK"), Role.MANAGER),
    ("doctor", "Rahul", "Mehta", ("LDS",), Role.PRACTITIONER),
    ("nurse", "Claire", "Donnelly", ("LDS",), Role.NURSE),
    ("reception", "Tom", "Baker", ("LDS",), Role.RECEPTIONIST),
    ("doctor2", "Ingrid", "Olsen", ("YRK",), Role.PRACTITIONER),
]
PATIENTS_PER_CLINIC = {"LDS": 220, "YRK": 80}


class Command(BaseCommand):
    help = "Load the synthetic demo clinic (refuses to run with production settings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if data exists.")
        parser.add_argument("--seed", type=int, default=DEMO_SEED)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run with production settings.")
        if Organisation.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demo data already present; leaving it as it is.")
                return
            raise CommandError("The database already has data. Use a fresh database for the demo.")
        with transaction.atomic():
            context = self._build_core(random.Random(options["seed"]))
            for module_name in DEMO_MODULES:
                module = importlib.import_module(module_name)
                context.progress = self._progress(module_name.split(".")[1])
                module.seed(context)
            self._backdate_registrations(context)
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {len(context.patients)} patients."))

    def _backdate_registrations(self, context: DemoContext) -> None:
        """Registration comes before everything else in a patient's timeline."""
        from mesotrack.patients.chart import patient_timeline

        viewers = {"LDS": context.users["doctor"], "YRK": context.users["doctor2"]}
        for patient in context.patients:
            entries = patient_timeline(patient, viewers[patient.clinic.code])
            earlier = [entry.when for entry in entries if entry.kind != "registration"]
            start = min(earlier) if earlier else timezone.now()
            registered = start - dt.timedelta(days=context.rng.randint(1, 21), hours=2)
            Patient.objects.filter(pk=patient.pk).update(created_at=registered)
            patient.created_at = registered

    def _progress(self, label: str) -> Any:
        return lambda text: self.stdout.write(f"  {label}: {text}")

    def _build_core(self, rng: random.Random) -> DemoContext:
        organisation = Organisation.objects.create(name="Northern Hair Clinics")
        clinics = {
            "LDS": Clinic.objects.create(
                organisation=organisation,
                name="Leeds Hair Clinic",
                code="LDS",
                address="12 Park Square, Leeds LS1 2NE",
                phone="0113 496 0100",
            ),
            "YRK": Clinic.objects.create(
                organisation=organisation,
                name="York Hair Clinic",
                code="YRK",
                address="4 Minster Yard, York YO1 7JD",
                phone="01904 496 0200",
            ),
        }
        users = self._create_users(clinics)
        self.stdout.write("  core: organisation, 2 clinics, 6 users")
        patients, profiles = self._create_patients(rng, clinics, users)
        self.stdout.write(f"  core: {len(patients)} patients")
        return DemoContext(
            rng=rng,
            today=timezone.localdate(),
            organisation=organisation,
            clinics=clinics,
            users=users,
            patients=patients,
            profiles=profiles,
        )

    def _create_users(self, clinics: dict[str, Clinic]) -> dict[str, User]:
        users: dict[str, User] = {}
        for username, first, last, codes, role in STAFF:
            user = User.objects.create_user(
                username,
                f"{username}@demo.mesotrack.invalid",
                settings.DEMO_PASSWORD,
                first_name=first,
                last_name=last,
            )
            for code in codes:
                Membership.objects.create(user=user, clinic=clinics[code], role=role)
            if role in TWO_FACTOR_ROLES:
                TOTPDevice.objects.create(
                    user=user, name="Demo authenticator", key=DEMO_TOTP_KEY_HEX, confirmed=True
                )
            users[username] = user
        users["patient"] = User.objects.create_user(
            "patient",
            "patient@demo.mesotrack.invalid",
            settings.DEMO_PASSWORD,
            first_name="Sofia",
            last_name="Haddad",
        )
        return users

    def _create_patients(
        self, rng: random.Random, clinics: dict[str, Clinic], users: dict[str, User]
    ) -> tuple[list[Patient], dict[int, DemoPatientProfile]]:
        today = timezone.localdate()
        rows: list[tuple[Patient, DemoPatientProfile]] = []
        for code, count in PATIENTS_PER_CLINIC.items():
            clinic = clinics[code]
            for number in range(1, count + 1):
                rows.append(self._patient(rng, clinic, number, today))
            clinic.last_record_number = count
            clinic.save(update_fields=["last_record_number"])
        # The portal demo patient: a woman with female-pattern hair loss at the Leeds clinic.
        portal_patient, portal_profile = rows[0]
        portal_patient.given_name, portal_patient.family_name = "Sofia", "Haddad"
        portal_patient.sex_at_birth = "female"
        portal_patient.date_of_birth = today.replace(year=today.year - 34, day=1)
        portal_patient.user = users["patient"]
        portal_patient.email = "sofia.haddad@example.org"
        portal_profile.hair_loss = "female_pattern"
        for patient, _ in rows:
            patient.search_text = search_text_for(
                patient.given_name, patient.family_name, patient.record_number, patient.phone
            )
        created = Patient.objects.bulk_create([patient for patient, _ in rows])
        created_by = users["reception"]
        Patient.objects.filter(pk__in=[p.pk for p in created]).update(created_by=created_by)
        profiles = {
            patient.pk: profile for patient, (_, profile) in zip(created, rows, strict=True)
        }
        return created, profiles

    def _patient(
        self, rng: random.Random, clinic: Clinic, number: int, today: dt.date
    ) -> tuple[Patient, DemoPatientProfile]:
        sex = "male" if rng.random() < 0.6 else "female"
        names = demo_people.MALE_NAMES if sex == "male" else demo_people.FEMALE_NAMES
        born = demo_people.demo_birth_date(rng, today)
        phone = demo_people.demo_phone(rng)
        given, family = rng.choice(names), rng.choice(demo_people.FAMILY_NAMES)
        patient = Patient(
            clinic=clinic,
            record_number=f"{clinic.code}-{number:06d}",
            given_name=given,
            family_name=family,
            date_of_birth=born,
            sex_at_birth=sex,
            gender=("Man" if sex == "male" else "Woman") if rng.random() > 0.02 else "Non-binary",
            email=f"{given}.{family}{number}@example.org".lower(),
            phone=phone,
            phone_digits=digits_only(phone),
            address=f"{rng.randint(1, 200)} {rng.choice(demo_people.STREETS)}",
            preferred_language=rng.choice(demo_people.LANGUAGES),
            emergency_contact_name=f"{rng.choice(demo_people.ALL_GIVEN_NAMES)} {family}",
            emergency_contact_phone=demo_people.demo_phone(rng),
            emergency_contact_relationship=rng.choice(demo_people.RELATIONSHIPS),
        )
        age = patient.age_on(today)
        return patient, demo_people.demo_profile(rng, sex, age)
