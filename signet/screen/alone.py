"""Plating-efficiency normalisation: every intervention also scored without the treatment.

A clonogenic assay divides the surviving fraction after drug + dose by the surviving
fraction after the drug alone (its plating efficiency), so that an agent that kills
unirradiated cells is not taken for a radiosensitiser.  ``screen(..., alone=True)``
does the same: each row is evaluated a second time with the treatment's nodes at their
baseline values (:func:`untreated_assignment`, e.g. ``RT=0``, as one phase), with the
same metric, update, runs, seed, contexts and compartments, and gets the columns of
:data:`ALONE_COLUMNS` (:func:`alone_columns`).

For a score phenotype that is minimised (``ClonogenicSurvival=0``: survival-like) with
treated value ``t`` and untreated value ``a``:

* ``normalised = t / a``, the plating-efficiency corrected survival (``None`` when
  ``a = 0``: the row is *cytotoxic alone*);
* ``normalised_score = t0 / a0 - t / a`` with ``t0``, ``a0`` the treatment alone's: the
  loss of survival that the drug's own toxicity does not explain.

For a maximised phenotype (``Death``) the same is done on its complement ``1 - value``
(the cells the phenotype spares): ``normalised = 1 - (1 - t) / (1 - a)``, the death the
treatment adds among the cells the drug alone spares.  Under independent action
(Bliss: ``1 - t = (1 - a)(1 - r)``) this is the treatment's own effect ``r`` on the
drug-treated cells; ``None`` when ``a = 1`` (cytotoxic alone), and
``normalised_score = normalised - normalised0``.  Both are oriented like ``score``:
larger is more radiosensitisation.

Examples
--------
A drug that halves the untreated survival (1 -> 0.5) and the irradiated one (0.5 -> 0.25)
is cytotoxic, not a radiosensitiser: its normalised survival equals the control's.

>>> from signet.screen.metrics import Estimate
>>> treated, alone, control, alone_control = Estimate(0.25), Estimate(0.5), Estimate(0.5), Estimate(1.0)
>>> columns = alone_columns(treated, alone, control, alone_control, minimise=True)
>>> {k: columns[k] for k in ("alone_value", "alone_score", "cytotoxic_alone", "normalised", "normalised_score")}
{'alone_value': 0.5, 'alone_score': 0.5, 'cytotoxic_alone': False, 'normalised': 0.5, 'normalised_score': 0.0}
>>> columns = alone_columns(Estimate(0.0), Estimate(0.0), control, alone_control, minimise=True)
>>> columns["cytotoxic_alone"], columns["normalised"], columns["normalised_score"]
(True, None, None)
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Mapping

from ..errors import ModelError
from ..model import BooleanNetwork
from .scoring import SATURATED

if TYPE_CHECKING:  # pragma: no cover
    from .metrics import Estimate

__all__ = [
    "ALONE_COLUMNS", "ALONE_INTERVAL_COLUMNS", "alone_columns", "alone_db_path", "untreated_assignment",
]

#: the columns ``alone=True`` adds after ``score`` (and the gain columns)
ALONE_COLUMNS = ["alone_value", "alone_score", "cytotoxic_alone", "normalised", "normalised_score"]
#: and after the interval columns, with any metric but ``share`` (``None``: an unbounded end)
ALONE_INTERVAL_COLUMNS = [
    "alone_lo", "alone_hi", "alone_score_lo", "alone_score_hi", "normalised_lo", "normalised_hi",
    "normalised_score_lo", "normalised_score_hi",
]


def untreated_assignment(network: BooleanNetwork, nodes: Mapping[str, int]) -> dict[str, int]:
    """The treatment's ``nodes`` (every node any phase of the schedule sets) at their baseline values.

    Raises
    ------
    ModelError
        There is no treatment, or one of its nodes has no baseline value (``model.baseline``
        in the metadata).

    Examples
    --------
    >>> from signet.annotations import Annotations
    >>> net = BooleanNetwork({"RT": "RT", "A": "RT"}, annotations=Annotations(baseline={"RT": 0}))
    >>> untreated_assignment(net, {"RT": 1})
    {'RT': 0}
    """
    if not nodes:
        raise ModelError("--alone scores every intervention without the treatment: the screen has no treatment "
                         "(give --treatment, --schedule or the model's treatment)")
    baseline = network.resolve_assignment(network.annotations.baseline)
    missing = [n for n in nodes if n not in baseline]
    if missing:
        raise ModelError(f"--alone needs the untreated value of {', '.join(missing)}: add it to the model's "
                         "baseline (model: {baseline: ...} in the metadata)")
    return {n: baseline[n] for n in nodes}


def alone_db_path(db: str | os.PathLike[str]) -> str:
    """The checkpoint of the untreated rows: ``screen.alone.sqlite`` beside ``screen.sqlite``.

    Examples
    --------
    >>> alone_db_path("out/pairs.sqlite"), alone_db_path(":memory:")
    ('out/pairs.alone.sqlite', ':memory:')
    """
    path = os.fspath(db)
    if path == ":memory:":
        return path
    stem, ext = os.path.splitext(path)
    return f"{stem}.alone{ext}"


def _spared(e: Estimate, minimise: bool) -> Estimate:
    """The fraction the score phenotype leaves unaffected: the value itself when minimised
    (survival), else its complement (the cells it spares)."""
    from .metrics import complement

    return e if minimise else complement(e)


def _ratio(treated: float, alone: float) -> float:
    """``treated / alone`` (``inf`` for a positive ``treated`` over 0, 0 for 0 over 0: the
    bounds of the ratio over an interval box that touches 0)."""
    if alone > 0:
        return treated / alone
    return math.inf if treated > 0 else 0.0


def _effect(control: float, value: float, minimise: bool) -> float:
    """An intervention's effect oriented like the score: the loss when minimising, else the gain."""
    return control - value if minimise else value - control


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def alone_columns(treated: Estimate, alone: Estimate, control: Estimate, alone_control: Estimate, *,
                  minimise: bool, intervals: bool = False, same: bool = False,
                  same_alone: bool = False) -> dict[str, Any]:
    """A row's :data:`ALONE_COLUMNS` (and, with ``intervals``, :data:`ALONE_INTERVAL_COLUMNS`).

    Parameters
    ----------
    treated, alone
        The row's estimates of the score phenotype's value under treatment and without it.
    control, alone_control
        The same for the treatment alone (the row without intervention) in its context.
    minimise
        The score is the phenotype's loss (survival-like), else its gain; see the module
        docstring for both definitions.
    intervals
        Also the intervals (any metric but ``share``): each the range over the box of the
        inputs' intervals (:func:`~signet.screen.metrics.effect_interval`); an end that is
        unbounded (an untreated value whose interval reaches 0) is ``None``.
    same, same_alone
        The row's treated (untreated) analysis is the control's: its effect is exactly 0.

    Returns
    -------
    dict
        ``alone_value`` (the phenotype's untreated value), ``alone_score`` (its change
        against the untreated control, oriented like the score), ``cytotoxic_alone``
        (nothing is spared without the treatment: within :data:`~signet.screen.scoring.SATURATED`
        of it), ``normalised`` and ``normalised_score`` (``None`` when cytotoxic alone, or
        when the control is).
    """
    t, a, t0, a0 = (_spared(e, minimise) for e in (treated, alone, control, alone_control))
    cytotoxic = a.value <= SATURATED
    ratio = None if cytotoxic else _ratio(t.value, a.value)
    ratio0 = None if a0.value <= SATURATED else _ratio(t0.value, a0.value)
    columns: dict[str, Any] = {
        "alone_value": alone.value,
        "alone_score": 0.0 if same_alone else _effect(alone_control.value, alone.value, minimise),
        "cytotoxic_alone": cytotoxic,
        "normalised": None if ratio is None else (ratio if minimise else 1.0 - ratio),
        # (1 - ratio) - (1 - ratio0): the same operations as the score's when nothing dies untreated
        "normalised_score": (None if ratio is None or ratio0 is None
                             else 0.0 if same and same_alone else (1.0 - ratio) - (1.0 - ratio0)),
    }
    if intervals:
        columns.update(_alone_intervals(columns, (t, a, t0, a0), alone, alone_control, minimise,
                                        same and same_alone, same_alone))
    return columns


