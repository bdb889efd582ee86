"""What a screen row scores: the metrics, their confidence intervals, and compartments.

A row's **value** for a phenotype ``P`` under each metric (``--metric``):

``share``
    the fraction of reachable attractors in which ``P`` is 1 (the default; see
    :mod:`signet.screen.scoring`);
``inevitable``
    1 when ``P`` is 1 in *every* reachable attractor, else 0;
``possible``
    1 when ``P`` is 1 in *some* reachable attractor, else 0;
``probability``
    the probability that the asynchronous chain with the model's rates ends in an
    attractor where ``P`` is 1 (:func:`signet.dynamics.probabilities.fate_probabilities`):
    exact (sparse linear algebra) when the chain fits ``max_states`` reachable states,
    else estimated from ``runs`` seeded Gillespie trajectories with a 95% Wilson
    interval (the row says ``exact = False``).

An attractor where ``P`` oscillates (``*``) counts as "not 1" under every metric.

Intervals.  Every value has an interval ``(lo, hi)``: a point for exact values, the
95% Wilson interval for estimates.  An *effect* (the score ``p - p0``, the Bliss and
HSA excess) is a monotone function of its inputs (the row, the treatment alone, the
single agents); its interval is the range of the function over the box of the inputs'
intervals, each simulated input taken at confidence ``1 - 0.05/m`` (``m`` the number
of simulated inputs: Bonferroni), so it covers the true effect with probability at
least 95%.  Exact inputs enter as points; when every input is exact, ``lo = hi``.
A row that shares its analysis with the treatment alone (the intervention changes
nothing after percolation) has the exact effect 0.

Compartments.  An input that neither the context, the baseline nor the treatment fixes
(``Hypoxia`` in ``wildtype``) stays at its start value for ever: the cell population
is a mix of compartments, one per value of the free inputs.  Pooling their attractors
by count weighs a compartment by how many attractors it has; :func:`compartments`
gives each compartment its own context (``wildtype[Hypoxia=0]``), scored apart.

Examples
--------
>>> metric_value({"values": [{"Death": 1}, {"Death": 0}]}, "Death", "share")
(0.5, 0.5, 0.5)
>>> metric_value({"values": [{"Death": 1}, {"Death": 0}]}, "Death", "possible")
(1.0, 1.0, 1.0)
>>> r = {"values": [], "probabilities": {"Death": 0.5}, "counts": {"Death": 50}, "runs": 100}
>>> [round(x, 3) for x in metric_value(r, "Death", "probability")]
[0.5, 0.404, 0.596]
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..errors import ModelError
from ..model import BooleanNetwork

__all__ = [
    "DEFAULT_RUNS",
    "MAX_COMPARTMENTS",
    "METRICS",
    "SCREEN_MAX_STATES",
    "Estimate",
    "compartments",
    "effect_interval",
    "estimate",
    "free_inputs",
    "metric_value",
    "probability_analysis",
    "row_seed",
]

#: the metrics a screen scores by
METRICS = ("share", "probability", "inevitable", "possible")
#: trajectories per simulated row: the 95% Wilson interval is at most +-0.02 wide at any p
DEFAULT_RUNS = 2401
#: the exact engine's limit in a screen (reachable states of one row's chain): beyond it a
#: row is simulated (exploring millions of states per row would cost minutes per row)
SCREEN_MAX_STATES = 2**12
#: most compartments one context may split into (2 ** free inputs)
MAX_COMPARTMENTS = 16
#: confidence of every interval
CONFIDENCE = 0.95


def row_seed(seed: int, context: str, perturbation: Mapping[str, int]) -> int:
    """The seed of one row's simulation: a hash of ``seed``, the context and the perturbation.

    It depends on what the row is, not on where or when it runs, so a screen gives the
    same table with any number of workers and when resumed.

    Examples
    --------
    >>> row_seed(0, "wt", {"A": 0}) == row_seed(0, "wt", {"A": 0}) != row_seed(1, "wt", {"A": 0})
    True
    """
    text = f"{seed}|{context}|" + ",".join(f"{n}={v}" for n, v in sorted(perturbation.items()))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")


# the keyword signature every built-in analysis of a Job takes (see job.dynamics_analysis);
# the duplicates check names the pair (justified repeat)
def probability_analysis(
    network: BooleanNetwork,
    *,
    context: str | None,
    perturbation: Mapping[str, int],
    treatment: Mapping[str, int],
    update: str,
    phenotypes: Mapping[str, str],
    schedule: str | None = None,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    max_states: int = SCREEN_MAX_STATES,
) -> dict[str, Any]:
    """The analysis of ``--metric probability``: fate probabilities of the asynchronous chain.

    From the untreated baseline of ``context`` under ``schedule`` (or the one phase
    ``treatment``), with ``perturbation`` fixed in every phase; exact when the chain has
    at most ``max_states`` reachable states, else ``runs`` Gillespie trajectories seeded
    by :func:`row_seed`.

    Returns
    -------
    dict
        ``{"values": [phenotype values of each attractor reached], "probabilities":
        {phenotype: p}, "counts": {phenotype: trajectories} or None, "runs": runs or None,
        "exact": bool, "engine": "markov" | "gillespie", "note": str}``.

    Examples
    --------
    >>> net = BooleanNetwork({"RT": "RT", "A": "RT & !B", "B": "RT & !A", "Death": "A"})
    >>> from signet.annotations import Annotations
    >>> net = BooleanNetwork(dict(net.rules), annotations=Annotations(baseline={"RT": 0}))
    >>> r = probability_analysis(net, context=None, perturbation={}, treatment={"RT": 1}, update="async",
    ...                          phenotypes={"Death": "Death"})
    >>> r["exact"], r["probabilities"]
    (True, {'Death': 0.5})
    """
    from ..dynamics.probabilities import fate_probabilities

    if update != "async":
        raise ModelError(f"fate probabilities are those of the asynchronous chain, not of --update {update}")
    result = fate_probabilities(
        network,
        schedule=schedule if schedule else dict(treatment),
        context=context,
        perturbation=perturbation,
        method="auto",
        runs=runs,
        seed=row_seed(seed, context or "", perturbation),
        workers=1,
        max_states=max_states,
    )
    values = result.final.phenotypes(phenotypes)
    from ..phenotypes import parse_phenotypes, phenotype_value

    parsed = parse_phenotypes(phenotypes)
    out: dict[str, Any] = {
        "values": [{n: phenotype_value(e, a.space) for n, e in parsed.items()} for a in result.attractors],
        "probabilities": {n: v["probability"] for n, v in values.items()},
        "counts": None,
        "runs": None,
        "exact": result.exact,
        "engine": "markov" if result.exact else "gillespie",
        "note": result.note,
    }
    if not result.exact:
        out["runs"] = runs
        out["counts"] = {n: round(v["probability"] * runs) for n, v in values.items()}
    return out


# -- values and intervals -------------------------------------------------------------------------
def _attractor_value(values: Sequence[Mapping[str, Any]], phenotype: str, metric: str) -> float:
    hits = [v.get(phenotype) == 1 for v in values]
    if metric == "share":
        return sum(hits) / len(hits) if hits else 0.0
    if metric == "inevitable":
        return 1.0 if hits and all(hits) else 0.0
    if metric == "possible":
        return 1.0 if any(hits) else 0.0
    raise ModelError(f"unknown metric {metric!r}: choose one of {', '.join(METRICS)}")


class Estimate:
    """A row's value for one phenotype: the point, and the trajectories behind it when simulated.

    ``successes``/``runs`` are ``None`` for an exact value.
    """

    __slots__ = ("runs", "successes", "value")

    def __init__(self, value: float, successes: int | None = None, runs: int | None = None) -> None:
        self.value, self.successes, self.runs = value, successes, runs

    @property
    def exact(self) -> bool:
        return self.runs is None

    def interval(self, confidence: float = CONFIDENCE) -> tuple[float, float]:
        """A point when exact, else the Wilson interval at ``confidence``."""
        if self.runs is None or self.successes is None:
            return (self.value, self.value)
        from ..dynamics.probabilities import wilson_interval

        return wilson_interval(self.successes, self.runs, confidence)


def complement(e: Estimate) -> Estimate:
    """The estimate of the phenotype's absence: ``1 - value`` (and the failures as
    successes), used by screens that minimise a phenotype.

    Examples
    --------
    >>> c = complement(Estimate(0.25, 25, 100))
    >>> (c.value, c.successes, c.runs)
    (0.75, 75, 100)
    """
    if e.runs is None or e.successes is None:
        return Estimate(1.0 - e.value)
    return Estimate(1.0 - e.value, e.runs - e.successes, e.runs)


def estimate(result: Mapping[str, Any], phenotype: str, metric: str) -> Estimate:
    """The :class:`Estimate` of ``phenotype`` in an analysis result under ``metric``."""
    if metric != "probability":
        return Estimate(_attractor_value(result.get("values") or [], phenotype, metric))
    if "probabilities" not in result:
        raise ModelError("a stored result has no probabilities (the checkpoint was made for another metric)")
    p = float(result["probabilities"].get(phenotype, 0.0))
    counts = result.get("counts")
    if counts is None:
        return Estimate(p)
    return Estimate(p, int(counts.get(phenotype, 0)), int(result["runs"]))


def metric_value(result: Mapping[str, Any], phenotype: str, metric: str) -> tuple[float, float, float]:
    """``(value, lo, hi)`` of ``phenotype`` in an analysis result: see the module docstring."""
    found = estimate(result, phenotype, metric)
    return (found.value, *found.interval())


def effect_interval(function: Callable[..., float], inputs: Sequence[Estimate],
                    confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The range of ``function(*values)`` over the box of the inputs' intervals.

    Each simulated input is taken at confidence ``1 - (1 - confidence) / m`` (``m``
    simulated inputs), so the interval covers the true effect with probability at least
    ``confidence`` when ``function`` is monotone in each input (the score, Bliss and HSA
    excess are; Bliss's jump at ``p0 = 1`` is covered by also trying values just
    below 1).

    Examples
    --------
    >>> effect_interval(lambda a, b: a - b, [Estimate(0.7), Estimate(0.2)])
    (0.5, 0.5)
    >>> lo, hi = effect_interval(lambda a, b: a - b, [Estimate(0.5, 500, 1000), Estimate(0.2)])
    >>> round(lo, 3), round(hi, 3)
    (0.269, 0.331)
    """
    simulated = sum(1 for e in inputs if not e.exact)
    level = 1 - (1 - confidence) / simulated if simulated else confidence
    sides: list[tuple[float, ...]] = []
    for e in inputs:
        lo, hi = e.interval(level)
        side = {lo, hi}
        if hi >= 1.0 > lo:
            side.add(1.0 - 1e-9)
        sides.append(tuple(sorted(side)))
    found = [function(*corner) for corner in itertools.product(*sides)]
    return (round(min(found), 12), round(max(found), 12))


