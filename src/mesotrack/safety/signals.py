"""Safety signals: adverse-event rates per 100 signed sessions by practitioner, recipe,
ingredient, lot or clinic over a period, each tested against its clinic-wide rate.

Counting happens in the database (GROUP BY), never by looping over sessions: one scan of the
sessions, grouped by (clinic, practitioner, recipe version) and counting those with an event,
serves every grouping but lots, which runs the same count over the lots drawn. Python then only
adds up those few groups.

The count tested is sessions with at least one adverse event, so it never exceeds the sessions
as the binomial test needs: the rate is of sessions followed by an adverse event. A group is
compared with the rate of its own clinic; a clinic with the rate of every clinic in view. The
group's own sessions are part of that rate, which makes the test a little conservative.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mesotrack.accounts.models import Clinic, Role, User
from mesotrack.accounts.selectors import AnyUser, clinic_ids_for
from mesotrack.charting.models import SessionLotUse, SessionStatus, TreatmentSession
from mesotrack.formulary.models import (
    Lot,
    MovementKind,
    RecipeComponent,
    RecipeVersion,
    StockMovement,
)
from mesotrack.rules.loader import load_table
from mesotrack.safety.models import AdverseEvent
from mesotrack.safety.statistics import RateResult, rate_result

Grouping = Literal["practitioner", "recipe", "ingredient", "lot", "clinic"]
GROUPINGS: dict[str, str] = {
    "practitioner": "Practitioner",
    "recipe": "Recipe",
    "ingredient": "Ingredient",
    "lot": "Lot",
    "clinic": "Clinic",
}
SIGNAL_ROLES = (Role.MANAGER, Role.PRACTITIONER)
Key = tuple[int, int | None, int | None]  # clinic, practitioner, recipe version
GroupKey = int | str | None


@dataclass(frozen=True)
class Counts:
    sessions: int = 0
    sessions_with_event: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.sessions + other.sessions, self.sessions_with_event + other.sessions_with_event
        )


@dataclass(frozen=True)
class SignalRow:
    clinic: str
    key: str
    label: str
    result: RateResult


@dataclass(frozen=True)
class SignalReport:
    grouping: str
    start: dt.date
    end: dt.date
    rows: list[SignalRow]
    own_only: bool  # the user sees only their own sessions (a practitioner, not a manager)

    @property
    def flagged(self) -> list[SignalRow]:
        return [row for row in self.rows if row.result.flagged]


@dataclass(frozen=True)
class _Scope:
    clinic_ids: set[int]
    own_clinic_ids: set[int]  # clinics where only the user's own sessions are shown
    user_id: int | None

    def shows(self, clinic_id: int, practitioner_id: int | None) -> bool:
        return clinic_id not in self.own_clinic_ids or practitioner_id == self.user_id


def _scope(user: AnyUser) -> _Scope:
    managed = clinic_ids_for(user, [Role.MANAGER])
    practised = clinic_ids_for(user, [Role.PRACTITIONER]) - managed
    return _Scope(managed | practised, practised, user.pk if user.is_authenticated else None)


def _period(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end] as local-time instants: from start's midnight to the midnight after end."""
    zone = timezone.get_current_timezone()
    after = end + dt.timedelta(days=1)
    return dt.datetime.combine(start, dt.time.min, zone), dt.datetime.combine(
        after, dt.time.min, zone
    )


def _signed_in(scope: _Scope, start: dt.date, end: dt.date) -> Q:
    low, high = _period(start, end)
    return Q(
        clinic_id__in=scope.clinic_ids,
        status=SessionStatus.SIGNED,
        signed_at__gte=low,
        signed_at__lt=high,
    )


def _sessions(scope: _Scope, start: dt.date, end: dt.date) -> QuerySet[TreatmentSession]:
    return TreatmentSession.objects.filter(_signed_in(scope, start, end))


def _with_event(scope: _Scope, field: str = "pk") -> Q:
    # An uncorrelated IN: PostgreSQL hashes the event table's session ids once, so sessions
    # and sessions with an event are counted in one scan of the sessions.
    events = AdverseEvent.objects.filter(clinic_id__in=scope.clinic_ids, session__isnull=False)
    return Q(**{f"{field}__in": events.values("session_id")})


