import base64
import io
import struct
import zlib

import pytest
from PIL import Image

from mesotrack.consent.signatures import (
    BLANK_MESSAGE,
    MISSING_MESSAGE,
    NOT_PNG_MESSAGE,
    TOO_LARGE_MESSAGE,
    TOO_WIDE_MESSAGE,
    signature_from_data_url,
    signature_png_check,
)
from mesotrack.core.errors import DomainError
from tests.consent.factories import data_url, png_bytes


def _refusal(data: bytes) -> str:
    with pytest.raises(DomainError) as refused:
        signature_png_check(data)
    assert refused.value.field == "signature"
    return refused.value.message


def _png_header_only(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def test_it_accepts_a_drawn_png_and_reports_its_size():
    assert signature_png_check(png_bytes((600, 200))) == (600, 200)


def test_it_accepts_ink_on_a_white_background_too():
    assert signature_png_check(png_bytes(mode="RGB")) == (300, 100)


def test_it_refuses_a_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "white").save(buffer, format="JPEG")
    assert _refusal(buffer.getvalue()) == NOT_PNG_MESSAGE


def test_it_refuses_text_pretending_to_be_a_png():
    assert _refusal(b"\x89PNG\r\n\x1a\n" + b"not really an image" * 4) == NOT_PNG_MESSAGE


def test_it_refuses_a_truncated_png():
    data = png_bytes()
    assert _refusal(data[: len(data) // 2]) == NOT_PNG_MESSAGE


def test_it_refuses_more_than_200_kb_before_decoding():
    assert _refusal(png_bytes() + b"\0" * (200 * 1024)) == TOO_LARGE_MESSAGE


def test_it_refuses_huge_dimensions_from_the_header_alone():
    # A header claiming 100,000 × 100,000 pixels is refused without decoding any pixel data.
    assert _refusal(_png_header_only(100_000, 100_000)) == TOO_WIDE_MESSAGE


def test_it_refuses_an_image_wider_than_1600_pixels():
    assert _refusal(png_bytes((1601, 100))) == TOO_WIDE_MESSAGE


def test_it_refuses_an_empty_canvas():
    assert _refusal(png_bytes(ink=False)) == BLANK_MESSAGE


def test_it_asks_for_a_signature_when_there_is_none():
    assert _refusal(b"") == MISSING_MESSAGE
    with pytest.raises(DomainError, match="draw their signature"):
        signature_from_data_url("   ")


def test_it_reads_the_signature_pads_data_url():
    data = png_bytes()
    assert signature_from_data_url(data_url(data)) == data


@pytest.mark.parametrize(
    "value",
    [
        "data:image/jpeg;base64,AAAA",
        "data:image/png;base64,@@not base64@@",
        "https://example.org/signature.png",
    ],
)
def test_it_refuses_anything_but_a_png_data_url(value):
    with pytest.raises(DomainError) as refused:
        signature_from_data_url(value)
    assert refused.value.message == NOT_PNG_MESSAGE


def test_it_refuses_an_oversized_data_url_before_decoding_it():
    encoded = base64.b64encode(b"\0" * (201 * 1024)).decode()
    with pytest.raises(DomainError) as refused:
        signature_from_data_url("data:image/png;base64," + encoded)
    assert refused.value.message == TOO_LARGE_MESSAGE
