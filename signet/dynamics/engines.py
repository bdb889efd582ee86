"""Exact attractors, fixed points and minimal trap spaces: one public function per
question, one private function per engine behind it.

:func:`attractors` percolates constants first (:mod:`signet.percolation`), picks an
engine by the cost rule of :mod:`signet.dynamics.config` (or the one asked for), and
maps the answer back to every node:

* ``_attractors_asp``: minimal trap spaces with clingo (:mod:`~signet.dynamics.trapspaces`);
  with start states ``_attractors_mp_reachable``, the decomposition of
  :class:`~signet.dynamics.compiled.CompiledNetwork`; synchronous attractors with clingo
  (``_attractors_sync_asp``, :mod:`~signet.dynamics.sync_sat`);
* ``_attractors_explicit``: all ``2**n`` states with numpy/scipy (:mod:`~signet.dynamics.explicit`);
* ``_attractors_succession``: decomposition by independent parts, inputs and trap spaces
  (:mod:`~signet.dynamics.succession`; all asynchronous attractors, no start states);
* ``_attractors_aeon``: biodivine-aeon's symbolic search (:mod:`~signet.dynamics.symbolic`);
* ``_attractors_percolation``: nothing left free, the one state percolation fixes.

Examples
--------
>>> from signet.io.bnet import parse_bnet
>>> net = parse_bnet("A, !B\\nB, A\\nC, C")
>>> [(a.kind, a.states) for a in attractors(net, "async").attractors]
[('cyclic', 4), ('cyclic', 4)]
"""

from __future__ import annotations

from dataclasses import replace
from functools import wraps
from typing import Any, Callable, Mapping, Sequence, TypeVar

from ..errors import ModelError, StateSpaceTooLarge
from ..levels import admissible_starts, network_level_groups
from ..model import BooleanNetwork
from ..percolation import Reduced, percolated_values, reduce_network
from ..primes import ordered_variables
from ..types import Assignment, Space, State
from .config import DEFAULT_CONFIG, EngineConfig, check_engine, choose_engine
from .results import Attractor, AttractorResult, Members, subspace_members

__all__ = ["attractors", "fixed_points", "minimal_trap_spaces"]

Starts = Sequence[Assignment]
F = TypeVar("F", bound=Callable[..., Any])


def heap_frozen(func: F) -> F:
    """Run ``func`` with the objects that exist when it starts moved out of the cyclic
    garbage collector's reach (:func:`gc.freeze`), and put back when it returns.

    The engines allocate many small objects (answers, pieces, tables); each full
    collection they trigger walks every object of the process: in a process that has
    imported the peer tools and read a model, 40% of the CPU of listing bbm/166's 4,096
    minimal trap spaces.  Garbage made during the call is collected as usual; nothing is
    done when collection is off or the caller has frozen objects itself.

    Examples
    --------
    >>> import gc
    >>> @heap_frozen
    ... def frozen_count():
    ...     return gc.get_freeze_count() > 0
    >>> frozen_count(), gc.get_freeze_count()
    (True, 0)
    """

    @wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        import gc

        if not gc.isenabled() or gc.get_freeze_count():
            return func(*args, **kwargs)
        gc.freeze()
        try:
            return func(*args, **kwargs)
        finally:
            gc.unfreeze()

    return run  # type: ignore[return-value]


def _config(config: EngineConfig | None, max_states: int | None) -> EngineConfig:
    config = config or DEFAULT_CONFIG
    if max_states is not None and max_states != config.max_states:
        from dataclasses import replace

        config = replace(config, max_states=max_states)
    return config


def normalise_starts(network: BooleanNetwork, start: Assignment | Starts | None) -> list[dict[str, int]] | None:
    """``start`` as a list of resolved partial states (``None`` stays ``None``)."""
    if start is None:
        return None
    if isinstance(start, Mapping):
        start = [start]
    starts = [network.resolve_assignment(s) for s in start]
    if not starts:
        raise ModelError("an empty list of start states reaches nothing")
    return starts


#: what most-permissive attractors of a multi-valued network (:mod:`signet.levels`) are, and are not
LEVELS_MP_NOTE = ("most-permissive trap spaces of the level-bit encoding: each holds admissible states and every "
                  "steady state of the multi-valued model is one of them, but a cyclic attractor of the multi-valued "
                  "model may lie in no listed space (its trap set need not be a trap space of the encoding)")