def _by_group(scope: _Scope, start: dt.date, end: dt.date) -> dict[Key, Counts]:
    counts: dict[Key, Counts] = defaultdict(Counts)
    grouped = _sessions(scope, start, end).values(
        "clinic_id", "practitioner_id", "recipe_version_id"
    )
    for row in grouped.annotate(n=Count("id"), k=Count("id", filter=_with_event(scope))):
        key = (row["clinic_id"], row["practitioner_id"], row["recipe_version_id"])
        counts[key] += Counts(sessions=row["n"], sessions_with_event=row["k"])
    return counts


def _baselines(counts: dict[Key, Counts]) -> dict[int, Counts]:
    clinics: dict[int, Counts] = defaultdict(Counts)
    for (clinic_id, _, _), value in counts.items():
        clinics[clinic_id] += value
    return clinics


def _rate(counts: Counts) -> float:
    return counts.sessions_with_event / counts.sessions if counts.sessions else 0.0


def _fold(
    counts: dict[Key, Counts], scope: _Scope, key_of: "KeyFunction"
) -> dict[tuple[int, GroupKey], Counts]:
    folded: dict[tuple[int, GroupKey], Counts] = defaultdict(Counts)
    for (clinic_id, person, version), value in counts.items():
        if not scope.shows(clinic_id, person):
            continue
        for group_key in key_of(clinic_id, person, version):
            folded[(clinic_id, group_key)] += value
    return folded


class KeyFunction:
    """Maps one (clinic, practitioner, recipe version) group to the grouping's keys."""

    def __init__(
        self, grouping: str, ingredients: dict[int, set[str]], recipes: dict[int, int]
    ) -> None:
        self.grouping = grouping
        self.ingredients = ingredients
        self.recipes = recipes

    def __call__(self, clinic_id: int, person: int | None, version: int | None) -> list[GroupKey]:
        if self.grouping == "practitioner":
            return [person]
        if self.grouping == "clinic":
            return [clinic_id]
        if self.grouping == "recipe":
            return [self.recipes.get(version) if version else None]
        return list(sorted(self.ingredients.get(version, set()))) if version else []


VersionMaps = tuple[dict[int, set[str]], dict[int, int], dict[int, str]]


def _version_maps(counts: dict[Key, Counts]) -> VersionMaps:
    versions = {version for (_, _, version) in counts if version}
    ingredients: dict[int, set[str]] = defaultdict(set)
    lines = RecipeComponent.objects.filter(version_id__in=versions).values_list(
        "version_id", "product__composition__ingredient_code"
    )
    for version, code in lines:
        if code:
            ingredients[version].add(code)
    recipes: dict[int, int] = {}
    names: dict[int, str] = {}
    for version, recipe_id, name in RecipeVersion.objects.filter(pk__in=versions).values_list(
        "pk", "recipe_id", "recipe__name"
    ):
        recipes[version] = recipe_id
        names[recipe_id] = name
    return ingredients, recipes, names


def _signed_uses(scope: _Scope, start: dt.date, end: dt.date) -> QuerySet[SessionLotUse]:
    """Lot draws of the scope's signed sessions, by the clinic and time copied at signing: one
    table scanned, no join to the sessions unless the user sees only their own."""
    low, high = _period(start, end)
    uses = SessionLotUse.objects.filter(
        signed_clinic_id__in=scope.clinic_ids, signed_at__gte=low, signed_at__lt=high
    )
    if scope.own_clinic_ids:
        uses = uses.filter(
            Q(signed_clinic_id__in=scope.clinic_ids - scope.own_clinic_ids)
            | Q(session__practitioner_id=scope.user_id)
        )
    return uses


def _batch_lots(uses: QuerySet[SessionLotUse]) -> dict[int, set[int]]:
    batch_lots: dict[int, set[int]] = defaultdict(set)
    batch_ids = uses.filter(batch__isnull=False).values("batch_id").distinct()
    for batch_id, lot_id in (
        StockMovement.objects.filter(batch_id__in=batch_ids, kind=MovementKind.USE)
        .values_list("batch_id", "lot_id")
        .distinct()
    ):
        batch_lots[batch_id].add(lot_id)
    return batch_lots


