"""Trap spaces, fixed points and most-permissive reachability with clingo.

Every node ``i`` gets the prime implicants of its rule ``f_i`` and of ``!f_i``
(:mod:`signet.primes`).  A subspace, given by atoms ``fix(i,0)`` /
``fix(i,1)``, is a trap space iff each fixed node ``i`` (value ``b``) has a prime
implicant of ``f_i == b`` whose literals are all fixed in it.  The minimal trap
spaces are the subset-maximal sets of fixed literals, enumerated with clingo's
domain heuristic (``--enum-mode=domRec``); fixed points are the trap spaces that
fix every node.

Most-permissive reachability (Paulevé et al. 2020) of a configuration ``y`` from a
configuration ``x`` has a characterisation by literal sets that a single answer-set
program decides: the reached literals ``r`` are those of ``x``, plus the literals
that some update function can produce from literals already reached.  A literal that
agrees with ``y`` is taken whenever it can be produced; one that disagrees with
``y`` may be taken (guessed), but then the node must also be able to come back
(the literal of ``y`` must be produced again).  ``y`` is reached iff every literal
of ``y`` is reached.  For a target trap space only its fixed nodes constrain ``y``;
a free node of the target may take any literal it can produce.  When the target is a
trap space, the condition that a node taken away comes back holds by itself: its
rule is constant on the trap space, so once the trap space's fixed literals are all
reached, a prime implicant of each fixed node's value is too.  A partial start state
is a choice of ``x`` among its configurations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Sequence

from ..model import BooleanNetwork
from ..primes import prime_implicants
from .config import DEFAULT_CONFIG, EngineConfig

if TYPE_CHECKING:  # pragma: no cover
    import clingo

__all__ = ["minimal_trap_spaces", "fixed_points", "reachable_trap_spaces"]


_SYMBOLS: list = []  # x(k) for k = 0, 1, ...: clingo symbols are global, making one costs a C call


def _symbol(k: int) -> clingo.Symbol:
    """The symbol ``x(k)`` (made once per ``k``)."""
    if k >= len(_SYMBOLS):
        import clingo

        _SYMBOLS.extend(clingo.Function("x", [clingo.Number(i)]) for i in range(len(_SYMBOLS), max(k + 1, 64)))
    return _SYMBOLS[k]


def _symbol_key(symbol: Any) -> Any:
    # clingo interns symbols: the 64-bit handle identifies one; fall back to the symbol itself
    return getattr(symbol, "_rep", symbol)


def _model_keys(model: Any, **show: bool) -> list[Any]:
    """:func:`_symbol_key` of each symbol of ``model.symbols(**show)``.

    clingo's sequence holds the handles in a C array: they are read at once, without a
    Python ``Symbol`` made per atom (a tenth of the time of listing 2,356 minimal trap
    spaces of 19 nodes, bbm/139).  A clingo without that array gives its symbols.

    Examples
    --------
    >>> import clingo
    >>> ctl = clingo.Control(["0"])
    >>> ctl.add("base", [], "a. b :- a. {c}.")
    >>> ctl.ground([("base", [])])
    >>> keys = []
    >>> _ = ctl.solve(on_model=lambda m: keys.append(_model_keys(m, atoms=True)))
    >>> sorted(sorted(str(clingo.Symbol(k)) if isinstance(k, int) else str(k) for k in ks) for ks in keys)
    [['a', 'b'], ['a', 'b', 'c']]
    """
    symbols = model.symbols(**show)
    handles = getattr(symbols, "_p_symbols", None)
    if handles is not None:
        return list(handles)
    return [_symbol_key(s) for s in symbols]


def _spaces(models: Sequence[Sequence[tuple[int, int]]], network: BooleanNetwork) -> list[dict[str, int | str]]:
    """Answers (``(node index, value)`` pairs) as spaces, sorted by their values' text
    (``"*" < "0" < "1"``), compared as codes 0, 1, 2."""
    nodes = network.nodes
    n = len(nodes)
    coded = []
    for pairs in models:
        code = [0] * n
        for i, b in pairs:
            code[i] = b + 1
        coded.append(code)
    coded.sort()
    symbols = ("*", 0, 1)
    return [dict(zip(nodes, [symbols[c] for c in code])) for code in coded]


#: Per node: the prime implicants of ``f == 0`` and of ``f == 1`` as lists of ``(node index,
#: value)``, or the rule's BDD as ``(root, nodes)`` (:func:`_indexed_primes`).
IndexedPrimes = list[tuple[Any, Any]]
#: A ground program: ``build(backend, clingo, atom)`` adds its rules through clingo's backend.
Program = Callable[[Any, Any, Callable[[int], int]], None]


def _indexed_primes(network: BooleanNetwork, circuit_variables: int | None = None) -> IndexedPrimes:
    """Per node: the prime implicants of ``f == 0`` and of ``f == 1`` as ``[(node index, value), ...]``,
    or, for a rule over more than :data:`CIRCUIT_VARIABLES` regulators, its BDD as
    ``(root, nodes)`` with node indices (:mod:`signet.circuits`)."""
    from ..circuits import rule_circuit
    from ..primes import ordered_variables

    limit = CIRCUIT_VARIABLES if circuit_variables is None else circuit_variables
    index = {n: i for i, n in enumerate(network.nodes)}
    names = network.nodes
    out: list = []
    for node in names:
        rule = network.rules[node]
        used = sorted(ordered_variables(rule), key=index.__getitem__)  # network order, as the percolation
        if len(used) > limit:
            circuit = rule_circuit(rule, used)
            nodes = tuple((index[circuit.names[j]], low, high) for j, low, high in circuit.nodes)
            out.append((circuit.root, nodes))
            continue
        on, off = prime_implicants(rule, names)
        out.append(([[(index[n], c) for n, c in t.items()] for t in off],
                    [[(index[n], c) for n, c in t.items()] for t in on]))
    return out


#: Rules over more regulators than this enter the answer-set programs as BDD circuits
#: (:mod:`signet.circuits`) instead of prime implicants, whose number and cost
#: grow quickly with the number of regulators.
CIRCUIT_VARIABLES = 16


def _circuit_atoms(backend: Any, nodes: Sequence[tuple[int, int, int]], root: int, b: int,
                   fixed: Callable[[int, int], int]) -> int | None:
    """An atom true iff the BDD ``nodes`` is constant ``b`` given ``fixed(j, c)`` (an atom
    or ``None`` for "node ``j`` has value ``c``"); ``None`` if it never is (see circuits)."""
    atoms: dict[int, int | None] = {0: None, 1: None}
    true_ = -1  # marker: the terminal b, always true
    atoms[b] = true_
    for u in range(2, root + 1):
        j, low, high = nodes[u]
        a_low, a_high = atoms[low], atoms[high]
        if a_low is None and a_high is None:
            atoms[u] = None
            continue
        if a_low == true_ and a_high == true_:
            atoms[u] = true_
            continue
        head = backend.add_atom()
        atoms[u] = head
        for value, child in ((0, a_low), (1, a_high)):
            if child is not None:
                backend.add_rule([head], [fixed(j, value)] + ([] if child == true_ else [child]))
        if a_low is not None and a_high is not None:
            backend.add_rule([head], [x for x in (a_low, a_high) if x != true_])
    return atoms[root]


def _ground(build: Program, options: Sequence[str]) -> tuple[Any, dict[Any, int]]:
    """A clingo control holding the ground program ``build`` writes through the backend, and
    the table from each symbol handle to its number ``k`` (filled as ``atom(k)`` makes them)."""
    import clingo

    ctl = clingo.Control(list(options), logger=lambda code, message: None)
    table: dict[Any, int] = {}
    with ctl.backend() as backend:

        def atom(k: int) -> int:
            symbol = _symbol(k)
            table[_symbol_key(symbol)] = k
            return backend.add_atom(symbol)

        build(backend, clingo, atom)
    return ctl, table


def _enumerate(build: Program, options: Sequence[str]) -> list[list[int]]:
    """All answer sets of the ground program ``build(backend)`` writes; per answer, the
    numbers ``k`` of its true atoms that carry a symbol (``x(k)``, made by ``atom(k)``).

    The program goes straight to the solver through clingo's backend: no text to
    parse and nothing to ground, which is most of the time on small networks.
    """
    ctl, table = _ground(build, ["0", *options])
    models: list[list[int]] = []
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            models.append([table[k] for k in _model_keys(model, atoms=True)])
    return models


def _count_answers(build: Program, options: Sequence[str]) -> int:
    """The number of answer sets of the ground program ``build`` writes (as :func:`_enumerate`
    would list them), from the solver's own count: no answer is handed to Python.

    Examples
    --------
    >>> def build(backend, clingo, atom):
    ...     a, b = atom(0), atom(1)
    ...     backend.add_rule([a, b], choice=True)
    >>> _count_answers(build, []), len(_enumerate(build, []))
    (4, 4)
    """
    ctl, _table = _ground(build, ["0", *options])
    ctl.solve()
    return int(ctl.statistics["summary"]["models"]["enumerated"])


def _first_answer(build: Program, options: Sequence[str], seconds: float) -> list[int] | None:
    """The first answer set of ``build`` (its numbered atoms, as :func:`_enumerate`), or ``None``
    when there is none or the solver has not found one within ``seconds`` (it is then stopped).

    Examples
    --------
    >>> def build(backend, clingo, atom):
    ...     a, b = atom(0), atom(1)
    ...     backend.add_rule([a, b], [], True)
    ...     backend.add_rule([], [-a])          # a must be true
    >>> sorted(_first_answer(build, [], 5.0)) in ([0], [0, 1])
    True
    """
    ctl, table = _ground(build, ["1", *options])
    found: list[list[int]] = []

    def on_model(model: Any) -> None:
        found.append([table[k] for k in _model_keys(model, atoms=True)])

    with ctl.solve(on_model=on_model, async_=True) as handle:
        if not handle.wait(seconds):
            handle.cancel()
        handle.get()
    return found[0] if found else None


def _trap_program(primes: IndexedPrimes, heuristic: bool) -> Program:
    """Ground program whose answers are the trap spaces: atom ``2*i+b`` is ``fix(i, b)``."""

    def build(backend: Any, clingo: Any, atom: Callable[[int], int]) -> None:
        true_ = clingo.backend.HeuristicType.True_
        fix = []
        for i in range(len(primes)):
            pair = (atom(2 * i), atom(2 * i + 1))
            backend.add_rule(list(pair), [], True)
            backend.add_rule([], list(pair))
            if heuristic:
                backend.add_heuristic(pair[0], true_, 1, 1, [])
                backend.add_heuristic(pair[1], true_, 1, 1, [])
            fix.append(pair)
        for i, by_value in enumerate(primes):
            if isinstance(by_value[0], int):  # a BDD circuit
                root, nodes = by_value
                for b in (0, 1):
                    if root < 2:  # constant
                        if root != b:
                            backend.add_rule([], [fix[i][b]])
                        continue
                    sat = _circuit_atoms(backend, nodes, root, b, lambda j, c: fix[j][c])
                    if sat is None:
                        backend.add_rule([], [fix[i][b]])
                    elif sat != -1:
                        backend.add_rule([], [fix[i][b], -sat])
                continue
            for b in (0, 1):
                terms = by_value[b]
                if not terms:  # f_i is never b: i cannot be fixed to b
                    backend.add_rule([], [fix[i][b]])
                    continue
                if any(not t for t in terms):  # f_i is constant b
                    continue
                sat = backend.add_atom()
                for term in terms:
                    backend.add_rule([sat], [fix[j][c] for j, c in term])
                backend.add_rule([], [fix[i][b], -sat])

    return build


def _small_trap_program(primes: IndexedPrimes, most_free: int) -> Program:
    """Ground program whose answers are the trap spaces with at most ``most_free`` free nodes
    (atoms as :func:`_trap_program`'s).  With the domain heuristic, an answer is a minimal
    trap space: a smaller trap space fixes more nodes, so it satisfies the bound too.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "!B", "B": "A", "C": "C & !A", "D": "D"})
    >>> atoms = _first_answer(_small_trap_program(_indexed_primes(net), 2), ["--heuristic=Domain"], 5.0)
    >>> _spaces([[(a >> 1, a & 1) for a in atoms]], net)[0]["C"]
    0
    >>> _first_answer(_small_trap_program(_indexed_primes(net), 1), ["--heuristic=Domain"], 5.0) is None
    True
    """
    spaces = _trap_program(primes, heuristic=True)

    def build(backend: Any, clingo: Any, atom: Callable[[int], int]) -> None:
        spaces(backend, clingo, atom)
        enough = backend.add_atom()
        fixed = [(atom(k), 1) for k in range(2 * len(primes))]  # the atoms made above, again
        backend.add_weight_rule([enough], len(primes) - most_free, fixed)
        backend.add_rule([], [-enough])

    return build


def _fixed_point_program(primes: IndexedPrimes) -> Program:
    """Ground program whose answers are the fixed points: atom ``i`` true is node ``i`` = 1."""

    def build(backend: Any, clingo: Any, atom: Callable[[int], int]) -> None:
        x = [atom(i) for i in range(len(primes))]
        for a in x:
            backend.add_rule([a], [], True)
        fixed_point_rules(backend, primes, x)

    return build


def fixed_point_rules(
    backend: Any, primes: IndexedPrimes, x: Sequence[int], retained: Mapping[int, int] | None = None
) -> None:
    """Add to ``backend`` the constraints "node ``i`` equals its rule" for every node, on the
    choice atoms ``x`` (``x[i]`` true is node ``i`` = 1); a rule is given by its prime
    implicants or as a BDD circuit.  ``retained``: node -> a value the node may keep whatever
    its rule says (the reduced graphs of :mod:`signet.dynamics.candidates`)."""

    def literal(j: int, c: int) -> int:
        return x[j] if c else -x[j]

    for i, by_value in enumerate(primes):
        for b in (0, 1):
            if retained is not None and retained.get(i) == b:
                continue
            own = x[i] if b else -x[i]
            if isinstance(by_value[0], int):  # a BDD circuit, read on the full state
                root, nodes = by_value
                sat = (root == b) if root < 2 else _circuit_atoms(backend, nodes, root, b, literal)
                if sat is None or sat is False:
                    backend.add_rule([], [own])
                elif sat is not True and sat != -1:
                    backend.add_rule([], [own, -sat])
                continue
            terms = by_value[b]
            if not terms:
                backend.add_rule([], [own])
                continue
            if any(not t for t in terms):
                continue
            sat_atom = backend.add_atom()
            for term in terms:
                backend.add_rule([sat_atom], [literal(j, c) for j, c in term])
            backend.add_rule([], [own, -sat_atom])


def minimal_trap_spaces(network: BooleanNetwork, *, circuit_variables: int | None = None) -> list[dict[str, int | str]]:
    """All minimal trap spaces of ``network``: node -> 0, 1 or ``"*"``.

    ``circuit_variables``: rules over more regulators enter as BDD circuits (default
    :data:`CIRCUIT_VARIABLES`).

    Examples
    --------
    >>> net = BooleanNetwork({"A": "!B", "B": "A", "C": "C | A"})
    >>> minimal_trap_spaces(net)
    [{'A': '*', 'B': '*', 'C': 1}]
    """
    if len(network) == 0:
        return [{}]
    program = _trap_program(_indexed_primes(network, circuit_variables), heuristic=True)
    models = _enumerate(program, ["--heuristic=Domain", "--enum-mode=domRec"])
    return _spaces([[(a >> 1, a & 1) for a in atoms] for atoms in models], network)


def fixed_points(
    network: BooleanNetwork, known: Mapping[str, int] | None = None, *, config: EngineConfig = DEFAULT_CONFIG
) -> list[dict[str, int]]:
    """All fixed points of ``network`` (states with ``f(x) = x``).

    Networks with a feedback vertex set of at most ``config.fvs_fixed_point_nodes``
    nodes are solved bit-parallel (:func:`_fixed_points_fvs`); others by clingo
    (:func:`_fixed_points_asp`).  ``known``: values every fixed point has (e.g.
    percolated constants); they leave the graph before the feedback vertex set is chosen.

    Examples
    --------
    >>> fixed_points(BooleanNetwork({"A": "B", "B": "A"}))
    [{'A': 0, 'B': 0}, {'A': 1, 'B': 1}]
    >>> fixed_points(BooleanNetwork({"A": "0", "B": "!A & C", "C": "B"}), {"A": 0})
    [{'A': 0, 'B': 0, 'C': 0}, {'A': 0, 'B': 1, 'C': 1}]
    """
    if len(network) == 0:
        return [{}]
    known = dict(known or {})
    split = feedback_vertex_set(network, config.fvs_fixed_point_nodes, known)
    if split is not None:
        return _fixed_points_fvs(network, *split, known)
    return _fixed_points_asp(network.fix(known) if known else network)


def _fixed_points_asp(network: BooleanNetwork, circuit_variables: int | None = None) -> list[dict[str, int]]:
    models = _enumerate(_fixed_point_program(_indexed_primes(network, circuit_variables)), [])
    nodes = network.nodes
    rows = []
    for atoms in models:
        row = [0] * len(nodes)
        for i in atoms:
            row[i] = 1
        rows.append(row)
    rows.sort()
    return [dict(zip(nodes, row)) for row in rows]


def feedback_vertex_set(
    network: BooleanNetwork, limit: int | None = None, known: Mapping[str, int] | None = None
) -> tuple[list[str], list[str]] | None:
    """A feedback vertex set of the regulatory graph and the other nodes in a causal order.

    Greedy: nodes on no cycle are peeled off repeatedly; then a node with a
    self-loop, or else the one with the most in- times out-edges among those left,
    joins the set.  Not always minimum; every cycle goes through it.

    Nodes in ``known`` (fixed values) are left out: they break the cycles through them.

    Returns
    -------
    (fvs, order) or None
        ``order`` lists the nodes outside ``fvs`` and ``known`` so that each one's
        regulators outside ``fvs`` and ``known`` come before it.  ``None`` if the set
        grows beyond ``limit``.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "!C", "B": "A", "C": "B", "D": "C & D", "E": "D"})
    >>> feedback_vertex_set(net)
    (['D', 'A'], ['B', 'E', 'C'])
    """
    from ..expr import variables

    skip = set(known or ())
    nodes = [n for n in network.nodes if n not in skip]
    pred = {n: set(variables(network.rules[n])) - skip for n in nodes}
    succ: dict[str, dict[str, None]] = {n: {} for n in nodes}  # ordered: the result is deterministic
    for n in nodes:
        for r in pred[n]:
            succ[r][n] = None
    graph = _Graph({n: (set(pred[n]), set(succ[n])) for n in nodes})
    fvs: list[str] = []
    while graph.peel():
        if limit is not None and len(fvs) >= limit:
            return None
        fvs.append(graph.pick())
        graph.remove(fvs[-1])
    return fvs, _causal_order(nodes, pred, succ, set(fvs))


class _Graph:
    """What is left of a regulatory graph: node -> (regulators, targets) still in it."""

    def __init__(self, left: dict[str, tuple[set[str], set[str]]]) -> None:
        self.left = left

    def remove(self, n: str) -> None:
        p, q = self.left.pop(n)
        for r in p:
            if r != n:
                self.left[r][1].discard(n)
        for r in q:
            if r != n:
                self.left[r][0].discard(n)

    def _acyclic(self, n: str) -> bool:
        p, q = self.left[n]
        return not p or not q

    def peel(self) -> bool:
        """Remove the nodes on no cycle, repeatedly; whether any node is left."""
        queue = [n for n in self.left if self._acyclic(n)]
        while queue:
            n = queue.pop()
            if n not in self.left:
                continue
            p, q = self.left[n]
            self.remove(n)
            queue.extend(r for r in p | q if r in self.left and self._acyclic(r))
        return bool(self.left)

    def pick(self) -> str:
        """A node with a self-loop, else the one with the most in- times out-edges."""
        left = self.left
        loops = [n for n in left if n in left[n][0]]
        return loops[0] if loops else max(left, key=lambda n: len(left[n][0]) * len(left[n][1]))


def _causal_order(
    nodes: Sequence[str], pred: Mapping[str, set[str]], succ: Mapping[str, Mapping[str, None]], inside: set[str]
) -> list[str]:
    """The nodes outside ``inside`` with regulators outside it first (Kahn's order)."""
    waiting = {n: len(pred[n] - inside) for n in nodes if n not in inside}
    order = [n for n in nodes if n in waiting and waiting[n] == 0]
    for n in order:
        for m in succ[n]:
            if m in waiting:
                waiting[m] -= 1
                if waiting[m] == 0:
                    order.append(m)
    return order


def _fixed_points_fvs(
    network: BooleanNetwork, fvs: Sequence[str], order: Sequence[str], known: Mapping[str, int] | None = None
) -> list[dict[str, int]]:
    """Fixed points, bit-parallel over every value of the feedback vertex set ``fvs``.

    Bit ``t`` of every integer below stands for the assignment ``t`` of ``fvs``
    (node ``fvs[j]`` = bit ``j`` of ``t``).  At a fixed point every other node
    equals its rule, and ``order`` is causal, so the rules evaluated in ``order``
    give each node's value as a function of ``t``; ``t`` is a fixed point exactly
    when every node of ``fvs`` then equals its own rule too.  Exact: every fixed
    point restricts to some ``t``, and each ``t`` that passes is one.  Nodes in
    ``known`` hold their value throughout.
    """
    from ..primes import evaluate_bits, variable_tables

    k = len(fvs)
    full = (1 << (1 << k)) - 1
    values = {n: (full if v else 0) for n, v in (known or {}).items()}
    values.update(zip(fvs, variable_tables(k)))
    rules = network.rules
    for node in order:
        values[node] = evaluate_bits(rules[node], values, full)
    ok = full
    for node in fvs:
        ok &= full ^ (evaluate_bits(rules[node], values, full) ^ values[node])
        if not ok:
            return []
    nodes = network.nodes
    count = ok.bit_count()
    if count <= 64:
        hits = []
        while ok:
            low = ok & -ok
            hits.append(low.bit_length() - 1)
            ok ^= low
        rows = [tuple((values[n] >> t) & 1 for n in nodes) for t in hits]
    else:  # many: unpack the bit sets once with numpy
        import numpy as np

        size = max(1, (1 << k) // 8)

        def bits(x: int) -> Any:
            return np.unpackbits(np.frombuffer(x.to_bytes(size, "little"), dtype=np.uint8), bitorder="little")

        where = np.flatnonzero(bits(ok)[: 1 << k])
        columns = [bits(values[n])[where].tolist() for n in nodes]
        rows = list(zip(*columns))
    rows.sort()  # 0/1 tuples: the order of the other engines (by the values' text) at a fraction of the cost
    return [dict(zip(nodes, row)) for row in rows]


#: In the reachability program: a literal known to be true, so left out of rule bodies
#: (``None`` is one known to be false, so its rule is left out).  0 is no clingo literal.
_TRUE = 0
_Lit = Optional[int]


def _body(*literals: _Lit) -> list[int] | None:
    """A rule body from ``literals``: true ones dropped, ``None`` if one is false."""
    out = []
    for literal in literals:
        if literal is None:
            return None
        if literal != _TRUE:
            out.append(literal)
    return out


def _negated(literal: _Lit) -> _Lit:
    """``not literal`` for an atom, or for a literal known true or false."""
    if literal is None:
        return _TRUE
    return None if literal == _TRUE else -literal


def _reach_program(primes: IndexedPrimes, start: Mapping[int, int],
                   targets: Sequence[Mapping[int, int]]) -> Program:
    """Ground program whose answers, projected on atom ``t`` (``target(t)``), are the
    ``targets`` that some configuration of the subspace ``start`` most-permissively reaches.

    The characterisation of the module docstring, ground node by node through clingo's
    backend: ``r[i][b]`` the reached literals, ``ev`` the literals some rule can produce
    from them, ``goal[i][b]`` the chosen target's fixed literals, ``e[i][b]`` a produced
    literal of a goal node that is taken.  Literals known in advance (the start's fixed
    values, a node every target fixes alike) are folded in, so a nearly fixed start
    makes a small program.
    """

    def build(backend: Any, clingo: Any, atom: Callable[[int], int]) -> None:
        add = backend.add_atom

        def rule(head: list[int], body: list[int] | None, choice: bool = False) -> None:
            if body is not None:
                backend.add_rule(head, body, choice)

        r: list[list[int]] = []  # an atom, or _TRUE: never None, a literal can always be reached
        for i in range(len(primes)):  # the start configuration: fixed literals, or one guessed value
            if i in start:
                pair = [add(), add()]
                pair[start[i]] = _TRUE
            else:
                pair = [add(), add()]
                first = add()
                rule([first], [], True)
                rule([pair[0]], [first])
                rule([pair[1]], [-first])
            r.append(pair)
        chosen = [atom(t) for t in range(len(targets))]
        rule(chosen, [], True)
        rule([], [-a for a in chosen])  # at least one target ...
        for a in range(len(chosen)):  # ... and at most one
            for b in range(a + 1, len(chosen)):
                rule([], [chosen[a], chosen[b]])
        backend.add_project(chosen)
        goal = _goal_literals(backend, targets, chosen)
        top = add()  # a true atom, for the BDD circuits
        rule([top], [])
        for i, by_value in enumerate(primes):
            ev = _producible(backend, by_value, r, top)
            _reach_node(backend, rule, r[i], ev, (goal.get((i, 0)), goal.get((i, 1))))

    return build


def _goal_literals(
    backend: Any, targets: Sequence[Mapping[int, int]], chosen: Sequence[int]
) -> dict[tuple[int, int], _Lit]:
    """Per literal ``(i, b)`` some target fixes: ``goal(i, b)``, true if every target fixes it."""
    by_literal: dict[tuple[int, int], list[int]] = {}
    for t, space in enumerate(targets):
        for key in space.items():
            by_literal.setdefault(key, []).append(chosen[t])
    goal: dict[tuple[int, int], _Lit] = {}
    for key, atoms in by_literal.items():
        if len(atoms) == len(targets):
            goal[key] = _TRUE
            continue
        goal[key] = head = backend.add_atom()
        for a in atoms:
            backend.add_rule([head], [a])
    return goal


def _reach_node(backend: Any, rule: Callable[..., None], r: list[int], ev: tuple[_Lit, _Lit],
                at_goal: tuple[_Lit, _Lit]) -> None:
    """The rules of one node in :func:`_reach_program`: its taken goal literals ``e``, its
    reached literals ``r`` and the constraints that the chosen target's literals are reached
    (that a goal node taken away from its goal value comes back needs no rule for a trap
    space: once its fixed literals are all reached, each of its fixed nodes produces its
    value again, see the module docstring)."""
    if at_goal[0] == _TRUE or at_goal[1] == _TRUE:
        in_goal: _Lit = _TRUE
    elif at_goal[0] is None and at_goal[1] is None:
        in_goal = None
    else:
        in_goal = backend.add_atom()
        for g in at_goal:
            if g is not None:
                rule([in_goal], [g])
    e: list[_Lit] = [None, None]
    for b in (0, 1):
        if ev[b] is None:
            continue
        if at_goal[b] is not None:
            e[b] = backend.add_atom()
            rule([e[b]], _body(ev[b], at_goal[b]))
        if at_goal[1 - b] is not None:
            e[b] = e[b] if e[b] is not None else backend.add_atom()
            rule([e[b]], _body(ev[b], at_goal[1 - b]), True)
        if r[b] != _TRUE:
            if e[b] is not None:
                rule([r[b]], [e[b]])
            rule([r[b]], _body(ev[b], _negated(in_goal)))
    for b in (0, 1):
        if at_goal[b] is not None:
            rule([], _body(at_goal[b], _negated(r[b])))


def _producible(backend: Any, by_value: Any, r: Sequence[Sequence[int]], top: int) -> tuple[_Lit, _Lit]:
    """Per value ``b``: a literal true iff the rule can take ``b`` on literals reached in ``r``:
    a prime implicant all of whose literals are reached, or a path of the rule's BDD through
    reached literals (the same: both cover ``f == b``).  ``top``: a true atom."""
    out: list[_Lit] = []
    if isinstance(by_value[0], int):  # a BDD circuit
        root, nodes = by_value
        for b in (0, 1):
            if root < 2:
                out.append(_TRUE if root == b else None)
            else:
                sat = _circuit_atoms(backend, nodes, root, b, lambda j, c: top if r[j][c] == _TRUE else r[j][c])
                out.append(_TRUE if sat == -1 else sat)  # -1: the circuit's own "always"
        return out[0], out[1]
    for b in (0, 1):
        bodies = [_body(*(r[j][c] for j, c in term)) for term in by_value[b]]
        if not bodies:
            out.append(None)
        elif any(body == [] for body in bodies):
            out.append(_TRUE)
        else:
            head = backend.add_atom()
            for body in bodies:
                backend.add_rule([head], body)
            out.append(head)
    return out[0], out[1]


def reachable_trap_spaces(
    network: BooleanNetwork,
    targets: Sequence[Mapping[str, int | str]],
    start: Mapping[str, int],
    *,
    circuit_variables: int | None = None,
) -> list[int]:
    """Indices of the ``targets`` (trap spaces) that contain a configuration most-permissive
    reachable from a configuration of the subspace ``start``.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "A | B", "B": "!A & B"})
    >>> tops = minimal_trap_spaces(net); tops
    [{'A': 0, 'B': 0}, {'A': 1, 'B': 0}]
    >>> reachable_trap_spaces(net, tops, {"A": 1, "B": 0})
    [1]
    >>> reachable_trap_spaces(net, tops, {"A": 0, "B": 1})
    [0, 1]
    """
    if not targets:
        return []
    if len(network) == 0:
        return list(range(len(targets)))
    index = {n: i for i, n in enumerate(network.nodes)}
    fixed = {index[node]: int(b) for node, b in start.items()}
    spaces = [{index[node]: int(v) for node, v in space.items() if v != "*"} for space in targets]
    program = _reach_program(_indexed_primes(network, circuit_variables), fixed, spaces)
    return sorted({t for answer in _enumerate(program, ["--project"]) for t in answer})
