"""Trap spaces, fixed points and most-permissive reachability with clingo.

Every node ``i`` gets the prime implicants of its rule ``f_i`` and of ``!f_i``
(:mod:`signet.dynamics.primes`).  A subspace, given by atoms ``fix(i,0)`` /
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

from typing import Iterable, Mapping, Sequence

from ..expr import Expr
from ..model import BooleanNetwork
from .primes import prime_implicants

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


_TRAP = """
#defined term/3. #defined lit/5.
{ fix(I,0); fix(I,1) } 1 :- node(I).
sat(I,B,K) :- term(I,B,K), fix(J,C) : lit(I,B,K,J,C).
sat(I,B) :- sat(I,B,K).
:- fix(I,B), not sat(I,B).
#show fix/2.
"""


def _solve(program: str, options: Sequence[str], shown: tuple[str, int] = ("fix", 2)) -> list[list[tuple[int, ...]]]:
    """All answer sets of ``program``: per answer, the number arguments of its shown atoms ``shown``."""
    import clingo

    ctl = clingo.Control(["0", *options], logger=lambda code, message: None)
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    # decode by the symbol's handle (one table built once) instead of a clingo call per argument
    table: dict = {}
    for atom in ctl.symbolic_atoms.by_signature(*shown):
        sym = atom.symbol
        table[_symbol_key(sym)] = tuple(a.number for a in sym.arguments)
    models: list[list[tuple[int, ...]]] = []
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            models.append([table[_symbol_key(s)] for s in model.symbols(shown=True)])
    return models


def _symbol_key(symbol):
    # clingo interns symbols: the 64-bit handle identifies one; fall back to the symbol itself
    return getattr(symbol, "_rep", symbol)


def _spaces(models, network: BooleanNetwork) -> list[dict[str, int | str]]:
    nodes = network.nodes
    blank = dict.fromkeys(nodes, "*")
    out = []
    for pairs in models:
        space: dict[str, int | str] = blank.copy()
        for i, b in pairs:
            space[nodes[i]] = b
        out.append(space)
    out.sort(key=lambda s: [str(v) for v in s.values()])
    return out


def minimal_trap_spaces(network: BooleanNetwork) -> list[dict[str, int | str]]:
    """All minimal trap spaces of ``network``: node -> 0, 1 or ``"*"``.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "!B", "B": "A", "C": "C | A"})
    >>> minimal_trap_spaces(net)
    [{'A': '*', 'B': '*', 'C': 1}]
    """
    if len(network) == 0:
        return [{}]
    program = network_facts(network) + _TRAP
    models = _solve(program, ["--heuristic=Domain", "--enum-mode=domRec", "--dom-mod=3,16"])
    return _spaces(models, network)


def fixed_points(network: BooleanNetwork) -> list[dict[str, int]]:
    """All fixed points of ``network`` (states with ``f(x) = x``).

    Examples
    --------
    >>> fixed_points(BooleanNetwork({"A": "B", "B": "A"}))
    [{'A': 0, 'B': 0}, {'A': 1, 'B': 1}]
    """
    if len(network) == 0:
        return [{}]
    if len(network) <= BITSET_FIXED_POINT_NODES:
        return _fixed_points_bitset(network)
    program = network_facts(network) + _TRAP + ":- node(I), not fix(I,0), not fix(I,1).\n"
    return _spaces(_solve(program, []), network)  # type: ignore[return-value]


#: Fixed points of networks with at most this many nodes are found on the whole state
#: space at once: each rule's truth table over all nodes is an integer bit set, and a
#: state is fixed where every table agrees with its node's own column.
BITSET_FIXED_POINT_NODES = 16


def _fixed_points_bitset(network: BooleanNetwork) -> list[dict[str, int]]:
    from .primes import _patterns, rule_table

    nodes = network.nodes
    n = len(nodes)
    patterns = _patterns(n)
    full = (1 << (1 << n)) - 1
    ok = full
    for j, node in enumerate(nodes):
        ok &= full ^ (rule_table(network.rules[node], nodes) ^ patterns[j])
        if not ok:
            return []
    states = []
    while ok:
        low = ok & -ok
        states.append(low.bit_length() - 1)
        ok ^= low
    out = [{node: (i >> j) & 1 for j, node in enumerate(nodes)} for i in states]
    out.sort(key=lambda s: [str(v) for v in s.values()])
    return out


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
        for node, b in space.items():
            if b != "*":
                parts.append(f"tfix({t},{index[node]},{int(b)}).")
    models = _solve("\n".join(parts) + _REACH, ["--project"], ("target", 1))
    found = sorted({pairs[0][0] for pairs in models if pairs})
    return found
