"""Checking and cleaning uploaded images before anything is stored.

The imaging package's `load_image` (through analyser.load_pixels) refuses a file by its type,
its size and its declared pixel count before decoding a pixel. The pixels it returns are then
encoded afresh, so nothing of the original file (EXIF, GPS, maker notes, comments, embedded
scripts) is kept, except the capture time, which goes into its own field.
"""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

import numpy as np
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from PIL import Image

from mesotrack.core.errors import DomainError
from mesotrack.outcomes.analyser import ImageRefused, load_pixels

MEGABYTE = 1024 * 1024
EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
EARLIEST_CAPTURE_YEAR = 1990


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int
    max_pixels: int
    encode_as: str  # "JPEG" or "PNG"


# Clinical photographs from a camera or phone (up to about 48 MP sensors, binned).
PHOTO_LIMITS = ImageLimits(max_bytes=25 * MEGABYTE, max_pixels=40_000_000, encode_as="JPEG")
# Trichoscopy fields are stored losslessly: the analyser and the reviewer see the same pixels.
TRICHOSCOPY_LIMITS = ImageLimits(max_bytes=30 * MEGABYTE, max_pixels=24_000_000, encode_as="PNG")
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png"}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str
    captured_at: dt.datetime | None
    pixels: np.ndarray


def encode(pixels: np.ndarray, encode_as: str) -> bytes:
    buffer = io.BytesIO()
    image = Image.fromarray(pixels)
    if encode_as == "JPEG":
        image.save(buffer, format="JPEG", quality=90, optimize=True)
    else:
        image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def capture_time(data: bytes) -> dt.datetime | None:
    """EXIF DateTimeOriginal (with its offset if the camera wrote one), read from the header.

    Called only on a file `load_image` has accepted. A missing, unreadable or implausible time
    (a camera clock in the future or before 1990) gives None.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif().get_ifd(EXIF_IFD)
    except (OSError, ValueError, SyntaxError):
        return None
    raw, offset = exif.get(DATE_TIME_ORIGINAL), exif.get(OFFSET_TIME_ORIGINAL)
    if not isinstance(raw, str):
        return None
    try:
        moment = dt.datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
        if isinstance(offset, str) and offset.strip():
            moment = dt.datetime.strptime(
                f"{raw.strip()} {offset.strip().rstrip(chr(0))}", "%Y:%m:%d %H:%M:%S %z"
            )
        else:
            moment = timezone.make_aware(moment)
    except (ValueError, OverflowError):
        return None
    if moment.year < EARLIEST_CAPTURE_YEAR or moment > timezone.now() + dt.timedelta(days=1):
        return None
    return moment


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f} MB"


def read_upload(upload: UploadedFile, limits: ImageLimits) -> bytes:
    """The uploaded file's bytes, refusing an oversized file before reading it into memory."""
    size = upload.size or 0
    if size > limits.max_bytes:
        raise DomainError(
            f"The file is {_megabytes(size)}; the limit is {_megabytes(limits.max_bytes)}.",
            field="image",
            code="image_rejected",
        )
    upload.seek(0)
    return upload.read()


def cleaned_image(data: bytes, limits: ImageLimits) -> CleanImage:
    """The upload, checked and re-encoded without metadata; DomainError (field "image") if the
    file is empty, too big, declares too many pixels, is damaged or is not a PNG/JPEG/TIFF."""
    try:
        pixels = load_pixels(data, max_bytes=limits.max_bytes, max_pixels=limits.max_pixels)
    except ImageRefused as error:
        raise DomainError(error.message, field="image", code="image_rejected") from None
    encoded = encode(pixels, limits.encode_as)
    return CleanImage(
        data=encoded,
        content_type=CONTENT_TYPES[limits.encode_as],
        extension=EXTENSIONS[limits.encode_as],
        width=int(pixels.shape[1]),
        height=int(pixels.shape[0]),
        sha256=hashlib.sha256(encoded).hexdigest(),
        captured_at=capture_time(data),
        pixels=pixels,
    )


def thumbnail(data: bytes, longest_side: int = 360) -> bytes:
    """A small JPEG of an image this app stored (already checked and cleaned)."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (longest_side, longest_side))
        small = image.convert("RGB")
        small.thumbnail((longest_side, longest_side))
        buffer = io.BytesIO()
        small.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()
