"""Every API operation, every kind of user: the answer must match the operation's declaration.

Operations are enumerated from the NinjaAPI itself (the routers it serves, cross-checked against
its OpenAPI schema), so a new endpoint is covered as soon as it exists; one without an
`api_staff_required` declaration fails here. Path parameters other than `patient_id` are filled
from each test package's `matrix.py` (`API_ARGUMENTS`, name → function of the cast).
"""

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from ninja import NinjaAPI, Router

import tests
from mesotrack.accounts.access import Access
from mesotrack.api.auth import BearerAuth
from mesotrack.api.main import api
from mesotrack.audit.models import Action, AuditEvent
from tests.conftest import ACTORS, Cast

API_ARGUMENTS: dict[str, Callable[[Cast], Any]] = {"patient_id": lambda cast: cast.patient.pk}


@dataclass(frozen=True)
class ApiOperation:
    method: str
    path: str
    access: Access | None
    auth_roles: list[frozenset[str]]


def _operations(ninja_api: NinjaAPI) -> list[ApiOperation]:
    # The walk ninja's own schema generator makes over the mounted routers.
    found = []
    for bound_router in ninja_api._get_bound_routers():
        for path, path_view in bound_router.path_operations.items():
            full_path = re.sub("/+", "/", f"/{bound_router.prefix}/{path}")
            for operation in path_view.operations:
                access = getattr(operation.view_func, "mesotrack_access", None)
                auth_roles = [
                    frozenset(r.value for r in auth.roles)
                    for auth in operation.auth_callbacks
                    if isinstance(auth, BearerAuth)
                ]
                for method in operation.methods:
                    path = "/" + full_path.strip("/")
                    found.append(ApiOperation(method, path, access, auth_roles))
    return found


OPERATIONS = _operations(api)


def _arguments() -> dict[str, Callable[[Cast], Any]]:
    found = dict(API_ARGUMENTS)
    for module in pkgutil.iter_modules(tests.__path__):
        try:
            matrix = importlib.import_module(f"tests.{module.name}.matrix")
        except ModuleNotFoundError:
            continue
        found.update(getattr(matrix, "API_ARGUMENTS", {}))
    return found


def _concrete_path(operation: ApiOperation, cast: Cast) -> str:
    arguments = _arguments()

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in arguments:
            raise AssertionError(f"Add an API_ARGUMENTS entry for {{{name}}} ({operation.path})")
        return str(arguments[name](cast))

    return "/api/v1" + re.sub(r"\{(?:\w+:)?(?P<name>\w+)\}", fill, operation.path)


def _expected(access: Access, actor: str, cast: Cast, operation: ApiOperation) -> str:
    if actor == "anonymous":
        return "unauthenticated"
    user = cast.by_name(actor)
    roles = {m.role for m in user.memberships.all()} if user else set()
    if not roles & access.roles:
        return "forbidden"
    if actor == "other_practitioner" and "patient_id" in operation.path:
        return "not_found"
    return "allowed"


def test_the_matrix_sees_every_operation_in_the_published_schema() -> None:
    schema_paths = api.get_openapi_schema(path_prefix="")["paths"]
    published = {
        (method.upper(), "/" + path.strip("/"))
        for path, methods in schema_paths.items()
        for method in methods
    }
    enumerated = {(op.method, re.sub(r"\{\w+:", "{", op.path)) for op in OPERATIONS}
    assert enumerated == published
    assert {
        ("GET", "/patients"),
        ("POST", "/patients"),
        ("GET", "/patients/{patient_id}"),
        ("PATCH", "/patients/{patient_id}"),
    } <= published


def _undeclared(operations: list[ApiOperation]) -> list[str]:
    return [f"{op.method} {op.path}" for op in operations if op.access is None]


def test_every_operation_declares_who_may_use_it() -> None:
    undeclared = _undeclared(OPERATIONS)
    assert undeclared == [], (
        f"Decorate these operations with @api_staff_required(...): {undeclared}"
    )


def test_an_operation_without_a_declaration_is_caught() -> None:
    probe = NinjaAPI(urls_namespace="matrix-probe")
    router = Router()

    @router.get("/forgotten")
    def forgotten(request: Any) -> dict[str, str]:
        return {}

    probe.add_router("/probe", router)
    assert _undeclared(_operations(probe)) == ["GET /probe/forgotten"]


def test_every_operation_checks_its_declared_roles_before_reading_input() -> None:
    mismatched = [
        f"{op.method} {op.path}"
        for op in OPERATIONS
        if op.access is not None and op.auth_roles != [op.access.roles]
    ]
    assert mismatched == []


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    "operation", OPERATIONS, ids=[f"{op.method} {op.path}" for op in OPERATIONS]
)
def test_operation_answers_each_actor_as_declared(operation, actor, cast, api_for) -> None:
    assert operation.access is not None
    user = cast.by_name(actor)
    client = api_for(user)
    path = _concrete_path(operation, cast)
    if operation.method == "GET":
        response = client.get(path)
    else:
        response = client.send(operation.method.lower(), path, {})
    expected = _expected(operation.access, actor, cast, operation)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    if expected == "unauthenticated":
        assert response.status_code == 401
    elif expected == "forbidden":
        assert response.status_code == 403
        assert AuditEvent.objects.filter(
            actor=user, action=Action.PERMISSION_DENIED, detail__path=path
        ).exists()
    elif expected == "not_found":
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 201, 400, 409, 422), response.json()
