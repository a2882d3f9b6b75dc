"""Formulary test data, made through the services so every row is one the clinic could make."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mesotrack.accounts.models import Clinic, User
from mesotrack.formulary import services
from mesotrack.formulary.doses import CompositionLine
from mesotrack.formulary.models import Lot, Product, ProductKind, Recipe
from mesotrack.formulary.services import ComponentInput
from tests.conftest import Cast

# name: (kind, unit, composition per mL or g)
PRODUCTS: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "Dutasteride 0.01% solution": ("compounded", "mL", [("dutasteride", "0.1", "mg")]),
    "Dutasteride 0.05% solution": ("compounded", "mL", [("dutasteride", "0.5", "mg")]),
    "Minoxidil 0.5% solution": ("compounded", "mL", [("minoxidil", "5", "mg")]),
    "Finasteride 0.05% solution": ("compounded", "mL", [("finasteride", "0.5", "mg")]),
    "Mesoglycan 1.5%": ("ready_made", "mL", [("mesoglycan", "15", "mg")]),
    "Biotin vial": ("ready_made", "mL", [("biotin", "500", "µg"), ("dexpanthenol", "20", "mg")]),
    "Lidocaine 1%": ("anaesthetic", "mL", [("lidocaine", "10", "mg")]),
    "EMLA cream": ("anaesthetic", "g", [("lidocaine", "25", "mg"), ("prilocaine", "25", "mg")]),
    "Sodium chloride 0.9%": ("diluent", "mL", []),
    "Autologous PRP": ("autologous", "mL", []),
}


def product(cast: Cast, name: str = "Dutasteride 0.01% solution") -> Product:
    existing = Product.objects.filter(organisation=cast.clinic.organisation, name=name).first()
    if existing:
        return existing
    kind, unit, lines = PRODUCTS[name]
    return services.product_create(
        actor=cast.manager,
        organisation=cast.clinic.organisation,
        name=name,
        kind=ProductKind(kind),
        unit=unit,
        composition=[CompositionLine(code, Decimal(amount), u) for code, amount, u in lines],
    )


def lot(
    cast: Cast,
    name: str = "Dutasteride 0.01% solution",
    *,
    quantity: str = "20",
    number: str = "L-001",
    expires_in_days: int = 365,
    received_days_ago: int = 0,
    clinic: Clinic | None = None,
    actor: User | None = None,
) -> Lot:
    return services.lot_receive(
        actor=actor or cast.nurse,
        product=product(cast, name),
        clinic=clinic or cast.clinic,
        lot_number=number,
        expiry_date=timezone.localdate() + dt.timedelta(days=expires_in_days),
        supplier="Northern Compounding Ltd",
        quantity=quantity,
        received_on=timezone.localdate() - dt.timedelta(days=received_days_ago),
    )


def recipe(
    cast: Cast,
    name: str = "Dutasteride 0.01% + saline",
    components: tuple[tuple[str, str], ...] = (
        ("Dutasteride 0.01% solution", "1"),
        ("Sodium chloride 0.9%", "1"),
    ),
    modality: str = "mesotherapy",
) -> Recipe:
    return services.recipe_create(
        actor=cast.practitioner,
        organisation=cast.clinic.organisation,
        name=name,
        modality=modality,
        components=[ComponentInput(product(cast, p), Decimal(v)) for p, v in components],
    )


def in_minutes(minutes: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)
