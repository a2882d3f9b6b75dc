"""Where clinical images live: under MEDIA_ROOT (var/), which no URL serves.

Every image goes out through an access-checked, audited view; there is no MEDIA_URL route, and
these files never pass through the static files pipeline.
"""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage


class NoPublicUrl(PermissionError):
    """Clinical images are only ever served through views that check access and audit."""


class PrivateImageStorage(FileSystemStorage):
    """MEDIA_ROOT, with files readable by the server's user only."""

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    def url(self, name: str | None) -> str:
        raise NoPublicUrl("Clinical images have no public URL; use the audited views.")


def private_storage() -> Storage:
    return PrivateImageStorage()


def random_name(folder: str, extension: str, token: str | None = None) -> str:
    """An unguessable file name that says nothing about the patient."""
    return f"{folder}/{token or secrets.token_hex(16)}.{extension}"


def store(storage: Storage, name: str, data: bytes) -> str:
    return storage.save(name, ContentFile(data))
