"""Hostile and broken uploads are refused with a clear message, and nothing is stored: no row,
no file, no audit event of a record. Clean uploads lose their metadata but keep the capture
time."""

import datetime as dt
import io
import struct
import zlib

import pytest
from django.utils import timezone
from PIL import Image

from mesotrack.audit.models import AuditEvent
from mesotrack.core.errors import DomainError
from mesotrack.outcomes import services
from mesotrack.outcomes.models import ClinicalPhoto, TrichoscopyAnalysis
from mesotrack.outcomes.storage import NoPublicUrl, private_storage
from tests.outcomes.conftest import stored_files
from tests.outcomes.factories import (
    TRICHOSCOPY_PX_PER_MM,
    jpeg_bytes,
    photo,
    png_bytes,
    trichoscopy_png,
)

ONLY_IMAGES = "only PNG, JPEG and TIFF images are accepted."


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body))
        + kind
        + body
        + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )


def png_declaring(width: int, height: int, rows: int) -> bytes:
    """A greyscale PNG whose header declares width × height; `rows` rows of zeros follow, so
    the file is tiny however large it claims to be."""
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(b"\x00" * (width + 1)) for _ in range(rows))
    data += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="GIF")
    return buffer.getvalue()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)

DAMAGED = "file is damaged or incomplete and cannot be read."
HOSTILE = [
    pytest.param(b"", "The file is empty.", id="zero-bytes"),
    pytest.param(jpeg_bytes()[:300], f"The JPEG {DAMAGED}", id="truncated-jpeg"),
    pytest.param(png_bytes()[:-40], f"The PNG {DAMAGED}", id="truncated-png"),
    pytest.param(
        png_declaring(8000, 6000, 1),
        "The image is 8000×6000 pixels; the limit is 40,000,000 pixels.",
        id="huge-declared-size",
    ),
    pytest.param(
        png_declaring(20_000, 20_000, 20_000),
        "The image declares too many pixels to open safely (limit 40,000,000).",
        id="decompression-bomb",
    ),
    pytest.param(gif_bytes(), f"The file is a GIF image; {ONLY_IMAGES}", id="wrong-type"),
    pytest.param(
        SVG_WITH_SCRIPT,
        f"The file is an SVG or other markup document; {ONLY_IMAGES}",
        id="svg-with-script",
    ),
    pytest.param(
        b"Name,Date of birth\nA. Patient,1980-01-01\n",
        "The file is not a PNG, JPEG or TIFF image.",
        id="text-renamed-png",
    ),
]


def _nothing_stored(media_root) -> None:
    assert not ClinicalPhoto.objects.exists()
    assert not TrichoscopyAnalysis.objects.exists()
    assert stored_files(media_root) == []
    assert not AuditEvent.objects.filter(object_type__startswith="outcomes.").exists()


@pytest.mark.parametrize("data,message", HOSTILE)
def test_it_refuses_a_hostile_photo_and_stores_nothing(
    cast, consented, private_media, data, message
):
    with pytest.raises(DomainError) as refused:
        photo(cast.patient, cast.nurse, data=data)
    assert (refused.value.field, refused.value.message) == ("image", message)
    _nothing_stored(private_media)


@pytest.mark.parametrize("data,message", HOSTILE)
def test_it_refuses_a_hostile_trichoscopy_image_and_stores_nothing(
    cast, consented, private_media, data, message
):
    with pytest.raises(DomainError) as refused:
        services.trichoscopy_analysis_submit(
            actor=cast.nurse, patient=cast.patient, data=data, px_per_mm=100
        )
    assert refused.value.message in (message, message.replace("40,000,000", "24,000,000"))
    _nothing_stored(private_media)


