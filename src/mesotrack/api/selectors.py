"""Reads of API tokens."""

from mesotrack.api.models import SECRET_PREFIX, ApiToken, hash_secret


def api_token_for_secret(*, secret: str) -> ApiToken | None:
    """The token whose secret this is, with its user; None for anything unknown."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
