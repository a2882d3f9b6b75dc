import io
import json
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from mesotrack.imaging import Calibration, Circle, DeviceProfile, Polygon, analyze, overlay_png
from mesotrack.imaging.synthetic import FieldSpec, make_image
from mesotrack.imaging.synthetic.scoring import score
from tests.imaging.scenes import PX_PER_MM, SPEC, hair, scene

CALIBRATION = Calibration(PX_PER_MM)


@pytest.mark.parametrize("density", [60, 150, 240])
def test_counts_and_diameters_stay_within_bounds_on_generated_fields(density: int) -> None:
    spec = FieldSpec(width=800, height=600, px_per_mm=PX_PER_MM, density_per_cm2=density)
    true_total = found_total = 0
    f1, diameter_errors = [], []
    for seed in range(4):
        image, truth = make_image(spec, seed)
        result = score(analyze(image, CALIBRATION), truth)
        true_total += result.true_count
        found_total += result.found_count
        f1.append(result.f1)
        diameter_errors.extend(result.diameter_errors_um)

    assert abs(found_total - true_total) / true_total <= 0.15
    assert np.mean(f1) >= 0.7
    assert np.median(diameter_errors) <= 8.0


def test_a_single_hair_is_counted_once_at_its_exit_point() -> None:
    image, truth = scene(hair((0.5, 0.75), 0))

    analysis = analyze(image, CALIBRATION)

    assert analysis.hair_count == 1
    found, true = analysis.hairs[0], truth.counted[0]
    assert (
        np.hypot(found.exit_point[0] - true.exit_point[0], found.exit_point[1] - true.exit_point[1])
        < 8
    )
    assert abs(found.diameter_um - 70) < 8
    assert analysis.hairs_per_unit == {1: 1, 2: 0, 3: 0, 4: 0}


def test_exit_points_sit_at_the_visible_end_of_the_shaft_not_in_the_shadow_beyond() -> None:
    # The blue-grey shadow runs on past every opening; the marked exit must stay on the shaft.
    errors = []
    for angle in (0, 35, 80, 140, 220):
        for diameter in (40, 70, 100):
            image, truth = scene(hair((1.0, 0.75), angle, diameter_um=diameter, length_mm=0.6))
            found, true = analyze(image, CALIBRATION).hairs[0], truth.counted[0]
            errors.append(np.hypot(*np.subtract(found.exit_point, true.exit_point)))

    assert np.median(errors) <= 0.015 * PX_PER_MM
    assert max(errors) <= 0.05 * PX_PER_MM


def test_two_crossing_hairs_are_two_hairs() -> None:
    image, _ = scene(hair((0.4, 0.4), 30, length_mm=1.2), hair((0.4, 1.1), -30, length_mm=1.2))

    analysis = analyze(image, CALIBRATION)

    assert analysis.hair_count == 2
    exits = sorted(
        tuple(round(value / 20) for value in found.exit_point) for found in analysis.hairs
    )
    assert exits == [(4, 4), (4, 11)]


def test_hairs_sharing_one_opening_are_one_follicular_unit() -> None:
    image, truth = scene(hair((0.5, 0.75), -12), hair((0.5, 0.825), 0), hair((0.5, 0.9), 12))

    analysis = analyze(image, CALIBRATION)

    assert analysis.hair_count == truth.count == 3
    assert {found.follicular_unit_id for found in analysis.hairs} == {1}
    assert analysis.hairs_per_unit == {1: 0, 2: 0, 3: 1, 4: 0}


def test_thin_hairs_are_vellus_and_the_threshold_is_configurable() -> None:
    image, _ = scene(
        hair((0.4, 0.5), 0), hair((0.4, 1.0), 0, length_mm=0.5, diameter_um=20, vellus=True)
    )

    analysis = analyze(image, CALIBRATION)

    assert sorted(found.is_vellus for found in analysis.hairs) == [False, True]
    assert analysis.vellus_fraction == 0.5
    assert analysis.terminal_count == 1
    assert analyze(image, CALIBRATION, vellus_threshold_um=10).vellus_count == 0


def test_a_hair_cut_by_the_border_counts_only_if_it_leaves_the_skin_in_view() -> None:
    exit_outside, truth_outside = scene(hair((-0.2, 0.75), 0))
    exit_inside, truth_inside = scene(hair((1.6, 0.75), 0))

    assert truth_outside.count == 0 and truth_inside.count == 1
    outside = analyze(exit_outside, CALIBRATION)
    assert outside.hair_count == 0
    assert outside.passing_hairs == 1
    inside = analyze(exit_inside, CALIBRATION)
    assert inside.hair_count == 1
    assert inside.hairs[0].touches_border


def test_a_hair_leaving_the_skin_right_at_the_border_counts() -> None:
    image, truth = scene(hair((0.03, 0.5), 10), hair((1.97, 1.0), 180))

    analysis = analyze(image, CALIBRATION)

    assert truth.count == 2
    assert score(analysis, truth).matched == 2


