"""Fate probabilities of the asynchronous Markov chain: exactly, or by stochastic simulation.

:func:`fate_probabilities` answers "with which probability does the cell end in each
attractor?" for the continuous-time asynchronous chain with per-node rates
(:class:`~signet.dynamics.markov.Rates`, MaBoSS's convention), from the untreated
baseline or given starts, under a treatment schedule.  Two engines answer it:

``"exact"``
    the chain on the reachable states, solved with sparse linear algebra
    (:mod:`signet.dynamics.markov`); limited to ``EngineConfig.exact_max_states`` reachable states.
``"simulation"``
    Gillespie trajectories (:mod:`signet.dynamics.simulate`), seeded, with 95% Wilson
    confidence intervals; for anything larger.

``"auto"`` tries the exact engine and falls back to simulation when the reachable
state space is too large (``EngineConfig.exact_auto_max_states``), or when a transient strong component is larger than
``EngineConfig.exact_auto_iterative_states`` (the iterative solve would be slow); the result says which
answered and why.

Start distribution (the same for both engines):

* ``start=None``: the untreated baseline — the attractors of the model with the
  context and the baseline inputs fixed, **each equally likely**, the cell within a
  cyclic attractor distributed by that attractor's stationary distribution;
* ``start`` given: a partial state or a list of them, each equally likely, the nodes a
  start leaves out drawn 0 or 1 with probability 1/2 (MaBoSS's random initial state).

Phases (:mod:`signet.dynamics.schedule`): a phase run *until settled* ends, in the limit
of a long phase, with the cell in attractor ``A`` with its absorption probability
``p_A``, distributed within ``A`` by ``A``'s stationary distribution (ergodic theorem:
whatever state it entered by); the next phase starts from that mixture.  ``PHASE @ t``
lasts ``t`` time units: the next phase starts from the distribution at time ``t``, and
the phase reports the probability of being in each attractor at ``t`` (the rest is
``transient``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ..errors import ModelError, StateSpaceTooLarge
from .config import DEFAULT_CONFIG, EngineConfig

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    from ..model import BooleanNetwork
    from . import Attractor
    from .markov import Rates
    from ..rates import Rate
    from .schedule import Schedule

    #: a treatment schedule as the functions take it: an object, its text or a treatment mapping
    ScheduleLike = Schedule | str | Mapping[str, int]
    #: flip rates: an object or ``{node: (up, down)}`` (numbers or state-dependent rates)
    RatesLike = Rates | Mapping[str, tuple[Rate, Rate]]
    #: the phases to run: ``[(phase text, phase network, duration or None until settled)]``
    Plan = list[tuple[str, BooleanNetwork, float | None]]
    #: start states: one partial state or several
    StartLike = Mapping[str, int] | Sequence[Mapping[str, int]]

__all__ = ["FateProbabilities", "PhaseProbabilities", "fate_probabilities", "start_spaces", "wilson_interval",
           "METHODS"]

METHODS = ("auto", "exact", "simulation")
#: Confidence level of simulation intervals.
CONFIDENCE = 0.95


def wilson_interval(successes: int, trials: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(50, 100)]
    [0.4038, 0.5962]
    >>> wilson_interval(0, 10)[0]
    0.0
    """
    if trials <= 0:
        return (0.0, 1.0)
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    if successes <= 0:
        return (0.0, z * z / (trials + z * z))
    if successes >= trials:
        return (trials / (trials + z * z), 1.0)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class PhaseProbabilities:
    """The attractors one phase leads to and their probabilities.

    Attributes
    ----------
    phase
        The phase's text (``""`` for a run without a schedule).
    attractors
        The attractors of the phase's network with positive probability.
    probabilities
        Probability of being in each at the end of the phase.
    intervals
        95% confidence intervals (exact: ``(p, p)``).
    transient
        Probability of being in no attractor yet at the end of the phase (a bounded
        phase, or simulated trajectories stopped at ``max_time``).
    """

    phase: str
    attractors: tuple["Attractor", ...]
    probabilities: tuple[float, ...]
    intervals: tuple[tuple[float, float], ...]
    transient: float = 0.0

    def phenotypes(self, phenotypes: Mapping[str, str]) -> dict[str, dict[str, float]]:
        """Per phenotype: probability of an attractor where it holds throughout (``probability``),
        where it oscillates (``oscillating``)."""
        from ..phenotypes import parse_phenotypes, phenotype_value

        out = {}
        for name, expr in parse_phenotypes(phenotypes).items():
            on = sum(p for a, p in zip(self.attractors, self.probabilities) if phenotype_value(expr, a.space) == 1)
            osc = sum(p for a, p in zip(self.attractors, self.probabilities) if phenotype_value(expr, a.space) == "*")
            out[name] = {"probability": on, "oscillating": osc}
        return out

    def to_json(self, phenotypes: Mapping[str, str] | None = None) -> dict:
        items = []
        for a, p, (lo, hi) in zip(self.attractors, self.probabilities, self.intervals):
            item = a.to_json(phenotypes)
            item["probability"] = p
            item["interval"] = [lo, hi]
            items.append(item)
        return {"phase": self.phase, "attractors": items, "transient": self.transient,
                "phenotypes": self.phenotypes(phenotypes) if phenotypes else {}}


