"""Which way the hairs of this patch of scalp point: a prior for telling exit from tip.

Hairs of one patch grow in a common stream, so the exit-to-tip directions of the hairs whose
ends are told apart clearly (a strong shadow beyond one end only) say which way the others
point too. Near a crossing or inside a follicular unit the shadow is shared and says little;
the stream still does.
"""

from __future__ import annotations

import numpy as np

from mesotrack.imaging.ends import TracedHair, hair_axis

# A stream this consistent (mean resultant length of unit directions) is worth trusting.
MIN_CONSISTENCY = 0.35
# Shadow difference, in shares of the decision margin, that makes a hair a confident voter.
CONFIDENT_MARGINS = 2.0


def stream(hairs: list[TracedHair], margin: float) -> np.ndarray:
    """Mean exit-to-tip direction of the clearly judged hairs (zero if there is no stream).

    Its length (0–1) is how consistent the stream is.
    """
    votes = []
    for hair in hairs:
        first, second = hair.ends
        if first.cut or second.cut:
            continue
        difference = first.shadow - second.shadow
        if abs(difference) >= CONFIDENT_MARGINS * margin:
            votes.append(hair_axis(hair) * np.sign(difference))
    if len(votes) < 5:
        return np.zeros(2)
    mean = np.mean(votes, axis=0)
    return mean if float(np.hypot(*mean)) >= MIN_CONSISTENCY else np.zeros(2)
