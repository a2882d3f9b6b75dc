from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from mesotrack.audit.models import AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.formulary import services
from mesotrack.formulary.models import AppendOnlyRecordError, Recipe, RecipeVersion
from mesotrack.formulary.services import ComponentInput
from tests.formulary.factories import product, recipe


def _components(cast, *parts: tuple[str, str]) -> list[ComponentInput]:
    return [ComponentInput(product(cast, name), Decimal(ml)) for name, ml in parts]


def test_a_new_recipe_starts_at_version_1_with_its_total_volume(cast):
    made = recipe(cast)
    version = made.current_version()
    assert (version.version, version.total_volume_ml, version.created_by) == (
        1,
        Decimal(2),
        cast.practitioner,
    )
    assert [(c.product.name, c.volume_ml) for c in version.components.all()] == [
        ("Dutasteride 0.01% solution", Decimal(1)),
        ("Sodium chloride 0.9%", Decimal(1)),
    ]
    event = AuditEvent.objects.get(object_type="formulary.RecipeVersion")
    assert event.detail["version"] == 1 and event.detail["checks"] == []


def test_an_edit_makes_a_new_version_and_leaves_the_old_one_as_it_was(cast):
    made = recipe(cast)
    first = made.current_version()
    second = services.recipe_version_create(
        actor=cast.manager,
        recipe=made,
        components=_components(cast, ("Dutasteride 0.01% solution", "2")),
        notes="Moftah volume",
    )
    assert (second.version, second.total_volume_ml, second.notes) == (
        2,
        Decimal(2),
        "Moftah volume",
    )
    assert made.current_version() == second
    assert [c.volume_ml for c in first.components.all()] == [Decimal(1), Decimal(1)]


def test_a_version_can_never_be_changed_or_deleted(cast):
    version = recipe(cast).current_version()
    version.notes = "Rewritten"
    with pytest.raises(AppendOnlyRecordError, match="save a new version instead"):
        version.save()
    with pytest.raises(AppendOnlyRecordError):
        version.delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
            RecipeVersion.objects.filter(pk=version.pk).update(notes="Rewritten")
    assert RecipeVersion.objects.get(pk=version.pk).notes == ""


def test_a_dose_over_its_cap_refuses_the_version(cast):
    made = recipe(cast)
    with pytest.raises(DomainError) as refused:
        services.recipe_version_create(
            actor=cast.manager,
            recipe=made,
            components=_components(cast, ("Dutasteride 0.05% solution", "1.5")),
        )
    assert refused.value.message.startswith(
        "Dutasteride: 0.75 mg a session is above the cap of 0.5 mg a session."
    )
    assert (refused.value.field, refused.value.code) == ("components", "dose_cap")
    assert made.versions.count() == 1


def test_warnings_do_not_refuse_but_are_recorded(cast):
    made = recipe(
        cast,
        name="Two 5-ARIs",
        components=(("Dutasteride 0.01% solution", "1"), ("Finasteride 0.05% solution", "1")),
    )
    event = AuditEvent.objects.filter(object_type="formulary.RecipeVersion").get()
    assert "two_five_alpha_reductase_inhibitors" in event.detail["checks"]
    assert made.versions.count() == 1


@pytest.mark.parametrize("parts,message", [
    ((), "Add at least one product to the recipe."),
    ((("EMLA cream", "1"),),
     "EMLA cream is counted in g: a cocktail takes products measured in mL."),
    ((("Sodium chloride 0.9%", "1"), ("Sodium chloride 0.9%", "1")),
     "Sodium chloride 0.9% is listed twice."),
    ((("Sodium chloride 0.9%", "0"),), "Enter a quantity above zero."),
    ((("Sodium chloride 0.9%", "20.01"),),
     "One session would hold 20.01 mL; a recipe holds at most 20 mL."),
    ((("Autologous PRP", "6"),), "PRP belongs in a PRP recipe."),
])  # fmt: skip
def test_it_refuses_components_that_cannot_make_a_session(cast, parts, message):
    made = recipe(cast)
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.recipe_version_create(
            actor=cast.manager, recipe=made, components=_components(cast, *parts)
        )
    assert made.versions.count() == 1


def test_a_prp_recipe_needs_the_patients_prp(cast):
    with pytest.raises(DomainError, match="A PRP recipe needs the patient's PRP in it."):
        recipe(cast, name="PRP", components=(("Sodium chloride 0.9%", "5"),), modality="prp")
    made = recipe(cast, name="PRP", components=(("Autologous PRP", "6"),), modality="prp")
    assert made.current_version().total_volume_ml == Decimal(6)


def test_names_are_unique_and_nurses_cannot_write_recipes(cast):
    recipe(cast)
    with pytest.raises(DomainError, match="A recipe with this name already exists."):
        recipe(cast, name="dutasteride 0.01% + SALINE")
    with pytest.raises(PermissionDenied, match="Your role does not allow you to write recipes."):
        services.recipe_version_create(
            actor=cast.nurse,
            recipe=Recipe.objects.get(),
            components=_components(cast, ("Sodium chloride 0.9%", "1")),
        )


def test_a_retired_recipe_takes_no_new_version(cast):
    made = recipe(cast)
    services.recipe_set_active(actor=cast.manager, recipe=made, is_active=False)
    with pytest.raises(DomainError, match="This recipe is retired"):
        services.recipe_version_create(
            actor=cast.manager,
            recipe=made,
            components=_components(cast, ("Sodium chloride 0.9%", "1")),
        )
