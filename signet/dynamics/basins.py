"""Basins of attraction over the whole state space of small networks (BoolNet / PyBoolNet style).

The state space is every assignment of the nodes whose rule is not constant (a node
with a constant rule — a fixed input, a knockout — takes its value at time 0).

``sync``
    the basin of a cycle is the set of states whose trajectory ends on it (BoolNet's
    basin size); basins partition the state space.
``async``
    the **weak basin** of an attractor is the set of states from which it is reachable;
    the **strong basin** the states from which it is the only reachable attractor
    (PyBoolNet's terms); weak basins overlap, strong basins do not cover the states
    that can reach several attractors.  signet adds the **absorption probability** from
    a uniformly random state (the asynchronous chain with the model's rates): the
    fraction of random cells that end in each attractor, which does partition.

Examples
--------
>>> from signet.model import BooleanNetwork
>>> net = BooleanNetwork({"A": "A | B", "B": "!A & B", "C": "C | B"})
>>> b = basins(net, "async")
>>> [(net.format_space(a.space), s, w) for a, s, w in zip(b.attractors, b.strong, b.weak)]
[('A=0 B=0 C=0', 1, 1), ('A=1 B=0 C=0', 1, 3), ('A=0 B=0 C=1', 1, 1), ('A=1 B=0 C=1', 3, 5)]
>>> b.total, [p * 32 for p in b.probabilities]        # 010 -> 110 -> 100 needs A, then B, first
(8, [4.0, 7.0, 4.0, 17.0])
>>> s = basins(BooleanNetwork({"A": "!B", "B": "A", "C": "C"}), "sync")
>>> [(a.kind, a.states, size) for a, size in zip(s.attractors, s.basin)]
[('cyclic', 4, 4), ('cyclic', 4, 4)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..errors import ModelError, StateSpaceTooLarge

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    from ..model import BooleanNetwork
    from . import Attractor
    from .probabilities import RatesLike

__all__ = ["BasinResult", "basins", "MAX_BASIN_NODES"]

#: The most non-constant nodes a basin computation takes (sync, async).
MAX_BASIN_NODES = {"sync": 22, "async": 20}


@dataclass(frozen=True)
class BasinResult:
    """The attractors of a network and their basins.

    Attributes
    ----------
    update
        ``"sync"`` or ``"async"``.
    attractors
        Every attractor, in order of its smallest state.
    total
        Number of states (``2**`` the non-constant nodes).
    basin
        sync: states whose trajectory ends in each attractor (``None`` for async).
    strong, weak
        async: strong and weak basin sizes (``None`` for sync).
    probabilities
        async: absorption probability of each attractor from a uniformly random state
        (sync: ``basin / total``).
    """

    update: str
    attractors: tuple["Attractor", ...]
    total: int
    basin: tuple[int, ...] | None
    strong: tuple[int, ...] | None
    weak: tuple[int, ...] | None
    probabilities: tuple[float, ...]

    def to_pandas(self, phenotypes: Mapping[str, str] | None = None) -> "pandas.DataFrame":
        """One row per attractor with its basin(s) and probability (see :mod:`signet.tables`)."""
        from ..tables import attractor_records, to_dataframe

        return to_dataframe(attractor_records(self.to_json(phenotypes)["attractors"]))

    def to_json(self, phenotypes: Mapping[str, str] | None = None) -> dict:
        items = []
        for k, a in enumerate(self.attractors):
            item = a.to_json(phenotypes)
            if self.update == "sync":
                assert self.basin is not None
                item["basin"] = self.basin[k]
            else:
                assert self.strong is not None and self.weak is not None
                item["strong_basin"] = self.strong[k]
                item["weak_basin"] = self.weak[k]
            item["probability"] = self.probabilities[k]
            items.append(item)
        return {"update": self.update, "states": self.total, "attractors": items}


def basins(network: "BooleanNetwork", update: str = "async", *, rates: RatesLike | None = None) -> BasinResult:
    """The basins of every attractor of ``network`` (see the module documentation).

    Raises
    ------
    StateSpaceTooLarge
        More than :data:`MAX_BASIN_NODES` non-constant nodes.
    """
    if update not in MAX_BASIN_NODES:
        raise ModelError(f"basins are computed for sync and async update, not {update!r}")
    variable = [n for n in network.nodes if n not in network.constants]
    limit = MAX_BASIN_NODES[update]
    if len(variable) > limit:
        raise StateSpaceTooLarge(f"{len(variable)} nodes are not constant: basins over all 2**{len(variable)} "
                                 f"states are computed up to {limit} nodes")
    if update == "sync":
        return _sync(network, variable)
    return _async(network, variable, rates)


def _attractor(codes: Any, free: Sequence[str], fixed: Mapping[str, int], nodes: Sequence[str]) -> "Attractor":
    from .probabilities import _attractor as build

    return build(codes, free, fixed, nodes)


def _async(network: "BooleanNetwork", variable: list[str], rates: RatesLike | None) -> BasinResult:
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import breadth_first_order

    from .markov import Distribution, explore
    from .probabilities import _rates

    rates = _rates(network, rates)
    chain = explore(network, Distribution.uniform(network.nodes, [(1.0, dict(network.constants))]), rates)
    n = chain.size
    members = chain.classes()[1]
    p, _ = chain.absorption()
    # weak basins: backward reachability from each attractor, through an extra source node
    rows = np.concatenate([chain.dst, np.zeros(0, dtype=np.int64)])
    reverse = csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, chain.src)), shape=(n + 1, n + 1))
    weak_sets = []
    for m in members:
        extra = csr_matrix((np.ones(len(m), dtype=np.int8), (np.full(len(m), n), m)), shape=(n + 1, n + 1))
        order = breadth_first_order((reverse + extra).tocsr(), n, directed=True, return_predecessors=False)
        mask = np.zeros(n, dtype=bool)
        mask[order[order < n]] = True
        weak_sets.append(mask)
    reach_count = np.sum(weak_sets, axis=0) if weak_sets else np.zeros(n)
    strong = tuple(int(np.count_nonzero(w & (reach_count == 1))) for w in weak_sets)
    weak = tuple(int(np.count_nonzero(w)) for w in weak_sets)
    atts = tuple(_attractor(chain.codes[m], chain.free, chain.fixed, network.nodes) for m in members)
    return BasinResult("async", atts, n, None, strong, weak, tuple(float(x) for x in p))


def _sync(network: "BooleanNetwork", variable: list[str]) -> BasinResult:
    import numpy as np

    from ..expr import compile_expression

    constants = network.constants
    m = len(variable)
    codes = np.arange(1 << m, dtype=np.int64)
    bits = [((codes >> j) & 1).astype(bool) for j in range(m)]
    values = {n: bits[j] for j, n in enumerate(variable)}
    args = [values[n] if n in values else np.full(len(codes), bool(constants[n])) for n in network.nodes]
    succ = np.zeros(len(codes), dtype=np.int64)
    for j, n in enumerate(variable):
        v = compile_expression(network.rules[n], network.nodes)(*args)
        succ |= np.broadcast_to(np.asarray(v, dtype=bool), codes.shape).astype(np.int64) << j
    # succ^(2^m) sends every state onto its cycle; the smallest state of the orbit names the cycle
    jump, least = succ.copy(), np.minimum(codes, succ)
    for _ in range(max(m, 1)):
        least = np.minimum(least, least[jump])
        jump = jump[jump]
    label = least[jump]
    cyclic = np.unique(jump)
    names = np.unique(label[cyclic])
    counts = np.bincount(np.searchsorted(names, label), minlength=len(names))
    atts = []
    for name in names:
        states = np.sort(cyclic[label[cyclic] == name])
        atts.append(_attractor(states, tuple(variable), dict(constants), network.nodes))
    total = 1 << m
    basin = tuple(int(c) for c in counts)
    return BasinResult("sync", tuple(atts), total, basin, None, None, tuple(c / total for c in basin))
