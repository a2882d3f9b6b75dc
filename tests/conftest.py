"""Shared actors: two clinics of one organisation and a user of every kind.

Every authorisation test runs against the same cast: anonymous, patient, receptionist, nurse,
practitioner, manager (all clinic A) and a practitioner of clinic B.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from playwright.sync_api import Browser, Page, sync_playwright

from mesotrack.accounts.models import Clinic, Role, User
from mesotrack.patients.models import Patient
from tests.factories import ClinicFactory, PatientFactory, UserFactory, staff_user, totp_device


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("MESOTRACK_TEST_DB") == "postgres":
        import psycopg

        host = os.environ.get("MESOTRACK_TEST_PGHOST", "127.0.0.1")
        try:
            psycopg.connect(f"host={host} user=postgres dbname=postgres", connect_timeout=5).close()
        except psycopg.OperationalError as error:
            raise pytest.UsageError(
                f"MESOTRACK_TEST_DB=postgres but PostgreSQL at {host}:5432 is unreachable: {error}"
            ) from error


@dataclass
class Cast:
    clinic: Clinic
    other_clinic: Clinic
    manager: User
    practitioner: User
    nurse: User
    receptionist: User
    other_practitioner: User
    patient_user: User
    patient: Patient
    other_patient: Patient

    def by_name(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


ACTORS = [
    "anonymous",
    "patient_user",
    "receptionist",
    "nurse",
    "practitioner",
    "manager",
    "other_practitioner",
]


@pytest.fixture
def cast(db: None) -> Cast:
    clinic = ClinicFactory(name="Leeds", code="LDS")
    other_clinic = ClinicFactory(name="York", code="YRK")
    patient_user = UserFactory(username="patient")
    cast = Cast(
        clinic=clinic,
        other_clinic=other_clinic,
        manager=staff_user(clinic, Role.MANAGER, "manager"),
        practitioner=staff_user(clinic, Role.PRACTITIONER, "doctor"),
        nurse=staff_user(clinic, Role.NURSE, "nurse"),
        receptionist=staff_user(clinic, Role.RECEPTIONIST, "reception"),
        other_practitioner=staff_user(other_clinic, Role.PRACTITIONER, "doctor2"),
        patient_user=patient_user,
        patient=PatientFactory(clinic=clinic, user=patient_user),
        other_patient=PatientFactory(clinic=other_clinic),
    )
    return cast


def login(client: Client, user: User) -> Client:
    """Log in as a staff member who has passed two-factor authentication."""
    client.force_login(user)
    device = totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(client: Client) -> Callable[[User | None], Client]:
    def make(user: User | None) -> Client:
        fresh = Client()
        return login(fresh, user) if user else fresh

    return make


def _set_audit_triggers(enabled: bool) -> None:
    """Transactional tests end with a flush (DELETE/TRUNCATE), which the audit table refuses.

    Only tests that need a real server thread (browser tests) use this; every other test runs in
    a rolled-back transaction with the triggers in force.
    """
    import importlib

    from django.db import connection

    migration = importlib.import_module("mesotrack.audit.migrations.0002_append_only_trigger")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            state = "ENABLE" if enabled else "DISABLE"
            cursor.execute(f"ALTER TABLE audit_auditevent {state} TRIGGER USER")
            return
        for sql in migration.SQLITE_BACKWARD:
            cursor.execute(sql)
        if enabled:
            for sql in migration.SQLITE_FORWARD:
                cursor.execute(sql)


# Rows that data migrations ship (and that a transactional test's flush wipes out).
SHIPPED_DATA = [("mesotrack.consent.migrations.0002_initial_templates", "create_templates")]


@pytest.fixture
def _restore_after_flush(django_db_blocker):
    """Torn down after the flush: re-arm the audit triggers and put shipped rows back."""
    import importlib

    from django.apps import apps
    from django.db import connections

    yield
    with django_db_blocker.unblock():
        _set_audit_triggers(True)
        for module, function in SHIPPED_DATA:
            getattr(importlib.import_module(module), function)(apps, None)
        # While Playwright's event loop runs in this thread, Django keeps this connection
        # apart from the one pytest-django closes before dropping the test database, which
        # would then fail with "being accessed by other users".
        connections.close_all()


@pytest.fixture
def transactional_db(_restore_after_flush: None, _django_db_helper: None) -> Iterator[None]:
    """pytest-django's fixture, wrapped: the audit triggers are off only for the final flush."""
    _set_audit_triggers(True)
    yield
    _set_audit_triggers(False)


# Browser tests: Playwright (Python) driving Debian's chromium against a live test server. Never
# downloads a browser: `make test` installs the chromium package when it is missing.
CHROMIUM = os.environ.get("MESOTRACK_CHROMIUM", "/usr/bin/chromium")
# The sync API runs an event loop in the test thread; the ORM calls the tests make are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        raise pytest.UsageError(
            f"{CHROMIUM} is missing: run `make browsers` (apt install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
