"""Checks on a drawn signature before it is stored.

The size and the PNG header are checked from the raw bytes first, so a hostile upload (a huge or
decompression-bomb image) is refused before Pillow decodes a single pixel.
"""

import base64
import binascii
import io
import struct

from PIL import Image, UnidentifiedImageError

from mesotrack.core.errors import DomainError

MAX_SIGNATURE_BYTES = 200 * 1024
MAX_SIGNATURE_WIDTH = 1600
MAX_SIGNATURE_HEIGHT = 800
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_URL_PREFIX = "data:image/png;base64,"

MISSING_MESSAGE = (
    "Ask the patient to draw their signature in the box. A drawn signature is required; "
    "the witness then confirms they saw it."
)
NOT_PNG_MESSAGE = (
    "The signature must be a PNG image drawn in the signature box. Clear it and sign again."
)
TOO_LARGE_MESSAGE = "The signature image is larger than 200 KB. Clear it and sign again."
TOO_WIDE_MESSAGE = "The signature image is larger than 1600 × 800 pixels. Clear it and sign again."
BLANK_MESSAGE = "The signature box is empty. Ask the patient to sign in the box."


def signature_from_data_url(value: str) -> bytes:
    """The PNG bytes inside a `data:image/png;base64,...` URL from the signature pad."""
    value = value.strip()
    if not value:
        raise DomainError(MISSING_MESSAGE, field="signature")
    if not value.startswith(DATA_URL_PREFIX):
        raise DomainError(NOT_PNG_MESSAGE, field="signature")
    encoded = value[len(DATA_URL_PREFIX) :]
    # base64 is 4/3 of the size: refuse before decoding anything far too large.
    if len(encoded) > (MAX_SIGNATURE_BYTES * 4) // 3 + 4:
        raise DomainError(TOO_LARGE_MESSAGE, field="signature")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError(NOT_PNG_MESSAGE, field="signature") from None


def signature_png_check(data: bytes) -> tuple[int, int]:
    """Refuse anything but a real, non-blank PNG of sane size; returns (width, height)."""
    if not data:
        raise DomainError(MISSING_MESSAGE, field="signature")
    if len(data) > MAX_SIGNATURE_BYTES:
        raise DomainError(TOO_LARGE_MESSAGE, field="signature")
    if len(data) < 33 or not data.startswith(PNG_MAGIC) or data[12:16] != b"IHDR":
        raise DomainError(NOT_PNG_MESSAGE, field="signature")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_SIGNATURE_WIDTH and 0 < height <= MAX_SIGNATURE_HEIGHT):
        raise DomainError(TOO_WIDE_MESSAGE, field="signature")
    image = _decoded(data)
    if image.size != (width, height):
        raise DomainError(NOT_PNG_MESSAGE, field="signature")
    if _is_blank(image):
        raise DomainError(BLANK_MESSAGE, field="signature")
    return width, height


def _decoded(data: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != "PNG":
                raise DomainError(NOT_PNG_MESSAGE, field="signature")
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(NOT_PNG_MESSAGE, field="signature") from None
    return image


def _is_blank(image: Image.Image) -> bool:
    # Transparent pixels count as paper: flatten onto white, then look for any ink at all.
    flattened = Image.new("RGBA", image.size, "white")
    flattened.alpha_composite(image.convert("RGBA"))
    lowest, highest = flattened.convert("L").getextrema()
    return lowest == highest