@dataclass(frozen=True)
class FateProbabilities:
    """Fate probabilities of the asynchronous chain.

    Attributes
    ----------
    method
        ``"exact"`` or ``"simulation"``.
    phases
        One :class:`PhaseProbabilities` per phase (one for a run without a schedule).
    schedule
        The schedule's text (``""`` for none).
    runs, seed
        Simulation only: trajectories and seed.
    unsettled
        Simulation only: fraction of trajectories that had not reached an attractor of
        the last phase when they were stopped.
    mean_time
        Exact only: expected time until the last phase settles (``None`` if unknown).
    note
        What the user should know (engine limits, fallbacks, solver residuals).
    """

    method: str
    phases: tuple[PhaseProbabilities, ...]
    schedule: str = ""
    runs: int | None = None
    seed: int | None = None
    unsettled: float = 0.0
    mean_time: float | None = None
    note: str = ""
    rates: Mapping[str, tuple["Rate", "Rate"]] = field(default_factory=dict)

    @property
    def final(self) -> PhaseProbabilities:
        """The last phase: the fates at the end."""
        return self.phases[-1]

    @property
    def attractors(self) -> tuple:
        return self.final.attractors

    @property
    def probabilities(self) -> tuple[float, ...]:
        return self.final.probabilities

    @property
    def exact(self) -> bool:
        return self.method == "exact"

    def phenotypes(self, phenotypes: Mapping[str, str]) -> dict[str, dict[str, Any]]:
        """Per phenotype at the end: ``probability`` (an attractor where it holds throughout),
        its ``interval`` (95%; exact: a point), and ``oscillating``."""
        values = self.final.phenotypes(phenotypes)
        out: dict[str, dict[str, Any]] = {}
        for name, v in values.items():
            if self.method == "simulation" and self.runs:
                interval = wilson_interval(round(v["probability"] * self.runs), self.runs)
            else:
                interval = (v["probability"], v["probability"])
            out[name] = {"probability": v["probability"], "interval": list(interval), "oscillating": v["oscillating"]}
        return out

    def to_pandas(self, phenotypes: Mapping[str, str] | None = None) -> "pandas.DataFrame":
        """One row per final attractor with its ``probability`` and ``interval`` (see :mod:`signet.tables`)."""
        from ..tables import attractor_records, to_dataframe

        return to_dataframe(attractor_records(self.to_json(phenotypes)["attractors"]))

    def to_json(self, phenotypes: Mapping[str, str] | None = None) -> dict:
        """JSON: method, schedule, per-attractor probabilities with intervals, phenotypes, phases."""
        from ..rates import rates_record

        final = self.final.to_json(phenotypes)
        data: dict[str, Any] = {
            "update": "async",
            "method": self.method,
            "exact": self.exact,
            "schedule": self.schedule,
            "rates": rates_record(self.rates),
            "note": self.note,
            "attractors": final["attractors"],
            "transient": self.final.transient,
            "phenotypes": self.phenotypes(phenotypes) if phenotypes else {},
        }
        if self.method == "simulation":
            data.update({"runs": self.runs, "seed": self.seed, "unsettled": self.unsettled,
                         "confidence": CONFIDENCE})
        else:
            data["mean_time"] = self.mean_time
        if len(self.phases) > 1:
            data["phases"] = [p.to_json(phenotypes) for p in self.phases]
        return data