@heap_frozen
def attractors(
    network: BooleanNetwork,
    update: str = "mp",
    *,
    start: Assignment | Starts | None = None,
    engine: str = "auto",
    max_states: int | None = None,
    config: EngineConfig | None = None,
) -> AttractorResult:
    """The attractors of ``network`` under ``update`` (all, or those reachable from ``start``).

    Parameters
    ----------
    network
        The network (apply perturbations first: :meth:`~signet.model.BooleanNetwork.perturb`).
    update
        ``"sync"``, ``"async"`` or ``"mp"``.
    start
        ``None`` for all attractors; a partial state ``{node: 0|1}`` meaning the
        subspace of all states that agree with it; or a list of them.  Nodes with a
        constant rule (fixed inputs, knockouts) take their fixed value at the start
        whatever the start says: a perturbation acts from time 0.
    engine
        ``"auto"`` (the cost rule of :mod:`signet.dynamics.config`), ``"explicit"``
        (sync, async), ``"aeon"`` (async), ``"asp"`` (mp, sync).
    max_states
        Limit of the explicit engine (default ``config.max_states``, 2**22 states).
    config
        Thresholds of the cost rule (:class:`~signet.dynamics.config.EngineConfig`).

    Raises
    ------
    StateSpaceTooLarge
        ``engine="explicit"`` on a free part with more states than ``max_states``; more
        synchronous attractors than ``config.sync_max_attractors`` on a larger one.

    Examples
    --------
    >>> net = BooleanNetwork({"RT": "RT", "ATM": "RT & !WIP1", "TP53": "ATM & !MDM2",
    ...                       "MDM2": "TP53", "WIP1": "TP53"})
    >>> [a.states for a in attractors(net, "sync").attractors]
    [1, 5]
    >>> [net.format_space(a.space) for a in attractors(net, "mp", start={"RT": 0}).attractors]
    ['RT=0 ATM=0 TP53=0 MDM2=0 WIP1=0']
    """
    config = _config(config, max_states)
    check_engine(engine, update)
    starts = normalise_starts(network, start)
    groups = network_level_groups(network)
    if not groups:
        return _attractors(network, update, starts, engine, config)
    # a multi-valued network (signet.levels): start from admissible states only, keep the
    # attractors over admissible states
    split = True
    if starts is not None:  # a node with a constant rule starts at its value (it acts from time 0)
        constants = network.constants
        starts, split = admissible_starts([{**s, **constants} for s in starts], groups)
        if not starts:
            return AttractorResult(update, (), True, "none", "no start state is admissible")
    if update == "mp":  # inadmissible states must not hold trap spaces of their own (signet.levels)
        from ..levels import closed_levels

        network = closed_levels(network, groups)
    result = _admissible_only(_attractors(network, update, starts, engine, config), groups, update)
    if not split:
        note = ("the start leaves too many multi-valued nodes free to split it into admissible states: attractors "
                "reachable only from inadmissible states may be listed")
        result = replace(result, exact=False, note=f"{result.note}; {note}" if result.note else note)
    if update == "mp":
        note = LEVELS_MP_NOTE
        result = replace(result, exact=False, note=f"{result.note}; {note}" if result.note else note)
    return result


def _admissible_only(result: AttractorResult, groups: Mapping[str, Sequence[str]], update: str) -> AttractorResult:
    """The attractors of a multi-valued network that stand for levels (:mod:`signet.levels`).

    Its admissible states are a trap set, so an attractor of sync or async update lies
    in it entirely or not at all (one member state decides); an mp trap space is kept
    when it holds an admissible state.
    """
    from ..levels import is_admissible, space_meets_admissible, space_within_admissible

    keep = []
    for i, attractor in enumerate(result.attractors):
        if not space_meets_admissible(attractor.space, groups):
            continue
        # a space of admissible states only needs no member state (bbm/153: 0.2 s of members)
        if update != "mp" and attractor.kind == "cyclic" and not space_within_admissible(attractor.space, groups):
            members = result.member_states(i)
            if members and not is_admissible(members[0], groups):
                continue
        keep.append(i)
    if len(keep) == len(result.attractors):
        return result
    kept = tuple(result._members[i] for i in keep) if result._members else ()  # noqa: SLF001
    return replace(result, attractors=tuple(result.attractors[i] for i in keep), _members=kept)