def _alone_intervals(columns: Mapping[str, Any], spared: tuple[Estimate, ...], alone: Estimate,
                     alone_control: Estimate, minimise: bool, same: bool, same_alone: bool) -> dict[str, Any]:
    """The :data:`ALONE_INTERVAL_COLUMNS` of a row (see :func:`alone_columns`)."""
    from .metrics import effect_interval

    t, a, t0, a0 = spared
    score = (0.0, 0.0) if same_alone else effect_interval(
        lambda c, x: _effect(c, x, minimise), [alone_control, alone])
    normal: tuple[float | None, ...] = (None, None)
    if columns["normalised"] is not None:
        ends = sorted(r if minimise else 1.0 - r for r in effect_interval(_ratio, [t, a]))
        normal = (_finite(ends[0]), _finite(ends[1]))
    gap: tuple[float | None, ...] = (None, None)
    if columns["normalised_score"] is not None:
        if same:
            gap = (0.0, 0.0)
        else:  # both ratios unbounded at a corner: the difference is unbounded both ways
            low = effect_interval(lambda *v: _difference(*v, undefined=math.inf), [t0, a0, t, a])[0]
            high = effect_interval(lambda *v: _difference(*v, undefined=-math.inf), [t0, a0, t, a])[1]
            gap = (_finite(low), _finite(high))
    lo, hi = alone.interval()
    return {
        "alone_lo": lo, "alone_hi": hi, "alone_score_lo": score[0], "alone_score_hi": score[1],
        "normalised_lo": normal[0], "normalised_hi": normal[1],
        "normalised_score_lo": gap[0], "normalised_score_hi": gap[1],
    }


def _difference(*values: float, undefined: float) -> float:
    """``t0 / a0 - t / a``, ``-undefined`` when both ratios are unbounded (so that one call
    gives the box's lower end, another its upper end)."""
    t0, a0, t, a = values
    first, second = _ratio(t0, a0), _ratio(t, a)
    if math.isinf(first) and math.isinf(second):
        return -undefined
    return first - second