# ---------------------------------------------------------------------------
# shared set-up: start distribution, phases, rates
# ---------------------------------------------------------------------------
def _plan(network: "BooleanNetwork", schedule: ScheduleLike | None, context: str | None,
          perturbation: Mapping[str, int] | None) -> Plan:
    """``[(phase text, phase network, duration), ...]``: the networks of the phases."""
    from .schedule import as_schedule

    fixes: dict[str, int] = dict(network.context(context).fix) if context is not None else {}
    fixes.update(network.resolve_assignment(perturbation or {}))
    network.constants  # noqa: B018 - computed once per model: every phase network inherits it (fix)
    if schedule is None:
        return [("", network.fix(fixes) if fixes else network, None)]
    plan: Plan = []
    for phase in as_schedule(schedule, network).phases():
        plan.append((str(phase), network.fix({**fixes, **phase.assignment()}), phase.duration))
    if not plan:
        raise ModelError("the schedule has no phase")
    return plan


#: baseline start distributions already computed, by (network id, context, rates): a screen
#: asks for the same context's baseline once per row
_BASELINES: dict[tuple[int, str | None, tuple[Any, ...]], tuple["BooleanNetwork", list[tuple[float, Any]]]] = {}


def _start_cubes(network: "BooleanNetwork", start: StartLike | None, context: str | None,
                 rates: Rates | None) -> list[tuple[float, Any]]:
    """The start as ``[(weight, partial state or Distribution)]``.

    ``start=None``: each baseline attractor (async) with weight 1, or as the metadata's
    ``baseline_fractions`` weigh it (:func:`_weighted`); a cyclic one as its stationary
    distribution (computed exactly on its states; remembered per network object, context and
    rates).
    """
    if start is not None:
        if isinstance(start, Mapping):
            start = [start]
        cubes = [(1.0, network.resolve_assignment(s)) for s in start]
        if not cubes:
            raise ModelError("an empty list of start states reaches nothing")
        return cubes
    key = (id(network), context, rates.key() if rates is not None else ())
    got = _BASELINES.get(key)
    if got is not None and got[0] is network:
        return list(got[1])
    if len(_BASELINES) > 64:
        _BASELINES.clear()
    cubes = _baseline_cubes(network, context, rates)
    _BASELINES[key] = (network, cubes)
    return list(cubes)


def start_spaces(network: "BooleanNetwork", context: str | None = None,
                 start: StartLike | None = None) -> list[dict[str, int]]:
    """Subspaces (the nodes each fixes, with their values) that hold every start state of
    :func:`fate_probabilities` with these arguments: one per start cube (``start=None``:
    one per baseline attractor, fixing the nodes constant in it).

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"A": "!B", "B": "A", "C": "C"})
    >>> start_spaces(net, start=[{"C": 1}])
    [{'C': 1}]
    >>> sorted(map(sorted, (s.items() for s in start_spaces(net))))    # the cycle, with C=0 and C=1
    [[('C', 0)], [('C', 1)]]
    """
    out = []
    for _weight, cube in _start_cubes(network, start, context, _rates(network, None)):
        space = _constant_in(cube)
        out.append({n: space[n] for n in network.nodes if n in space})
    return out


def _constant_in(cube: Any) -> dict[str, int]:
    """The nodes a start cube (a partial state, or a Distribution over its support) holds
    constant, with their values."""
    from .markov import Distribution

    if not isinstance(cube, Distribution):
        return {n: int(v) for n, v in cube.items()}
    space = dict(cube.fixed)
    codes = cube.codes[cube.probs > 0]
    for j, name in enumerate(cube.free):
        bits = (codes >> j) & 1
        if len(codes) and bits.min() == bits.max():
            space[name] = int(bits[0])
    return space


def _baseline_cubes(network: "BooleanNetwork", context: str | None, rates: Rates | None) -> list[tuple[float, Any]]:
    """The untreated baseline of ``context``: each async attractor, weight 1 or weighted by the
    model's ``baseline_fractions`` (see :func:`_start_cubes`)."""
    from . import attractors
    from .markov import Distribution, explore

    values = {**(dict(network.context(context).fix) if context is not None else {}),
              **dict(network.annotations.baseline)}
    base_net = network.fix(values) if values else network
    base = attractors(base_net, "async")
    out: list[tuple[float, Any]] = []
    for i, att in enumerate(base.attractors):
        if att.states == 1:
            out.append((1.0, {n: int(v) for n, v in att.space.items()}))
            continue
        members = base.member_states(i)
        if members is None:
            raise ModelError(f"a baseline attractor has {att.states} states: too many to start from "
                             "(give --from states instead)")
        # an attractor is closed: the nodes constant over its states never move, so the chain
        # needs only the nodes that vary in it (a model with more than 62 nodes left unsettled by
        # its constants, e.g. the radioresistance model without a context, starts from a cycle)
        settled = {n: v for n, v in members[0].items() if all(m[n] == v for m in members)}
        chain = explore(base_net, Distribution.uniform(base_net.nodes, [(1.0, m) for m in members]), rates,
                        settled=settled)
        (states,) = chain.classes()[1]
        pi = chain.stationary(states)
        out.append((1.0, chain.distribution(_spread(chain.size, states, pi))))
    fractions = dict(network.annotations.baseline_fractions)
    return _weighted(out, fractions) if fractions else out


