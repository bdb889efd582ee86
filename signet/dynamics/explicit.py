"""Explicit state-transition analysis with numpy and scipy.

States of the ``n`` free nodes are the integers ``0 .. 2**n - 1`` (node ``j`` is bit
``j``).  Every rule is evaluated once on all states at once; the synchronous
successor is an integer array, the asynchronous transition graph a sparse matrix.

* sync: attractors are the cycles of the successor function.  ``succ`` composed with
  itself ``2**m >= 2**n`` times maps every state onto a cycle; its image is the set
  of cyclic states, whose weak components (on ``succ``) are the cycles.
* async: attractors are the terminal strongly connected components, found in one of
  two ways with the same answer (tests compare them): up to
  ``EngineConfig.async_bitset_nodes`` nodes, sets of states are integer bit sets and
  the terminal components are found by forward and backward reachability
  (:func:`_async_bitset`), which on small networks costs less than building a sparse
  graph; above, on the sparse transition graph
  (``scipy.sparse.csgraph.connected_components(connection="strong")``,
  :func:`_async_sparse`).

Reachability from start states: sync maps the starts through the same power of
``succ``; async takes the terminal components met by a breadth-first search.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import StateSpaceTooLarge
from ..expr import compile_expression
from ..model import BooleanNetwork
from .config import DEFAULT_CONFIG, EngineConfig

__all__ = ["image", "attractor_sets", "states_of_subspaces", "space_of_states"]


def _check_size(n: int, update: str, max_states: int) -> None:
    if (1 << n) > max_states:
        hint = (
            "use the aeon engine for asynchronous attractors"
            if update == "async"
            else "fix inputs or a context to shrink the free part, or choose --update mp or async"
        )
        raise StateSpaceTooLarge(
            f"{n} free nodes after percolation: 2**{n} states exceed the explicit engine's limit of "
            f"{max_states} states ({hint})"
        )


def image(network: BooleanNetwork) -> list[Any]:
    """The update functions of all nodes on all states: a list of ``n`` boolean arrays.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "!B", "B": "A"})
    >>> [f.astype(int).tolist() for f in image(net)]
    [[1, 1, 0, 0], [0, 1, 0, 1]]
    """
    import numpy as np

    nodes = network.nodes
    n = len(nodes)
    idx = np.arange(1 << n, dtype=np.int64)
    cols = [((idx >> j) & 1).astype(bool) for j in range(n)]
    out = []
    for node in nodes:
        value = compile_expression(network.rules[node], nodes)(*cols)
        if not isinstance(value, np.ndarray):
            value = np.full(1 << n, bool(value))
        out.append(value)
    return out


def states_of_subspaces(nodes: Sequence[str], spaces: Sequence[Mapping[str, int]]) -> Any:
    """All states (as integers over ``nodes``) of a union of subspaces, sorted and unique.

    Examples
    --------
    >>> states_of_subspaces(["A", "B", "C"], [{"A": 1, "C": 0}, {"A": 1, "B": 1, "C": 1}]).tolist()
    [1, 3, 7]
    """
    import numpy as np

    chunks = []
    for space in spaces:
        base = 0
        free = []
        for j, node in enumerate(nodes):
            if node in space:
                base |= int(space[node]) << j
            else:
                free.append(j)
        combos = np.arange(1 << len(free), dtype=np.int64)
        states = np.full(combos.shape, base, dtype=np.int64)
        for k, j in enumerate(free):
            states |= ((combos >> k) & 1) << j
        chunks.append(states)
    if not chunks:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(chunks))


def space_of_states(nodes: Sequence[str], states: Any) -> dict[str, int | str]:
    """The smallest subspace containing ``states``: node -> 0, 1 or ``"*"``.

    Examples
    --------
    >>> import numpy as np
    >>> space_of_states(["A", "B"], np.array([1, 3]))
    {'A': 1, 'B': '*'}
    """
    import numpy as np

    out: dict[str, int | str] = {}
    for j, node in enumerate(nodes):
        bits = (states >> j) & 1
        ones = int(np.count_nonzero(bits))
        out[node] = 1 if ones == len(states) else 0 if ones == 0 else "*"
    return out


def attractor_sets(
    network: BooleanNetwork,
    update: str,
    starts: Sequence[Mapping[str, int]] | None = None,
    *,
    config: EngineConfig = DEFAULT_CONFIG,
) -> list[Any]:
    """The attractors of ``network`` as sorted integer arrays of states.

    Parameters
    ----------
    network
        Usually the free part after percolation.
    update
        ``"sync"`` or ``"async"``.
    starts
        ``None`` for all attractors, else subspaces (``{node: 0|1}``): only the attractors
        reachable from one of their states.
    config
        ``config.max_states`` bounds the state space (else
        :class:`~signet.errors.StateSpaceTooLarge`); ``config.async_bitset_nodes``
        chooses between the two asynchronous searches.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "!B", "B": "A", "C": "C"})
    >>> [a.tolist() for a in attractor_sets(net, "async")]
    [[0, 1, 2, 3], [4, 5, 6, 7]]
    >>> [a.tolist() for a in attractor_sets(net, "sync", [{"C": 1}])]
    [[4, 5, 6, 7]]
    """
    n = len(network)
    _check_size(n, update, config.max_states)
    if update == "async":
        search = _async_bitset if n <= config.async_bitset_nodes else _async_sparse
        return search(network, starts)
    if update == "sync":
        return _sync_cycles(network, starts)
    raise ValueError(f"unknown update {update!r}")


def _async_bitset(network: BooleanNetwork, starts: Sequence[Mapping[str, int]] | None = None) -> list[Any]:
    """Asynchronous attractors as sorted integer arrays of states, computed on bit sets
    (:func:`_async_terminal_bits`; bit sets of ``2**n`` bits, for small networks).

    Examples
    --------
    >>> net = BooleanNetwork({"A": "!B", "B": "A", "C": "C"})
    >>> [a.tolist() for a in _async_bitset(net)]
    [[0, 1, 2, 3], [4, 5, 6, 7]]
    >>> [a.tolist() for a in _async_bitset(net, [{"C": 1, "A": 0}])]
    [[4, 5, 6, 7]]
    """
    import numpy as np

    from ..primes import rule_table, variable_tables

    nodes = network.nodes
    n = len(nodes)
    patterns = variable_tables(n)
    full = (1 << (1 << n)) - 1
    tables = [rule_table(network.rules[node], nodes) for node in nodes]
    start_bits = None
    if starts is not None:
        index = {node: j for j, node in enumerate(nodes)}
        start_bits = 0
        for space in starts:
            bits = full
            for node, value in space.items():
                if node in index:
                    j = index[node]
                    bits &= patterns[j] if value else full ^ patterns[j]
            start_bits |= bits
    found = _async_terminal_bits(tables, patterns, full, n, start_bits)
    size = max(1, (1 << n) // 8)
    out = []
    for bits in found:
        if bits & (bits - 1) == 0:  # one state (a fixed point)
            out.append(np.array([bits.bit_length() - 1], dtype=np.int64))
            continue
        flags = np.unpackbits(np.frombuffer(bits.to_bytes(size, "little"), dtype=np.uint8), bitorder="little")
        out.append(np.flatnonzero(flags[: 1 << n]).astype(np.int64))
    out.sort(key=lambda a: int(a[0]))
    return out


def _async_terminal_bits(
    tables: Sequence[int], patterns: Sequence[int], full: int, n: int, start_bits: int | None
) -> list[int]:
    """Terminal SCCs of the asynchronous graph, every set of states an integer (bit ``t`` = state ``t``).

    Node ``j`` can change in the states ``tables[j] ^ patterns[j]``; changing it moves
    state ``t`` to ``t +- 2**j``, a shift of the bit set.  Attractors are found by the
    classic pair of searches: from a candidate state ``s``, its forward set ``F`` is an
    attractor iff every state of ``F`` reaches ``s`` back (``F`` inside the backward set
    ``B``); either way the states of ``B`` lie in no other attractor and are dropped.
    Fixed points (no node can change) come first, all at once, with one backward search
    from all of them.
    """
    ups = []  # (states where node j goes 0 -> 1, where it goes 1 -> 0, shift)
    for j in range(n):
        moves = tables[j] ^ patterns[j]
        ups.append((moves & ~patterns[j] & full, moves & patterns[j], 1 << j))

    def forward(reached: int) -> int:
        while True:
            before = reached
            for up, down, shift in ups:
                reached |= ((reached & up) << shift) | ((reached & down) >> shift)
            if reached == before:
                return reached

    def backward(reached: int, within: int) -> int:
        while True:
            before = reached
            for up, down, shift in ups:
                reached |= (((reached >> shift) & up) | ((reached << shift) & down)) & within
            if reached == before:
                return reached

    candidates = full if start_bits is None else forward(start_bits)
    moving = 0
    for up, down, _shift in ups:
        moving |= up | down
    stuck = candidates & ~moving
    found = []
    while stuck:
        low = stuck & -stuck
        found.append(low)
        stuck ^= low
    if found:
        candidates &= ~backward(candidates & ~moving, candidates)
    while candidates:
        state = candidates & -candidates
        ahead = forward(state)
        behind = backward(state, candidates)
        if not ahead & ~behind:
            found.append(ahead)
        candidates &= ~behind
    return found


def _sync_cycles(network: BooleanNetwork, starts: Sequence[Mapping[str, int]] | None) -> list[Any]:
    """Synchronous attractors: the cycles of the successor function (see the module docstring)."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    size = 1 << len(network)
    succ = np.zeros(size, dtype=np.int64)
    for j, v in enumerate(image(network)):
        succ |= v.astype(np.int64) << j
    start_states = None if starts is None else states_of_subspaces(network.nodes, starts)
    power = succ.copy()
    steps = 1
    while steps < size:
        power = power[power]
        steps *= 2
    cyclic = np.unique(power)
    if start_states is not None:
        reached = np.unique(power[start_states])
    else:
        reached = cyclic
    graph = coo_matrix((np.ones(len(cyclic), dtype=np.int8), (cyclic, succ[cyclic])), shape=(size, size)).tocsr()
    _, labels = connected_components(graph, directed=True, connection="weak")
    wanted = np.unique(labels[reached])
    members = cyclic[np.isin(labels[cyclic], wanted)]
    return _group(members, labels[members])


