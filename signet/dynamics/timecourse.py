"""Time courses: the probability of each node and phenotype over time, under a schedule.

MaBoSS's trajectory output for signet's chain (:mod:`signet.dynamics.markov`): at each
time of a regular grid, the probability that a node is 1, and that a phenotype's
expression holds *in the current state* (a state-level readout, unlike the
attractor-level fate probabilities).  Every phase of the schedule lasts its ``@ t``,
or ``phase_time`` when it has none; the grid runs from 0 to the end of the last phase.

Two engines, as for fate probabilities: ``"exact"`` (the distribution at each grid
time, ``mu exp(Q t)`` with ``scipy.sparse.linalg.expm_multiply`` on the reachable
states) and ``"simulation"`` (Gillespie trajectories sampled on the grid, 95% Wilson
intervals); ``"auto"`` is exact when the reachable states fit.

Examples
--------
>>> from signet.model import BooleanNetwork
>>> net = BooleanNetwork({"S": "S", "A": "S"})
>>> tc = timecourse(net, schedule="S=1 @ 2 ; S=0 @ 2", start={"S": 0, "A": 0}, step=1.0, method="exact")
>>> tc.times
(0.0, 1.0, 2.0, 3.0, 4.0)
>>> [round(p, 3) for p in tc.nodes["A"]]          # rises as 1 - e^-t, then decays as e^-t
[0.0, 0.632, 0.865, 0.318, 0.117]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ..errors import ModelError, StateSpaceTooLarge

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    from ..model import BooleanNetwork
    from .markov import Rates
    from .probabilities import Plan, RatesLike, ScheduleLike, StartLike

__all__ = ["TimeCourse", "timecourse", "MAX_GRID_POINTS"]

#: The most grid times a time course takes.
MAX_GRID_POINTS = 100_000


@dataclass(frozen=True)
class TimeCourse:
    """Probabilities over time.

    Attributes
    ----------
    times
        The grid.
    nodes, phenotypes
        Name -> probability at each grid time (that the node is 1 / the phenotype holds).
    intervals
        Simulation: name -> ``(low, high)`` 95% Wilson intervals at each time (empty if exact).
    phases
        ``(phase text, start time, end time)`` of each phase.
    method
        ``"exact"`` or ``"simulation"``.
    """

    times: tuple[float, ...]
    nodes: Mapping[str, tuple[float, ...]]
    phenotypes: Mapping[str, tuple[float, ...]]
    phases: tuple[tuple[str, float, float], ...]
    method: str
    runs: int | None = None
    seed: int | None = None
    note: str = ""
    intervals: Mapping[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)

    def _series(self) -> dict[str, tuple[float, ...]]:
        """Column name -> values: phenotypes, then nodes (``node:NAME`` for a node named like a phenotype)."""
        series = dict(self.phenotypes)
        for name, values in self.nodes.items():
            series[node_column(name, self.phenotypes)] = values
        return series

    def columns(self) -> list[str]:
        """Column names of :meth:`rows`: ``time``, ``phase``, then phenotypes and nodes (and their
        intervals); a node named like a phenotype is the column ``node:NAME``."""
        out = ["time", "phase"]
        for name in self._series():
            out.append(name)
            if self.intervals:
                out += [f"{name}_low", f"{name}_high"]
        return out

    def rows(self) -> list[list[Any]]:
        """One row per grid time (see :meth:`columns`)."""
        series = self._series()
        out = []
        for k, t in enumerate(self.times):
            phase = next((i + 1 for i, (_, a, b) in enumerate(self.phases) if a <= t < b), len(self.phases))
            row: list[Any] = [t, phase]
            for name, values in series.items():
                row.append(values[k])
                if self.intervals:
                    row += list(self.intervals[name][k])
            out.append(row)
        return out

    def to_pandas(self) -> "pandas.DataFrame":
        """:meth:`rows` as a ``pandas.DataFrame`` with the columns of :meth:`columns`."""
        from ..tables import to_dataframe

        columns = self.columns()
        return to_dataframe([dict(zip(columns, row)) for row in self.rows()], columns)

    def to_csv(self) -> str:
        """The table as CSV text (probabilities with 6 decimals)."""
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns())
        for row in self.rows():
            writer.writerow([f"{x:.6g}" if isinstance(x, float) and i == 0 else (f"{x:.6f}" if isinstance(x, float)
                             else x) for i, x in enumerate(row)])
        return buffer.getvalue()

    def to_json(self) -> dict:
        data: dict[str, Any] = {
            "method": self.method, "note": self.note, "times": list(self.times),
            "phases": [{"phase": p, "start": a, "end": b} for p, a, b in self.phases],
            "phenotypes": {k: list(v) for k, v in self.phenotypes.items()},
            "nodes": {k: list(v) for k, v in self.nodes.items()},
        }
        if self.method == "simulation":
            data.update({"runs": self.runs, "seed": self.seed,
                         "intervals": {k: [list(x) for x in v] for k, v in self.intervals.items()}})
        return data


def node_column(name: str, phenotypes: Mapping[str, Any]) -> str:
    """The column of node ``name``: its name, or ``node:NAME`` when a phenotype has that name.

    Examples
    --------
    >>> node_column("Death", {"Death": ()}), node_column("ATM", {"Death": ()})
    ('node:Death', 'ATM')
    """
    return f"node:{name}" if name in phenotypes else name


def _grid(plan: Plan, phase_time: float, step: float) -> tuple[list[tuple[str, float, float]], Any]:
    import numpy as np

    if not step > 0:
        raise ModelError("the time step must be above 0")
    spans = []
    t = 0.0
    for text, _net, duration in plan:
        length = float(duration) if duration is not None else float(phase_time)
        spans.append((text, t, t + length))
        t += length
    count = int(np.floor(t / step + 1e-9)) + 1
    if count > MAX_GRID_POINTS:
        raise ModelError(f"{count} time points: raise the step (at most {MAX_GRID_POINTS})")
    return spans, np.arange(count) * step


# the keyword parameters repeat those of fate_probabilities on purpose (the same inputs under the
# same names); the duplicates check names this pair (justified repeat)
def timecourse(
    network: "BooleanNetwork",
    *,
    schedule: ScheduleLike | None = None,
    context: str | None = None,
    perturbation: Mapping[str, int] | None = None,
    start: StartLike | None = None,
    rates: RatesLike | None = None,
    step: float = 1.0,
    phase_time: float = 20.0,
    nodes: Sequence[str] | None = None,
    method: str = "auto",
    runs: int = 10_000,
    seed: int = 0,
    workers: int = 1,
    max_states: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TimeCourse:
    """The probability of each node and phenotype over time (see the module documentation).

    Parameters
    ----------
    schedule
        Phases (text or object); each lasts its ``@ t`` or ``phase_time``.  ``None``:
        the network as it is, for ``phase_time``.
    step
        Grid spacing.
    nodes
        Nodes to report (default all); phenotypes come from the model's metadata.
    method, runs, seed, workers, max_states
        As for :func:`~signet.dynamics.probabilities.fate_probabilities`.
    """
    from .probabilities import METHODS, _plan, _rates, _start_cubes

    if method not in METHODS:
        raise ModelError(f"unknown method {method!r}: choose one of {', '.join(METHODS)}")
    if not phase_time > 0:
        raise ModelError("the phase time must be above 0")
    rates = _rates(network, rates)
    plan = _plan(network, schedule, context, perturbation)
    spans, grid = _grid(plan, phase_time, step)
    wanted = [network.resolve(n) for n in nodes] if nodes is not None else list(network.nodes)
    phenotypes = dict(network.annotations.phenotypes)
    cubes = _start_cubes(network, start, context, rates)
    note = ""
    if method in ("exact", "auto"):
        from .config import DEFAULT_CONFIG

        try:
            # "auto" gives up sooner than "exact" (as fate_probabilities does): the simulation is
            # seconds where a chain of millions of states takes minutes
            limit = max_states or (DEFAULT_CONFIG.exact_auto_max_states if method == "auto"
                                   else DEFAULT_CONFIG.exact_max_states)
            return _exact(network, plan, spans, grid, cubes, rates, wanted, phenotypes, limit)
        except StateSpaceTooLarge as exc:
            if method == "exact":
                raise
            note = f"simulated: the exact engine does not fit ({exc})"
    return _simulated(network, plan, spans, grid, cubes, rates, wanted, phenotypes, runs, seed, workers, note,
                      progress)


def _indicators(network: "BooleanNetwork", phenotypes: Mapping[str, str]) -> dict[str, Callable[..., Any]]:
    """Compiled functions of the node values: phenotype expressions."""
    from ..expr import compile_expression
    from ..phenotypes import parse_phenotypes

    parsed = parse_phenotypes(phenotypes, network.nodes)
    return {name: compile_expression(expr, network.nodes) for name, expr in parsed.items()}


def _exact(network: "BooleanNetwork", plan: Plan, spans: list[tuple[str, float, float]], grid: Any,
           cubes: list[tuple[float, Any]], rates: Rates, wanted: list[str], phenotypes: Mapping[str, str],
           max_states: int) -> TimeCourse:
    import numpy as np

    from .markov import Distribution, explore, mixture

    nodes = network.nodes
    parts = [(w, c if isinstance(c, Distribution) else Distribution.uniform(nodes, [(1.0, c)], max_states))
             for w, c in cubes]
    dist = parts[0][1] if len(parts) == 1 else mixture(parts, nodes)
    indicators = _indicators(network, phenotypes)
    node_series = {n: np.zeros(len(grid)) for n in wanted}
    pheno_series = {p: np.zeros(len(grid)) for p in phenotypes}
    for (text, phase_net, _duration), (_, a, b) in zip(plan, spans):
        chain = explore(phase_net, dist, rates, max_states=max_states)
        last = len(spans) - 1 == spans.index((text, a, b))
        inside = np.flatnonzero((grid >= a - 1e-12) & ((grid < b - 1e-12) | (last & (grid <= b + 1e-12))))
        local = list(grid[inside] - a)
        values = {n: (np.full(chain.size, chain.fixed[n]) if n in chain.fixed
                      else (chain.codes >> chain.free.index(n)) & 1) for n in nodes}
        if len(local):
            if local[0] > 1e-12:
                local = [0.0] + local
                vectors = chain.transient_grid(local)[1:]
            else:
                vectors = chain.transient_grid(local)
            rows = [values[n].astype(bool) for n in nodes]
            for n in wanted:
                node_series[n][inside] = vectors @ values[n]
            for p, f in indicators.items():
                holds = np.broadcast_to(np.asarray(f(*rows), dtype=float), (chain.size,))
                pheno_series[p][inside] = vectors @ holds
        dist = chain.distribution(chain.transient(b - a))
    return TimeCourse(tuple(float(t) for t in grid), {n: tuple(map(float, v)) for n, v in node_series.items()},
                      {p: tuple(map(float, v)) for p, v in pheno_series.items()}, tuple(spans), "exact")


def _simulated(network: "BooleanNetwork", plan: Plan, spans: list[tuple[str, float, float]], grid: Any,
               cubes: list[tuple[float, Any]], rates: Rates, wanted: list[str], phenotypes: Mapping[str, str],
               runs: int, seed: int, workers: int, note: str,
               progress: Callable[[int, int], None] | None) -> TimeCourse:
    import numpy as np

    from . import simulate as sim
    from .probabilities import wilson_interval

    indicators = _indicators(network, phenotypes)
    from ..expr import Var, compile_expression

    names = list(phenotypes) + [node_column(n, phenotypes) for n in wanted]
    evaluators = list(indicators.values()) + [compile_expression(Var(n), network.nodes) for n in wanted]
    # every phase gets its length: phases without '@' last phase_time (spans)
    timed = [(text, phase_net, b - a) for (text, phase_net, _), (_, a, b) in zip(plan, spans)]
    table = sim._rate_arrays(network, rates)
    chunks = sim._chunks(runs, seed)
    sim._SHARED.update(network=network, plan=timed, cubes=cubes, table=table, max_time=float("inf"),
                       grid=np.asarray(grid, dtype=float), extra=(names, evaluators))
    try:
        results = sim._map(sim._chunk, chunks, workers, progress, [size for size, _ in chunks])
    finally:
        sim._SHARED.clear()
    counts = sum(r["series"] for r in results)
    intervals = {name: tuple(wilson_interval(int(counts[k, i]), runs) for k in range(len(grid)))
                 for i, name in enumerate(names)}
    probs = counts / runs
    return TimeCourse(tuple(float(t) for t in grid),
                      {n: tuple(map(float, probs[:, len(phenotypes) + j])) for j, n in enumerate(wanted)},
                      {p: tuple(map(float, probs[:, i])) for i, p in enumerate(phenotypes)}, tuple(spans),
                      "simulation", runs, seed, note, intervals)
