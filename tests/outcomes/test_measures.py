import pytest

from mesotrack.core.errors import DomainError
from mesotrack.outcomes.measures import MEASURES, checked_site_values, checked_visit_values


def test_the_third_of_count_terminal_and_vellus_is_derived():
    assert checked_site_values({"terminal_count": 90, "vellus_count": 10})["hair_count"] == 100
    derived = checked_site_values({"hair_count": 100, "vellus_count": 12})
    assert derived["terminal_count"] == 88


def test_the_density_comes_from_the_count_and_the_area():
    values = checked_site_values({"hair_count": 57, "area_mm2": 38.5})
    assert values["density_per_cm2"] == pytest.approx(148.1)
    # A typed density that agrees after rounding is accepted.
    assert checked_site_values({"hair_count": 57, "area_mm2": 38.5, "density_per_cm2": 148})


def test_a_count_on_a_tiny_area_points_at_the_area():
    with pytest.raises(DomainError) as refused:
        checked_site_values({"hair_count": 500, "area_mm2": 10})
    assert refused.value.field == "area_mm2"
    assert refused.value.message == "500 hairs on 10 mm² is 5000 hairs/cm²: check the area."


def test_more_vellus_than_hairs_is_refused():
    with pytest.raises(DomainError) as refused:
        checked_site_values({"hair_count": 10, "vellus_count": 12})
    assert refused.value.field == "terminal_count"


def test_texts_are_trimmed_and_limited():
    values = checked_visit_values({"label": "  Baseline  ", "hair_count_60s": "12"})
    assert (values["label"], values["hair_count_60s"]) == ("Baseline", 12)
    with pytest.raises(DomainError) as refused:
        checked_visit_values({"label": "x" * 61})
    assert refused.value.message == "Keep this under 60 characters."


def test_each_measure_formats_with_its_unit():
    assert MEASURES["density_per_cm2"].format(151.25) == "151.2 hairs/cm²"
    assert MEASURES["asfs_total"].format(7) == "7"
    assert MEASURES["global_photographic_score"].range_text == "−3 to 3"
    assert MEASURES["mean_diameter_um"].format(None) == "—"
