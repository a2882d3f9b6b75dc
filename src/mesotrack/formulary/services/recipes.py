"""Writes to recipes. A recipe's content lives in versions; an edit makes a new version and the
old ones never change, so a session keeps the version it was given."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from mesotrack.accounts.models import Organisation, User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.formulary.doses import DoseReport, cocktail_doses
from mesotrack.formulary.models import (
    Product,
    ProductKind,
    Recipe,
    RecipeComponent,
    RecipeModality,
    RecipeVersion,
    StockUnit,
)
from mesotrack.formulary.roles import MANAGING_ROLES
from mesotrack.formulary.selectors import cocktail_component
from mesotrack.formulary.services._common import quantity_in, require_role_in_organisation, text_in

# Sessions hold 1–2 mL (dutasteride) up to 5–7 mL (PRP), clinical_rules.md §1.1, §1.3; a larger
# total is a typing slip.
MAX_SESSION_VOLUME_ML = Decimal(20)


@dataclass(frozen=True)
class ComponentInput:
    product: Product
    volume_ml: Decimal | int | str


def _checked_components(
    organisation_id: int, modality: str, components: Sequence[ComponentInput]
) -> list[tuple[Product, Decimal]]:
    if not components:
        raise DomainError("Add at least one product to the recipe.", field="components")
    checked: list[tuple[Product, Decimal]] = []
    for index, component in enumerate(components):
        field, product = f"components.{index}", component.product
        if product.organisation_id != organisation_id:
            raise DomainError("This product belongs to another organisation.", field=field)
        if not product.is_active:
            raise DomainError(f"{product.name} is no longer in use.", field=field)
        if product.unit != StockUnit.ML:
            raise DomainError(
                f"{product.name} is counted in g: a cocktail takes products measured in mL.",
                field=field,
            )
        if any(product.pk == seen.pk for seen, _ in checked):
            raise DomainError(f"{product.name} is listed twice.", field=field)
        checked.append((product, quantity_in(component.volume_ml, field=field)))
    total = sum((volume for _, volume in checked), Decimal(0))
    if total > MAX_SESSION_VOLUME_ML:
        raise DomainError(
            f"One session would hold {total} mL; a recipe holds at most "
            f"{MAX_SESSION_VOLUME_ML} mL.",
            field="components",
        )
    has_prp = any(product.kind == ProductKind.AUTOLOGOUS for product, _ in checked)
    if modality == RecipeModality.PRP and not has_prp:
        raise DomainError("A PRP recipe needs the patient's PRP in it.", field="components")
    if modality == RecipeModality.MESOTHERAPY and has_prp:
        raise DomainError("PRP belongs in a PRP recipe.", field="components")
    return checked


def recipe_dose_check(components: Sequence[tuple[Product, Decimal]]) -> DoseReport:
    """The doses of a would-be version; a block (a dose over its cap) refuses it."""
    report = cocktail_doses([cocktail_component(p, volume) for p, volume in components])
    if report.blocked:
        raise DomainError(report.blocks[0].message, field="components", code=report.blocks[0].code)
    return report


def _new_version(
    actor: User, recipe: Recipe, components: Sequence[ComponentInput], notes: str
) -> RecipeVersion:
    checked = _checked_components(recipe.organisation_id, recipe.modality, components)
    report = recipe_dose_check(checked)
    latest = recipe.versions.aggregate(latest=Max("version"))["latest"] or 0
    version = RecipeVersion(
        recipe=recipe,
        version=latest + 1,
        total_volume_ml=report.total_volume_ml,
        created_by=actor,
        notes=notes.strip(),
    )
    version.full_clean()
    version.save()
    RecipeComponent.objects.bulk_create(
        RecipeComponent(version=version, product=product, volume_ml=volume, position=index)
        for index, (product, volume) in enumerate(checked)
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=version,
        detail={
            "recipe": recipe.pk,
            "version": version.version,
            "components": [[p.pk, str(volume)] for p, volume in checked],
            "checks": [check.code for check in report.checks],
        },
    )
    return version


@transaction.atomic
def recipe_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    modality: RecipeModality | str,
    components: Sequence[ComponentInput],
    notes: str = "",
) -> Recipe:
    """A new recipe with its first version."""
    require_role_in_organisation(actor, organisation.pk, MANAGING_ROLES, "write recipes")
    name = text_in(name, field="name", message="Name the recipe.", max_length=200)
    if modality not in RecipeModality.values:
        raise DomainError("Choose mesotherapy or PRP.", field="modality")
    if Recipe.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise DomainError("A recipe with this name already exists.", field="name")
    recipe = Recipe(organisation=organisation, name=name, modality=modality)
    recipe.full_clean()
    recipe.save()
    _new_version(actor, recipe, components, notes)
    return recipe


@transaction.atomic
def recipe_version_create(
    *, actor: User, recipe: Recipe, components: Sequence[ComponentInput], notes: str = ""
) -> RecipeVersion:
    """Save an edit of `recipe` as its next version; earlier versions stay as they were."""
    require_role_in_organisation(actor, recipe.organisation_id, MANAGING_ROLES, "write recipes")
    # The lock keeps two editors from both saving "version 3".
    recipe = Recipe.objects.select_for_update().get(pk=recipe.pk)
    if not recipe.is_active:
        raise DomainError("This recipe is retired; bring it back before editing it.")
    return _new_version(actor, recipe, components, notes)


@transaction.atomic
def recipe_set_active(*, actor: User, recipe: Recipe, is_active: bool) -> Recipe:
    """Retire a recipe from new courses (or bring it back); its versions stay."""
    require_role_in_organisation(actor, recipe.organisation_id, MANAGING_ROLES, "retire recipes")
    if recipe.is_active != is_active:
        recipe.is_active = is_active
        recipe.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action=Action.UPDATE, obj=recipe, detail={"is_active": is_active})
    return recipe
