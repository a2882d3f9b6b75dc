"""Reads of products, lots and their stock. Products and lots are read across the user's
organisation; expiry warnings and first-expiry-first-out suggestions are for the user's clinics."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from mesotrack.accounts.models import Clinic, Role
from mesotrack.accounts.selectors import AnyUser, clinic_ids_for, clinics_for
from mesotrack.formulary.models import (
    DEFAULT_EXPIRY_WARNING_DAYS,
    FormularySettings,
    Lot,
    LotStatus,
    Product,
    ProductIngredient,
)
from mesotrack.formulary.roles import FORMULARY_ROLES

ZERO = Decimal(0)
CENTS = Decimal("0.01")


def organisation_ids_for(user: AnyUser, roles: Iterable[Role] = FORMULARY_ROLES) -> set[int]:
    """The organisations of the clinics where the user holds one of `roles`."""
    return {clinic.organisation_id for clinic in clinics_for(user, roles)}


def product_queryset_for_user(
    *, user: AnyUser, roles: Iterable[Role] = FORMULARY_ROLES
) -> QuerySet[Product]:
    """The products of the organisations the user works in, with their composition."""
    return Product.objects.filter(
        organisation_id__in=organisation_ids_for(user, roles)
    ).prefetch_related(Prefetch("composition", queryset=ProductIngredient.objects.order_by("id")))


def product_get_for_user(
    *, user: AnyUser, product_id: int, roles: Iterable[Role] = FORMULARY_ROLES
) -> Product:
    """One product the user may see; raises Product.DoesNotExist otherwise (a 404)."""
    return product_queryset_for_user(user=user, roles=roles).get(pk=product_id)


def lot_queryset_for_user(
    *, user: AnyUser, roles: Iterable[Role] = FORMULARY_ROLES
) -> QuerySet[Lot]:
    """Lots of the user's organisations (stock is read group-wide; see formulary.roles)."""
    return Lot.objects.filter(
        product__organisation_id__in=organisation_ids_for(user, roles)
    ).select_related("product", "clinic")


def lot_get_for_user(*, user: AnyUser, lot_id: int, roles: Iterable[Role] = FORMULARY_ROLES) -> Lot:
    """One lot of the user's organisation; raises Lot.DoesNotExist otherwise (a 404)."""
    return lot_queryset_for_user(user=user, roles=roles).get(pk=lot_id)


