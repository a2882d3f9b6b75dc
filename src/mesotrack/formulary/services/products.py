"""Writes to the product list: a product and its composition per mL (or per g)."""

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from mesotrack.accounts.models import Organisation, User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.formulary.catalogue import convert, ingredient_catalogue
from mesotrack.formulary.doses import CompositionLine
from mesotrack.formulary.models import (
    AmountUnit,
    Product,
    ProductIngredient,
    ProductKind,
    StockUnit,
)
from mesotrack.formulary.roles import MANAGING_ROLES
from mesotrack.formulary.services._common import require_role_in_organisation, text_in

# Nothing holds more than its own weight of one ingredient: 1 g per mL (or per g) at most.
MAX_MG_PER_UNIT = Decimal(1000)
NEEDS_COMPOSITION = {ProductKind.READY_MADE, ProductKind.COMPOUNDED, ProductKind.ANAESTHETIC}


def _composition(kind: ProductKind, lines: Sequence[CompositionLine]) -> list[CompositionLine]:
    catalogue, seen = ingredient_catalogue(), set()
    for index, line in enumerate(lines):
        field = f"composition.{index}"
        if line.ingredient_code not in catalogue:
            raise DomainError(f"“{line.ingredient_code}” is not in the catalogue.", field=field)
        if line.ingredient_code in seen:
            label = catalogue[line.ingredient_code].label
            raise DomainError(f"{label} is listed twice.", field=field)
        seen.add(line.ingredient_code)
        if line.unit not in AmountUnit.values:
            raise DomainError("Give the amount in g, mg or µg.", field=field)
        if not line.amount.is_finite() or line.amount <= 0:
            raise DomainError("Enter an amount above zero.", field=field)
        if line.amount != line.amount.quantize(Decimal("0.0001")):
            raise DomainError("Give the amount to at most four decimal places.", field=field)
        if convert(line.amount, line.unit, "mg") > MAX_MG_PER_UNIT:
            raise DomainError("More than 1 g in each mL (or g) is not possible.", field=field)
    if kind in NEEDS_COMPOSITION and not lines:
        raise DomainError("List what the product holds in each mL (or g).", field="composition")
    return list(lines)


@transaction.atomic
def product_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    kind: ProductKind | str,
    unit: StockUnit | str = StockUnit.ML,
    composition: Sequence[CompositionLine] = (),
    manufacturer: str = "",
    presentation: str = "",
    storage: str = "",
    notes: str = "",
) -> Product:
    """Add a product to the organisation's formulary with what 1 mL (or 1 g) of it holds."""
    require_role_in_organisation(actor, organisation.pk, MANAGING_ROLES, "add products")
    name = text_in(name, field="name", message="Enter the product's name.", max_length=200)
    if kind not in ProductKind.values:
        raise DomainError("Choose what kind of product this is.", field="kind")
    if unit not in StockUnit.values:
        raise DomainError("Count stock in mL or g.", field="unit")
    if Product.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise DomainError("A product with this name already exists.", field="name")
    lines = _composition(ProductKind(kind), composition)
    product = Product(
        organisation=organisation,
        name=name,
        kind=kind,
        unit=unit,
        manufacturer=manufacturer.strip(),
        presentation=presentation.strip(),
        storage=storage.strip(),
        notes=notes.strip(),
        created_by=actor,
    )
    product.full_clean()
    product.save()
    ProductIngredient.objects.bulk_create(
        ProductIngredient(
            product=product,
            ingredient_code=line.ingredient_code,
            amount=line.amount,
            amount_unit=line.unit,
        )
        for line in lines
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=product,
        detail={
            "name": product.name,
            "composition": [[ln.ingredient_code, str(ln.amount), ln.unit] for ln in lines],
        },
    )
    return product


@transaction.atomic
def product_set_active(*, actor: User, product: Product, is_active: bool) -> Product:
    """Retire a product from new stock and recipes (or bring it back); its history stays."""
    require_role_in_organisation(actor, product.organisation_id, MANAGING_ROLES, "retire products")
    if product.is_active == is_active:
        return product
    product.is_active = is_active
    product.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=product, detail={"is_active": is_active})
    return product
