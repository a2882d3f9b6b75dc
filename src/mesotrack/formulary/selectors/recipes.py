"""Reads of recipes, their versions with the dose of each ingredient, and prepared batches."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from mesotrack.accounts.models import Role
from mesotrack.accounts.selectors import AnyUser
from mesotrack.formulary.doses import CocktailComponent, CompositionLine, DoseReport, cocktail_doses
from mesotrack.formulary.models import (
    PreparedBatch,
    Product,
    ProductIngredient,
    Recipe,
    RecipeComponent,
    RecipeVersion,
    StockMovement,
    SyringeStatus,
)
from mesotrack.formulary.roles import FORMULARY_ROLES
from mesotrack.formulary.selectors.stock import organisation_ids_for

_COMPONENTS = Prefetch(
    "components",
    queryset=RecipeComponent.objects.select_related("product").prefetch_related(
        Prefetch("product__composition", queryset=ProductIngredient.objects.order_by("id"))
    ),
)


def recipe_queryset_for_user(
    *, user: AnyUser, roles: Iterable[Role] = FORMULARY_ROLES
) -> QuerySet[Recipe]:
    """The recipes of the user's organisations, each with its number of versions."""
    return Recipe.objects.filter(organisation_id__in=organisation_ids_for(user, roles)).annotate(
        version_count=Count("versions")
    )


def recipe_get_for_user(
    *, user: AnyUser, recipe_id: int, roles: Iterable[Role] = FORMULARY_ROLES
) -> Recipe:
    """One recipe the user may see; raises Recipe.DoesNotExist otherwise (a 404)."""
    return recipe_queryset_for_user(user=user, roles=roles).get(pk=recipe_id)


def recipe_versions(*, recipe: Recipe) -> list[RecipeVersion]:
    """Every version of `recipe`, newest first, with components and their products' composition."""
    return list(
        recipe.versions.select_related("created_by")
        .prefetch_related(_COMPONENTS)
        .order_by("-version")
    )


def recipe_version_get(*, recipe: Recipe, version: int) -> RecipeVersion:
    """Version number `version` of `recipe`; raises RecipeVersion.DoesNotExist otherwise."""
    return (
        recipe.versions.select_related("recipe", "created_by")
        .prefetch_related(_COMPONENTS)
        .get(version=version)
    )


def cocktail_component(product: Product, volume_ml: Decimal) -> CocktailComponent:
    """`volume_ml` of `product` as the dose arithmetic reads it."""
    lines = tuple(
        CompositionLine(line.ingredient_code, line.amount, line.amount_unit)
        for line in product.composition.all()
    )
    return CocktailComponent(product_name=product.name, volume_ml=volume_ml, composition=lines)


def recipe_version_doses(*, version: RecipeVersion, weight_kg: Decimal | None = None) -> DoseReport:
    """The dose and concentration of each ingredient in one session of `version`, with checks."""
    return cocktail_doses(
        [cocktail_component(c.product, c.volume_ml) for c in version.components.all()],
        weight_kg=weight_kg,
    )


def batch_queryset_for_user(
    *, user: AnyUser, roles: Iterable[Role] = FORMULARY_ROLES
) -> QuerySet[PreparedBatch]:
    """Prepared batches of the user's organisations, with how many syringes were given and
    how many are left."""
    return (
        PreparedBatch.objects.filter(clinic__organisation_id__in=organisation_ids_for(user, roles))
        .select_related("recipe_version__recipe", "clinic", "prepared_by")
        .annotate(
            given=Count(
                "prepared_syringes", filter=Q(prepared_syringes__status=SyringeStatus.USED)
            ),
            available=Count(
                "prepared_syringes", filter=Q(prepared_syringes__status=SyringeStatus.AVAILABLE)
            ),
        )
    )


def batch_get_for_user(
    *, user: AnyUser, batch_id: int, roles: Iterable[Role] = FORMULARY_ROLES
) -> PreparedBatch:
    """One batch of the user's organisation; raises PreparedBatch.DoesNotExist otherwise."""
    return batch_queryset_for_user(user=user, roles=roles).get(pk=batch_id)


def batch_lot_movements(*, batch: PreparedBatch) -> list[StockMovement]:
    """The stock each lot gave to the batch."""
    return list(batch.movements.select_related("lot__product").order_by("id"))


def recipe_version_ingredient_codes(*, version_id: int) -> tuple[str, ...]:
    """The ingredient codes a version's components hold, for screening what it would inject."""
    products = RecipeComponent.objects.filter(version_id=version_id).values("product_id")
    codes = ProductIngredient.objects.filter(product_id__in=products).values_list(
        "ingredient_code", flat=True
    )
    return tuple(sorted(set(codes)))