def with_on_hand(lots: QuerySet[Lot]) -> QuerySet[Lot]:
    """`lots` annotated with `on_hand`: the sum of each lot's movements (0 without any)."""
    # Rounded in SQL: SQLite sums decimals as binary floats (44 would come back 43.9999…).
    return lots.annotate(
        on_hand=Round(
            Coalesce(
                Sum("movements__quantity"),
                Value(ZERO),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
            2,
        )
    )


def lot_on_hand(*, lot: Lot) -> Decimal:
    """The quantity of `lot` on hand: the sum of its ledger."""
    total = lot.movements.aggregate(total=Sum("quantity"))["total"]
    return (total if total is not None else ZERO).quantize(CENTS)


def expiry_warning_days(clinic_ids: Iterable[int]) -> dict[int, int]:
    """Each clinic's warning window in days (the default where the clinic has not set one)."""
    wanted = set(clinic_ids)
    stored = dict(
        FormularySettings.objects.filter(clinic_id__in=wanted).values_list(
            "clinic_id", "expiry_warning_days"
        )
    )
    return {clinic_id: stored.get(clinic_id, DEFAULT_EXPIRY_WARNING_DAYS) for clinic_id in wanted}


@dataclass
class LotStock:
    lot: Lot
    on_hand: Decimal
    status: LotStatus  # effective: `expired` once past the expiry date
    expiring_soon: bool

    @property
    def days_left(self) -> int:
        return (self.lot.expiry_date - timezone.localdate()).days


@dataclass
class ClinicStock:
    clinic: Clinic
    on_hand: Decimal = ZERO
    usable: Decimal = ZERO
    suggested: LotStock | None = None  # first expiry, first out
    lots: list[LotStock] = field(default_factory=list)


@dataclass
class ProductStock:
    product: Product
    clinics: list[ClinicStock]

    @property
    def expiring(self) -> list[LotStock]:
        return [s for c in self.clinics for s in c.lots if s.expiring_soon and s.on_hand > 0]


def _lot_stock(lot: Lot, today: dt.date, warning_days: int) -> LotStock:
    status = lot.effective_status(today)
    soon = status == LotStatus.ACTIVE and lot.expiry_date <= today + dt.timedelta(warning_days)
    return LotStock(lot=lot, on_hand=lot.on_hand, status=status, expiring_soon=soon)  # type: ignore[attr-defined]


def fefo_order(stocks: Iterable[LotStock]) -> list[LotStock]:
    """Usable lots holding stock, the one to use first (earliest expiry) first."""
    usable = [s for s in stocks if s.status == LotStatus.ACTIVE and s.on_hand > 0]
    return sorted(usable, key=lambda s: (s.lot.expiry_date, s.lot.received_on, s.lot.pk))


def clinic_lot_stock(
    *, clinic_ids: Iterable[int], products: Iterable[Product] | None = None, today: dt.date
) -> list[LotStock]:
    """Every lot of the clinics (and products) with what it holds, in one query."""
    lots = Lot.objects.filter(clinic_id__in=list(clinic_ids)).select_related("product", "clinic")
    if products is not None:
        lots = lots.filter(product__in=list(products))
    rows = list(with_on_hand(lots))
    days = expiry_warning_days({lot.clinic_id for lot in rows})
    return [_lot_stock(lot, today, days[lot.clinic_id]) for lot in rows]


def formulary_overview(*, user: AnyUser, today: dt.date | None = None) -> list[ProductStock]:
    """Every product of the user's organisations with, per clinic the user works at, what is on
    hand, what is usable and which lot to use first. A fixed number of queries."""
    today = today or timezone.localdate()
    clinics = clinics_for(user, FORMULARY_ROLES)
    products = list(product_queryset_for_user(user=user).filter(is_active=True))
    stocks = clinic_lot_stock(clinic_ids=[c.pk for c in clinics], today=today)
    by_key: dict[tuple[int, int], list[LotStock]] = {}
    for stock in stocks:
        by_key.setdefault((stock.lot.product_id, stock.lot.clinic_id), []).append(stock)
    return [
        ProductStock(
            product=product,
            clinics=[
                _clinic_stock(clinic, by_key.get((product.pk, clinic.pk), [])) for clinic in clinics
            ],
        )
        for product in products
    ]


def _clinic_stock(clinic: Clinic, stocks: list[LotStock]) -> ClinicStock:
    fefo = fefo_order(stocks)
    return ClinicStock(
        clinic=clinic,
        on_hand=sum((s.on_hand for s in stocks), ZERO),
        usable=sum((s.on_hand for s in fefo), ZERO),
        suggested=fefo[0] if fefo else None,
        lots=stocks,
    )


def lots_expiring(*, user: AnyUser, today: dt.date | None = None) -> list[LotStock]:
    """Lots holding stock in the user's clinics that expire within their clinic's warning
    window, or have expired without being cleared, soonest first."""
    today = today or timezone.localdate()
    stocks = clinic_lot_stock(clinic_ids=clinic_ids_for(user, FORMULARY_ROLES), today=today)
    due = [
        s for s in stocks if s.on_hand > 0 and (s.expiring_soon or s.status == LotStatus.EXPIRED)
    ]
    return sorted(due, key=lambda s: (s.lot.expiry_date, s.lot.pk))


def fefo_lot(
    *, clinic: Clinic, product: Product, quantity: Decimal = ZERO, on: dt.date | None = None
) -> Lot | None:
    """The lot to use first at `clinic`: usable on `on`, holding at least `quantity`, expiring
    soonest (first expiry, first out)."""
    on = on or timezone.localdate()
    candidates = with_on_hand(
        Lot.objects.filter(
            clinic=clinic, product=product, status=LotStatus.ACTIVE, expiry_date__gte=on
        ).select_related("product", "clinic")
    ).filter(Q(on_hand__gt=0) & Q(on_hand__gte=quantity))
    return candidates.order_by("expiry_date", "received_on", "id").first()
