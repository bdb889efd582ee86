"""Attractors as they are found, counted without listing, and grouped by input valuation.

:func:`~signet.dynamics.attractors` answers with every attractor at once, sorted.  A model
with ``k`` free inputs has at least ``2**k`` attractors (an input never changes), and a
large model may take long: these functions give the same attractors *as they are
found* (:func:`iter_attractors`), grouped by the values of the free inputs
(:func:`attractor_groups`), or only their number (:func:`count_attractors`), computed by
the decomposition of :mod:`signet.dynamics.succession` (independent parts multiply,
inputs add, answers of sub-networks are shared), so that memory follows the answer,
not the state space.

Examples
--------
>>> from signet.io.bnet import parse_bnet
>>> net = parse_bnet("RT, RT\\nATM, RT & !WIP1\\nTP53, ATM\\nWIP1, TP53\\nAKT, AKT")
>>> count_attractors(net, "async")
4
>>> for inputs, group in attractor_groups(net, "async"):
...     print(net.format_space(inputs), [a.states for a in group])
RT=0 AKT=0 [1]
RT=0 AKT=1 [1]
RT=1 AKT=0 [6]
RT=1 AKT=1 [6]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Sequence

from ..model import BooleanNetwork

if TYPE_CHECKING:  # pragma: no cover
    from .config import EngineConfig
    from ..types import SpaceValue
    from .results import Attractor
    from .succession import Piece

__all__ = ["iter_attractors", "iter_fixed_points", "count_attractors", "count_fixed_points", "attractor_groups",
           "free_inputs", "multivalued_closed"]


def _solver_question(update: str) -> str:
    from .config import check_engine

    check_engine("auto", update)
    return {"async": "async", "mp": "mp"}.get(update, "sync")


def multivalued_closed(network: BooleanNetwork, update: str) -> BooleanNetwork:
    """The network whose ``update`` attractors number those :func:`~signet.dynamics.attractors`
    lists: for a multi-valued network (level bits, :mod:`signet.levels`) the level-closed
    encoding (:func:`~signet.levels.closed_levels`), else ``network`` itself.

    On admissible states the two agree, admissible states stay admissible, and from an
    inadmissible state an admissible one is reachable, so the asynchronous attractors of
    the closed encoding are the Boolean network's attractors over admissible states, and
    its minimal trap spaces are the multi-valued model's most-permissive attractors (what
    ``attractors(network, "mp")`` lists).  Each input level bit being its own input, the
    Boolean network itself has more (bbm/170: 9 fixed points, 7 of them admissible).

    Examples
    --------
    >>> net = BooleanNetwork({"X_b1": "X_b1", "X_b2": "X_b2", "Y": "X_b2"})
    >>> count_attractors(net, "async")  # levels 0, 1, 2; not (X_b1, X_b2) = (0, 1)
    3
    >>> print(multivalued_closed(net, "async").rules["X_b1"])
    X_b1 | X_b2
    """
    from ..levels import closed_levels, level_groups, network_level_groups

    if update not in ("async", "mp") or not level_groups(network.nodes):  # no names of level bits: cheap
        return network
    groups = network_level_groups(network)
    return closed_levels(network, groups) if groups else network


class _LevelCheck:
    """Which of the groups the node names form (:func:`~signet.levels.level_groups`) are
    multi-valued nodes (rules that keep levels, :func:`~signet.levels.keeps_levels`), decided
    group by group when first asked: the whole check costs seconds on a large model
    (bbm/261: 173 groups; bbm/260: 1.2 s), and a stream usually needs a few groups or none."""

    def __init__(self, network: BooleanNetwork, named: Mapping[str, Sequence[str]]) -> None:
        self.network = network
        self.named = named
        self._real: dict[str, bool] = {}

    def __call__(self, base: str) -> bool:
        real = self._real.get(base)
        if real is None:
            from ..levels import keeps_levels

            known = self.network._cache.get("level_groups")  # noqa: SLF001 - the network's own memo
            real = self._real[base] = base in known if known is not None else keeps_levels(self.network,
                                                                                          self.named[base])
        return real

    def groups(self, space: Mapping[str, SpaceValue]) -> dict[str, Sequence[str]]:
        """The multi-valued nodes whose bits ``space`` does not keep admissible throughout."""
        from ..levels import space_within_admissible

        return {base: bits for base, bits in self.named.items()
                if not space_within_admissible(space, {base: bits}) and self(base)}


def _admissible(pieces: Iterator[Piece], check: _LevelCheck, limit: int) -> Iterator[Piece]:
    """The asynchronous attractors among ``pieces`` that lie over admissible states, decided
    as :func:`~signet.dynamics.attractors` decides (admissible states are a trap set, so one
    member state decides; an attractor over more than ``limit`` states is kept).  The
    Boolean network's order is kept: still grouped by input valuation.

    Only the groups of level bits that a piece's space does not keep admissible are looked
    at, and each is checked to be a multi-valued node once (``check``): usually none is."""
    from ..levels import is_admissible, space_meets_admissible, space_within_admissible

    for piece in pieces:
        space = piece.space
        groups = check.groups(space)
        if not groups:
            yield piece
            continue
        if not space_meets_admissible(space, groups):
            continue
        if piece.size > 1 and not space_within_admissible(space, groups):
            members = piece.members(limit)
            if members and not is_admissible(members[0], groups):
                continue
        yield piece


def free_inputs(network: BooleanNetwork) -> list[str]:
    """The inputs (rule ``X, X``) that stay free once constants are percolated.

    Examples
    --------
    >>> free_inputs(BooleanNetwork({"A": "A", "B": "B", "C": "A & B", "D": "0", "E": "E & D"}))
    ['A', 'B']
    """
    from .subnetworks import root_network

    root = root_network(network)
    mask, bits = root.percolated()
    return [root.nodes[j] for j in root.subnetwork(root.all_mask, mask, bits).sources()]


def iter_attractors(
    network: BooleanNetwork,
    update: str = "mp",
    *,
    config: EngineConfig | None = None,
    on_progress: Callable[[], None] | None = None,
) -> Iterator[Attractor]:
    """The attractors of ``network``, one by one as they are found (same set as
    :func:`~signet.dynamics.attractors`, another order: grouped by input valuation).

    For ``"async"``, a fixed point that the answer-set solver finds at once (within
    ``config.first_fixed_point_seconds``) comes first, before the decomposition starts,
    and its input valuation is the first group: on a large model the first answer does
    not wait for the expensive steps.  Without one, the attractors of a minimal trap space
    of at most ``config.first_trap_space_nodes`` free nodes that the solver finds as fast
    come first in the same way.

    On a multi-valued network (level bits, :mod:`signet.levels`) they are the attractors
    ``attractors()`` lists, over admissible states: for ``"async"`` the Boolean network's,
    streamed, those over inadmissible states left out; for ``"mp"`` the minimal trap spaces of
    the level-closed encoding (:func:`multivalued_closed`), all found before the first is
    yielded (to keep them grouped by input valuation).

    Parameters
    ----------
    network
        The network (perturbations applied).
    update
        ``"async"``, ``"mp"`` (streamed by decomposition) or ``"sync"`` (computed at once
        by the explicit engine, then yielded).
    config
        Thresholds (:class:`~signet.dynamics.config.EngineConfig`; its decomposition fields).
    on_progress
        Called with no argument for every sub-network analysed (progress display).

    Yields
    ------
    Attractor
        With ``space`` over every node of ``network``, in its node order.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "A", "B": "!B & A | C", "C": "C"})
    >>> [(a.kind, net.format_space(a.space)) for a in iter_attractors(net, "async")]  # doctest: +NORMALIZE_WHITESPACE
    [('fixed', 'A=0 B=0 C=0'), ('fixed', 'A=0 B=1 C=1'), ('cyclic', 'A=1 B=* C=0'), ('fixed', 'A=1 B=1 C=1')]
    """
    from .engines import attractors
    from .results import Attractor

    question = _solver_question(update)
    if question == "sync":
        yield from attractors(network, update).attractors
        return
    from .succession import Solver

    from ..levels import level_groups
    from .config import DEFAULT_CONFIG

    nodes = network.nodes
    named = level_groups(nodes)  # by the names only: cheap
    if question == "async" and named:  # the Boolean network's order, inadmissible attractors left out
        check = _LevelCheck(network, named)
        solver = Solver(question, config, on_progress, levels=named, level_check=check)
        limit = (config or DEFAULT_CONFIG).max_member_states
        found = _admissible(solver.pieces(network, early=True), check, limit)
    else:
        # mp: the level-closed encoding's minimal trap spaces (multivalued_closed)
        solver = Solver(question, config, on_progress)
        closed = multivalued_closed(network, update) if named else network
        found = solver.pieces(closed, early=True)
        if closed is not network:  # its input level bits are no inputs: grouped by input valuation afterwards
            inputs = free_inputs(network)
            found = iter(sorted(found, key=lambda piece: [str(piece.space[n]) for n in inputs]))
    for piece in found:
        space = piece.space
        ordered = {n: space[n] for n in nodes}
        yield Attractor("fixed" if piece.size == 1 else "cyclic", ordered, piece.size)


def attractor_groups(
    network: BooleanNetwork,
    update: str = "mp",
    *,
    config: EngineConfig | None = None,
    on_progress: Callable[[], None] | None = None,
) -> Iterator[tuple[dict[str, SpaceValue], list[Attractor]]]:
    """The attractors grouped by the values of the free inputs (:func:`free_inputs`), a group
    at a time as found: ``(input values, attractors)``.

    Every attractor has each free input fixed (an input never changes).  Without free
    inputs there is one group, with empty input values.
    """
    inputs = free_inputs(network)
    group: list[Attractor] = []
    key: dict[str, SpaceValue] = {}  # the input values of ``group`` (set before its first attractor)
    for attractor in iter_attractors(network, update, config=config, on_progress=on_progress):
        values = {n: attractor.space[n] for n in inputs}
        if group and values != key:
            yield key, group
            group = []
        key = values
        group.append(attractor)
    if group:
        yield key, group


def count_attractors(
    network: BooleanNetwork,
    update: str = "mp",
    *,
    config: EngineConfig | None = None,
    on_progress: Callable[[], None] | None = None,
) -> int:
    """The exact number of attractors of ``network``, without listing them.

    For ``"async"`` and ``"mp"`` the count is assembled by decomposition: independent
    parts multiply, the two values of an input add, overlapping trap spaces are counted
    by inclusion-exclusion, so ``2**40`` attractors of 40 independent inputs are counted
    at once.  A part whose signed regulatory graph has no negative cycle has only fixed
    points as asynchronous attractors (Richard 2010): they are counted symbolically, as
    :func:`count_fixed_points` does, without branching on its inputs.  For ``"sync"`` the
    attractors are computed (explicit engine) and counted.

    Examples
    --------
    >>> rules = {f"I{i}": f"I{i}" for i in range(40)}
    >>> rules.update({f"X{i}": f"I{i} & !X{i}" for i in range(40)})
    >>> count_attractors(BooleanNetwork(rules), "async") == 2 ** 40
    True
    """
    from .engines import attractors

    question = _solver_question(update)
    if question == "sync":
        return len(attractors(network, update).attractors)
    from .succession import Solver

    return Solver(question, config, on_progress).count(multivalued_closed(network, update))


def count_fixed_points(
    network: BooleanNetwork,
    *,
    config: EngineConfig | None = None,
    on_progress: Callable[[], None] | None = None,
) -> int:
    """The exact number of fixed points of ``network``, without listing them.

    Constants are percolated, the free nodes split into independent parts (their counts
    multiply), and each part's fixed points are counted symbolically: the set of states
    where every rule equals its node, as a BDD (biodivine-aeon), whose satisfying
    assignments are counted.  Free inputs stay free in the BDD (no ``2**k`` branching); the
    count is a Python int, exact beyond ``2**64``.  It equals ``len(fixed_points(network))``.

    Examples
    --------
    >>> rules = {f"I{i}": f"I{i}" for i in range(70)}
    >>> rules.update({"A": " | ".join(f"I{i}" for i in range(70)), "B": "B | A"})
    >>> count_fixed_points(BooleanNetwork(rules)) == 1 + (2 ** 70 - 1) + 1  # B=0/1 when A=0, B=1 else
    True
    """
    from .succession import Solver

    return Solver("fixed", config, on_progress).count(network)


def iter_fixed_points(
    network: BooleanNetwork,
    *,
    config: EngineConfig | None = None,
    on_progress: Callable[[], None] | None = None,
) -> Iterator[dict[str, int]]:
    """The fixed points of ``network``, one by one as found, grouped by input valuation (the
    same set as :func:`~signet.dynamics.fixed_points`, in another order; independent parts
    and free inputs are decomposed, so the first come before the others are computed).

    Examples
    --------
    >>> net = BooleanNetwork({"I": "I", "A": "I | A", "B": "!A"})
    >>> [net.format_space(s) for s in iter_fixed_points(net)]
    ['I=0 A=0 B=1', 'I=0 A=1 B=0', 'I=1 A=1 B=0']
    """
    from .succession import Solver

    nodes = network.nodes
    for piece in Solver("fixed", config, on_progress).pieces(network):
        space = piece.space
        yield {n: int(space[n]) for n in nodes}
