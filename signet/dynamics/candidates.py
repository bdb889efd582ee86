"""Asynchronous attractors inside a trap space, from few candidate states.

The succession engine (:mod:`signet.dynamics.succession`) asks one question of a free
(percolated) network ``N``, again and again on smaller networks: *which asynchronous
attractors of* ``N`` *lie outside the subspaces* ``avoid`` (trap spaces of ``N``)?
It is answered exactly in three steps, as biobalm does (Trinh, Benes, Hiraishi,
Paulevé, Rozum, Albert, Akutsu):

1. **Candidates.**  Take a negative feedback vertex set ``U`` of the signed regulatory
   graph (every negative cycle meets ``U``) and a *retained* value ``b_u`` for each
   ``u`` in ``U``; delete from the asynchronous graph every transition that moves
   some ``u`` away from ``b_u``.  Every attractor of ``N`` contains a fixed point of
   the reduced graph (Paulevé and Richard; Trinh et al. 2022), so those fixed points
   outside ``avoid`` cover every attractor sought.  They are the answers of one
   answer-set program: each node outside ``U`` equals its rule, each ``u`` in ``U``
   equals its rule or sits at ``b_u``, and no ``avoid`` space holds.
2. **Pruning by simulation.**  A candidate from which a random asynchronous walk
   reaches an ``avoid`` space, or another remaining candidate, is dropped: an
   attractor through it would contain the state reached (attractors are closed), so
   it would lie in that trap space or still contain a remaining candidate.
3. **Symbolic decision.**  For each remaining candidate ``c``, biodivine-aeon grows
   the set reachable from ``c`` one variable at a time (saturation), stopping as soon
   as it meets ``avoid``, another remaining candidate or an attractor already found.
   If it never does, the reachable set is an attractor: it holds an attractor, whose
   remaining candidate can only be ``c``, so ``c`` lies in it.

Every step is exact; nothing is sampled into the answer (random walks only remove
candidates that provably do not matter).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from .subnetworks import Subnetwork

if TYPE_CHECKING:  # pragma: no cover
    import biodivine_aeon

    from .trapspaces import Program

__all__ = ["negative_feedback_vertex_set", "attractors_outside", "negative_cycle_nodes", "subnetwork_to_aeon"]


# ---------------------------------------------------------------------------------------
def negative_feedback_vertex_set(net: Subnetwork) -> list[int]:
    """A set of nodes that meets every negative cycle of the signed regulatory graph (greedy).

    A negative closed walk through ``v`` exists iff, in the graph doubled by parity
    (node ``(v, p)``, an edge of sign ``s`` from ``(u, p)`` to ``(v, p xor s)``), the
    two copies of ``v`` share a strongly connected component.  While some node is in
    that case, the one with the most in- times out-edges inside such components joins
    the set (each search over the nodes the previous one found: every node of a negative
    closed walk is on one).  Not always minimum; always valid.

    Positions of the free nodes are returned.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> from signet.dynamics.subnetworks import RootNetwork
    >>> root = RootNetwork(BooleanNetwork({"A": "!B", "B": "A", "C": "C | A"}))
    >>> net = root.subnetwork(root.all_mask, 0, 0)
    >>> [net.nodes[p] for p in negative_feedback_vertex_set(net)]
    ['A']
    """
    removed: set[int] = set()
    bad = negative_cycle_nodes(net, removed)
    while bad:
        degree_in = {v: 0 for v in bad}
        degree_out = {v: 0 for v in bad}
        for t in bad:
            for r in net.edges[t]:
                if r in bad and r != t:
                    degree_in[t] += 1
                    degree_out[r] += 1
        pick = max(sorted(bad), key=lambda v: (degree_in[v] + 1) * (degree_out[v] + 1))
        removed.add(pick)
        if len(bad) == 1:
            break
        # a node on a negative closed walk has the whole walk on such walks: the nodes outside
        # ``bad`` can be left out of the next search (a smaller graph, the same answer)
        outside = set(range(net.n)) - bad
        bad = negative_cycle_nodes(net, removed | outside)
    return sorted(removed)


def _without_redundant(net: Subnetwork, nfvs: Sequence[int]) -> list[int]:
    """``nfvs`` without the greedy picks that the others make unnecessary."""
    removed = set(nfvs)
    for v in sorted(nfvs, reverse=True):
        removed.discard(v)
        if negative_cycle_nodes(net, removed):
            removed.add(v)
    return sorted(removed)


def negative_cycle_nodes(net: Subnetwork, removed: set[int]) -> set[int]:
    """Nodes (not removed) on a negative closed walk avoiding ``removed`` (Tarjan, iterative).

    Used by the feedback vertex set here and by :mod:`~signet.dynamics.succession` (a part
    without a negative cycle has only fixed points).
    """
    succ: list[list[int]] = [[] for _ in range(2 * net.n)]
    for t, by_regulator in enumerate(net.edges):
        if t in removed:
            continue
        for r, parities in by_regulator.items():
            if r in removed:
                continue
            for p in (0, 1):
                for s in parities:
                    succ[2 * r + p].append(2 * t + (p ^ s))
    component = _strong_components(succ)
    return {v for v in range(net.n) if v not in removed and component[2 * v] == component[2 * v + 1]}


def _strong_components(succ: list[list[int]]) -> list[int]:
    """Strongly connected component label of every vertex (Tarjan's algorithm without recursion)."""
    size = len(succ)
    index = [-1] * size
    low = [0] * size
    on_stack = [False] * size
    label = [-1] * size
    stack: list[int] = []
    counter = labels = 0
    for root in range(size):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, k = work[-1]
            if k < len(succ[v]):
                work[-1] = (v, k + 1)
                w = succ[v][k]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    label[w] = labels
                    if w == v:
                        break
                labels += 1
    return label


def retained_values(net: Subnetwork, nfvs: Sequence[int], avoid: Sequence[tuple[int, int]]) -> dict[int, int]:
    """A value per node of ``nfvs``: from the ``avoid`` space fixing the fewest of them (their
    candidates then fall into it and are excluded), else the value its rule takes most often."""
    out: dict[int, int] = {}
    members = set(nfvs)
    if avoid:
        mask, bits = min(avoid, key=lambda mb: sum(1 for v in members if (mb[0] >> v) & 1))
        for v in nfvs:
            if (mask >> v) & 1:
                out[v] = (bits >> v) & 1
    for v in nfvs:
        if v not in out:
            out[v] = 1 if _share_of_ones(net.rules[v]) > 0.5 else 0
    return out


def _share_of_ones(rule: tuple) -> float:
    """The fraction of assignments where a restricted rule is 1."""
    if rule[0] == "table":
        return rule[2].bit_count() / (1 << len(rule[1]))
    root, nodes = rule[1], rule[2]
    share: dict[int, float] = {0: 0.0, 1: 1.0}
    for u in range(2, root + 1):
        _r, low, high = nodes[u]
        share[u] = (share[low] + share[high]) / 2
    return share[root]


# ---------------------------------------------------------------------------------------
def candidate_states(
    net: Subnetwork, retained: Mapping[int, int], avoid: Sequence[tuple[int, int]], limit: int
) -> list[int] | None:
    """The fixed points of the reduced asynchronous graph outside ``avoid`` (state codes), or
    ``None`` if there are more than ``limit``."""
    from .trapspaces import fixed_point_rules

    primes = net.primes

    def build(backend: Any, clingo: Any, atom: Callable[[int], int]) -> None:
        x = [atom(i) for i in range(net.n)]
        for a in x:
            backend.add_rule([a], [], True)
        fixed_point_rules(backend, primes, x, retained)
        for mask, bits in avoid:
            backend.add_rule([], [x[j] if (bits >> j) & 1 else -x[j] for j in range(net.n) if (mask >> j) & 1])

    out: list[int] = []
    for atoms in _models(build, limit + 1):
        code = 0
        for i in atoms:
            code |= 1 << i
        out.append(code)
        if len(out) > limit:
            return None
    return out


def _models(build: Program, limit: int) -> Iterator[list[int]]:
    """Up to ``limit`` answers of a ground program written through clingo's backend; per answer,
    the numbers ``k`` of its true atoms ``x(k)`` (as :func:`signet.dynamics.trapspaces._enumerate`,
    but lazily and with a bound)."""
    import clingo

    from ._adapter import _symbol
    from .trapspaces import _model_keys

    ctl = clingo.Control([str(limit)], logger=lambda code, message: None)
    table: dict = {}
    with ctl.backend() as backend:

        def atom(k: int) -> int:
            symbol = _symbol(k)
            table[getattr(symbol, "_rep", symbol)] = k
            return backend.add_atom(symbol)

        build(backend, clingo, atom)
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            yield [table[k] for k in _model_keys(model, atoms=True)]


# ---------------------------------------------------------------------------------------
class _Walker:
    """Random asynchronous walks on state codes, re-evaluating only the rules a flip can change.

    Rules are the restricted rules of the sub-network: a table read at the index of its free
    regulators' values, or a BDD walked from its root.  A regulator outside the scope (one
    the rule does not depend on) reads a constant 0 (slot ``n`` of the state).
    """

    def __init__(self, net: Subnetwork) -> None:
        self.net = net
        n = net.n
        pos = net.pos
        self.readers: list[tuple] = []
        targets: list[set[int]] = [set() for _ in range(n)]
        for p, rule in enumerate(net.rules):
            if rule[0] == "table":
                slots = tuple(pos.get(r, n) for r in rule[1])
                self.readers.append(("table", slots, rule[2]))
                used: tuple[int, ...] = slots
            else:
                root, nodes = rule[1], rule[2]
                self.readers.append(("circuit", root, tuple((pos.get(r, n), low, high) for r, low, high in nodes)))
                used = tuple(pos.get(r, n) for r, _low, _high in nodes[2:])
            for q in used:
                if q < n:
                    targets[q].add(p)
        self.targets = [sorted(t) for t in targets]

    def _value(self, p: int, state: list[int]) -> int:
        reader = self.readers[p]
        if reader[0] == "table":
            index = 0
            for q, slot in enumerate(reader[1]):
                if state[slot]:
                    index |= 1 << q
            return (reader[2] >> index) & 1
        u, nodes = reader[1], reader[2]
        while u >= 2:
            slot, low, high = nodes[u]
            u = high if state[slot] else low
        return u

    def escapes(
        self,
        start: int,
        avoid: Sequence[tuple[int, int]],
        others: set[int],
        steps: int,
        rng: random.Random,
        greedy: float = 0.0,
    ) -> bool:
        """Whether a walk of at most ``steps`` moves from ``start`` enters an ``avoid`` space or
        a state of ``others``.

        Each move flips a node whose rule disagrees with its value (an asynchronous transition).
        With ``greedy``, a move is, with that probability, one that agrees with the nearest
        ``avoid`` space (the one fixing fewest nodes to other values than the state's, chosen
        again every ``n`` moves), when there is such a move; otherwise any, uniformly.
        """
        n = self.net.n
        state = [(start >> p) & 1 for p in range(n)] + [0]
        code = start
        moving: list[int] = []
        where: dict[int, int] = {}
        value, targets = self._value, self.targets

        def update(p: int) -> None:
            wrong = value(p, state) != state[p]
            if wrong and p not in where:
                where[p] = len(moving)
                moving.append(p)
            elif not wrong and p in where:
                k = where.pop(p)
                last = moving.pop()
                if last != p:
                    moving[k] = last
                    where[last] = k

        for p in range(n):
            update(p)
        misses, by_node = _misses(avoid, code, n)
        if 0 in misses:
            return True
        target = (0, 0)
        for step in range(steps):
            if not moving:
                return False  # a fixed point outside avoid: it is itself a candidate
            if greedy and step % n == 0:
                target = avoid[min(range(len(misses)), key=misses.__getitem__)]
            p = _move(moving, code, target, greedy, rng)
            state[p] ^= 1
            code ^= 1 << p
            for s in by_node[p]:
                mask, bits = avoid[s]
                misses[s] += 1 if ((code ^ bits) >> p) & 1 else -1
                if misses[s] == 0:
                    return True
            if code in others:
                return True
            update(p)
            for t in targets[p]:
                if t != p:
                    update(t)
        return False


def _misses(avoid: Sequence[tuple[int, int]], code: int, n: int) -> tuple[list[int], list[list[int]]]:
    """For each space ``(mask, bits)`` of ``avoid``, how many of the nodes it fixes state ``code`` has at
    another value; and for each node, the spaces that fix it."""
    by_node: list[list[int]] = [[] for _ in range(n)]
    misses = []
    for s, (mask, bits) in enumerate(avoid):
        misses.append(((code ^ bits) & mask).bit_count())
        for p in range(n):
            if (mask >> p) & 1:
                by_node[p].append(s)
    return misses, by_node


def _move(moving: list[int], code: int, target: tuple[int, int], greedy: float, rng: random.Random) -> int:
    """The node a walk flips: with probability ``greedy`` one of ``moving`` that ``target`` fixes to the other
    value (if any), else any of ``moving``, uniformly."""
    if greedy and rng.random() < greedy:
        mask, bits = target
        closer = [q for q in moving if (mask >> q) & 1 and ((code ^ bits) >> q) & 1]
        if closer:
            return closer[rng.randrange(len(closer))]
    return moving[rng.randrange(len(moving))]


def _read_positions(encoded: tuple) -> set[int]:
    """The positions a rule reads, from its entry of :attr:`Subnetwork.primes`: prime implicants
    ``(off, on)``, or a BDD ``(root, nodes)`` (a rule over many regulators) whose decision nodes are
    ``(position, low, high)`` after the two terminals."""
    if isinstance(encoded[0], int):
        return {q for q, _low, _high in encoded[1][2:]}
    return {q for term in (*encoded[0], *encoded[1]) for q, _value in term}


def bdd_order(net: Subnetwork) -> list[int]:
    """Positions of ``net``'s nodes in an order for BDD variables: reverse Cuthill-McKee on
    the undirected dependency graph (breadth first from a node of least degree, neighbours by
    increasing degree, each component in turn, the whole reversed), which puts nodes that
    read each other close together.  Symbolic reachability is much cheaper in such an order:
    on balm/210's minimal trap space (86 free nodes) the forward set of a state takes 0.25 s
    of CPU, 0.39 s in position order and 0.54 s in the order of the names ``v0``, ``v1``,
    ``v10``, ... (biodivine-aeon sorts variables by name).

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> from signet.dynamics.subnetworks import RootNetwork
    >>> root = RootNetwork(BooleanNetwork({"A": "C", "B": "B & A", "C": "!B", "D": "D | A"}))
    >>> sorted(bdd_order(root.subnetwork(root.all_mask, 0, 0)))
    [0, 1, 2, 3]
    """
    near: list[set[int]] = [set() for _ in range(net.n)]
    for p, encoded in enumerate(net.primes):
        for q in _read_positions(encoded):
            if q != p:
                near[p].add(q)
                near[q].add(p)
    seen = [False] * net.n
    order: list[int] = []
    for start in sorted(range(net.n), key=lambda p: len(near[p])):
        if seen[start]:
            continue
        seen[start] = True
        head = len(order)
        order.append(start)
        while head < len(order):
            for q in sorted(near[order[head]], key=lambda q: len(near[q])):
                if not seen[q]:
                    seen[q] = True
                    order.append(q)
            head += 1
    order.reverse()
    return order


class _Symbolic:
    """The network's asynchronous graph in biodivine-aeon, with state codes as vertex sets;
    the node at position ``p`` is the variable ``names[p]``, variables in :func:`bdd_order`."""

    def __init__(self, net: Subnetwork) -> None:
        import biodivine_aeon as ba

        self.net = net
        self.ba = ba
        rank = {p: k for k, p in enumerate(bdd_order(net))}
        self.names = [f"v{rank[p]:06d}" for p in range(net.n)]  # AEON orders variables by name
        self.graph = ba.AsynchronousGraph(subnetwork_to_aeon(net, self.names))
        self.variables = self.graph.network_variables()

    def state(self, code: int) -> biodivine_aeon.ColoredVertexSet:
        names = self.names
        return self.graph.mk_subspace({names[j]: bool((code >> j) & 1) for j in range(self.net.n)})

    def space(self, mask: int, bits: int) -> biodivine_aeon.ColoredVertexSet:
        names = self.names
        return self.graph.mk_subspace({names[j]: bool((bits >> j) & 1) for j in range(self.net.n) if (mask >> j) & 1})

    def empty(self) -> biodivine_aeon.ColoredVertexSet:
        return self.graph.mk_empty_colored_vertices()

    def reach_or_meet(self, code: int,
                      avoid: biodivine_aeon.ColoredVertexSet | None) -> biodivine_aeon.ColoredVertexSet | None:
        """The set reachable from state ``code``, or ``None`` as soon as it meets ``avoid``.

        Saturation with variables activated one at a time, each time the last variable (in
        the network's order) that can move from the set so far; between activations the set
        is saturated over the active variables (:meth:`_saturate`).  Activating only
        variables that can move keeps the intermediate sets (BDDs) small: on a minimal trap
        space of 86 nodes (balm/210) this is 4x faster than saturating over all variables.
        """
        graph = self.graph
        reach = self.state(code)
        check = avoid is not None and not avoid.is_empty()
        rank = {variable: k for k, variable in enumerate(self.variables)}
        active: list = []  # the last variable in the order first
        left = list(reversed(self.variables))
        while True:
            if active:
                reach = self._saturate(reach, active)
            if check and avoid is not None and not reach.intersect(avoid).is_empty():
                return None
            for k, variable in enumerate(left):
                post = graph.var_post_out(variable, reach)
                if not post.is_empty():
                    reach = reach.union(post)
                    active.append(variable)
                    active.sort(key=rank.__getitem__, reverse=True)
                    del left[k]
                    break
            else:
                return reach

    def _saturate(self, reach: biodivine_aeon.ColoredVertexSet,
                  active: Sequence[Any]) -> biodivine_aeon.ColoredVertexSet:
        """``reach`` closed under the moves of the ``active`` variables: sweeps over them, each
        adding the states one move of a variable leads to, until a sweep adds none.

        biodivine-aeon's own saturation (``Reachability.forward_superset``) starts again from
        the last variable after every variable that adds states; a sweep goes on to the next
        one.  On the corpus's large attractors that makes a half to a fifth of the image steps
        (bbm/075's, 3.5e13 states: 4,726 against 22,407; balm/210: 24,481 against 50,718) and,
        although each step is then a call from Python, takes less time: bbm/075 0.45-0.54 ->
        0.16 s, balm/210 0.25 -> 0.19 s; bbm/204's 1.1e21-state attractor 23.6 -> 25.7 s.
        """
        graph = self.graph
        while True:
            grew = False
            for variable in active:
                post = graph.var_post_out(variable, reach)
                if not post.is_empty():
                    reach = reach.union(post)
                    grew = True
            if not grew:
                return reach


def subnetwork_to_aeon(net: Subnetwork, names: Sequence[str] | None = None) -> biodivine_aeon.BooleanNetwork:
    """The sub-network in biodivine-aeon (node at position ``p`` named ``v{p}``, or ``names[p]``):
    each restricted rule written as the disjunction of its prime implicants (a BDD rule by
    substitution).  Used by the symbolic search here and by the fixed-point counts of
    :mod:`~signet.dynamics.succession`."""
    import biodivine_aeon as ba

    from ._adapter import aeon_network

    if any(rule[0] == "circuit" for rule in net.rules):
        return aeon_network(net.network(), names)
    if names is None:
        names = [f"v{p}" for p in range(net.n)]
    lines = ["targets, factors"]
    for p, by_value in enumerate(net.primes):
        on = by_value[1]
        if any(not term for term in on):
            text = "true"
        elif not on:
            text = "false"
        else:
            text = " | ".join(" & ".join(names[q] if c else f"!{names[q]}" for q, c in term) for term in on)
        lines.append(f"{names[p]}, {text}")
    return ba.BooleanNetwork.from_bnet("\n".join(lines) + "\n", repair_graph=True)


def walker(net: Subnetwork) -> _Walker:
    if net._walker is None:
        net._walker = _Walker(net)
    return net._walker


def symbolic(net: Subnetwork) -> _Symbolic:
    if net._symbolic is None:
        net._symbolic = _Symbolic(net)
    return net._symbolic


def restricted_nfvs(net: Subnetwork, nfvs: Iterable[int]) -> list[int]:
    """A negative feedback vertex set of ``net`` from one of a larger network (root indices):
    the sub-network's signed edges are some of the larger network's (a restricted rule keeps or
    loses a dependence, never changes its sign), so its members that are free and still on a
    negative cycle meet every negative cycle of ``net``.  Positions are returned."""
    on_cycles = negative_cycle_nodes(net, set())
    return sorted(net.pos[j] for j in nfvs if j in net.pos and net.pos[j] in on_cycles)


def attractors_outside(
    net: Subnetwork,
    avoid: Sequence[tuple[int, int]],
    *,
    candidate_limit: int,
    walk_steps_per_node: int = 200,
    seed: int = 0,
    nfvs: Iterable[int] | None = None,
    guided_walks: Sequence[float] = (),
    guided_walk_length: int = 5,
) -> list | None:
    """The asynchronous attractors of ``net`` outside the trap spaces ``avoid`` (``(mask, bits)``).

    Returns a list of *findings*: ``("seed", code)`` when ``avoid`` is empty and a single
    candidate remains (that state lies in the only attractor; its set is computed only on
    demand), else ``("set", vertex set)`` with the attractor as an AEON vertex set.
    ``None`` if there are more than ``candidate_limit`` candidates.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> from signet.dynamics.subnetworks import RootNetwork
    >>> root = RootNetwork(BooleanNetwork({"A": "!B", "B": "A", "C": "C | A"}))
    >>> net = root.subnetwork(root.all_mask, 0, 0)
    >>> attractors_outside(net, [net.encode({"C": 1})], candidate_limit=100)
    []
    >>> [kind for kind, _ in attractors_outside(net, [], candidate_limit=100)]
    ['seed']
    """
    nfvs = negative_feedback_vertex_set(net) if nfvs is None else restricted_nfvs(net, nfvs)
    retained = retained_values(net, nfvs, avoid)
    candidates = candidate_states(net, retained, avoid, candidate_limit)
    if candidates is None:
        return None
    if len(candidates) > 1:
        smaller = _without_redundant(net, nfvs)
        if len(smaller) < len(nfvs):
            trial = {v: retained[v] for v in smaller}
            got = candidate_states(net, trial, avoid, len(candidates) - 1)
            if got is not None:
                retained, candidates = trial, got
    if len(candidates) > 3:  # worth a few more solver calls
        retained, candidates = _fewer_candidates(net, retained, avoid, candidates)
    if not candidates:
        return []
    if not avoid and len(candidates) == 1:
        return [("seed", candidates[0])]
    kept = _walked(net, candidates, avoid, random.Random(seed), walk_steps_per_node * net.n,
                   guided_walks, guided_walk_length)
    if not avoid and len(kept) == 1:
        return [("seed", kept[0])]
    graph = symbolic(net)
    if not avoid:
        return _pivots(graph, kept)
    blocked = graph.empty()
    for mask, bits in avoid:
        blocked = blocked.union(graph.space(mask, bits))
    others = graph.empty()
    for code in kept:
        others = others.union(graph.state(code))
    found = []
    for code in kept:
        others = others.minus(graph.state(code))
        reach = graph.reach_or_meet(code, blocked.union(others))
        if reach is None:
            continue
        found.append(("set", reach))
        blocked = blocked.union(reach)
    return found


def _walked(net: Subnetwork, candidates: Sequence[int], avoid: Sequence[tuple[int, int]], rng: random.Random,
            steps: int, guided_walks: Sequence[float], guided_walk_length: int) -> list[int]:
    """The candidates that no walk takes into ``avoid`` or to a candidate kept so far or still to walk from: a
    uniform walk of ``steps`` moves, then (with ``avoid``) walks guided towards it (``Walker.escapes``)."""
    walk = walker(net)
    pool = set(candidates)
    kept: list[int] = []
    for code in candidates:
        pool.discard(code)
        if walk.escapes(code, avoid, pool, steps, rng):
            continue
        if avoid and any(walk.escapes(code, avoid, pool, guided_walk_length * steps, rng, greedy)
                         for greedy in guided_walks):
            continue
        kept.append(code)
        pool.add(code)
    return kept


def _fewer_candidates(net: Subnetwork, retained: dict[int, int], avoid: Sequence[tuple[int, int]],
                      candidates: list[int]) -> tuple[dict[int, int], list[int]]:
    """Flip retained values one at a time while that leaves fewer candidates (every choice of
    retained values is valid; fewer candidates is less work)."""
    improved = True
    while improved and len(candidates) > 1:
        improved = False
        for v in sorted(retained):
            trial = {**retained, v: 1 - retained[v]}
            got = candidate_states(net, trial, avoid, len(candidates) - 1)
            if got is not None:
                retained, candidates, improved = trial, got, True
                if len(candidates) <= 1:
                    break
    return retained, candidates


def _pivots(graph: "_Symbolic", candidates: list[int]) -> list[tuple[str, Any]]:
    """All attractors of the graph, each containing one of ``candidates`` (which cover them all).

    Backward set ``B`` of a candidate ``c``: if every candidate left lies in it, ``c`` lies in
    the only attractor left (the attractor ``c`` reaches holds a candidate, which reaches
    ``c``; so does every other attractor left), a ``("seed", c)`` whose set is computed on
    demand.  Otherwise the forward set ``F`` of ``c``: ``F`` is an attractor iff ``F`` lies
    inside ``B``; otherwise ``c`` and every candidate that reaches it (``B``) are in no
    attractor.  Either way those candidates are done.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> from signet.dynamics.subnetworks import RootNetwork
    >>> root = RootNetwork(BooleanNetwork({"A": "!B", "B": "A", "C": "C | A"}))
    >>> net = root.subnetwork(root.all_mask, 0, 0)
    >>> codes = [net.encode({"A": 0, "B": 0, "C": c})[1] for c in (1, 0)]
    >>> [kind for kind, _ in _pivots(symbolic(net), codes)]  # C=1 is reached from C=0: one attractor
    ['seed']
    >>> root = RootNetwork(BooleanNetwork({"A": "!B", "B": "A", "C": "C"}))
    >>> net = root.subnetwork(root.all_mask, 0, 0)
    >>> codes = [net.encode({"A": 0, "B": 0, "C": c})[1] for c in (0, 1)]
    >>> [kind for kind, _ in _pivots(symbolic(net), codes)]  # the C=0 cycle, then the one left
    ['set', 'seed']
    """
    ba = graph.ba
    left = list(candidates)
    found: list[tuple[str, Any]] = []
    while left:
        code = left.pop(0)
        start = graph.state(code)
        backward = ba.Reachability.backward_superset(graph.graph, start)
        if all(not graph.state(c).intersect(backward).is_empty() for c in left):
            found.append(("seed", code))
            break
        forward = graph.reach_or_meet(code, None)
        assert forward is not None  # nothing to meet: the whole forward set
        if forward.is_subset(backward):
            found.append(("set", forward))
            done = forward
        else:
            done = backward
        left = [c for c in left if graph.state(c).intersect(done).is_empty()]
    return found