def test_the_decompression_bomb_is_refused_from_its_header_alone(cast, consented, monkeypatch):
    # Decoding would allocate 400 MB; the refusal must come before any pixel is decoded.
    def no_decoding(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    with pytest.raises(DomainError, match="too many pixels"):
        photo(cast.patient, cast.nurse, data=png_declaring(20_000, 20_000, 20_000))


def test_it_refuses_a_file_over_the_size_limit(cast, consented, private_media):
    with pytest.raises(DomainError) as refused:
        photo(cast.patient, cast.nurse, data=b"\xff\xd8\xff" + b"\x00" * (26 * 1024 * 1024))
    assert refused.value.message == "The file is 26.0 MB; the limit is 25.0 MB."
    _nothing_stored(private_media)


def test_it_refuses_photos_without_a_valid_photography_consent(cast, private_media):
    with pytest.raises(DomainError) as refused:
        photo(cast.patient, cast.nurse)
    assert refused.value.message == (
        "This patient has no valid consent to clinical photography: record their consent "
        "before adding photographs or trichoscopy images."
    )
    with pytest.raises(DomainError, match="no valid consent to clinical photography"):
        services.trichoscopy_analysis_submit(
            actor=cast.nurse, patient=cast.patient, data=trichoscopy_png()[0], px_per_mm=100
        )
    _nothing_stored(private_media)


def test_a_withdrawn_consent_no_longer_allows_photos(cast, private_media):
    from tests.consent.factories import sign, withdraw

    consent = sign(patient=cast.patient, witness=cast.nurse, kind="clinical_photography")
    withdraw(consent, actor=cast.nurse)
    with pytest.raises(DomainError, match="no valid consent"):
        photo(cast.patient, cast.nurse)
    _nothing_stored(private_media)


def test_it_removes_the_metadata_and_keeps_the_capture_time(cast, consented, private_media):
    original = jpeg_bytes(size=(120, 80), captured="2026:03:14 10:20:30", gps=True)
    assert Image.open(io.BytesIO(original)).getexif()
    stored = photo(cast.patient, cast.nurse, data=original)
    with stored.image.open("rb") as file:
        saved = file.read()
    reopened = Image.open(io.BytesIO(saved))
    assert dict(reopened.getexif()) == {}
    assert "exif" not in reopened.info
    assert b"TestCam" not in saved
    assert reopened.size == (120, 80) and reopened.format == "JPEG"
    expected = timezone.make_aware(dt.datetime(2026, 3, 14, 10, 20, 30))
    assert stored.captured_at == expected
    assert stored.taken_on == dt.date(2026, 3, 14)
    assert (stored.width, stored.height, stored.content_type) == (120, 80, "image/jpeg")
    assert len(stored_files(private_media)) == 1


def test_a_capture_time_in_the_future_is_ignored(cast, consented):
    stored = photo(cast.patient, cast.nurse, data=jpeg_bytes(captured="2099:01:01 00:00:00"))
    assert stored.captured_at is None
    assert stored.taken_on == timezone.localdate()


def test_files_live_under_the_private_media_root_with_unguessable_names(
    cast, consented, private_media
):
    photo(cast.patient, cast.nurse)
    path = stored_files(private_media)[0]
    assert path.is_relative_to(private_media)
    assert cast.patient.family_name not in str(path)
    assert len(path.stem) == 32
    assert path.stat().st_mode & 0o777 == 0o600


def test_trichoscopy_images_are_kept_losslessly(cast, consented):
    data, _ = trichoscopy_png()
    analysis = services.trichoscopy_analysis_submit(
        actor=cast.nurse, patient=cast.patient, data=data, px_per_mm=TRICHOSCOPY_PX_PER_MM
    )
    with analysis.image.open("rb") as file:
        kept = Image.open(io.BytesIO(file.read()))
    assert kept.format == "PNG"
    assert kept.tobytes() == Image.open(io.BytesIO(data)).convert("RGB").tobytes()


def test_an_oversized_upload_is_refused_before_it_is_read():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mesotrack.outcomes.uploads import PHOTO_LIMITS, read_upload

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the file was read")

    big = Unreadable("huge.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    big.size = 30 * 1024 * 1024
    with pytest.raises(DomainError) as refused:
        read_upload(big, PHOTO_LIMITS)
    assert (refused.value.field, refused.value.message) == (
        "image",
        "The file is 30.0 MB; the limit is 25.0 MB.",
    )


def test_a_stored_photo_has_no_public_address() -> None:
    with pytest.raises(NoPublicUrl, match="audited views"):
        private_storage().url("photos/any.jpg")