def _weighted(cubes: list[tuple[float, Any]], fractions: Mapping[str, float]) -> list[tuple[float, Any]]:
    """The baseline attractors weighted by the untreated population (metadata ``baseline_fractions``).

    Each listed node is an independent marker that is 1 in the given fraction of cells: an
    attractor's weight is the product, over the markers, of the fraction (marker 1) or its
    complement (marker 0), shared equally among the attractors with the same markers.  Marker
    patterns without an attractor drop out (the weights are renormalised).

    Examples
    --------
    >>> cubes = [(1.0, {"S": 0, "X": 0}), (1.0, {"S": 0, "X": 1}), (1.0, {"S": 1, "X": 0})]
    >>> [round(w, 3) for w, _ in _weighted(cubes, {"S": 0.1})]
    [0.45, 0.45, 0.1]
    """
    patterns = []
    for _, cube in cubes:
        space = _constant_in(cube)
        for node in fractions:
            if node not in space:
                raise ModelError(f"baseline_fractions: {node} is not constant in a baseline attractor (it "
                                 "oscillates), so it cannot mark a share of the untreated cells")
        patterns.append(tuple(space[node] for node in fractions))
    counts = {p: patterns.count(p) for p in patterns}
    weights = []
    for pattern in patterns:
        w = 1.0
        for value, fraction in zip(pattern, fractions.values()):
            w *= fraction if value else 1.0 - fraction
        weights.append(w / counts[pattern])
    total = sum(weights)
    return [(w / total, cube) for w, (_, cube) in zip(weights, cubes)]


def _spread(size: int, where: Any, values: Any) -> Any:
    import numpy as np

    vector = np.zeros(size)
    vector[where] = values
    return vector


def _rates(network: "BooleanNetwork", rates: RatesLike | None) -> Rates:
    from .markov import Rates

    if rates is None:
        rates = Rates(dict(network.annotations.rates))
    elif not isinstance(rates, Rates):
        rates = Rates(dict(rates))
    return rates.resolve(network)


def _attractor(codes: Any, free: Sequence[str], fixed: Mapping[str, int], nodes: Sequence[str]) -> "Attractor":
    from . import Attractor

    space: dict[str, int | str] = {}
    for n in nodes:
        if n in fixed:
            space[n] = int(fixed[n])
        else:
            j = free.index(n)
            bits = (codes >> j) & 1
            ones = int(bits.sum())
            space[n] = 1 if ones == len(codes) else 0 if ones == 0 else "*"
    return Attractor("fixed" if len(codes) == 1 else "cyclic", space, int(len(codes)))


