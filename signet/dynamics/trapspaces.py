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
a free node of the target may take any literal it can produce.  A partial start
state is a choice of ``x`` among its configurations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ..model import BooleanNetwork
from ..primes import prime_implicants
from .config import DEFAULT_CONFIG, EngineConfig

if TYPE_CHECKING:  # pragma: no cover
    import clingo

__all__ = ["network_facts", "minimal_trap_spaces", "fixed_points", "reachable_trap_spaces"]


def network_facts(network: BooleanNetwork) -> str:
    """ASP facts for ``network``: ``node(I)``, ``term(I,B,K)`` and ``lit(I,B,K,J,C)``.

    ``term(I,B,K)``: the ``K``-th prime implicant of ``f_I == B``; ``lit(I,B,K,J,C)``:
    it contains node ``J`` with value ``C``.  Nodes are numbered in network order.
    """
    index = {n: i for i, n in enumerate(network.nodes)}
    names = network.nodes
    parts: list[str] = [f"node(0..{len(names) - 1})." if names else ""]
    append = parts.append
    for i, node in enumerate(names):
        on, off = prime_implicants(network.rules[node], names)
        for b, terms in ((1, on), (0, off)):
            for k, term in enumerate(terms):
                append(f"term({i},{b},{k}).")
                for name, c in term.items():
                    append(f"lit({i},{b},{k},{index[name]},{c}).")
    return "\n".join(parts)


def _solve(program: str, options: Sequence[str], shown: tuple[str, int]) -> list[list[tuple[int, ...]]]:
    """All answer sets of ``program``: per answer, the number arguments of its shown atoms ``shown``."""
    import clingo

    ctl = clingo.Control(["0", *options], logger=lambda code, message: None)
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    # decode by the symbol's handle (one table built once) instead of a clingo call per argument
    table: dict[Any, tuple[int, ...]] = {}
    for atom in ctl.symbolic_atoms.by_signature(*shown):
        sym = atom.symbol
        table[_symbol_key(sym)] = tuple(a.number for a in sym.arguments)
    models: list[list[tuple[int, ...]]] = []
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            models.append([table[k] for k in _model_keys(model, shown=True)])
    return models


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


_REACH = """
#defined term/3. #defined lit/5. #defined sfix/2. #defined tfix/3. #defined tgt/1.
x(I,B) :- sfix(I,B).
1 { x(I,0); x(I,1) } 1 :- node(I), not sfixed(I).
sfixed(I) :- sfix(I,_).
r(I,B) :- x(I,B).
ev(I,B) :- term(I,B,K), r(J,C) : lit(I,B,K,J,C).
1 { target(T) : tgt(T) } 1.
goal(I,B) :- target(T), tfix(T,I,B).
goalnode(I) :- goal(I,_).
e(I,B) :- ev(I,B), goal(I,B).
{ e(I,B) } :- ev(I,B), goal(I,1-B).
r(I,B) :- e(I,B).
r(I,B) :- ev(I,B), not goalnode(I).
:- goal(I,B), not r(I,B).
:- goal(I,B), e(I,1-B), not e(I,B).
#show target/1.
"""


def reachable_trap_spaces(
    network: BooleanNetwork,
    targets: Sequence[Mapping[str, int | str]],
    start: Mapping[str, int],
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
    parts = [network_facts(network)]
    for node, b in start.items():
        parts.append(f"sfix({index[node]},{int(b)}).")
    for t, space in enumerate(targets):
        parts.append(f"tgt({t}).")
        for node, value in space.items():
            if value != "*":
                parts.append(f"tfix({t},{index[node]},{int(value)}).")
    models = _solve("\n".join(parts) + _REACH, ["--project"], ("target", 1))
    found = sorted({pairs[0][0] for pairs in models if pairs})
    return found
