"""Cross-sections of the darkness map taken perpendicular to skeleton edges.

Each edge is sampled every few pixels; at each sample the darkness profile across the shaft
gives the shaft's width at half of its peak darkness (FWHM) and, for a wide shape, the number
of separate dark cores in it (touching hairs show a lighter seam between them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from scipy.signal import find_peaks

PROFILE_STEP_PX = 0.5


@dataclass(frozen=True)
class EdgeProfile:
    width_px: float  # one shaft: stops at a seam with a neighbour
    extent_px: float  # the whole dark shape, seams and all
    peak: float
    cores: int


def edge_samples(
    pixels: np.ndarray, skip_start: float, skip_stop: float, spacing: float
) -> tuple[np.ndarray, np.ndarray]:
    """Sample points (row, col) along a chain and the unit normal at each."""
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(pixels, axis=0).T))])
    total = arc[-1]
    low, high = skip_start, total - skip_stop
    if high - low < spacing:
        low, high = total * 0.25, total * 0.75
    targets = np.arange(low, high + 1e-9, spacing) if high > low else np.array([total / 2])
    index = np.clip(np.searchsorted(arc, targets), 0, len(pixels) - 1)
    reach = 3
    before = pixels[np.clip(index - reach, 0, len(pixels) - 1)]
    after = pixels[np.clip(index + reach, 0, len(pixels) - 1)]
    tangent = after - before
    tangent /= np.maximum(np.hypot(*tangent.T), 1e-9)[:, None]
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    return pixels[index], normal


def cross_sections(
    darkness: np.ndarray, points: np.ndarray, normals: np.ndarray, half_span: float
) -> np.ndarray:
    """Darkness sampled across the shaft at each point: (n_points, n_offsets)."""
    offsets = np.arange(-half_span, half_span + 1e-9, PROFILE_STEP_PX)
    rows = points[:, 0:1] + normals[:, 0:1] * offsets[None, :]
    cols = points[:, 1:2] + normals[:, 1:2] * offsets[None, :]
    return ndimage.map_coordinates(darkness, [rows, cols], order=1, mode="nearest")


def half_max_widths(
    profiles: np.ndarray, core_px: float, stop_at_seams: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Full width at half maximum of each profile around its centre, and each peak height."""
    count, size = profiles.shape
    centre = size // 2
    core = max(1, int(round(core_px / PROFILE_STEP_PX)))
    window = profiles[:, max(0, centre - core) : centre + core + 1]
    peak = window.max(axis=1)
    outer = np.concatenate([profiles[:, : size // 8], profiles[:, -size // 8 :]], axis=1)
    base = np.clip(np.percentile(outer, 20, axis=1), 0.0, None)
    level = base + (peak - base) / 2.0
    seam = np.maximum(0.05, 0.15 * peak) if stop_at_seams else np.full_like(peak, np.inf)
    right = _crossing(profiles[:, centre:], level, seam)
    left = _crossing(profiles[:, centre::-1], level, seam)
    return (right + left) * PROFILE_STEP_PX, peak


def _crossing(half: np.ndarray, level: np.ndarray, seam: np.ndarray) -> np.ndarray:
    """Sub-sample distance from the centre to where each half-profile first drops below level.

    A half-profile that dips and rises again before reaching the level has run across a seam
    into a neighbouring shaft: the shaft ends at the bottom of the dip.
    """
    below = half < level[:, None]
    size = half.shape[1]
    first = np.where(below.any(axis=1), below.argmax(axis=1), size - 1)
    running_min = np.minimum.accumulate(half, axis=1)
    rising = (half - running_min) > seam[:, None]
    rise_at = np.where(rising.any(axis=1), rising.argmax(axis=1), size)
    before_rise = np.arange(size)[None, :] < np.maximum(rise_at, 1)[:, None]
    dip = np.where(before_rise, half, np.inf).argmin(axis=1)
    first = np.where(rise_at < first, np.maximum(dip, 1), first)
    first = np.maximum(first, 1)
    rows = np.arange(len(half))
    inside = half[rows, first - 1]
    outside = half[rows, first]
    fraction = np.clip((inside - level) / np.maximum(inside - outside, 1e-9), 0.0, 1.0)
    return first - 1 + fraction


def count_cores(profile: np.ndarray, peak: float, min_separation_px: float) -> int:
    """Dark cores in one profile, each separated from the next by a lighter seam."""
    distance = max(1, int(round(min_separation_px / PROFILE_STEP_PX)))
    smooth = ndimage.gaussian_filter1d(profile, 1.0)
    found, _ = find_peaks(
        smooth,
        height=peak * 0.5,
        prominence=max(0.04, 0.07 * peak),
        distance=distance,
    )
    return max(1, len(found))


def measure_chains(
    darkness: np.ndarray,
    chains: list[np.ndarray],
    skips: list[tuple[float, float]],
    expected_width_px: float,
    count_seams: bool = False,
) -> list[EdgeProfile]:
    """Width, extent, peak (and, if asked, dark cores) of each chain, from cross-sections
    every few pixels along it. All chains are sampled and measured in one go; each chain's
    figures are the medians over its own cross-sections."""
    if not chains:
        return []
    radius = max(expected_width_px, 2.0)
    sampled = [
        edge_samples(pixels, skip[0], skip[1], max(2.0, radius / 2.0))
        for pixels, skip in zip(chains, skips, strict=True)
    ]
    points = np.vstack([chain_points for chain_points, _ in sampled])
    normals = np.vstack([chain_normals for _, chain_normals in sampled])
    profiles = cross_sections(darkness, points, normals, max(12.0, 3.0 * radius))
    core = max(1.5, radius / 2.0)
    widths, peaks = half_max_widths(profiles, core_px=core)
    extents, _ = half_max_widths(profiles, core_px=core, stop_at_seams=False)
    bounds = np.cumsum([0] + [len(chain_points) for chain_points, _ in sampled])
    separation = max(2.0, expected_width_px * 0.5)
    return [
        EdgeProfile(
            width_px=float(np.median(widths[start:stop])),
            extent_px=float(np.median(extents[start:stop])),
            peak=float(np.median(peaks[start:stop])),
            cores=_cores(profiles[start:stop], peaks[start:stop], separation) if count_seams else 1,
        )
        for start, stop in zip(bounds[:-1], bounds[1:], strict=True)
    ]


def _cores(profiles: np.ndarray, peaks: np.ndarray, separation: float) -> int:
    counts = [
        count_cores(profile, float(peak), separation)
        for profile, peak in zip(profiles, peaks, strict=True)
    ]
    return int(round(float(np.median(counts)))) if counts else 1
