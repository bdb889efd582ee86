"""Scores of a screen: phenotype shares, radiosensitization and synergy.

The *share* of a phenotype is the fraction of reachable attractors in which it is 1
(an attractor where it oscillates, ``"*"``, does not count).  The
**radiosensitization** score of an intervention is its ``Death`` share minus the
``Death`` share of the treatment alone in the same context.

For a combination of agents with single-agent shares ``p_i`` and treatment-alone share
``p0``:

* **Bliss excess** = ``p_combo - E`` with ``E = 1 - (1 - p0) * prod((1 - p_i) / (1 - p0))``
  (independent action on top of the treatment; ``E = 1`` when ``p0 = 1``, also when ``p0`` is
  within 1e-9 of 1, the rounding of an exact probability; ``E`` is clipped to [0, 1]).
  With ``p0 = 0`` this is the textbook ``pA + pB - pA pB``.
* **HSA excess** = ``p_combo - max(p_i)`` (gain over the highest single agent).

Examples
--------
>>> shares([{"Death": 1}, {"Death": 0}, {"Death": "*"}, {"Death": 1}])
{'Death': 0.5}
>>> round(bliss_expected([0.5, 0.5], 0.0), 3), round(bliss_expected([0.6, 0.6], 0.2), 3)
(0.75, 0.8)
>>> hsa_excess(0.9, [0.5, 0.7])
0.2...
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

__all__ = ["shares", "bliss_expected", "bliss_excess", "hsa_excess"]

#: A treatment-alone value this close to 1 is saturated (Bliss expectation 1).
SATURATED = 1e-9


def shares(values: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Fraction of attractors in which each phenotype is 1 (0.0 when there are none)."""
    if not values:
        return {}
    names = list(values[0])
    return {p: sum(1 for v in values if v.get(p) == 1) / len(values) for p in names}


def bliss_expected(singles: Sequence[float], control: float) -> float:
    """Bliss-independence expectation of a combination (see the module docstring).

    ``E`` is undefined at ``control = 1`` and jumps next to it, so a control within
    :data:`SATURATED` of 1 (an exact probability's rounding, e.g. ``0.9999999999999999``)
    counts as 1.

    >>> bliss_expected([0.0, 1.0], 1.0), bliss_expected([0.0, 1.0], 0.9999999999999999)
    (1.0, 1.0)
    """
    if control >= 1.0 - SATURATED:
        return 1.0
    survive = 1.0 - control
    for p in singles:
        survive *= (1.0 - p) / (1.0 - control)
    return min(1.0, max(0.0, 1.0 - survive))


def bliss_excess(combo: float, singles: Sequence[float], control: float) -> float:
    """``combo`` minus its Bliss expectation (rounded to 12 decimals: shares are ratios of
    small counts, so a float residue such as ``5.6e-17`` is an exact zero)."""
    return round(combo - bliss_expected(singles, control), 12)


def hsa_excess(combo: float, singles: Sequence[float]) -> float:
    """``combo`` minus the best single agent (rounded like :func:`bliss_excess`)."""
    return round(combo - max(singles), 12)
