import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from mesotrack.imaging import ImageRejected, load_image
from mesotrack.imaging.loading import as_rgb_array, load_path


def _encode(image: Image.Image, kind: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=kind)
    return buffer.getvalue()


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: the classic decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _refusal(data: bytes, **limits: int) -> str:
    with pytest.raises(ImageRejected) as caught:
        load_image(data, **limits)
    return caught.value.message


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "TIFF"])
def test_it_decodes_png_jpeg_and_tiff_to_rgb(kind: str) -> None:
    image = Image.new("RGB", (32, 24), (200, 150, 120))

    pixels = load_image(_encode(image, kind))

    assert pixels.shape == (24, 32, 3)
    assert pixels.dtype == np.uint8
    assert abs(int(pixels[0, 0, 0]) - 200) <= 3


def test_it_scales_16_bit_tiff_down_to_8_bit() -> None:
    grey = Image.fromarray(np.full((8, 8), 65535, dtype=np.uint16))

    pixels = load_image(_encode(grey, "TIFF"))

    assert pixels.shape == (8, 8, 3)
    assert int(pixels.max()) == 255


def test_it_refuses_an_empty_file() -> None:
    assert _refusal(b"") == "The file is empty."


def test_it_refuses_a_file_over_the_size_limit_before_reading_it() -> None:
    data = b"\x89PNG\r\n\x1a\n" + b"\0" * 5112

    assert _refusal(data, max_bytes=1000) == "The file is 5 KB; the limit is 1000 bytes."


def test_it_refuses_a_gif() -> None:
    data = _encode(Image.new("RGB", (8, 8)), "GIF")

    assert _refusal(data) == "The file is a GIF image; only PNG, JPEG and TIFF images are accepted."


def test_it_refuses_an_svg_carrying_a_script() -> None:
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(document.cookie)</script></svg>"
    )

    assert _refusal(svg) == (
        "The file is an SVG or other markup document; only PNG, JPEG and TIFF images are accepted."
    )


def test_it_refuses_a_text_file_named_like_an_image() -> None:
    assert _refusal(b"patient notes, not a picture") == "The file is not a PNG, JPEG or TIFF image."


def test_it_refuses_a_truncated_png() -> None:
    noise = np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    data = _encode(Image.fromarray(noise), "PNG")

    assert (
        _refusal(data[: len(data) // 2])
        == "The PNG file is damaged or incomplete and cannot be read."
    )


def test_it_refuses_huge_declared_dimensions_without_decoding() -> None:
    data = _png_declaring(10_000, 5_000)

    assert len(data) < 200
    assert _refusal(data) == "The image is 10000×5000 pixels; the limit is 24,000,000 pixels."


def test_pillows_own_bomb_guard_is_reported_clearly() -> None:
    data = _png_declaring(100_000, 100_000)

    assert _refusal(data) == (
        "The image declares too many pixels to open safely (limit 24,000,000)."
    )


def test_it_refuses_a_decompression_bomb_under_a_lower_pixel_limit() -> None:
    data = _encode(Image.new("L", (3000, 3000)), "PNG")

    assert len(data) < 50_000
    assert _refusal(data, max_pixels=1_000_000) == (
        "The image is 3000×3000 pixels; the limit is 1,000,000 pixels."
    )


def test_load_path_checks_the_size_on_disk_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 5000)

    with pytest.raises(ImageRejected, match="The file is 5 KB; the limit is 1000 bytes."):
        load_path(path, max_bytes=1000)


def test_arrays_of_any_depth_become_rgb_uint8() -> None:
    assert as_rgb_array(np.zeros((4, 5), dtype=np.uint8)).shape == (4, 5, 3)
    assert as_rgb_array(np.ones((4, 5, 4), dtype=np.float32))[0, 0, 0] == 255
    with pytest.raises(ImageRejected, match="greyscale, RGB or RGBA"):
        as_rgb_array(np.zeros((4, 5, 2), dtype=np.uint8))