def _group(states: Any, labels: Any) -> list[Any]:
    import numpy as np

    if len(states) == 0:
        return []
    order = np.lexsort((states, labels))
    states, labels = states[order], labels[order]
    cuts = np.flatnonzero(np.diff(labels)) + 1
    groups = np.split(states, cuts)
    groups.sort(key=lambda g: int(g[0]))
    return groups


def _async_sparse(network: BooleanNetwork, starts: Sequence[Mapping[str, int]] | None = None) -> list[Any]:
    """Asynchronous attractors: the terminal strongly connected components of the sparse
    transition graph (a virtual node ``2**n`` leads to the start states)."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import breadth_first_order, connected_components

    n = len(network)
    values = image(network)
    start_states = None if starts is None else states_of_subspaces(network.nodes, starts)
    size = 1 << n
    idx = np.arange(size, dtype=np.int64)
    sources, targets = [], []
    for j, v in enumerate(values):
        bit = ((idx >> j) & 1).astype(bool)
        moving = idx[v != bit]
        sources.append(moving)
        targets.append(moving ^ (1 << j))
    src = np.concatenate(sources) if sources else np.zeros(0, dtype=np.int64)
    dst = np.concatenate(targets) if targets else np.zeros(0, dtype=np.int64)
    extra = 0
    if start_states is not None:  # a virtual node leading to the start states
        extra = 1
        src = np.concatenate([src, np.full(len(start_states), size, dtype=np.int64)])
        dst = np.concatenate([dst, start_states])
    total = size + extra
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(total, total)).tocsr()
    _, labels = connected_components(graph, directed=True, connection="strong")
    labels = labels[:size]
    real = src < size
    s, d = src[real], dst[real]
    leaving = labels[s] != labels[d]
    terminal = np.ones(labels.max() + 1 if size else 0, dtype=bool)
    terminal[labels[s[leaving]]] = False
    keep = terminal[labels]
    if start_states is not None:
        order = breadth_first_order(graph, size, directed=True, return_predecessors=False)
        order = order[order < size]
        reached_labels = np.zeros(len(terminal), dtype=bool)
        reached_labels[labels[order]] = True
        keep &= reached_labels[labels]
    members = idx[keep]
    return _group(members, labels[members])
