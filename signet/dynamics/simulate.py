"""Stochastic asynchronous simulation: basin-weighted fate probabilities.

Many random walks on the fully asynchronous state transition graph run at once
(numpy arrays of shape ``(nodes, runs)``).  At each step every walk takes one of its
enabled transitions (a node whose rule disagrees with its value flips), chosen
uniformly; a walk in a fixed point stays.  Runs are reproducible from ``seed``.

Each run starts from a state drawn from the start: a start subspace is chosen
uniformly among the given ones, then every node it leaves free is drawn 0 or 1 with
equal probability.  Nodes with a constant rule (perturbations, fixed inputs) take
their value at time 0, as in :func:`signet.dynamics.attractors`.

After ``steps`` steps each run is assigned to the asynchronous attractor it is in
(exact membership: the attractors reachable from the start are computed exactly
first), or counted as *unsettled*.  Phenotype shares are the fraction of runs whose
final state has the phenotype.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..errors import ModelError
from ..model import BooleanNetwork

__all__ = ["SimulationResult", "simulate"]


@dataclass(frozen=True)
class SimulationResult:
    """Where ``runs`` asynchronous random walks are after ``steps`` steps.

    Attributes
    ----------
    attractors
        The asynchronous attractors reachable from the start (exact).
    counts
        Runs that ended in each attractor (same order).
    unsettled
        Runs that were in no attractor yet after ``steps`` steps.
    phenotypes
        Fraction of runs whose final state has each phenotype (value 1).
    """

    runs: int
    steps: int
    seed: int
    attractors: tuple
    counts: tuple[int, ...]
    unsettled: int
    phenotypes: Mapping[str, float] = field(default_factory=dict)

    @property
    def probabilities(self) -> tuple[float, ...]:
        """Fraction of runs in each attractor."""
        return tuple(c / self.runs for c in self.counts)

    def to_json(self, phenotypes: Mapping[str, str] | None = None) -> dict:
        """JSON: runs, steps, seed, per attractor its space, states and probability, unsettled share."""
        out_attractors = []
        for att, count in zip(self.attractors, self.counts):
            item = att.to_json(phenotypes)
            item["probability"] = count / self.runs
            out_attractors.append(item)
        return {
            "update": "async",
            "runs": self.runs,
            "steps": self.steps,
            "seed": self.seed,
            "attractors": out_attractors,
            "unsettled": self.unsettled / self.runs,
            "phenotypes": dict(self.phenotypes),
        }


def simulate(
    network: BooleanNetwork,
    *,
    start: Mapping[str, int] | Sequence[Mapping[str, int]] | None = None,
    runs: int = 1000,
    steps: int = 1000,
    seed: int = 0,
    phenotypes: Mapping[str, str] | None = None,
    schedule=None,
) -> SimulationResult:
    """Run ``runs`` asynchronous random walks of ``steps`` steps from ``start``.

    With a ``schedule`` (:class:`~signet.dynamics.schedule.Schedule` or its text) the
    walks go through its phases in turn, each phase's nodes fixed on top of
    ``network``: ``steps`` steps per phase (``PHASE @ n``: ``n`` steps), and the final
    states are assigned to the attractors of the last phase's network.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "A | B", "B": "!A & B", "C": "C | B"})
    >>> r = simulate(net, start={"A": 0, "B": 1, "C": 0}, runs=2000, steps=50, seed=1)
    >>> [net.format_space(a.space) for a in r.attractors]
    ['A=1 B=0 C=0', 'A=1 B=0 C=1']
    >>> abs(r.probabilities[0] - 0.25) < 0.05    # A then B must fire before C: 1/2 * 1/2
    True
    >>> r.unsettled
    0
    """
    import numpy as np

    from ..expr import compile_expression
    from ..phenotypes import parse_phenotypes
    from . import attractors as find_attractors

    if runs < 1 or steps < 0:
        raise ModelError("runs must be at least 1 and steps at least 0")
    nodes = network.nodes
    n = len(nodes)
    if start is None:
        starts: list[dict[str, int]] = [{}]
    elif isinstance(start, Mapping):
        starts = [network.resolve_assignment(start)]
    else:
        starts = [network.resolve_assignment(s) for s in start]
    if not starts:
        raise ModelError("an empty list of start states reaches nothing")
    rng = np.random.default_rng(seed)
    state = np.zeros((n, runs), dtype=bool)
    which = rng.integers(0, len(starts), size=runs)
    noise = rng.random((n, runs)) < 0.5
    constants = network.constants
    for k, s in enumerate(starts):
        cols = which == k
        for j, name in enumerate(nodes):
            if name in constants:
                state[j, cols] = bool(constants[name])
            elif name in s:
                state[j, cols] = bool(s[name])
            else:
                state[j, cols] = noise[j, cols]
    rows = np.arange(runs)
    if schedule is None:
        plan = [(network, steps)]
    else:
        from .schedule import as_schedule

        plan = []
        for phase in as_schedule(schedule, network).phases():
            length = steps if phase.duration is None else phase.duration
            if not isinstance(length, int):
                raise ModelError(f"phase '{phase}': random walks last a whole number of steps")
            plan.append((network.fix(phase.assignment()), length))
    for phase_net, length in plan:
        for j, value in phase_net.constants.items() if schedule is not None else ():
            state[nodes.index(j)] = bool(value)  # a phase's fixed nodes take their value at its start
        rules = [compile_expression(phase_net.rules[name], nodes) for name in nodes]
        for _ in range(length):
            args = list(state)
            nxt = np.empty_like(state)
            for j, f in enumerate(rules):
                value = f(*args)
                nxt[j] = value
            enabled = nxt != state
            if not enabled.any():
                break
            keys = rng.random((n, runs)) * enabled
            choice = np.argmax(keys, axis=0)
            moving = enabled[choice, rows]
            state[choice[moving], rows[moving]] = nxt[choice[moving], rows[moving]]
    network = plan[-1][0]

    # exact attractors reachable from the start (with a schedule: from the final states),
    # and membership of the final states
    if schedule is None:
        result = find_attractors(network, "async", start=None if start is None else starts)
    else:
        finals = np.unique(np.packbits(state, axis=0), axis=1)
        final_states = np.unpackbits(finals, axis=0, count=n).astype(bool)
        result = find_attractors(network, "async",
                                 start=[dict(zip(nodes, map(int, col))) for col in final_states.T])
    codes = _encode(state)
    counts = []
    assigned = np.zeros(runs, dtype=bool)
    for i, att in enumerate(result.attractors):
        members = result.member_states(i)
        if members is None:
            raise ModelError(f"an attractor with {att.states} states is too large to test membership")
        member_codes = _encode(np.array([[m[name] for m in members] for name in nodes], dtype=bool).reshape(n, -1))
        inside = np.isin(codes, member_codes)
        counts.append(int(inside.sum()))
        assigned |= inside
    shares: dict[str, float] = {}
    if phenotypes:
        parsed = parse_phenotypes(phenotypes, nodes)
        for name, expr in parsed.items():
            value = compile_expression(expr, nodes)(*list(state))
            shares[name] = float(np.mean(value)) if isinstance(value, np.ndarray) else float(bool(value))
    return SimulationResult(runs, steps, seed, result.attractors, tuple(counts), int(runs - assigned.sum()), shares)


def _encode(state) -> "list":
    """Each column of a boolean (nodes, runs) array as one hashable bytes key."""
    import numpy as np

    packed = np.packbits(state, axis=0)
    return np.array([packed[:, k].tobytes() for k in range(packed.shape[1])], dtype=object)