def test_only_hairs_leaving_the_skin_inside_the_region_count() -> None:
    image, _ = scene(hair((0.3, 0.5), 0), hair((1.4, 1.0), 0, length_mm=0.5))
    region = Circle(60, 100, 40)

    analysis = analyze(image, CALIBRATION, region)

    assert analysis.hair_count == 1
    assert analysis.area_mm2 == pytest.approx(np.pi * 40**2 / PX_PER_MM**2, rel=0.03)
    assert analysis.density_per_cm2 == pytest.approx(1 / (analysis.area_mm2 / 100))


def test_device_overlays_are_left_out_of_the_area() -> None:
    image, _ = scene(hair((0.5, 0.75), 0))
    banner = Polygon(((0, 0), (400, 0), (400, 30), (0, 30)))
    profile = DeviceProfile("test scope", PX_PER_MM, overlays=(banner,))

    analysis = analyze(image, profile)

    assert analysis.area_mm2 == pytest.approx(400 * 270 / PX_PER_MM**2, rel=0.01)
    assert analysis.hair_count == 1


def test_progress_is_reported_up_to_completion() -> None:
    image, _ = scene(hair((0.5, 0.75), 0))
    seen: list[float] = []

    analyze(image, CALIBRATION, progress=seen.append)

    assert seen == sorted(seen)
    assert seen[-1] == 1.0


def test_quality_flags_fire_on_blurred_glared_dark_and_coarse_images() -> None:
    sharp, _ = make_image(replace(SPEC, blur_sigma_px=0.5, density_per_cm2=200), seed=2)
    blurred, _ = make_image(replace(SPEC, blur_sigma_px=3.0, density_per_cm2=200), seed=2)
    glared, _ = make_image(replace(SPEC, glare_spots=40, density_per_cm2=200), seed=2)

    assert analyze(sharp, CALIBRATION).quality.ok
    blurry = analyze(blurred, CALIBRATION).quality
    assert blurry.blurred
    assert "out of focus" in blurry.messages[0]
    assert analyze(glared, CALIBRATION).quality.glare
    assert analyze((sharp * 0.15).astype(np.uint8), CALIBRATION).quality.too_dark
    coarse = analyze(sharp, Calibration(40)).quality
    assert coarse.too_few_pixels_per_hair
    assert coarse.messages == ("A 60 µm hair spans only 2.4 pixels; use a higher magnification.",)


@pytest.mark.parametrize(
    ("calibration_share", "off_scale"), [(1.0, False), (1 / 3, True), (4.0, True)]
)
def test_a_calibration_that_does_not_fit_the_magnification_is_flagged(
    calibration_share: float, off_scale: bool
) -> None:
    # A device profile for another magnification: every width comes out 3 times too wide, or
    # 4 times too narrow, for a scalp.
    field = replace(SPEC, width=800, height=600, density_per_cm2=250, vellus_fraction=0.1)
    image, _ = make_image(field, seed=3)

    quality = analyze(image, Calibration(PX_PER_MM * calibration_share)).quality

    assert quality.implausible_widths is off_scale
    assert quality.ok is not off_scale
    check = [message for message in quality.messages if "Check that the calibration" in message]
    assert len(check) == int(off_scale)
    assert 40 < quality.median_diameter_um * calibration_share < 100


def test_the_result_is_json_serialisable() -> None:
    image, _ = scene(hair((0.5, 0.75), 0))

    data = json.loads(json.dumps(analyze(image, CALIBRATION, Circle(100, 150, 90)).to_dict()))

    assert data["hair_count"] == 1
    assert data["region"] == {"kind": "circle", "cx": 100, "cy": 150, "r": 90}
    assert set(data["hairs"][0]) >= {"exit_point", "path", "diameter_um", "is_vellus"}


def test_the_overlay_is_a_png_of_the_input_size() -> None:
    image, _ = scene(hair((0.5, 0.75), 0), hair((0.5, 1.1), 10, diameter_um=20, vellus=True))
    analysis = analyze(image, CALIBRATION, Circle(150, 150, 140))

    picture = Image.open(io.BytesIO(overlay_png(image, analysis)))

    assert picture.format == "PNG"
    assert picture.size == (image.shape[1], image.shape[0])
    assert not np.array_equal(np.asarray(picture.convert("RGB")), image)


def test_a_region_outside_the_image_is_refused() -> None:
    image, _ = scene(hair((0.5, 0.75), 0))

    with pytest.raises(ValueError, match="does not cover any part of the image"):
        analyze(image, CALIBRATION, Circle(5000, 5000, 10))


def test_a_hair_whose_opening_is_just_inside_the_border_counts_however_little_shows() -> None:
    # The exit is 0.08 mm from the right-hand edge; the rest of the hair lies outside.
    width_mm = SPEC.width / PX_PER_MM
    image, truth = scene(hair((width_mm - 0.08, 0.75), 0), hair((0.5, 0.75), 180))

    analysis = analyze(image, CALIBRATION)

    assert truth.count == 2
    assert analysis.hair_count == 2
    assert max(found.exit_point[0] for found in analysis.hairs) > SPEC.width - 0.12 * PX_PER_MM


def test_a_stub_running_in_from_the_border_with_no_opening_in_view_is_not_counted() -> None:
    # The tip end of a hair whose exit lies outside the image.
    width_mm = SPEC.width / PX_PER_MM
    image, truth = scene(hair((width_mm + 0.8, 0.75), 180))

    assert truth.count == 0
    assert analyze(image, CALIBRATION).hair_count == 0