def _lot_counts(scope: _Scope, start: dt.date, end: dt.date) -> dict[tuple[int, GroupKey], Counts]:
    """Sessions and sessions with events per lot drawn, directly or through a prepared batch.

    Counted per lot use: a session recording two draws of one lot counts twice for that lot
    (charting records one line per lot, so this is rare); distinct counts cost twice the time.
    A use has either a lot or a batch, so one grouped scan counts both kinds of draw; the draws
    of sessions with an event are counted apart, a semi-join on the few sessions with events,
    which PostgreSQL runs far faster than a filtered count over every draw.
    """
    uses = _signed_uses(scope, start, end).order_by()  # Meta.ordering would add a join
    batch_lots = _batch_lots(uses)
    columns = ("lot_id", "batch_id", "signed_clinic_id")
    drawn = uses.values(*columns).annotate(n=Count("id"))
    with_event = (
        uses.filter(_with_event(scope, "session_id")).values(*columns).annotate(n=Count("id"))
    )
    folded: dict[tuple[int, GroupKey], Counts] = defaultdict(Counts)
    for rows, as_counts in ((drawn, lambda n: Counts(n, 0)), (with_event, lambda n: Counts(0, n))):
        for row in rows:
            lots = [row["lot_id"]] if row["lot_id"] else sorted(batch_lots[row["batch_id"]])
            for lot_id in lots:
                folded[(row["signed_clinic_id"], lot_id)] += as_counts(row["n"])
    return folded


def _labels(
    grouping: str, keys: set[GroupKey], recipe_names: dict[int, str]
) -> dict[GroupKey, str]:
    if grouping == "practitioner":
        users = User.objects.filter(pk__in=[k for k in keys if k])
        return {user.pk: user.get_full_name() or user.username for user in users}
    if grouping == "recipe":
        named: dict[GroupKey, str] = {None: "No recipe (e.g. PRP)"}
        named.update(recipe_names.items())
        return named
    if grouping == "ingredient":
        table = load_table("ingredients")
        return {key: table.label(str(key)) for key in keys}
    if grouping == "lot":
        lots = Lot.objects.filter(pk__in=keys).select_related("product")
        return {lot.pk: f"{lot.product.name} lot {lot.lot_number}" for lot in lots}
    return {}


def safety_signal_report(
    *, user: AnyUser, start: dt.date, end: dt.date, grouping: str
) -> SignalReport:
    """Rates per 100 signed sessions in [start, end] by `grouping`, flagged against baselines.

    Managers see every session of their clinics; a practitioner sees their own sessions, tested
    against their clinic's rate. A fixed number of queries whatever the volume.
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"Unknown grouping {grouping!r}")
    scope = _scope(user)
    counts = _by_group(scope, start, end)
    baselines = _baselines(counts)
    needs_versions = grouping in ("recipe", "ingredient")
    ingredients, recipes, recipe_names = _version_maps(counts) if needs_versions else ({}, {}, {})
    if grouping == "lot":
        folded = _lot_counts(scope, start, end)
    else:
        folded = _fold(counts, scope, KeyFunction(grouping, ingredients, recipes))
    clinic_names = dict(Clinic.objects.filter(pk__in=scope.clinic_ids).values_list("pk", "name"))
    labels: dict[GroupKey, str] = (
        {clinic_id: name for clinic_id, name in clinic_names.items()}
        if grouping == "clinic"
        else _labels(grouping, {key for _, key in folded}, recipe_names)
    )
    overall = sum(baselines.values(), Counts())
    rows = []
    for (clinic_id, key), value in folded.items():
        baseline = overall if grouping == "clinic" else baselines[clinic_id]
        rows.append(
            SignalRow(
                clinic=clinic_names.get(clinic_id, ""),
                key=str(key) if key is not None else "",
                label=labels.get(key, str(key) if key is not None else "—"),
                result=rate_result(value.sessions_with_event, value.sessions, _rate(baseline)),
            )
        )
    rows.sort(key=lambda r: (not r.result.flagged, -r.result.rate_per_100, r.clinic, r.label))
    return SignalReport(grouping, start, end, rows, own_only=bool(scope.own_clinic_ids))
