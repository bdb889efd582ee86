"""Engine choice by estimated cost, and the thresholds of the scale engines in one place.

:class:`ScaleConfig` holds every number the succession engine
(:mod:`signet.dynamics.succession`) decides with; pass one to override them (tests
do), never patch module globals.  The explicit engine is chosen for a free network
when its estimated cost is below that of the decomposition:

* explicit (bit sets of ``2**n`` states, :func:`signet.dynamics.explicit._async_terminal_bits`):
  about ``n`` reachability sweeps of ``n`` shifts each over integers of ``2**n`` bits, so
  ``explicit_seconds = EXPLICIT_SECONDS_PER_WORD * n**2 * 2**n / 64``;
* decomposition: a few answer-set programs over the rules (maximal trap spaces,
  candidates), ``decomposition_seconds = DECOMPOSITION_SECONDS + DECOMPOSITION_SECONDS_PER_LITERAL * size``
  where ``size`` is the number of literals in the rules.

The constants were measured on this project's benchmark machine (see docs/attractors.md,
"Speed"); the rule picks the explicit engine up to 14-17 free nodes depending on the
size of the rules, and never above ``explicit_max_nodes`` (memory: ``2**n`` bits per set).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from ..expr import Var
    from ..model import BooleanNetwork

__all__ = ["ScaleConfig", "DEFAULT", "explicit_seconds", "decomposition_seconds", "prefer_explicit", "splits",
           "large_rules"]

#: seconds per 64-bit word of one whole-set operation of the explicit engine (measured)
EXPLICIT_SECONDS_PER_WORD = 2.0e-9
#: fixed cost of one decomposition step (clingo calls for trap spaces and candidates; measured)
DECOMPOSITION_SECONDS = 2.0e-3
#: cost per literal of the rules in a decomposition step (grounding through clingo's backend)
DECOMPOSITION_SECONDS_PER_LITERAL = 4.0e-6


@dataclass(frozen=True)
class ScaleConfig:
    """Thresholds of the succession engine (documented in docs/attractors.md).

    Attributes
    ----------
    explicit_max_nodes
        Never analyse more free nodes than this explicitly (memory of ``2**n``-bit sets).
    explicit_min_nodes
        Always analyse at most this many free nodes explicitly (cheaper than any solver call).
    candidate_limit
        Most attractor candidates enumerated in one trap space before the symbolic
        fallback (biodivine-aeon on the whole subspace) is used instead.
    walk_steps_per_node
        Length of the random walks that prune candidates, per free node.
    memo_pieces
        Most attractors kept in the cache of sub-network answers (beyond it, sub-networks
        are solved again when met again: memory stays bounded by the answer).
    first_fixed_point_seconds
        Time given to the answer-set solver, when attractors are streamed, to find one fixed
        point of the whole network before the decomposition starts: it is listed first (a
        fixed point is an attractor), so the first answer of a large model comes at once.
        ``0`` turns this off.
    first_fixed_point_size
        Largest network (rule sizes summed: regulators, or BDD nodes of a rule over many
        regulators) for which that fixed point is looked for: the program is written in
        Python before the solver's time starts (about 40 microseconds per BDD node; bbm/248,
        11,187, would spend 1.2 s where its first attractor otherwise takes 0.4 s).
    rewrite_max_size
        Largest rules (expression-tree nodes, summed over the network) that
        :func:`~signet.dynamics.fixed_points` and :func:`~signet.dynamics.minimal_trap_spaces`
        rewrite with the percolated constants; larger ones are read as truth tables and
        BDDs by the decomposition instead (:func:`large_rules`).
    """

    explicit_max_nodes: int = 20
    explicit_min_nodes: int = 8
    candidate_limit: int = 5_000
    walk_steps_per_node: int = 20
    memo_pieces: int = 1_000_000
    first_fixed_point_seconds: float = 0.5
    first_fixed_point_size: int = 10_000
    rewrite_max_size: int = 20_000


DEFAULT = ScaleConfig()


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


def prefer_explicit(nodes: int, literals: int, config: ScaleConfig = DEFAULT) -> bool:
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


def _var(name: str) -> Var:
    from ..expr import Var

    return Var(name)


def large_rules(network: BooleanNetwork, config: ScaleConfig = DEFAULT) -> bool:
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
    >>> large_rules(BooleanNetwork(rules), ScaleConfig(rewrite_max_size=100))
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
