"""factory-boy factories shared by every test package."""

import datetime as dt
from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesotrack.accounts.models import Clinic, Membership, Organisation, Role, User
from mesotrack.patients.models import Patient, SexAtBirth
from mesotrack.patients.search import digits_only, search_text_for

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = "Northern Hair Clinics"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Clinic {n}")
    code = factory.Sequence(lambda n: f"C{n:03d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


def staff_user(clinic: Clinic, role: Role, username: str | None = None) -> User:
    user = UserFactory(**({"username": username} if username else {}))
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


def totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    record_number = factory.Sequence(lambda n: f"T-{n:06d}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = factory.Faker(
        "date_between", start_date=dt.date(1950, 1, 1), end_date=dt.date(2004, 1, 1)
    )
    sex_at_birth = SexAtBirth.MALE
    phone = factory.Sequence(lambda n: f"07700 9{n:05d}")
    phone_digits = factory.LazyAttribute(lambda p: digits_only(p.phone))
    search_text = factory.LazyAttribute(
        lambda p: search_text_for(p.given_name, p.family_name, p.record_number, p.phone)
    )
