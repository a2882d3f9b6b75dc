"""Demo formulary (called by `manage.py seed_demo`): products for the organisation, lots at both
clinics with a history of deliveries, sessions and waste, one lot about to expire, one expired
with stock left, one recalled after being given to patients; recipes with versions and a batch of
prepared syringes, some already given."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from mesotrack.accounts.models import Clinic, User
from mesotrack.core.demo import DemoContext
from mesotrack.formulary import services
from mesotrack.formulary.demo_data import PRODUCTS, RECALL_REASON, RECIPES, SUPPLIERS
from mesotrack.formulary.doses import CompositionLine
from mesotrack.formulary.models import (
    FormularySettings,
    Lot,
    LotStatus,
    MovementKind,
    Product,
    ProductKind,
    Recipe,
    StockMovement,
)
from mesotrack.formulary.services import ComponentInput
from mesotrack.patients.models import Patient

FIVE_ARI_PRODUCTS = {"Dutasteride 0.01% solution"}
# The grams of EMLA or the mL of anything else one session takes from a lot.
SESSION_AMOUNT = {"EMLA 5% cream": Decimal(2), "Lidocaine 1%": Decimal("0.2")}
RECALLED = ("LDS", "Dutasteride 0.01% solution")
NEAR_EXPIRY = ("LDS", "Minoxidil 0.5% solution")
EXPIRED_WITH_STOCK = ("YRK", "Hyaluronic acid 1%")


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    clock = dt.time(rng.randint(9, 16), rng.choice([0, 15, 30, 45]))
    return timezone.make_aware(dt.datetime.combine(day, clock))


def _products(context: DemoContext) -> dict[str, Product]:
    products = {}
    for name, (kind, unit, presentation, storage, lines) in PRODUCTS.items():
        products[name] = services.product_create(
            actor=context.users["manager"],
            organisation=context.organisation,
            name=name,
            kind=kind,
            unit=unit,
            presentation=presentation,
            storage=storage,
            manufacturer=SUPPLIERS.get(kind, ""),
            composition=[CompositionLine(code, Decimal(a), u) for code, a, u in lines],
        )
    return products


def _candidates(context: DemoContext, clinic: Clinic, five_ari: bool) -> list[Patient]:
    """Patients a cocktail could have been given to: pattern hair loss, not pregnant or
    breastfeeding, and (for a 5-ARI) unable to become pregnant (clinical_rules.md §2.1)."""
    chosen = []
    for patient in context.patients:
        story = context.profiles[patient.pk]
        if patient.clinic_id != clinic.pk or story.hair_loss not in {
            "male_pattern",
            "female_pattern",
        }:
            continue
        if story.pregnant or story.breastfeeding or (five_ari and story.could_become_pregnant):
            continue
        chosen.append(patient)
    return chosen


class _Ledger:
    """Lots and movements built in memory, written with two bulk inserts."""

    def __init__(self, context: DemoContext) -> None:
        self.context, self.rng = context, context.rng
        self.lots: list[Lot] = []
        self.movements: list[tuple[Lot, StockMovement]] = []
        self.sessions = 0

    def session_ref(self) -> str:
        self.sessions += 1
        return f"demo:{self.sessions}"

    def lot(
        self,
        product: Product,
        clinic: Clinic,
        number: str,
        received: dt.date,
        expiry: dt.date,
        quantity: int,
        by: User,
    ) -> Lot:
        lot = Lot(
            product=product,
            clinic=clinic,
            lot_number=number,
            expiry_date=expiry,
            supplier=SUPPLIERS[product.kind],
            received_on=received,
            storage_notes=product.storage,
            created_by=by,
        )
        self.lots.append(lot)
        self.move(lot, MovementKind.RECEIVE, Decimal(quantity), _at(self.rng, received), by)
        return lot

    def move(
        self,
        lot: Lot,
        kind: MovementKind,
        quantity: Decimal,
        when: dt.datetime,
        by: User,
        *,
        patient: Patient | None = None,
        session_ref: str = "",
        reason: str = "",
    ) -> None:
        movement = StockMovement(
            kind=kind,
            quantity=quantity,
            occurred_at=when,
            recorded_by=by,
            patient=patient,
            session_ref=session_ref,
            reason=reason,
        )
        self.movements.append((lot, movement))

    def save(self) -> None:
        Lot.objects.bulk_create(self.lots)
        for lot, movement in self.movements:
            movement.lot = lot
        StockMovement.objects.bulk_create([m for _, m in self.movements], batch_size=500)


def _uses(
    ledger: _Ledger, lot: Lot, quantity: int, patients: list[Patient], by: User, count: int
) -> None:
    """`count` sessions given from `lot` between its delivery and today (or its expiry)."""
    rng, today = ledger.rng, ledger.context.today
    amount = SESSION_AMOUNT.get(lot.product.name, Decimal(rng.choice([1, 1, 2])))
    last = min(today - dt.timedelta(days=1), lot.expiry_date)
    span = (last - lot.received_on).days
    if span < 1 or not patients:
        return
    days = sorted(lot.received_on + dt.timedelta(days=rng.randint(1, span)) for _ in range(count))
    left = Decimal(quantity)
    for day in days:
        if left < amount:
            break
        left -= amount
        patient = rng.choice(patients)
        ledger.move(
            lot,
            MovementKind.USE,
            -amount,
            _at(rng, day),
            by,
            patient=patient,
            session_ref=ledger.session_ref(),
        )
    if left > 5 and rng.random() < 0.3:
        ledger.move(
            lot,
            MovementKind.WASTE,
            Decimal(-1),
            _at(rng, last),
            by,
            reason="Vial dropped and broken.",
        )


def _lot_plan(context: DemoContext, code: str, name: str) -> list[tuple[int, int]]:
    """(days since delivery, days to expiry) of each lot of `name` at clinic `code`."""
    rng = context.rng
    plan = [
        (rng.randint(150, 260), rng.randint(120, 400)),
        (rng.randint(10, 60), rng.randint(300, 600)),
    ]
    if (code, name) == NEAR_EXPIRY:
        plan[0] = (plan[0][0], 12)
    if (code, name) == EXPIRED_WITH_STOCK:
        plan[0] = (plan[0][0], -6)
    return plan if code == "LDS" else plan[:1] + plan[1:] * rng.randint(0, 1)


def _stock(context: DemoContext, products: dict[str, Product]) -> tuple[_Ledger, Lot]:
    ledger = _Ledger(context)
    staff = {"LDS": context.users["nurse"], "YRK": context.users["doctor2"]}
    recalled: Lot | None = None
    for code, clinic in context.clinics.items():
        for name, product in products.items():
            if product.kind == ProductKind.AUTOLOGOUS:
                continue
            patients = _candidates(context, clinic, name in FIVE_ARI_PRODUCTS)
            for index, (age, expires) in enumerate(_lot_plan(context, code, name)):
                received = context.today - dt.timedelta(days=age)
                quantity = 300 if product.unit == "g" else context.rng.choice([100, 150, 200])
                prefix = name.split()[0][:3].upper()
                number = f"{prefix}-{received:%y%m}-{context.rng.randint(100, 999)}{'AB'[index]}"
                lot = ledger.lot(
                    product,
                    clinic,
                    number,
                    received,
                    context.today + dt.timedelta(days=expires),
                    quantity,
                    staff[code],
                )
                sessions = context.rng.randint(12, 30) if index == 0 else context.rng.randint(0, 6)
                _uses(ledger, lot, quantity, patients, staff[code], sessions)
                if (code, name) == RECALLED and index == 0:
                    recalled = lot
    assert recalled is not None  # noqa: S101 - RECALLED names a stocked product at LDS
    return ledger, recalled


def _recall(context: DemoContext, ledger: _Ledger, lot: Lot) -> None:
    lot.status = LotStatus.RECALLED
    lot.status_reason = RECALL_REASON
    lot.status_changed_at = timezone.now() - dt.timedelta(days=2)
    lot.status_changed_by = context.users["manager"]
    used = sum(-m.quantity for owner, m in ledger.movements if owner is lot and m.quantity < 0)
    left = sum((m.quantity for owner, m in ledger.movements if owner is lot), Decimal(0))
    if left > 0:
        ledger.move(
            lot,
            MovementKind.RETURN,
            -left,
            lot.status_changed_at,
            context.users["manager"],
            reason="Returned to the supplier after the recall.",
        )
    context.progress(f"lot {lot.lot_number} recalled after {used} mL were given")


def _recipes(context: DemoContext, products: dict[str, Product]) -> None:
    for name, (modality, versions) in RECIPES.items():
        notes, first = versions[0]
        recipe = services.recipe_create(
            actor=context.users["doctor"],
            organisation=context.organisation,
            name=name,
            modality=modality,
            components=[ComponentInput(products[p], Decimal(v)) for p, v in first],
            notes=notes,
        )
        for notes, components in versions[1:]:
            services.recipe_version_create(
                actor=context.users["doctor"],
                recipe=recipe,
                components=[ComponentInput(products[p], Decimal(v)) for p, v in components],
                notes=notes,
            )


def _batch(context: DemoContext) -> None:
    recipe = Recipe.objects.get(organisation=context.organisation, name="Revitalising cocktail")
    clinic, nurse = context.clinics["LDS"], context.users["nurse"]
    prepared = timezone.now() - dt.timedelta(hours=3)
    batch = services.batch_prepare(
        actor=nurse,
        version=recipe.current_version(),
        clinic=clinic,
        syringes=6,
        use_by=timezone.now() + dt.timedelta(hours=5),
        prepared_at=prepared,
        notes="Morning list.",
    )
    for patient in context.rng.sample(_candidates(context, clinic, False), 3):
        services.batch_syringe_use(
            actor=nurse,
            batch=batch,
            patient=patient,
            session_ref=f"demo:batch-{batch.pk}",
            occurred_at=prepared + dt.timedelta(minutes=context.rng.randint(20, 150)),
        )


def seed(context: DemoContext) -> None:
    products = _products(context)
    ledger, recalled = _stock(context, products)
    _recall(context, ledger, recalled)
    ledger.save()
    FormularySettings.objects.create(clinic=context.clinics["YRK"], expiry_warning_days=45)
    _recipes(context, products)
    _batch(context)
    context.progress(
        f"{len(products)} products, {len(ledger.lots)} lots, {len(ledger.movements)} movements, "
        f"{len(RECIPES)} recipes, 1 prepared batch"
    )
