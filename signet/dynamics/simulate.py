"""Stochastic simulation of the asynchronous chain (MaBoSS-style Gillespie), seeded and parallel.

The chain is the one of :mod:`signet.dynamics.markov`: in a state, every node whose
rule disagrees with its value flips at its rate (``up`` 0 -> 1, ``down`` 1 -> 0; 1 by
default).  A trajectory waits an exponential time of rate the sum of those rates, then
flips one of the nodes with probability proportional to its rate (Gillespie's direct
method); trajectories at a fixed point stop.  Fates are simulated by the compiled kernel
of :mod:`signet.dynamics.kernel`, one trajectory at a time, each drawing from its own
Philox stream keyed by ``seed`` and its index: a result depends on ``seed`` and ``runs``
only, not on ``workers``, the chunk size (``EngineConfig.simulation_chunk``, the unit of
parallel work) or when a trajectory's attractor is recognised.  Time courses (and fates
with ``EngineConfig(simulation_compiled=False)``) run many trajectories at once as numpy
arrays of shape ``(nodes, runs)``, drawn in chunks with seeds spawned from ``seed``
(``numpy.random.SeedSequence``): their result also depends on the chunk size.  Every
threshold here is a field of :class:`~signet.dynamics.config.EngineConfig`.

Phases: a phase of length ``t`` (``PHASE @ t``) runs every trajectory for ``t`` time
units; a phase that lasts until settled runs each trajectory until it is in an
attractor, or for ``max_time`` time units.  A trajectory is known to be in an attractor
when it stops at a fixed point, or when its state is a member of an attractor that the
phase's :class:`~signet.dynamics.settling.AttractorCatalogue` has enumerated (looked up
every ``simulation_check_steps`` steps; the catalogue enumerates what a state reaches inside
its smallest trap space when that is small).  A trajectory stopped in a cyclic
attractor goes on into the next phase from a state drawn from the attractor's exact
stationary distribution — the limit of a long phase, as in the exact engine — and one
still running at ``max_time`` from wherever it is (an estimate of that distribution); with
the compiled kernel, one still running at ``max_time`` inside a cyclic attractor of at most
``settle_max_states`` states is handed on from its stationary distribution too
(:func:`_settle_ended`).
The last phase of a schedule also stops trajectories in known attractors, bounded or
not: only the attractor matters at its end.  At the end of each phase the trajectories
are assigned to the exact asynchronous attractors of the phase's network that their
states lie in: the catalogue's, the fixed points, and for the other final states those
computed from them with :func:`signet.dynamics.attractors`; one that lies in none is
*unsettled*.  (An attractor too large to list its states — more than ``2**16`` that do
not fill its space — takes the final states from which it is the only reachable
attractor: their fate is certain.)

Probabilities carry 95% Wilson intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ..errors import ModelError
from .config import DEFAULT_CONFIG, EngineConfig

if TYPE_CHECKING:  # pragma: no cover
    from ..model import BooleanNetwork
    from .markov import Rates
    from .ratetable import RateTable
    from .results import AttractorResult
    from .probabilities import FateProbabilities, Plan, RatesLike, ScheduleLike
    from .settling import AttractorCatalogue

__all__ = ["simulate", "simulate_fates"]


def simulate(
    network: "BooleanNetwork",
    *,
    start: Mapping[str, int] | Sequence[Mapping[str, int]] | None = None,
    runs: int = 10_000,
    seed: int = 0,
    schedule: ScheduleLike | None = None,
    context: str | None = None,
    perturbation: Mapping[str, int] | None = None,
    rates: RatesLike | None = None,
    max_time: float = 1000.0,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    config: EngineConfig | None = None,
) -> FateProbabilities:
    """Fate probabilities by stochastic simulation (:func:`~signet.dynamics.probabilities.fate_probabilities`
    with ``method="simulation"``).

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"A": "A | B", "B": "!A & B", "C": "C | B"})
    >>> r = simulate(net, start={"A": 0, "B": 1, "C": 0}, runs=4000, seed=1)
    >>> [net.format_space(a.space) for a in r.attractors]
    ['A=1 B=0 C=0', 'A=1 B=0 C=1']
    >>> lo, hi = r.final.intervals[0]
    >>> lo < 0.25 < hi, r.unsettled                        # exact: 1/2 * 1/2
    (True, 0.0)
    """
    from .probabilities import fate_probabilities

    return fate_probabilities(network, schedule=schedule, context=context, perturbation=perturbation, start=start,
                              rates=rates, method="simulation", runs=runs, seed=seed, workers=workers,
                              max_time=max_time, progress=progress, config=config)


# ---------------------------------------------------------------------------
# the engine
# ---------------------------------------------------------------------------
@dataclass
class _Phase:
    """A phase compiled for simulation.

    ``constants``: the nodes it fixes (pins and constant rules) with their values, by
    index; ``variable``: the others.  ``model``: the network the phase fixes nodes of;
    each run of the phase evaluates only the rules of the nodes that can move
    (:func:`_moving_nodes`), compiled once per trap space for every phase and row of a model.
    """

    text: str
    network: Any
    duration: float | None
    constants: dict[int, int]
    variable: list[int]
    model: Any


def _compile(network: "BooleanNetwork", plan: Plan) -> list[_Phase]:
    nodes = list(network.nodes)
    index = {n: j for j, n in enumerate(nodes)}
    phases = []
    for text, phase_net, duration in plan:
        constants = {index[n]: int(v) for n, v in phase_net.constants.items()}
        variable = [j for j in range(len(nodes)) if j not in constants]
        phases.append(_Phase(text, phase_net, None if duration is None else float(duration), constants, variable,
                             network))
    return phases


def _sample_starts(nodes: Sequence[str], cubes: Sequence[tuple[float, Any]], count: int, rng: Any) -> Any:
    """``count`` start states (bool array ``(nodes, count)``) drawn from the weighted start cubes."""
    import numpy as np

    weights = np.array([w for w, _ in cubes], dtype=float)
    which = rng.choice(len(cubes), size=count, p=weights / weights.sum())
    state = rng.random((len(nodes), count)) < 0.5

    def pick(cube: Any, cols: Any) -> Any:
        return cube.codes[rng.choice(len(cube.codes), size=len(cols), p=cube.probs / cube.probs.sum())]

    return _fill_starts(state, nodes, cubes, which, pick)


def _fill_starts(state: Any, nodes: Sequence[str], cubes: Sequence[tuple[float, Any]], which: Any,
                 pick: Callable[[Any, Any], Any]) -> Any:
    """Set the columns of ``state`` whose trajectory starts in cube ``which[col]`` to that cube:
    its fixed values, and for a :class:`~signet.dynamics.markov.Distribution` its free nodes
    from the codes ``pick(cube, cols)`` draws (one per column; called once per cube, in order,
    so a generator's draws follow the cubes' order).  Other nodes keep their uniform draws."""
    import numpy as np

    from .markov import Distribution

    index = {n: j for j, n in enumerate(nodes)}
    for k, (_, cube) in enumerate(cubes):
        cols = np.flatnonzero(which == k)
        if not len(cols):
            continue
        fixed = cube.fixed if isinstance(cube, Distribution) else cube
        at = np.array([j for j, n in enumerate(nodes) if n in fixed], dtype=np.int64)
        state[np.ix_(at, cols)] = np.array([bool(fixed[nodes[j]]) for j in at.tolist()], dtype=bool)[:, None]
        if isinstance(cube, Distribution):
            codes = pick(cube, cols)
            rows = np.array([index[n] for n in cube.free], dtype=np.int64)
            bits = (codes[None, :] >> np.arange(len(rows))[:, None]) & 1
            state[np.ix_(rows, cols)] = bits.astype(bool)
    return state


def _run_phase(state: Any, phase: _Phase, table: RateTable, rng: Any, max_time: float,
               record: tuple[Any, float, Callable[..., None], bool] | None = None,
               catalogue: AttractorCatalogue | None = None) -> tuple[Any, Any]:
    """Run every trajectory (columns of ``state``, changed in place) through ``phase``.

    Returns ``(fixed, settled)``: a boolean array, the trajectories that stopped at a
    fixed point, and an integer array, the index in ``catalogue`` of the attractor a
    trajectory stopped in (``-1``: none; every ``simulation_check_steps`` steps of the
    catalogue's configuration the states of the running trajectories are looked up in
    ``catalogue``, which learns new ones).
    ``record``: ``(grid, t0, sink, closing)`` — for every grid time ``g`` in the phase
    (``closing``: including its end), ``sink(k, columns, states)`` receives the states at
    ``g`` (``k``: grid index).
    """
    import numpy as np

    runs = state.shape[1]
    for j, v in phase.constants.items():
        state[j, :] = bool(v)
    end = phase.duration if phase.duration is not None else max_time
    variable = np.array(phase.variable, dtype=np.int64)
    time = np.zeros(runs)
    active = np.arange(runs)
    fixed = np.zeros(runs, dtype=bool)
    settled = np.full(runs, -1, dtype=np.int64)
    if len(variable) == 0:
        fixed[:] = True
        if record is not None:
            _record(record, state, active, time, np.full(runs, np.inf), end)
        return fixed, settled
    moving, evaluate = _moving_nodes(state, phase)
    steps = 0
    check_steps = catalogue.config.simulation_check_steps if catalogue is not None else 0
    while active.size:
        if catalogue is not None and steps % check_steps == 0:
            active = _settle(state, active, catalogue, settled)
            if not active.size:
                break
        steps += 1
        moved = _step(state, active, moving, evaluate, table, rng, time, end, fixed, record)
        if moved is None:
            break
        active = moved
    return fixed, settled


def _settle(state: Any, active: Any, catalogue: AttractorCatalogue, settled: Any) -> Any:
    """Stop the trajectories (``active`` columns) whose state is in a known attractor; returns the others."""
    import numpy as np

    packed = np.packbits(state[:, active], axis=0)
    found = catalogue.lookup(packed)
    unknown = found < 0
    if unknown.any():
        catalogue.learn_some(packed[:, unknown], state[:, active[unknown]])
        found[unknown] = catalogue.lookup(packed[:, unknown])
    inside = found >= 0
    settled[active[inside]] = found[inside]
    return active[~inside]


def _moving_nodes(state: Any, phase: _Phase) -> tuple[Any, Callable[[Any, Any], None]]:
    """The nodes that can flip in ``phase`` from the states ``state`` (columns), in network
    order, and the function evaluating their rules (:func:`_moving_evaluator`).

    They are the free nodes of the smallest trap space containing every column (the
    phase's pins and constant rules stay pinned: :meth:`~signet.dynamics.compiled.CompiledNetwork.trap_closure`).
    No trajectory ever leaves a trap space, and a node fixed in it has no enabled flip in
    any of its states: a step that lists the enabled flips of the moving nodes only lists
    exactly those of all nodes, in the same order, so the trajectories are the same, draw
    for draw.  The step's arrays shrink to the moving nodes (44 of 121 in the
    radioresistance model's first phase from its wildtype baseline).
    """
    moving, trap, values = _moving_space(state, phase)
    return moving, _moving_evaluator(phase.model, moving, trap, values & trap)


def _moving_space(state: Any, phase: _Phase) -> tuple[Any, int, int]:
    """The moving nodes of :func:`_moving_nodes`, the fixed nodes of the smallest trap space
    containing every column of ``state`` (a mask) and the values the columns share (bits)."""
    import numpy as np

    from .compiled import compiled

    cn = compiled(phase.model)
    ones, zeros = state.all(axis=1), ~state.any(axis=1)
    mask, values = _as_bits(ones | zeros), _as_bits(ones)
    pinned = sum(1 << j for j in phase.constants) | cn.constant_mask
    trap = cn.trap_closure(mask, values, pinned & mask)
    moving = np.array([j for j in range(state.shape[0]) if not (trap >> j) & 1], dtype=np.int64)
    return moving, trap, values


def _as_bits(flags: Any) -> int:
    """A boolean array as an integer (bit ``j`` is ``flags[j]``)."""
    import numpy as np

    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


#: the rules of the moving nodes compiled with the fixed values as literals, by (model, moving, trap space)
_MOVING: dict[tuple[int, bytes, int, int], tuple[Any, Callable[[Any, Any], None]]] = {}


def _moving_evaluator(model: "BooleanNetwork", moving: Any, mask: int, values: int) -> Callable[[Any, Any], None]:
    """``f(sub, out)``: the rules of the ``moving`` nodes (rows of ``sub``, in that order) into
    the rows of ``out``, the nodes fixed by ``(mask, values)`` written in as constants."""
    from ..expr import compile_expressions

    key = (id(model), moving.tobytes(), mask, values)
    got = _MOVING.get(key)
    if got is None or got[0] is not model:
        if len(_MOVING) > 4096:
            _MOVING.clear()
        nodes = list(model.nodes)
        names = [nodes[j] for j in moving.tolist()]
        constants = {n: (values >> j) & 1 for j, n in enumerate(nodes) if (mask >> j) & 1}
        got = _MOVING[key] = (model, compile_expressions([model.rules[n] for n in names], names, constants))
    return got[1]


def _step(state: Any, active: Any, moving: Any, evaluate: Callable[[Any, Any], None], table: RateTable,
          rng: Any, time: Any, end: float, fixed: Any,
          record: tuple[Any, float, Callable[..., None], bool] | None) -> Any:
    """One Gillespie step of the ``active`` trajectories: the ones still running, or ``None`` when none moves.

    Only the ``moving`` nodes can flip (:func:`_moving_nodes`; ``evaluate`` their rules).
    The enabled flips are listed sparsely (node, trajectory), grouped by trajectory; a
    trajectory's total rate is the sum over its group and the flip is drawn in its group
    with probability proportional to its rate (the direct method).
    """
    import numpy as np

    sub = state[np.ix_(moving, active)]
    enabled = np.empty_like(sub)
    evaluate(sub, enabled)
    np.not_equal(enabled, sub, out=enabled)
    cols, local = np.nonzero(enabled.T)  # grouped by trajectory, nodes in network order within
    nodes = moving[local]
    if table.state_dependent:  # rates read in the whole state of each trajectory
        rate = table.rates(state, nodes, active[cols])
    else:
        rate = np.where(sub[local, cols], table.down[nodes], table.up[nodes])
    total = np.bincount(cols, weights=rate, minlength=active.size)
    stuck = total <= 0
    safe = np.where(stuck, 1.0, total)
    new_time = time[active] + rng.exponential(size=active.size) / safe
    new_time[stuck] = np.inf
    if record is not None:
        _record(record, state, active, time[active], new_time, end)
    fixed[active[stuck]] = True
    moving = new_time < end
    if not moving.any():
        return None
    draw = rng.random(active.size) * safe
    cumulative = np.cumsum(rate)
    counts = np.bincount(cols, minlength=active.size)
    first = np.cumsum(counts) - counts
    before = np.concatenate(([0.0], cumulative))[first]
    moved = np.flatnonzero(moving)
    # the first flip of the group whose cumulative rate reaches the draw
    choice = np.searchsorted(cumulative, before[moved] + draw[moved], side="left")
    choice = np.clip(choice, first[moved], first[moved] + counts[moved] - 1)
    targets = nodes[choice]
    state[targets, active[moved]] = ~state[targets, active[moved]]
    time[active[moved]] = new_time[moved]
    return active[moved]


def _record(record: tuple[Any, float, Callable[..., None], bool], state: Any, active: Any, start_times: Any,
            end_times: Any, phase_end: float) -> None:
    """Grid times in ``[start, min(end, phase_end))`` of each trajectory see its current state."""
    import numpy as np

    grid, t0, sink, closing = record
    local = grid - t0
    lo = np.searchsorted(local, start_times, side="left")
    hi = np.searchsorted(local, np.minimum(end_times, phase_end), side="left")
    if closing:  # the last phase also owns the grid time at its end
        hi = np.where(end_times >= phase_end, np.searchsorted(local, phase_end + 1e-9, side="left"), hi)
    counts = hi - lo
    if not counts.any():
        return
    for k in np.unique(np.concatenate([np.arange(a, b) for a, b in zip(lo[counts > 0], hi[counts > 0])])):
        cols = active[(lo <= k) & (k < hi)]
        sink(int(k), cols, state[:, cols])


#: What every chunk shares (the network is not picklable: workers inherit it by fork).
_SHARED: dict = {}


def _chunk(args: tuple[int, Any]) -> dict[str, Any]:
    """One chunk of trajectories through every phase: final states per phase (packed), fixed
    flags, and the attractors each phase's catalogue knows (packed states)."""
    import numpy as np

    count, seed_seq = args
    network, plan, cubes, table, max_time, grid, extra = (
        _SHARED[k] for k in ("network", "plan", "cubes", "table", "max_time", "grid", "extra"))
    # each chunk learns attractors afresh (remembered enumerations make that cheap): when a
    # trajectory stops then depends on the chunk's own draws only, not on the worker it runs in
    rates = _SHARED.get("rates")
    config = _SHARED.get("config", DEFAULT_CONFIG)
    catalogues = _catalogues(network, plan, rates, config) if rates is not None else None
    rng = np.random.default_rng(seed_seq)
    nodes = list(network.nodes)
    phases = _compile(network, plan)
    state = _sample_starts(nodes, cubes, count, rng)
    ends = []
    fixed_flags = []
    sink = _series_sink(extra, len(grid)) if grid is not None else None
    t0 = 0.0
    for k, phase in enumerate(phases):
        record = (grid, t0, sink, k == len(phases) - 1) if sink is not None else None
        catalogue = catalogues[k] if catalogues is not None and record is None else None
        fixed, settled = _run_phase(state, phase, table, rng, max_time, record, catalogue)
        if catalogue is not None and k < len(phases) - 1:
            _resample(state, settled, catalogue, _rng_pick(rng))
        ends.append(np.packbits(state, axis=0))
        fixed_flags.append(fixed)
        t0 += phase.duration if phase.duration is not None else max_time
    known = [[a.packed for a in c.attractors] if c is not None else [] for c in (catalogues or [])]
    return {"ends": ends, "fixed": fixed_flags, "series": None if sink is None else sink.series, "known": known}


def _chunk_compiled(args: tuple[int, int]) -> dict[str, Any]:
    """Trajectories ``first .. first + count - 1`` through every phase with the compiled kernel
    (:mod:`~signet.dynamics.kernel`); the output of :func:`_chunk`.

    Each trajectory draws from its own random stream (its index), so what it does does
    not depend on the chunk it runs in, nor on when the catalogue recognises its attractor.
    """
    import numpy as np

    count, first = args
    network, plan, cubes, table, max_time, seed = (
        _SHARED[k] for k in ("network", "plan", "cubes", "table", "max_time", "seed"))
    config = _SHARED.get("config", DEFAULT_CONFIG)
    catalogues = _catalogues(network, plan, _SHARED["rates"], config)
    trajectories = np.arange(first, first + count, dtype=np.int64)
    state = _stream_starts(list(network.nodes), cubes, trajectories, seed)
    ends, fixed_flags = [], []
    phases = _compile(network, plan)
    for k, phase in enumerate(phases):
        last = k == len(phases) - 1
        fixed, settled = _run_phase_compiled(state, phase, k, table, (seed, trajectories), max_time,
                                             catalogues[k], last)
        catalogue = catalogues[k]
        if catalogue is not None and not last:
            _resample(state, settled, catalogue, _stream_pick(seed, trajectories, 2 * k + 2))
        ends.append(np.packbits(state, axis=0))
        fixed_flags.append(fixed)
    known = [[a.packed for a in c.attractors] if c is not None else [] for c in catalogues]
    return {"ends": ends, "fixed": fixed_flags, "series": None, "known": known}


def _stream_starts(nodes: Sequence[str], cubes: Sequence[tuple[float, Any]], trajectories: Any, seed: int) -> Any:
    """Start states (bool ``(nodes, trajectories)``) drawn from the weighted start cubes, each
    trajectory from draws ``0 .. len(nodes) + 1`` of its stream 0 (:func:`_sample_starts`'s law)."""
    import numpy as np

    from .kernel import uniforms

    draws = uniforms(seed, trajectories, 0, len(nodes) + 2)
    weights = np.cumsum([w for w, _ in cubes], dtype=float)
    which = np.minimum(np.searchsorted(weights / weights[-1], draws[:, 0], side="right"), len(cubes) - 1)

    def pick(cube: Any, cols: Any) -> Any:
        cumulative = np.cumsum(cube.probs, dtype=float)
        picked = np.searchsorted(cumulative / cumulative[-1], draws[cols, 1], side="right")
        return cube.codes[np.minimum(picked, len(cube.codes) - 1)]

    return _fill_starts(draws[:, 2:].T < 0.5, nodes, cubes, which, pick)


def _run_phase_compiled(state: Any, phase: _Phase, index: int, table: RateTable, streams: tuple[int, Any],
                        max_time: float, catalogue: AttractorCatalogue | None, last: bool) -> tuple[Any, Any]:
    """:func:`_run_phase` (no recording) with the compiled kernel: the trajectories run in rounds
    of ``simulation_check_steps`` steps, between which their states are looked up in
    ``catalogue`` (which learns new ones, as in :func:`_run_phase`).

    ``streams``: ``(seed, trajectory indices)``; the phase's steps use stream ``2 index + 1``.
    A trajectory still running at the end of a phase that is not the last is looked up
    once more with every unknown end state explored (:func:`_settle_ended`): one inside a
    cyclic attractor the catalogue can enumerate is handed on from that attractor's
    stationary distribution whether or not a look-up stopped it earlier, so when the
    catalogue recognised it never changes what a trajectory does.
    """
    import numpy as np

    from .compiled import compiled
    from .kernel import ENDED, FIXED, RUNNING, advance, flat_rules

    runs = state.shape[1]
    for j, v in phase.constants.items():
        state[j, :] = bool(v)
    fixed = np.zeros(runs, dtype=bool)
    settled = np.full(runs, -1, dtype=np.int64)
    if not phase.variable:
        fixed[:] = True
        return fixed, settled
    end = phase.duration if phase.duration is not None else max_time
    moving, _trap, _values = _moving_space(state, phase)
    movable = np.zeros(state.shape[0], dtype=np.uint8)
    movable[moving] = 1
    flat = flat_rules(compiled(phase.model))
    rows = np.ascontiguousarray(state.T, dtype=np.uint8)
    seed, trajectories = streams
    steps = np.zeros(runs, dtype=np.int64)
    times = np.zeros(runs)
    status = np.zeros(runs, dtype=np.int8)
    active = np.arange(runs)
    check = catalogue.config.simulation_check_steps if catalogue is not None else 0
    ended = []
    while active.size:
        if catalogue is not None:
            active = _settle(rows.T, active, catalogue, settled)
            if not active.size:
                break
        advance(rows, active, trajectories, steps, times, seed, 2 * index + 1, flat, movable, table,
                end, check, status)
        outcome = status[active]
        fixed[active[outcome == FIXED]] = True
        ended.append(active[outcome == ENDED])
        active = active[outcome == RUNNING]
    if catalogue is not None and not last and ended:
        _settle_ended(rows, np.concatenate(ended), catalogue, settled)
    state[:] = rows.T.astype(bool)
    return fixed, settled


def _settle_ended(rows: Any, ended: Any, catalogue: AttractorCatalogue, settled: Any) -> None:
    """The trajectories ``ended`` (rows of ``rows``) that ran to the end of the phase: those in an
    attractor of at most ``settle_max_states`` states are ``settled`` (every unknown end state
    explored, whatever the size of its trap space), the others not.

    Whether a trajectory is settled then depends on its path only: a look-up during the phase
    stops a trajectory only in an enumerated attractor (at most that many states), which it
    would still be in at the end of the phase.
    """
    import numpy as np

    if not ended.size:
        return
    packed = np.packbits(rows[ended], axis=1).T
    found = catalogue.lookup(packed)
    for u in np.flatnonzero(found < 0).tolist():
        if catalogue.lookup(packed[:, u:u + 1])[0] < 0:
            catalogue.learn(packed[:, u:u + 1], rows[ended[u]][:, None].astype(bool), thorough=True)
    found = catalogue.lookup(packed)
    inside = found >= 0
    settled[ended[inside]] = found[inside]


class _SeriesSink:
    """Counts, per grid time, the trajectories where each indicator holds (time courses)."""

    def __init__(self, evaluators: list[Callable], times: int) -> None:
        import numpy as np

        self.evaluators = evaluators
        self.series = np.zeros((times, len(evaluators)))

    def __call__(self, k: int, cols: Any, states: Any) -> None:
        import numpy as np

        rows = list(states)
        for i, f in enumerate(self.evaluators):
            value = f(*rows)
            self.series[k, i] += np.count_nonzero(np.broadcast_to(value, (len(cols),)))


def _series_sink(extra: Any, times: int) -> _SeriesSink:
    _names, evaluators = extra
    return _SeriesSink(list(evaluators), times)


def _resample(state: Any, settled: Any, catalogue: AttractorCatalogue, pick: Callable[[Any, Any], Any]) -> None:
    """A trajectory settled in a cyclic attractor goes on from a state drawn from the
    attractor's stationary distribution (the limit of a long phase, as the exact engine).

    ``pick(cols, stationary)`` draws, for the trajectories ``cols``, indices into the
    attractor's states with probabilities ``stationary`` (:func:`_rng_pick`, :func:`_stream_pick`).
    """
    import numpy as np

    for index in np.unique(settled[settled >= 0]).tolist():
        attractor = catalogue.attractors[index]
        if len(attractor.packed) == 1:
            continue
        cols = np.flatnonzero(settled == index)
        which = pick(cols, attractor.stationary)
        rows = np.unpackbits(attractor.packed[which], axis=1, count=state.shape[0]).astype(bool)
        state[:, cols] = rows.T


def _rng_pick(rng: Any) -> Callable[[Any, Any], Any]:
    """:func:`_resample`'s draws from one numpy generator (the numpy path)."""
    return lambda cols, p: rng.choice(len(p), size=len(cols), p=p)


def _stream_pick(seed: int, trajectories: Any, stream: int) -> Callable[[Any, Any], Any]:
    """:func:`_resample`'s draws from each trajectory's draw 0 of its ``stream`` (the kernel's path)."""
    import numpy as np

    from .kernel import uniforms

    def pick(cols: Any, p: Any) -> Any:
        cumulative = np.cumsum(p, dtype=float)
        draws = uniforms(seed, trajectories[cols], stream, 1)[:, 0]
        return np.minimum(np.searchsorted(cumulative / cumulative[-1], draws, side="right"), len(cumulative) - 1)

    return pick


def _chunks(runs: int, seed: int, chunk: int = DEFAULT_CONFIG.simulation_chunk) -> list[tuple[int, Any]]:
    import numpy as np

    sizes = [chunk] * (runs // chunk) + ([runs % chunk] if runs % chunk else [])
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    return list(zip(sizes, seeds))


def _map(function: Callable[[Any], Any], jobs: list[Any], workers: int, progress: Callable[[int, int], None] | None,
         sizes: list[int]) -> list[Any]:
    """Run ``function`` over ``jobs`` (in order), in ``workers`` processes when more than one."""
    total = sum(sizes)
    done = 0
    if progress is not None:
        progress(0, total)
    if workers <= 1 or len(jobs) <= 1:
        out = []
        for job, size in zip(jobs, sizes):
            out.append(function(job))
            done += size
            if progress is not None:
                progress(done, total)
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    results: list = [None] * len(jobs)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(function, job): k for k, job in enumerate(jobs)}
        from concurrent.futures import as_completed

        for future in as_completed(futures):
            k = futures[future]
            results[k] = future.result()
            done += sizes[k]
            if progress is not None:
                progress(done, total)
    return results


def _rate_arrays(network: "BooleanNetwork", rates: Rates) -> RateTable:
    from .ratetable import rate_table

    return rate_table(network, rates)


def simulate_fates(network: "BooleanNetwork", plan: Plan, cubes: Sequence[tuple[float, Any]], rates: Rates, *,
                   runs: int, seed: int, workers: int = 1, max_time: float = 1000.0,
                   progress: Callable[[int, int], None] | None = None,
                   config: EngineConfig | None = None) -> dict[str, Any]:
    """Simulate ``runs`` trajectories through the phases of ``plan``; classify them per phase.

    ``config``: the thresholds (chunk size, look-ups, catalogue limits), default
    :data:`~signet.dynamics.config.DEFAULT_CONFIG`.

    Returns ``{"phases": (PhaseProbabilities, ...), "unsettled": float, "note": str}``.
    """
    import numpy as np

    from .probabilities import PhaseProbabilities, wilson_interval

    if runs < 1:
        raise ModelError("runs must be at least 1")
    if not max_time > 0:
        raise ModelError("max_time must be above 0")
    config = config or DEFAULT_CONFIG
    table = _rate_arrays(network, rates)
    chunks: list[tuple[int, Any]]
    if config.simulation_compiled:
        sizes = [min(config.simulation_chunk, runs - first) for first in range(0, runs, config.simulation_chunk)]
        chunks, function = list(zip(sizes, range(0, runs, config.simulation_chunk))), _chunk_compiled
    else:
        chunks, function = _chunks(runs, seed, config.simulation_chunk), _chunk
    _SHARED.update(network=network, plan=plan, cubes=cubes, table=table, max_time=max_time, grid=None,
                   extra=None, rates=rates, config=config, seed=seed)
    try:
        results = _map(function, chunks, workers, progress, [size for size, _ in chunks])
    finally:
        _SHARED.clear()
    nodes = list(network.nodes)
    phases = []
    unsettled = 0
    for k, (text, phase_net, _duration) in enumerate(plan):
        packed = np.concatenate([r["ends"][k] for r in results], axis=1)
        fixed = np.concatenate([r["fixed"][k] for r in results])
        known = [a for r in results for a in r["known"][k]] if results[0]["known"] else []
        atts, counts, lost = _classify(phase_net, nodes, packed, fixed, known, config.simulation_max_fate_checks)
        probs = tuple(c / runs for c in counts)
        intervals = tuple(wilson_interval(c, runs) for c in counts)
        phases.append(PhaseProbabilities(text, atts, probs, intervals, lost / runs))
        unsettled = lost
    note = ""
    if unsettled and plan[-1][2] is None:
        note = (f"{unsettled} of {runs} trajectories were in no attractor of the last phase after max_time "
                f"{max_time:g}: raise max_time")
    return {"phases": tuple(phases), "unsettled": unsettled / runs, "note": note}


def _catalogues(network: "BooleanNetwork", plan: Plan, rates: Rates,
                config: EngineConfig = DEFAULT_CONFIG) -> list[AttractorCatalogue | None]:
    """One attractor catalogue per phase that may stop trajectories early: a phase run until
    settled, and the last phase (only its attractors matter at its end)."""
    from .settling import AttractorCatalogue

    nodes = list(network.nodes)
    index = {n: j for j, n in enumerate(nodes)}
    out: list[AttractorCatalogue | None] = []
    for k, (_text, phase_net, duration) in enumerate(plan):
        if duration is not None and k < len(plan) - 1:
            out.append(None)
            continue
        constants = {index[n]: int(v) for n, v in phase_net.constants.items()}
        out.append(AttractorCatalogue(network, phase_net, constants, rates, config, hands_on=k < len(plan) - 1,
                                      shared=config.simulation_compiled))
    return out


def _classify(network: "BooleanNetwork", nodes: list[str], packed: Any, fixed: Any,
              known: Sequence[Any], max_checks: int) -> tuple[tuple[Any, ...], list[int], int]:
    """Assign final states (packed columns) to the exact attractors they lie in.

    ``fixed`` flags the trajectories that stopped at a fixed point (their state is a
    one-state attractor); ``known`` holds attractors met during the simulation (packed
    states, one per row).  The other states are placed with
    :func:`signet.dynamics.attractors` (:func:`_classify_rest`; at most ``max_checks``
    states one by one when an attractor is too large to list its states).
    """
    import numpy as np

    n = len(nodes)
    unique, inverse = _unique_columns(packed)
    members: dict[bytes, int] = {}
    groups: list[Any] = []
    for rows in known:
        if rows[0].tobytes() in members:
            continue
        for row in rows:
            members[row.tobytes()] = len(groups)
        groups.append(rows)
    where = np.array([members.get(col.tobytes(), -1) for col in unique.T], dtype=np.int64)
    point = np.zeros(unique.shape[1], dtype=bool)
    point[inverse[fixed]] = True
    found = [_known_attractor(np.unpackbits(rows, axis=1, count=n).astype(bool), nodes) for rows in groups]
    for u in np.flatnonzero(point & (where < 0)).tolist():
        where[u] = len(found)
        found.append(_known_attractor(np.unpackbits(unique[:, u:u + 1].T, axis=1, count=n).astype(bool), nodes))
    rest = np.flatnonzero(where < 0)
    if len(rest):
        offset = len(found)
        others, placed = _classify_rest(network, nodes, unique[:, rest], max_checks)
        found.extend(others)
        where[rest] = np.where(placed >= 0, placed + offset, -1)
    per_state = np.bincount(inverse, minlength=unique.shape[1])
    counts = [int(per_state[where == i].sum()) for i in range(len(found))]
    order = sorted((i for i, c in enumerate(counts) if c > 0),
                   key=lambda i: ([str(v) for v in found[i].space.values()], found[i].states))
    lost = int(per_state[where < 0].sum())
    return tuple(found[i] for i in order), [counts[i] for i in order], lost


def _unique_columns(packed: Any) -> tuple[Any, Any]:
    """The distinct columns of ``packed`` (uint8) and each column's index among them: grouped by a
    64-bit hash of the column (no sort of byte strings), checked column by column, and by
    ``numpy.unique`` in the rare case of a collision."""
    import numpy as np

    from .settling import column_hash_weights

    columns = np.ascontiguousarray(packed.T)
    hashes = columns.astype(np.uint64) @ column_hash_weights(columns.shape[1])
    _, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    unique = packed[:, first]
    if np.array_equal(unique[:, inverse], packed):
        return unique, inverse
    unique, inverse = np.unique(packed, axis=1, return_inverse=True)
    return unique, inverse.reshape(-1)


def _known_attractor(rows: Any, nodes: list[str]) -> Any:
    """The :class:`~signet.dynamics.Attractor` with the states ``rows`` (bool, one per row)."""
    from .results import Attractor

    space: dict[str, int | str] = {}
    for j, name in enumerate(nodes):
        ones = int(rows[:, j].sum())
        space[name] = 1 if ones == len(rows) else 0 if ones == 0 else "*"
    return Attractor("fixed" if len(rows) == 1 else "cyclic", space, len(rows))


def _classify_rest(network: "BooleanNetwork", nodes: list[str], unique: Any,
                   max_checks: int) -> tuple[list[Any], Any]:
    """Place distinct final states (packed columns) in the exact asynchronous attractors of
    ``network`` (:func:`signet.dynamics.attractors` from those states): the attractors met,
    and the index of each state's (``-1``: in none)."""
    import numpy as np

    from . import attractors

    n = len(nodes)
    states = np.unpackbits(unique, axis=0, count=n).astype(bool)
    starts = [dict(zip(nodes, map(int, col))) for col in states.T]
    result = attractors(network, "async", start=starts)
    keys = {col.tobytes(): u for u, col in enumerate(unique.T)}
    where = np.full(unique.shape[1], -1)
    huge: list[int] = []
    for i, att in enumerate(result.attractors):
        stars = sum(1 for v in att.space.values() if v == "*")
        if att.states == 1 << stars:  # it fills its space: membership is being in the space
            inside = np.ones(unique.shape[1], dtype=bool)
            for j, name in enumerate(nodes):
                if att.space[name] != "*":
                    inside &= states[j] == bool(att.space[name])
            where[inside & (where < 0)] = i
            continue
        members = result.member_states(i)
        if members is None:
            huge.append(i)
            continue
        for m in members:
            u = keys.get(np.packbits(np.array([m[name] for name in nodes], dtype=bool)).tobytes())
            if u is not None:
                where[u] = i
    if huge:
        _classify_by_reachability(network, result, starts, where, huge, max_checks)
    return list(result.attractors), where


def _classify_by_reachability(network: "BooleanNetwork", result: "AttractorResult", starts: list[dict[str, int]],
                              where: Any, huge: list[int], max_checks: int) -> None:
    """Attractors ``huge`` are too large to list their states: a final state not yet placed
    (``where`` -1) whose only reachable attractor is one of them has that fate (``where`` updated)."""
    import numpy as np

    from . import attractors

    undecided = np.flatnonzero(where < 0)
    if len(undecided) > max_checks:
        raise ModelError(f"an attractor with {result.attractors[huge[0]].states} states is too large to test "
                         f"which of {len(undecided)} final states are in it")
    spaces = [tuple(att.space.items()) for att in result.attractors]
    for u in undecided.tolist():
        reached = attractors(network, "async", start=starts[u]).attractors
        if len(reached) == 1 and spaces.index(tuple(reached[0].space.items())) in huge:
            where[u] = spaces.index(tuple(reached[0].space.items()))