# -- compartments ---------------------------------------------------------------------------------
def free_inputs(network: BooleanNetwork, context: str, fixed: Sequence[str]) -> list[str]:
    """The inputs that ``context``, the baseline and the nodes ``fixed`` (the treatment) leave free."""
    taken = set(fixed) | set(network.annotations.baseline)
    if context:
        taken |= set(network.context(context).fix)
    return [n for n in network.inputs if n not in taken]


def compartments(network: BooleanNetwork, contexts: Sequence[str],
                 fixed: Sequence[str]) -> tuple[BooleanNetwork, list[str], dict[str, str]]:
    """Split each context by the values of the inputs it leaves free.

    Returns the network with one more context per compartment (named
    ``context[Input=value,...]``, or ``Input=value,...`` for no context), the contexts
    to screen, and each one's parent context.  A context with no free input is kept.

    Examples
    --------
    >>> net = BooleanNetwork({"RT": "RT", "Hypoxia": "Hypoxia", "A": "RT & !Hypoxia"})
    >>> net2, names, parent = compartments(net, [""], ["RT"])
    >>> names, dict(net2.context(names[1]).fix)
    (['Hypoxia=0', 'Hypoxia=1'], {'Hypoxia': 1})
    """
    from ..annotations import Context

    contexts_out: list[str] = []
    parent: dict[str, str] = {}
    extra: dict[str, Context] = {}
    for context in contexts:
        free = free_inputs(network, context, fixed)
        if not free:
            contexts_out.append(context)
            parent[context] = context
            continue
        if 2 ** len(free) > MAX_COMPARTMENTS:
            raise ModelError(
                f"context {context or 'none'!r} leaves {len(free)} inputs free ({', '.join(free)}): more than "
                f"{MAX_COMPARTMENTS} compartments; fix some in a context, or pool them (--pool-inputs)"
            )
        base = dict(network.context(context).fix) if context else {}
        for values in itertools.product((0, 1), repeat=len(free)):
            fix = dict(zip(free, values))
            text = ",".join(f"{n}={v}" for n, v in fix.items())
            name = f"{context}[{text}]" if context else text
            extra[name] = Context(name, {**base, **fix}, f"{context or 'the model'} with {text}")
            contexts_out.append(name)
            parent[name] = context
    if not extra:
        return network, contexts_out, parent
    annotations = replace(network.annotations, contexts={**dict(network.annotations.contexts), **extra})
    return _with_annotations(network, annotations), contexts_out, parent


def _with_annotations(network: BooleanNetwork, annotations: Any) -> BooleanNetwork:
    return BooleanNetwork(dict(network.rules), name=network.name, annotations=annotations,
                          implicit_inputs=network.implicit_inputs)
