"""The API tests' client fixture, shared with tests/api."""

from tests.api.conftest import api_for  # noqa: F401
