"""API test helpers: a token for every actor of the cast and a client that sends it."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from mesotrack.accounts.models import User
from mesotrack.api.services import api_token_issue
from tests.conftest import Cast


class ApiClient:
    """The Django test client (real URLs and middleware) speaking JSON with a bearer token."""

    def __init__(self, secret: str | None) -> None:
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        self.client = Client(headers=headers)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params)

    def post(self, path: str, body: Any = None) -> Any:
        return self.send("post", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.send("patch", path, body)

    def send(self, method: str, path: str, body: Any) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body if body else {})
        return getattr(self.client, method)(path, data, content_type="application/json")


def token_for(user: User) -> str:
    return api_token_issue(user=user, name="tests").secret


@pytest.fixture
def api_for(cast: Cast) -> Callable[[User | None], ApiClient]:
    def make(user: User | None) -> ApiClient:
        return ApiClient(token_for(user) if user else None)

    return make
