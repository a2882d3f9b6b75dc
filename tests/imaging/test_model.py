import json

import pytest

from mesotrack.imaging import Calibration, Circle, DeviceProfile, Polygon
from mesotrack.imaging.model import region_from_dict


def test_a_calibration_must_be_a_positive_scale() -> None:
    with pytest.raises(ValueError, match="positive number of pixels per millimetre"):
        Calibration(0)
    assert Calibration(200).um_per_px == 5.0


def test_a_device_profile_survives_a_round_trip_through_json() -> None:
    profile = DeviceProfile(
        name="Dermatoscope A, 20×",
        px_per_mm=187.5,
        magnification="20x",
        overlays=(Polygon(((0, 0), (100, 0), (100, 20), (0, 20))),),
    )

    restored = DeviceProfile.from_dict(json.loads(json.dumps(profile.to_dict())))

    assert restored == profile
    assert restored.calibration == Calibration(187.5)


def test_a_device_profile_with_a_bad_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="positive number"):
        DeviceProfile.from_dict({"name": "broken", "px_per_mm": -3})


def test_regions_are_read_back_from_their_dicts() -> None:
    circle = Circle(10, 20, 5)
    polygon = Polygon(((0, 0), (4, 0), (4, 4)))

    assert region_from_dict(circle.to_dict()) == circle
    assert region_from_dict(polygon.to_dict()) == polygon
    assert region_from_dict(None) is None
    with pytest.raises(ValueError, match="either a circle or a polygon"):
        region_from_dict({"kind": "square"})