def _attractors(network: BooleanNetwork, update: str, starts: Starts | None, engine: str,
                config: EngineConfig) -> AttractorResult:
    if update == "mp" and starts is not None:
        return _attractors_mp_reachable(network, starts, config)
    reduced = reduce_network(network, starts)
    free = reduced.network
    if engine == "auto":
        literals = sum(len(ordered_variables(free.rules[n])) for n in free.nodes) if update == "async" else 0
        use = choose_engine(update, len(free), config, literals=literals, starts=starts is not None)
    else:
        use = engine
    if update != "mp" and len(free) == 0:
        use = "percolation"
    if use == "asp" and update == "sync" and engine == "auto":
        try:
            return _attractors_sync_asp(reduced, update, network.nodes, config)
        except StateSpaceTooLarge:  # too many attractors to find one by one: all states, if they fit
            if (1 << len(reduced.network)) > config.max_states:
                raise
            use = "explicit"
    if use == "succession" and starts is not None:
        raise ModelError("the succession engine computes all asynchronous attractors (no start states)")
    return _ENGINES[use](reduced, update, network.nodes, config)


def _full(space: Mapping[str, Any], fixed: Mapping[str, int], nodes: Sequence[str]) -> dict[str, int | str]:
    return {n: (fixed[n] if n in fixed else space[n]) for n in nodes}


def _kind(states: int) -> str:
    return "fixed" if states == 1 else "cyclic"


def _attractors_percolation(reduced: Reduced, update: str, nodes: Sequence[str],
                            config: EngineConfig) -> AttractorResult:
    state = dict(reduced.fixed)
    attractor = Attractor("fixed", _full({}, reduced.fixed, nodes), 1)
    return AttractorResult.from_found(update, "percolation", [(attractor, lambda: [dict(state)])])


def _attractors_asp(reduced: Reduced, update: str, nodes: Sequence[str], config: EngineConfig) -> AttractorResult:
    if update == "sync":
        return _attractors_sync_asp(reduced, update, nodes, config)
    found = []
    for space in _mts(reduced.network, config):
        stars = sum(1 for v in space.values() if v == "*")
        full = _full(space, reduced.fixed, nodes)
        found.append((Attractor(_kind(1 << stars), full, 1 << stars), subspace_members(full, config.max_member_states)))
    return AttractorResult.from_found("mp", "asp", found)


def _attractors_sync_asp(reduced: Reduced, update: str, nodes: Sequence[str], config: EngineConfig) -> AttractorResult:
    from .sync_sat import attractor_items

    found, exact, note = attractor_items(reduced.network, reduced.starts, reduced.fixed, nodes, config)
    result = AttractorResult.from_found(update, "asp", found)
    return result if exact else replace(result, exact=False, note=note)


def _attractors_mp_reachable(
    network: BooleanNetwork, starts: Starts, config: EngineConfig, pins: Assignment | None = None
) -> AttractorResult:
    """The minimal trap spaces of ``network`` with ``pins`` fixed reachable from ``starts``: the
    same as ``attractors(network.fix(pins), "mp", start=starts)``, on the compiled network of
    ``network`` (cached per network, so that many ``pins`` cost one compilation)."""
    from .compiled import compiled

    found = []
    for full in compiled(network, config).mp_response(pins or {}, starts):
        stars = sum(1 for v in full.values() if v == "*")
        found.append((Attractor(_kind(1 << stars), full, 1 << stars), subspace_members(full, config.max_member_states)))
    return AttractorResult.from_found("mp", "asp", found)


def _attractors_explicit(reduced: Reduced, update: str, nodes: Sequence[str], config: EngineConfig) -> AttractorResult:
    from . import explicit

    free = reduced.network
    found = []
    for states in explicit.attractor_sets(free, update, reduced.starts, config=config):
        full = _full(explicit.space_of_states(free.nodes, states), reduced.fixed, nodes)
        found.append((Attractor(_kind(len(states)), full, int(len(states))),
                      _array_members(states, free.nodes, reduced.fixed, nodes)))
    return AttractorResult.from_found(update, "explicit", found)


def _attractors_aeon(reduced: Reduced, update: str, nodes: Sequence[str], config: EngineConfig) -> AttractorResult:
    from .symbolic import async_attractors

    found = []
    for att in async_attractors(reduced.network, reduced.starts, config=config):
        full = _full(att.space, reduced.fixed, nodes)
        found.append((Attractor(_kind(att.size), full, att.size), _symbolic_members(att, reduced.fixed, nodes, config)))
    return AttractorResult.from_found(update, "aeon", found)


def _attractors_succession(reduced: Reduced, update: str, nodes: Sequence[str],
                           config: EngineConfig) -> AttractorResult:
    from .succession import Solver

    found = []
    for piece in Solver("async", config).pieces(reduced.network):
        full = _full(piece.space, reduced.fixed, nodes)
        members = _piece_members(piece, reduced.fixed, nodes, config)
        found.append((Attractor(_kind(piece.size), full, piece.size), members))
    return AttractorResult.from_found(update, "succession", found)


