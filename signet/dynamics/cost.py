"""Engine choice by estimated cost.

Every number the succession engine (:mod:`signet.dynamics.succession`) decides with is a
field of :class:`~signet.dynamics.config.EngineConfig`, the one configuration object of the
engines; pass one to override them (tests do), never patch module globals.  The explicit
engine is chosen for a free network when its estimated cost is below that of the
decomposition:

* explicit (bit sets of ``2**n`` states, :func:`signet.dynamics.explicit._async_terminal_bits`):
  about ``n`` reachability sweeps of ``n`` shifts each over integers of ``2**n`` bits, so
  ``explicit_seconds = EXPLICIT_SECONDS_PER_WORD * n**2 * 2**n / 64``;
* decomposition: a few answer-set programs over the rules (maximal trap spaces,
  candidates), ``decomposition_seconds = DECOMPOSITION_SECONDS + DECOMPOSITION_SECONDS_PER_LITERAL * size``
  where ``size`` is the number of literals in the rules.

The constants were measured on this project's benchmark machine (see docs/attractors.md,
"Speed"); the rule picks the explicit engine up to 14-17 free nodes depending on the
size of the rules, and never above ``EngineConfig.explicit_max_nodes`` (memory: ``2**n`` bits
per set).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .config import DEFAULT_CONFIG, EngineConfig

if TYPE_CHECKING:  # pragma: no cover
    from ..expr import Var
    from ..model import BooleanNetwork

__all__ = ["explicit_seconds", "decomposition_seconds", "prefer_explicit", "splits", "free_input_count",
           "large_rules"]

#: seconds per 64-bit word of one whole-set operation of the explicit engine (measured)
EXPLICIT_SECONDS_PER_WORD = 2.0e-9
#: fixed cost of one decomposition step (clingo calls for trap spaces and candidates; measured)
DECOMPOSITION_SECONDS = 2.0e-3
#: cost per literal of the rules in a decomposition step (grounding through clingo's backend)
DECOMPOSITION_SECONDS_PER_LITERAL = 4.0e-6




def explicit_seconds(nodes: int) -> float:
    """Estimated time of the explicit asynchronous engine on ``nodes`` free nodes.

    Examples
    --------
    >>> explicit_seconds(10) < explicit_seconds(20)
    True
    """
    return EXPLICIT_SECONDS_PER_WORD * nodes * nodes * max(1, (1 << nodes) // 64)


def decomposition_seconds(literals: int) -> float:
    """Estimated time of one decomposition step on rules with ``literals`` literals in all."""
    return DECOMPOSITION_SECONDS + DECOMPOSITION_SECONDS_PER_LITERAL * literals


def prefer_explicit(nodes: int, literals: int, config: EngineConfig = DEFAULT_CONFIG) -> bool:
    """Whether the explicit engine is expected to be cheaper than the decomposition.

    Examples
    --------
    >>> prefer_explicit(6, 20), prefer_explicit(40, 200)
    (True, False)
    """
    if nodes <= config.explicit_min_nodes:
        return True
    if nodes > config.explicit_max_nodes:
        return False
    return explicit_seconds(nodes) <= decomposition_seconds(literals)


def splits(network: BooleanNetwork, fixed: Iterable[str] = ()) -> bool:
    """Whether a network has a free input or independent parts once the nodes in ``fixed``
    (percolated values) are left out, so that answering by decomposition (products and sums of
    smaller answers) costs less than one solver call on the whole: the number of answers grows
    as ``2**inputs`` while the parts stay small.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> splits(BooleanNetwork({"A": "!B", "B": "A"})), splits(BooleanNetwork({"A": "A", "B": "A & !B"}))
    (False, True)
    >>> splits(BooleanNetwork({"A": "!A", "B": "!B"}))
    True
    >>> splits(BooleanNetwork({"A": "!B | C", "B": "A", "C": "C"}), {"C": 0})
    False
    """
    from ._adapter import ordered_variables

    skip = set(fixed)
    rules = network.rules
    parent = {n: n for n in network.nodes if n not in skip}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for node in parent:
        used = [v for v in ordered_variables(rules[node]) if v not in skip]
        if used == [node] and rules[node] == _var(node):
            return True  # a free input
        for v in used:
            a, b = find(node), find(v)
            if a != b:
                parent[a] = b
    return len({find(n) for n in parent}) > 1


def free_input_count(network: BooleanNetwork) -> int:
    """The number of inputs (rule ``X, X``) of a percolated network.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> free_input_count(BooleanNetwork({"A": "A", "B": "B", "C": "A & !C"}))
    2
    """
    rules = network.rules
    return sum(1 for node in network.nodes if rules[node] == _var(node))


def _var(name: str) -> Var:
    from ..expr import Var

    return Var(name)


def large_rules(network: BooleanNetwork, config: EngineConfig = DEFAULT_CONFIG) -> bool:
    """Whether the rules of ``network`` have more than ``config.rewrite_max_size``
    expression-tree nodes together (counted until that size is passed).

    Rewriting rules with the percolated constants is a walk over their trees in Python:
    on balm/079, whose rules hold 115,555 literals (every other network over 100 nodes of
    the corpus has at most 2,770), it takes 1.2 s of a 1.5 s minimal-trap-space call, while
    the decomposition reads the same rules as truth tables and BDDs in 0.4 s.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> large_rules(BooleanNetwork({"A": "!B", "B": "A"}))
    False
    >>> wide = " | ".join(f"A & !B & C{k % 4}" for k in range(40))
    >>> rules = {"A": wide, "B": "A", "C0": "A", "C1": "B", "C2": "C0", "C3": "C1"}
    >>> large_rules(BooleanNetwork(rules), EngineConfig(rewrite_max_size=100))
    True
    """
    from ..expr import And, Not, Or

    limit = config.rewrite_max_size
    seen = 0
    for node in network.nodes:
        stack = [network.rules[node]]
        while stack:
            e = stack.pop()
            seen += 1
            if seen > limit:
                return True
            # an iterative walk that stops at the limit (io/sbml.py's constant search also stops
            # early; expr.fold_tree visits everything): the duplicates check names the pair
            if isinstance(e, Not):
                stack.append(e.arg)
            elif isinstance(e, (And, Or)):
                stack.extend(e.args)
    return False
