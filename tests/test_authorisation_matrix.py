"""Every page route, every kind of user: the response must match the route's access declaration.

Routes are enumerated from the URL resolver, so a new page is covered as soon as it exists. A route
without an access declaration fails here. URL arguments are filled from `URL_ARGUMENTS` below and
from each test package's `matrix.py` (a dict `URL_ARGUMENTS` of name → function of the cast).
"""

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from mesotrack.accounts.access import Access
from tests.conftest import ACTORS, Cast

# Routes outside the matrix: Django's own admin (staff-only by its own checks) and the JSON API,
# which has its own matrix in tests/api.
EXCLUDED_PREFIXES = ("admin/", "api/")

URL_ARGUMENTS: dict[str, Callable[[Cast], Any]] = {"patient_id": lambda cast: cast.patient.pk}


def _package_arguments() -> dict[str, Callable[[Cast], Any]]:
    found = dict(URL_ARGUMENTS)
    for module in pkgutil.iter_modules(tests.__path__):
        try:
            matrix = importlib.import_module(f"tests.{module.name}.matrix")
        except ModuleNotFoundError:
            continue
        found.update(matrix.URL_ARGUMENTS)
    return found


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        else:
            yield route, entry


ROUTES = [
    (route, pattern)
    for route, pattern in _routes(get_resolver())
    if not route.startswith(EXCLUDED_PREFIXES)
]


def _concrete_path(route: str, cast: Cast) -> str:
    import re

    arguments = _package_arguments()

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in arguments:
            raise AssertionError(f"Add a URL_ARGUMENTS entry for <{name}> used by {route!r}")
        return str(arguments[name](cast))

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", fill, route)


def _expected(access: Access, actor: str, cast: Cast, route: str) -> str:
    if access.public:
        return "any"
    if actor == "anonymous":
        return "login"
    user = cast.by_name(actor)
    roles = {m.role for m in user.memberships.all()} if user else set()
    if not roles & access.roles:
        return "forbidden"
    if actor == "other_practitioner" and "<int:patient_id>" in route:
        return "not_found"
    return "allowed"


def test_every_route_declares_who_may_use_it() -> None:
    undeclared = [
        r
        for r, p in ROUTES
        if not isinstance(getattr(p.callback, "mesotrack_access", None), Access)
    ]
    assert undeclared == [], (
        f"Decorate these views with @staff_required(...) or @public: {undeclared}"
    )


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route,pattern", ROUTES, ids=[r for r, _ in ROUTES])
def test_route_answers_each_actor_as_declared(route, pattern, actor, cast, client_for) -> None:
    access: Access = pattern.callback.mesotrack_access
    response = client_for(cast.by_name(actor)).get(_concrete_path(route, cast))
    expected = _expected(access, actor, cast, route)
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif expected == "forbidden":
        assert response.status_code == 403
    elif expected == "not_found":
        assert response.status_code == 404
    elif expected == "allowed":
        assert response.status_code in (200, 302, 405), response.status_code
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"]
    else:
        assert response.status_code < 500


PATIENT_ROUTES = [(route, pattern) for route, pattern in ROUTES if "<int:patient_id>" in route]


@pytest.mark.parametrize("route,pattern", PATIENT_ROUTES, ids=[r for r, _ in PATIENT_ROUTES])
def test_every_page_showing_a_patient_writes_a_view_audit_event(route, pattern, cast, client_for):
    from mesotrack.audit.models import AuditEvent

    access: Access = pattern.callback.mesotrack_access
    actor = next(
        name
        for name in ["practitioner", "manager", "nurse", "receptionist"]
        if {m.role for m in cast.by_name(name).memberships.all()} & access.roles
    )
    path = _concrete_path(route, cast)
    before = AuditEvent.objects.filter(patient_id=cast.patient.pk).count()
    response = client_for(cast.by_name(actor)).get(path)
    if response.status_code != 200:
        pytest.fail(f"GET {path} as {actor} answered {response.status_code}; expected a page")
    events = AuditEvent.objects.filter(patient_id=cast.patient.pk).order_by("id")[before:]
    assert [e.action for e in events] and all(e.action == "view" for e in events), path