# ---------------------------------------------------------------------------
# the public function
# ---------------------------------------------------------------------------
def fate_probabilities(
    network: "BooleanNetwork",
    *,
    schedule: ScheduleLike | None = None,
    context: str | None = None,
    perturbation: Mapping[str, int] | None = None,
    start: StartLike | None = None,
    rates: RatesLike | None = None,
    method: str = "auto",
    runs: int = 10_000,
    seed: int = 0,
    workers: int = 1,
    max_time: float = 1000.0,
    max_states: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    config: EngineConfig | None = None,
) -> FateProbabilities:
    """With which probability the cell ends in each attractor (asynchronous chain with rates).

    Parameters
    ----------
    network
        The model (metadata: baseline inputs, contexts, ``rates``).
    schedule
        A treatment schedule (:mod:`signet.dynamics.schedule`; text, object or a
        treatment mapping); ``None``: the network as it is (one phase).
    context, perturbation
        Fixed in every phase; the context also in the baseline.
    start
        Start states (partial: unlisted nodes drawn uniformly); ``None``: the baseline.
    rates
        :class:`~signet.dynamics.markov.Rates` or ``{node: (up, down)}``; default the
        model's ``rates`` (all 1 if none).
    method
        ``"exact"``, ``"simulation"`` or ``"auto"`` (exact when the reachable states fit).
    runs, seed, workers, max_time
        Simulation: trajectories, seed, worker processes, and the longest time a
        trajectory runs in a phase that lasts until settled.
    max_states
        Limit of the exact engine (default ``config.exact_max_states``; with ``method="auto"``,
        ``config.exact_auto_max_states``, above which it simulates).
    progress
        Simulation: called as ``progress(done, total)`` trajectories.
    config
        The engines' thresholds (:class:`~signet.dynamics.config.EngineConfig`: exact
        chain, simulation chunks, attractor catalogue); default :data:`~signet.dynamics.config.DEFAULT_CONFIG`.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"A": "A | B", "B": "!A & B", "C": "C | B"})
    >>> r = fate_probabilities(net, start={"A": 0, "B": 1, "C": 0}, method="exact")
    >>> [(net.format_space(a.space), round(p, 3)) for a, p in zip(r.attractors, r.probabilities)]
    [('A=1 B=0 C=0', 0.25), ('A=1 B=0 C=1', 0.75)]
    >>> r = fate_probabilities(net, start={"A": 0, "B": 1, "C": 0}, rates={"C": (3.0, 1.0)}, method="exact")
    >>> [p * 16 for p in r.probabilities]     # C rises 3x faster: A, then B, must beat it (1/4 * 1/4)
    [1.0, 15.0]
    """
    if method not in METHODS:
        raise ModelError(f"unknown method {method!r}: choose one of {', '.join(METHODS)}")
    config = config or DEFAULT_CONFIG
    rates = _rates(network, rates)
    plan = _plan(network, schedule, context, perturbation)
    text = "" if schedule is None else str(_schedule_text(schedule, network))
    note = ""
    if method in ("exact", "auto"):
        try:
            limit = max_states or (config.exact_auto_max_states if method == "auto" else config.exact_max_states)
            return _exact(network, plan, start, context, rates, text, limit,
                          config.exact_auto_iterative_states if method == "auto" else float("inf"), config)
        except StateSpaceTooLarge as exc:
            if method == "exact":
                raise
            note = f"simulated: the exact engine does not fit ({exc})"
    from .simulate import simulate_fates

    result = simulate_fates(network, plan, _start_cubes(network, start, context, rates), rates, runs=runs,
                            seed=seed, workers=workers, max_time=max_time, progress=progress, config=config)
    return FateProbabilities("simulation", result["phases"], text, runs, seed, result["unsettled"], None,
                             "; ".join(x for x in (note, result["note"]) if x), dict(rates.values))


def _schedule_text(schedule: ScheduleLike, network: "BooleanNetwork") -> str:
    from .schedule import as_schedule

    return str(as_schedule(schedule, network))


def _exact(network: "BooleanNetwork", plan: Plan, start: StartLike | None, context: str | None, rates: Rates,
           text: str, max_states: int,
           iterative_limit: float = float("inf"), config: EngineConfig = DEFAULT_CONFIG) -> FateProbabilities:
    import numpy as np

    from .markov import Distribution, explore, mixture, settled_in_fixed

    nodes = network.nodes
    parts = []
    for weight, cube in _start_cubes(network, start, context, rates):
        if isinstance(cube, Distribution):
            parts.append((weight, cube))
        else:
            parts.append((weight, Distribution.uniform(nodes, [(1.0, cube)], max_states)))
    dist = parts[0][1] if len(parts) == 1 else mixture(parts, nodes)
    phases: list[PhaseProbabilities] = []
    notes: list[str] = []
    mean_time: float | None = None
    for phase_text, phase_net, duration in plan:
        chain = explore(phase_net, dist, rates, max_states=max_states, config=config,
                        settled=settled_in_fixed(network, phase_net, dist))
        chain.iterative_limit = iterative_limit
        if duration is None:
            p, vector, mean_time = chain.settled_distribution()
        else:  # where the cell is at time t: in an attractor, or still on its way
            mean_time = None
            vector = chain.transient(float(duration))
            p = np.array([vector[m].sum() for m in chain.classes()[1]])
        if chain.residual:
            notes.append(f"phase {len(phases) + 1}: solved iteratively (residual {chain.residual:.1e})")
        members = chain.classes()[1]
        keep = [k for k in range(len(members)) if p[k] > 1e-15]
        atts = tuple(_attractor(chain.codes[members[k]], chain.free, chain.fixed, nodes) for k in keep)
        probs = tuple(float(p[k]) for k in keep)
        transient = max(0.0, 1.0 - float(p.sum())) if duration is not None else 0.0
        phases.append(PhaseProbabilities(phase_text, atts, probs, tuple((q, q) for q in probs), transient))
        dist = chain.distribution(vector)
    return FateProbabilities("exact", tuple(phases), text, None, None, 0.0, mean_time, "; ".join(notes),
                             dict(rates.values))
