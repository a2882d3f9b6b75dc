"""Course packages: sessions paid for in advance, used one by one as sessions are attended.

The entries are an append-only ledger; what is left is their sum and can never go below zero.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.courses.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    CoursePackage,
    PackageEntry,
    PackageEntryKind,
    TreatmentCourse,
)
from mesotrack.courses.roles import PACKAGE_CORRECTION_ROLES, PACKAGE_SALE_ROLES, require_role

CURRENCY_LENGTH = 3


@dataclass(frozen=True)
class PackageBalance:
    bought: int
    used: int
    refunded: int
    adjusted: int
    paid: Decimal

    @property
    def remaining(self) -> int:
        return self.bought - self.used - self.refunded + self.adjusted


def package_balance(entries: list[PackageEntry]) -> PackageBalance:
    """The balance of a package from its entries (already loaded)."""

    def total(kind: str) -> int:
        return sum(entry.sessions for entry in entries if entry.kind == kind)

    return PackageBalance(
        bought=total(PackageEntryKind.PURCHASE),
        used=-total(PackageEntryKind.USE),
        refunded=-total(PackageEntryKind.REFUND),
        adjusted=total(PackageEntryKind.ADJUSTMENT),
        paid=sum((entry.amount for entry in entries), Decimal(0)),
    )


def _remaining(packages: list[CoursePackage]) -> dict[int, int]:
    sums = (
        PackageEntry.objects.filter(package__in=packages)
        .values("package")
        .annotate(left=Sum("sessions"))
    )
    return {row["package"]: int(row["left"] or 0) for row in sums}


@transaction.atomic
def package_sell(
    *,
    actor: User,
    course: TreatmentCourse,
    sessions: int,
    price_per_session: Decimal,
    currency: str = "GBP",
) -> CoursePackage:
    """Record a prepaid package of `sessions` sessions of `course`."""
    require_role(
        actor, course.clinic_id, PACKAGE_SALE_ROLES, "You cannot sell packages at this clinic."
    )
    if not course.is_active:
        raise DomainError("Packages can only be sold for a course in progress.", field="sessions")
    currency = (currency or "").strip().upper()
    if len(currency) != CURRENCY_LENGTH or not currency.isalpha():
        raise DomainError(
            "Give the currency as a three-letter code, such as GBP.", field="currency"
        )
    if price_per_session < 0:
        raise DomainError("A price cannot be negative.", field="price_per_session")
    packages = list(CoursePackage.objects.select_for_update().filter(course=course))
    attended = course.appointments.filter(
        kind=AppointmentKind.SESSION, status=AppointmentStatus.ATTENDED
    ).count()
    open_sessions = course.session_count - attended - sum(_remaining(packages).values())
    if not 1 <= sessions <= open_sessions:
        raise DomainError(
            f"Choose from 1 to {open_sessions} sessions: that many are neither done nor paid for."
            if open_sessions > 0
            else "Every remaining session of this course is already paid for.",
            field="sessions",
        )
    total = price_per_session * sessions
    package = CoursePackage(
        course=course,
        sessions=sessions,
        price_per_session=price_per_session,
        total_price=total,
        currency=currency,
        sold_by=actor,
    )
    package.full_clean(exclude=["course", "sold_by"])
    package.save()
    PackageEntry.objects.create(
        package=package,
        kind=PackageEntryKind.PURCHASE,
        sessions=sessions,
        amount=total,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=course.patient,
        obj=package,
        detail={"sessions": sessions, "total": str(total), "currency": currency},
    )
    return package


def package_use(*, actor: User, appointment: Appointment) -> PackageEntry | None:
    """Use one session of the oldest package with sessions left (inside the caller's
    transaction); None when nothing is prepaid."""
    packages = list(
        CoursePackage.objects.select_for_update()
        .filter(course_id=appointment.course_id)
        .order_by("created_at", "id")
    )
    remaining = _remaining(packages)
    package = next((p for p in packages if remaining.get(p.pk, 0) > 0), None)
    if package is None:
        return None
    return PackageEntry.objects.create(
        package=package,
        kind=PackageEntryKind.USE,
        sessions=-1,
        appointment=appointment,
        recorded_by=actor,
    )


@transaction.atomic
def package_correct(
    *,
    actor: User,
    package: CoursePackage,
    kind: str,
    sessions: int,
    amount: Decimal,
    reason: str,
) -> PackageEntry:
    """A refund (sessions and money back) or an adjustment (a correction either way)."""
    require_role(
        actor,
        package.course.clinic_id,
        PACKAGE_CORRECTION_ROLES,
        "Only a manager of this clinic can refund or adjust a package.",
    )
    if kind not in (PackageEntryKind.REFUND, PackageEntryKind.ADJUSTMENT):
        raise DomainError("Choose a refund or an adjustment.", field="kind")
    if not reason.strip():
        raise DomainError("Say why.", field="reason")
    locked = (
        CoursePackage.objects.select_for_update()
        .select_related("course__patient")
        .get(pk=package.pk)
    )
    left = _remaining([locked]).get(locked.pk, 0)
    if kind == PackageEntryKind.REFUND:
        if sessions < 0 or amount < 0:
            raise DomainError("Enter what is refunded as positive numbers.", field="sessions")
        sessions, amount = -sessions, -amount
    if sessions == 0 and amount == 0:
        raise DomainError("Enter a number of sessions or an amount.", field="sessions")
    if left + sessions < 0:
        raise DomainError(
            f"Only {left} session{'s' if left != 1 else ''} of this package are left.",
            field="sessions",
        )
    entry = PackageEntry.objects.create(
        package=locked,
        kind=kind,
        sessions=sessions,
        amount=amount,
        reason=reason.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=locked.course.patient,
        obj=locked,
        detail={"entry": kind, "sessions": sessions, "amount": str(amount), "reason": reason},
    )
    return entry
