import datetime as dt
import xml.etree.ElementTree as ET

from mesotrack.outcomes.charts import ChartLine, ChartMarker, line_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the chart this app drew


DAYS = [dt.date(2026, 1, 5), dt.date(2026, 4, 6), dt.date(2026, 7, 6)]


def chart(**overrides) -> str:
    options = {
        "title": "Density, Vertex A",
        "unit": "hairs/cm²",
        "lines": [ChartLine("Vertex A", tuple(zip(DAYS, [150.0, 158.5, 171.25], strict=True)))],
        "baseline": 150.0,
        "noise": 12.0,
        "markers": [ChartMarker(DAYS[1], "Session 3", kind="session")],
    }
    options.update(overrides)
    return line_chart_svg(**options)


def test_the_chart_has_every_point_with_its_date_and_value():
    root = parse(chart())
    points = root.findall(f".//{SVG}circle")
    assert [(p.get("data-date"), p.get("data-value")) for p in points] == [
        ("2026-01-05", "150.0"),
        ("2026-04-06", "158.5"),
        ("2026-07-06", "171.2"),
    ]
    assert points[2].find(f"{SVG}title").text == "Vertex A, 06 Jul 2026: 171.2 hairs/cm²"


def test_the_chart_shows_the_baseline_the_noise_band_and_the_sessions():
    root = parse(chart())
    assert root.find(f".//{SVG}line[@class='baseline']") is not None
    band = root.find(f".//{SVG}rect[@class='noise-band']")
    assert "±12.0 hairs/cm²" in band.find(f"{SVG}title").text
    marker = root.find(f".//{SVG}line[@class='marker session']")
    assert marker.get("data-date") == "2026-04-06"
    # The band spans baseline ± noise: 138 to 162 on the y axis.
    assert float(band.get("height")) > 0


def test_points_higher_up_the_chart_have_higher_values():
    points = parse(chart()).findall(f".//{SVG}circle")
    heights = [float(p.get("cy")) for p in points]
    assert heights == sorted(heights, reverse=True)


def test_labels_are_escaped():
    svg = chart(lines=[ChartLine("<script>alert(1)</script>", ((DAYS[0], 1.0), (DAYS[1], 2.0)))])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    parse(svg)


def test_several_sites_get_a_legend_and_a_single_point_still_draws():
    svg = chart(
        lines=[
            ChartLine("Vertex A", ((DAYS[0], 150.0),)),
            ChartLine("Occiput", ((DAYS[0], 210.0),)),
        ],
        baseline=None,
        noise=None,
    )
    root = parse(svg)
    assert len(root.findall(f".//{SVG}circle")) == 2
    assert {t.text for t in root.findall(f"{SVG}text")} >= {"Vertex A", "Occiput"}


def test_whole_number_scales_have_whole_ticks():
    svg = chart(
        lines=[ChartLine("Score", ((DAYS[0], 0.0), (DAYS[1], 1.0), (DAYS[2], 2.0)))],
        decimals=0,
        baseline=None,
        noise=None,
        unit="",
    )
    ticks = [t.text for t in parse(svg).findall(f"{SVG}text") if t.text]
    assert "0.5" not in ticks


def test_no_points_no_chart():
    assert chart(lines=[]) == ""