_ENGINES: dict[str, Callable[[Reduced, str, Sequence[str], EngineConfig], AttractorResult]] = {
    "percolation": _attractors_percolation,
    "asp": _attractors_asp,
    "explicit": _attractors_explicit,
    "aeon": _attractors_aeon,
    "succession": _attractors_succession,
}


def _array_members(states: Any, free_nodes: Sequence[str], fixed: Mapping[str, int], nodes: Sequence[str]) -> Members:
    def members() -> list[State] | None:
        out = []
        for s in states.tolist():
            values = {n: (s >> j) & 1 for j, n in enumerate(free_nodes)}
            out.append({n: (fixed[n] if n in fixed else values[n]) for n in nodes})
        return out

    return members


def _symbolic_members(att: Any, fixed: Mapping[str, int], nodes: Sequence[str], config: EngineConfig) -> Members:
    def members() -> list[State] | None:
        got = att.states(config.max_member_states)
        if got is None:
            return None
        return [{n: (fixed[n] if n in fixed else s[n]) for n in nodes} for s in got]

    return members


def _piece_members(piece: Any, fixed: Mapping[str, int], nodes: Sequence[str], config: EngineConfig) -> Members:
    def members() -> list[State] | None:
        got = piece.members(config.max_member_states)
        if got is None:
            return None
        return [{n: (fixed[n] if n in fixed else s[n]) for n in nodes} for s in got]

    return members


def _mts(free: BooleanNetwork, config: EngineConfig) -> list[Space]:
    """Minimal trap spaces of a percolated network: by decomposition when it splits and more
    than ``config.mp_split_inputs`` inputs are free (see :class:`EngineConfig`), else by one
    answer-set program."""
    from .cost import free_input_count, splits

    if free_input_count(free) > config.mp_split_inputs and splits(free):  # products of small answers
        from .succession import decomposed

        return list(decomposed(free, "mp", config))
    from .trapspaces import minimal_trap_spaces as mts

    return list(mts(free))


@heap_frozen
def fixed_points(network: BooleanNetwork, *, config: EngineConfig | None = None) -> list[State]:
    """All fixed points (steady states) of ``network``; the same under every update scheme.

    Examples
    --------
    >>> fixed_points(BooleanNetwork({"A": "B", "B": "A", "C": "1"}))
    [{'A': 0, 'B': 0, 'C': 1}, {'A': 1, 'B': 1, 'C': 1}]
    """
    from .cost import large_rules, splits
    from .trapspaces import _fixed_points_asp, _fixed_points_fvs, feedback_vertex_set

    if len(network) == 0:
        return [{}]
    config = config or DEFAULT_CONFIG
    if large_rules(network, config):  # not rewritten: truth tables and BDDs of the rules, by decomposition
        from .succession import decomposed

        return decomposed(network, "fixed", config)  # type: ignore[return-value]
    known = percolated_values(network)
    # a small feedback vertex set: every value of it, bit-parallel (no solver to start, the
    # cheapest on small networks); else products of small answers if the network splits
    split = feedback_vertex_set(network, config.fvs_fixed_point_nodes, known)
    if split is not None:
        return _fixed_points_fvs(network, *split, known)
    if splits(network, known):  # inputs or independent parts: products of small answers
        from .succession import decomposed

        return decomposed(network, "fixed", config)  # type: ignore[return-value]
    return _fixed_points_asp(network.fix(known) if known else network)


@heap_frozen
def minimal_trap_spaces(network: BooleanNetwork, *, config: EngineConfig | None = None) -> list[Space]:
    """All minimal trap spaces of ``network`` (node -> 0, 1 or ``"*"``): its mp attractors.

    Examples
    --------
    >>> minimal_trap_spaces(BooleanNetwork({"A": "!B", "B": "A", "C": "C"}))
    [{'A': '*', 'B': '*', 'C': 0}, {'A': '*', 'B': '*', 'C': 1}]
    """
    from .cost import large_rules

    config = config or DEFAULT_CONFIG
    if large_rules(network, config):  # not rewritten: truth tables and BDDs of the rules, by decomposition
        from .succession import decomposed

        return decomposed(network, "mp", config)  # type: ignore[return-value]  # dicts are Mappings
    reduced = reduce_network(network)
    return [_full(s, reduced.fixed, network.nodes) for s in _mts(reduced.network, config)]
