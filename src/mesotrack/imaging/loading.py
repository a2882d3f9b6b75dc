"""Safe decoding: check type, file size and pixel count before any pixel is decoded."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

DEFAULT_MAX_BYTES = 30 * 1024 * 1024
DEFAULT_MAX_PIXELS = 24_000_000

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_KNOWN_OTHERS: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"%PDF", "a PDF document"),
    (b"RIFF", "a WebP or other RIFF file"),
)


class ImageRejected(ValueError):
    """The file is not an image the analyser will open; `message` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sniff_format(data: bytes) -> str:
    """The image format named by the file's first bytes, or ImageRejected."""
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    raise ImageRejected(_wrong_type_message(data))


def load_image(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> np.ndarray:
    """Decode a PNG, JPEG or TIFF into an RGB uint8 array (H, W, 3), refusing anything unsafe."""
    if not data:
        raise ImageRejected("The file is empty.")
    if len(data) > max_bytes:
        raise ImageRejected(
            f"The file is {_megabytes(len(data))}; the limit is {_megabytes(max_bytes)}."
        )
    kind = sniff_format(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[kind])
            _check_pixels(image.size, max_pixels)
            image.load()
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageRejected(
                f"The image declares too many pixels to open safely (limit {max_pixels:,})."
            ) from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise ImageRejected(
                f"The {kind} file is damaged or incomplete and cannot be read."
            ) from error
    return _to_rgb(ImageOps.exif_transpose(image))


def load_path(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS
) -> np.ndarray:
    """Read and decode an image file, checking its size on disk before reading it."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ImageRejected(f"The file cannot be read ({error.strerror}).") from error
    if size > max_bytes:
        raise ImageRejected(
            f"The file is {_megabytes(size)}; the limit is {_megabytes(max_bytes)}."
        )
    return load_image(path.read_bytes(), max_bytes=max_bytes, max_pixels=max_pixels)


def as_rgb_array(image: np.ndarray | bytes | Path) -> np.ndarray:
    """Accept an array, encoded bytes or a path; return an RGB uint8 array."""
    if isinstance(image, Path):
        return load_path(image)
    if isinstance(image, bytes | bytearray):
        return load_image(bytes(image))
    return _array_to_rgb(np.asarray(image))


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise ImageRejected("The image has no pixels.")
    if width * height > max_pixels:
        raise ImageRejected(
            f"The image is {width}×{height} pixels; the limit is {max_pixels:,} pixels."
        )


def _to_rgb(image: Image.Image) -> np.ndarray:
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        return _array_to_rgb(np.asarray(image))
    if image.mode != "RGB":
        image = image.convert("RGB")
    return np.ascontiguousarray(np.asarray(image, dtype=np.uint8))


def _array_to_rgb(array: np.ndarray) -> np.ndarray:
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4) or min(array.shape[:2]) < 1:
        raise ImageRejected("The image must be a greyscale, RGB or RGBA picture.")
    array = array[:, :, :3]
    if array.dtype == np.uint8:
        return np.ascontiguousarray(array)
    values = array.astype(np.float64)
    if np.issubdtype(array.dtype, np.floating) and values.max(initial=0.0) <= 1.0:
        values = values * 255.0
    elif values.max(initial=0.0) > 255.0:
        values = values * (255.0 / values.max())
    return np.clip(values + 0.5, 0, 255).astype(np.uint8)


def _wrong_type_message(data: bytes) -> str:
    head = data[:512].lstrip()
    for signature, name in _KNOWN_OTHERS:
        if data.startswith(signature):
            return f"The file is {name}; only PNG, JPEG and TIFF images are accepted."
    lowered = head.lower()
    if lowered.startswith((b"<?xml", b"<svg", b"<!doctype", b"<html")) or b"<svg" in lowered:
        return (
            "The file is an SVG or other markup document; "
            "only PNG, JPEG and TIFF images are accepted."
        )
    return "The file is not a PNG, JPEG or TIFF image."


def _megabytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"
