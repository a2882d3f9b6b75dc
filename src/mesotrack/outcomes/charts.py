"""Server-side SVG charts of a measure over time, drawn once and used by the page (and the PDF).

Plain SVG with presentation attributes (no CSS, no script), so it renders the same in a browser
and in WeasyPrint. Every point carries its date and value (`data-date`, `data-value`) and a
<title> for screen readers and hover.
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f6f8b", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0f766e")
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 14, 30, 34
MIN_SPAN_DAYS = 30
SHORT_SPAN_DAYS = 120


@dataclass(frozen=True)
class ChartLine:
    label: str
    points: tuple[tuple[dt.date, float], ...]


@dataclass(frozen=True)
class ChartMarker:
    day: dt.date
    label: str
    kind: str = "visit"  # "visit" or "session"


@dataclass(frozen=True)
class _Frame:
    width: int
    height: int
    first: int
    last: int
    low: float
    high: float

    def x(self, day: dt.date) -> float:
        span = self.width - MARGIN_LEFT - MARGIN_RIGHT
        return MARGIN_LEFT + span * (day.toordinal() - self.first) / (self.last - self.first)

    def y(self, value: float) -> float:
        span = self.height - MARGIN_TOP - MARGIN_BOTTOM
        return MARGIN_TOP + span * (self.high - value) / (self.high - self.low)


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _value_range(values: Sequence[float], whole: bool) -> tuple[float, float, float]:
    low, high = min(values), max(values)
    if high - low < 1e-9:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = _nice_step(high - low)
    if whole:
        step = max(1.0, math.ceil(step))
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _day_range(days: Sequence[dt.date]) -> tuple[int, int]:
    first, last = min(days).toordinal(), max(days).toordinal()
    if last - first < MIN_SPAN_DAYS:
        middle = (first + last) // 2
        first, last = middle - MIN_SPAN_DAYS // 2, middle + MIN_SPAN_DAYS // 2
    pad = max(3, (last - first) // 25)
    return first - pad, last + pad


def _number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _y_axis(frame: _Frame, step: float, decimals: int) -> list[str]:
    parts = []
    tick = frame.low
    tick_decimals = 0 if step >= 1 else max(decimals, 1)
    while tick <= frame.high + step / 1000:
        y = frame.y(tick)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{frame.width - MARGIN_RIGHT}" '
            f'y2="{y:.1f}" stroke="#e4e7ec" stroke-width="1"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#475467">{_number(tick, tick_decimals)}</text>'
        )
        tick += step
    return parts


def _x_axis(frame: _Frame, days: Sequence[dt.date]) -> list[str]:
    unique = sorted(set(days))
    if len(unique) > 6:
        stride = math.ceil(len(unique) / 6)
        unique = unique[::stride]
    short = frame.last - frame.first < SHORT_SPAN_DAYS
    baseline_y = frame.height - MARGIN_BOTTOM
    parts = [
        f'<line x1="{MARGIN_LEFT}" y1="{baseline_y}" x2="{frame.width - MARGIN_RIGHT}" '
        f'y2="{baseline_y}" stroke="#98a2b3" stroke-width="1"/>'
    ]
    for day in unique:
        label = f"{day.day} {day:%b}" if short else f"{day:%b %Y}"
        parts.append(
            f'<text x="{frame.x(day):.1f}" y="{baseline_y + 16}" text-anchor="middle" '
            f'font-size="11" fill="#475467">{escape(label)}</text>'
        )
    return parts


def _band(frame: _Frame, baseline: float, noise: float, unit: str, decimals: int) -> str:
    top, bottom = frame.y(baseline + noise), frame.y(baseline - noise)
    span = frame.width - MARGIN_LEFT - MARGIN_RIGHT
    title = (
        f"Measurement noise: a change within ±{_number(noise, decimals)} {unit} of the baseline "
        "is not a detectable change"
    )
    return (
        f'<rect class="noise-band" x="{MARGIN_LEFT}" y="{top:.1f}" width="{span}" '
        f'height="{max(bottom - top, 0):.1f}" fill="#98a2b3" fill-opacity="0.18">'
        f"<title>{escape(title)}</title></rect>"
    )


def _baseline(frame: _Frame, baseline: float, unit: str, decimals: int) -> str:
    y = frame.y(baseline)
    text = f"Baseline {_number(baseline, decimals)} {unit}".strip()
    return (
        f'<line class="baseline" x1="{MARGIN_LEFT}" y1="{y:.1f}" '
        f'x2="{frame.width - MARGIN_RIGHT}" y2="{y:.1f}" stroke="#344054" stroke-width="1" '
        f'stroke-dasharray="5 4"><title>{escape(text)}</title></line>'
    )


def _markers(frame: _Frame, markers: Sequence[ChartMarker]) -> list[str]:
    parts = []
    for marker in markers:
        x = frame.x(marker.day)
        colour = "#d0d5dd" if marker.kind == "visit" else "#f79009"
        parts.append(
            f'<line class="marker {escape(marker.kind)}" data-date="{marker.day.isoformat()}" '
            f'x1="{x:.1f}" y1="{MARGIN_TOP}" x2="{x:.1f}" y2="{frame.height - MARGIN_BOTTOM}" '
            f'stroke="{colour}" stroke-width="1" stroke-dasharray="2 3">'
            f"<title>{escape(marker.label)}, {marker.day:%d %b %Y}</title></line>"
        )
    return parts


def _line(frame: _Frame, index: int, line: ChartLine, unit: str, decimals: int) -> list[str]:
    colour = PALETTE[index % len(PALETTE)]
    points = sorted(line.points)
    coordinates = " ".join(f"{frame.x(d):.1f},{frame.y(v):.1f}" for d, v in points)
    parts = [
        f'<polyline class="series" points="{coordinates}" fill="none" stroke="{colour}" '
        f'stroke-width="2"/>'
    ]
    for day, value in points:
        title = f"{line.label}, {day:%d %b %Y}: {_number(value, decimals)} {unit}".strip()
        parts.append(
            f'<circle class="point" data-series="{escape(line.label)}" '
            f'data-date="{day.isoformat()}" data-value="{_number(value, decimals)}" '
            f'cx="{frame.x(day):.1f}" cy="{frame.y(value):.1f}" r="4" fill="{colour}" '
            f'stroke="#fff" stroke-width="1"><title>{escape(title)}</title></circle>'
        )
    return parts


def _legend(frame: _Frame, lines: Sequence[ChartLine]) -> list[str]:
    if len(lines) < 2:
        return []
    parts, x = [], float(MARGIN_LEFT)
    for index, line in enumerate(lines):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x:.0f}" y="{MARGIN_TOP - 15}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14:.0f}" y="{MARGIN_TOP - 6}" font-size="11" fill="#101828">'
            f"{escape(line.label)}</text>"
        )
        x += 24 + 6.5 * len(line.label)
    return parts


def line_chart_svg(
    *,
    title: str,
    unit: str,
    lines: Sequence[ChartLine],
    baseline: float | None = None,
    noise: float | None = None,
    markers: Sequence[ChartMarker] = (),
    decimals: int = 1,
    width: int = 560,
    height: int = 230,
) -> str:
    """One measure against time: a line per series, the baseline, the noise band around it
    (± the minimal detectable change) and vertical marks for visits and sessions."""
    values = [v for line in lines for _, v in line.points]
    days = [d for line in lines for d, _ in line.points]
    if not values:
        return ""
    extent = list(values)
    if baseline is not None:
        extent.append(baseline)
        if noise is not None:
            extent += [baseline - noise, baseline + noise]
    low, high, step = _value_range(extent, whole=decimals == 0)
    first, last = _day_range(days + [m.day for m in markers])
    frame = _Frame(width, height, first, last, low, high)
    shown = [m for m in markers if first <= m.day.toordinal() <= last]
    body = [
        *_y_axis(frame, step, decimals),
        *_x_axis(frame, days),
        *_markers(frame, shown),
    ]
    if baseline is not None and noise is not None:
        body.append(_band(frame, baseline, noise, unit, decimals))
    if baseline is not None:
        body.append(_baseline(frame, baseline, unit, decimals))
    for index, line in enumerate(lines):
        body += _line(frame, index, line, unit, decimals)
    body += _legend(frame, lines)
    label = f"{title} ({unit})" if unit else title
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="outcome-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'font-family="system-ui, sans-serif"><title>{escape(label)}</title>'
        f'<text x="4" y="11" font-size="11" fill="#667085">{escape(unit)}</text>'
        + "".join(body)
        + "</svg>"
    )
