"""Dynamics: update schemes, exact attractors, reachability and fate probabilities.

Three update schemes act on the same :class:`~signet.model.BooleanNetwork`:

``"sync"``
    all nodes update at once; attractors are the cycles of the successor function.
``"async"``
    fully asynchronous: one node changes at a time (non-deterministic); attractors
    are the terminal strongly connected components of the state transition graph.
``"mp"``
    most permissive (Paulevé et al. 2020): attractors are exactly the minimal trap
    spaces, reachability is decided by an answer-set program.

Constants are percolated first (:mod:`signet.dynamics._reduce`); the free part is
analysed by the engine that answers exactly and fast:

* ``explicit``: all ``2**n`` states with numpy/scipy (sync and async, small free part);
* ``aeon``: biodivine-aeon's symbolic (BDD) attractor search (async, large free part);
* ``asp``: clingo on prime implicants (mp: minimal trap spaces, reachability; fixed points).

Results map back to all nodes.  Every engine here is exact; a result that is not
says so (``exact=False`` and a ``note``).

Examples
--------
>>> from signet.io.bnet import parse_bnet
>>> net = parse_bnet('''
... RT, RT
... ATM, RT & !WIP1
... TP53, ATM & !MDM2
... MDM2, TP53
... WIP1, TP53
... ''')
>>> result = attractors(net, "async")
>>> [(a.kind, a.states, net.format_space(a.space)) for a in result.attractors]
[('fixed', 1, 'RT=0 ATM=0 TP53=0 MDM2=0 WIP1=0'), ('cyclic', 14, 'RT=1 ATM=* TP53=* MDM2=* WIP1=*')]
>>> [a.states for a in attractors(net, "sync").attractors]
[1, 5]
>>> [net.format_space(a.space) for a in attractors(net, "mp", start={"RT": 0}).attractors]
['RT=0 ATM=0 TP53=0 MDM2=0 WIP1=0']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..errors import ModelError
from ..model import BooleanNetwork

__all__ = [
    "UPDATES",
    "ENGINES",
    "Attractor",
    "AttractorResult",
    "attractors",
    "fixed_points",
    "minimal_trap_spaces",
    "response",
    "baseline_starts",
]

#: The update schemes.
UPDATES = ("sync", "async", "mp")
#: Engine names accepted by :func:`attractors` (``"auto"`` picks per question).
ENGINES = ("auto", "explicit", "aeon", "asp")

#: ``engine="auto"`` analyses asynchronous dynamics explicitly up to this many free
#: nodes and with biodivine-aeon above.
AUTO_EXPLICIT_ASYNC_NODES = 16
#: The most states of one attractor kept in memory to start from (used by :func:`response`).
MAX_MEMBER_STATES = 1 << 16

Space = Mapping[str, Any]


@dataclass(frozen=True)
class Attractor:
    """One attractor.

    Attributes
    ----------
    kind
        ``"fixed"`` (one state) or ``"cyclic"``.
    space
        Every node of the analysed network -> ``0``, ``1`` or ``"*"``: the smallest
        subspace containing the attractor (for mp: the minimal trap space).
    states
        Number of states in the attractor (for mp: ``2**`` the number of ``"*"``).
    """

    kind: str
    space: Mapping[str, int | str]
    states: int

    def to_json(self, phenotypes: Mapping[str, str] | None = None) -> dict:
        """``{"kind", "space", "states", "phenotypes"}`` with the phenotypes that are 1."""
        from ..phenotypes import phenotype_values

        values = phenotype_values(self.space, phenotypes or {})
        return {
            "kind": self.kind,
            "space": dict(self.space),
            "states": self.states,
            "phenotypes": [p for p, v in values.items() if v == 1],
            "phenotypes_oscillating": [p for p, v in values.items() if v == "*"],
        }


@dataclass(frozen=True)
class AttractorResult:
    """The attractors of one question, and how they were found.

    Attributes
    ----------
    update
        ``"sync"``, ``"async"`` or ``"mp"``.
    attractors
        The attractors, sorted by their spaces.
    exact
        ``False`` only if an engine could only approximate; ``note`` then says how.
    engine
        The engine(s) that answered, e.g. ``"explicit"``, ``"aeon"``, ``"asp"``.
    note
        What the user should know about the result.
    """

    update: str
    attractors: tuple[Attractor, ...]
    exact: bool
    engine: str
    note: str = ""
    _members: tuple = field(default=(), repr=False, compare=False)

    def phenotype_values(self, phenotypes: Mapping[str, str]) -> list[dict[str, int | str]]:
        """Per attractor: ``{phenotype: 1 | 0 | "*"}`` (``"*"``: differs within the attractor)."""
        from ..phenotypes import parse_phenotypes, phenotype_value

        parsed = parse_phenotypes(phenotypes)
        return [{p: phenotype_value(e, a.space) for p, e in parsed.items()} for a in self.attractors]

    def shares(self, phenotypes: Mapping[str, str]) -> dict[str, float]:
        """Fraction of the attractors where each phenotype is 1 (in the whole attractor)."""
        values = self.phenotype_values(phenotypes)
        total = len(values)
        return {p: (sum(1 for v in values if v[p] == 1) / total if total else 0.0) for p in phenotypes}

    def to_json(self, phenotypes: Mapping[str, str] | None = None) -> dict:
        """The documented JSON (docs/attractors.md)."""
        phenotypes = dict(phenotypes or {})
        return {
            "update": self.update,
            "exact": self.exact,
            "engine": self.engine,
            "note": self.note,
            "attractors": [a.to_json(phenotypes) for a in self.attractors],
            "phenotypes": self.shares(phenotypes),
        }

    def member_states(self, index: int) -> list[dict[str, int]] | None:
        """The states of attractor ``index`` as full-state dicts, or ``None`` if not kept."""
        if index < len(self._members) and self._members[index] is not None:
            return self._members[index]()
        return None


# ----------------------------------------------------------------------------------
def _check_update(update: str) -> str:
    if update not in UPDATES:
        raise ModelError(f"unknown update scheme {update!r}: choose one of {', '.join(UPDATES)}")
    return update


def _normalise_starts(network: BooleanNetwork, start) -> list[dict[str, int]] | None:
    if start is None:
        return None
    if isinstance(start, Mapping):
        start = [start]
    starts = [network.resolve_assignment(s) for s in start]
    if not starts:
        raise ModelError("an empty list of start states reaches nothing")
    return starts


def _full(space: Mapping[str, Any], fixed: Mapping[str, int], nodes: Sequence[str]) -> dict[str, int | str]:
    return {n: (fixed[n] if n in fixed else space[n]) for n in nodes}


def _sort(items: list) -> list:
    return sorted(items, key=lambda item: [str(v) for v in item[0].space.values()])


def attractors(
    network: BooleanNetwork,
    update: str = "mp",
    *,
    start: Mapping[str, int] | Sequence[Mapping[str, int]] | None = None,
    engine: str = "auto",
    max_states: int | None = None,
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
        ``"auto"``, ``"explicit"`` (sync, async), ``"aeon"`` (async), ``"asp"`` (mp).
    max_states
        Limit of the explicit engine (default 2**22 states).

    Raises
    ------
    StateSpaceTooLarge
        Synchronous analysis of a free part with more states than ``max_states``.
    """
    from . import explicit
    from ._reduce import reduce_network

    _check_update(update)
    if engine not in ENGINES:
        raise ModelError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    starts = _normalise_starts(network, start)
    reduced = reduce_network(network, starts)
    free = reduced.network
    nodes = network.nodes
    limit = max_states or explicit.DEFAULT_MAX_STATES

    if update == "mp":
        if engine not in ("auto", "asp"):
            raise ModelError(f"engine {engine!r} does not compute most-permissive attractors (use asp)")
        from .trapspaces import minimal_trap_spaces as mts, reachable_trap_spaces

        spaces = mts(free)
        if reduced.starts is not None:
            keep: set[int] = set()
            for s in reduced.starts:
                if len(keep) == len(spaces):
                    break
                keep.update(reachable_trap_spaces(free, spaces, s))
            spaces = [sp for i, sp in enumerate(spaces) if i in keep]
        items = []
        for sp in spaces:
            stars = sum(1 for v in sp.values() if v == "*")
            full = _full(sp, reduced.fixed, nodes)
            items.append((Attractor("fixed" if stars == 0 else "cyclic", full, 1 << stars), _subspace_members(full)))
        items = _sort(items)
        return AttractorResult("mp", tuple(a for a, _ in items), True, "asp", "", tuple(m for _, m in items))

    use = engine
    if use == "auto":
        if update == "async" and len(free) > AUTO_EXPLICIT_ASYNC_NODES:
            use = "aeon"
        else:
            use = "explicit"
    if use == "asp":
        raise ModelError("the asp engine answers most-permissive questions (use --update mp)")
    if use == "aeon" and update != "async":
        raise ModelError("the aeon engine computes asynchronous attractors only")
    if len(free) == 0:
        full = dict(reduced.fixed)
        attractor = Attractor("fixed", _full({}, reduced.fixed, nodes), 1)
        return AttractorResult(update, (attractor,), True, "percolation", "", (lambda f=full: [dict(f)],))
    items = []
    if use == "explicit":
        sets = explicit.attractor_sets(free, update, reduced.starts, max_states=limit)
        for states in sets:
            sp = explicit.space_of_states(free.nodes, states)
            full = _full(sp, reduced.fixed, nodes)
            kind = "fixed" if len(states) == 1 else "cyclic"
            items.append((Attractor(kind, full, int(len(states))), _array_members(states, free.nodes, reduced.fixed, nodes)))
        name = "explicit"
    else:
        from .symbolic import async_attractors

        for att in async_attractors(free, reduced.starts):
            full = _full(att.space, reduced.fixed, nodes)
            kind = "fixed" if att.size == 1 else "cyclic"
            items.append((Attractor(kind, full, att.size), _symbolic_members(att, reduced.fixed, nodes)))
        name = "aeon"
    items = _sort(items)
    return AttractorResult(update, tuple(a for a, _ in items), True, name, "", tuple(m for _, m in items))


def _subspace_members(space: Mapping[str, Any]):
    def members() -> list[dict[str, int]] | None:
        stars = [n for n, v in space.items() if v == "*"]
        if (1 << len(stars)) > MAX_MEMBER_STATES:
            return None
        out = []
        for k in range(1 << len(stars)):
            state = {n: (v if v != "*" else 0) for n, v in space.items()}
            for j, n in enumerate(stars):
                state[n] = (k >> j) & 1
            out.append(state)
        return out

    return members


def _array_members(states, free_nodes, fixed, nodes):
    def members() -> list[dict[str, int]] | None:
        out = []
        for s in states.tolist():
            values = {n: (s >> j) & 1 for j, n in enumerate(free_nodes)}
            out.append({n: (fixed[n] if n in fixed else values[n]) for n in nodes})
        return out

    return members


def _symbolic_members(att, fixed, nodes):
    def members() -> list[dict[str, int]] | None:
        got = att.states(MAX_MEMBER_STATES)
        if got is None:
            return None
        return [{n: (fixed[n] if n in fixed else s[n]) for n in nodes} for s in got]

    return members


def fixed_points(network: BooleanNetwork) -> list[dict[str, int]]:
    """All fixed points (steady states) of ``network``; the same under every update scheme.

    Examples
    --------
    >>> fixed_points(BooleanNetwork({"A": "B", "B": "A", "C": "1"}))
    [{'A': 0, 'B': 0, 'C': 1}, {'A': 1, 'B': 1, 'C': 1}]
    """
    from ._reduce import percolated_values
    from .trapspaces import fixed_points as fps

    return fps(network, percolated_values(network))


def minimal_trap_spaces(network: BooleanNetwork) -> list[dict[str, int | str]]:
    """All minimal trap spaces of ``network`` (node -> 0, 1 or ``"*"``): its mp attractors.

    Examples
    --------
    >>> minimal_trap_spaces(BooleanNetwork({"A": "!B", "B": "A", "C": "C"}))
    [{'A': '*', 'B': '*', 'C': 0}, {'A': '*', 'B': '*', 'C': 1}]
    """
    from ._reduce import reduce_network
    from .trapspaces import minimal_trap_spaces as mts

    reduced = reduce_network(network)
    return [_full(s, reduced.fixed, network.nodes) for s in mts(reduced.network)]


# ----------------------------------------------------------------------------------
_BASELINE_CACHE: dict = {}


def baseline_starts(network: BooleanNetwork, update: str, *, context: str | None = None) -> list[dict[str, int]]:
    """The states of the untreated cell: every state of every attractor of ``network`` with the
    ``context`` fixes and the baseline inputs (``annotations.baseline``) fixed.

    For ``mp`` an attractor is its whole minimal trap space, returned as one partial state.
    Cached per network object, context and update.

    Raises
    ------
    ModelError
        If a baseline attractor is too large to list its states (more than ``MAX_MEMBER_STATES``).

    Examples
    --------
    >>> net = BooleanNetwork({"RT": "RT", "A": "A | RT"})
    >>> baseline_starts(net, "async")
    [{'RT': 0, 'A': 0}, {'RT': 0, 'A': 1}, {'RT': 1, 'A': 1}]
    """
    _check_update(update)
    baseline_values = dict(network.annotations.baseline)
    context_fix = dict(network.context(context).fix) if context is not None else {}
    key = (id(network), context, update)
    cached = _BASELINE_CACHE.get(key)
    if cached is not None and cached[0] is network:
        return cached[1]
    values = {**context_fix, **baseline_values}
    base_net = network.fix(values) if values else network
    base = attractors(base_net, update)
    starts: list[dict[str, int]] = []
    for i, att in enumerate(base.attractors):
        if update == "mp":
            starts.append({n: v for n, v in att.space.items() if v != "*"})  # type: ignore[misc]
            continue
        members = base.member_states(i)
        if members is None:
            raise ModelError(
                f"a baseline attractor has {att.states} states: too many to start from one by one "
                f"(limit {MAX_MEMBER_STATES})"
            )
        starts.extend(members)
    if len(_BASELINE_CACHE) > 64:
        _BASELINE_CACHE.clear()
    _BASELINE_CACHE[key] = (network, starts)
    return starts


def response(
    network: BooleanNetwork,
    *,
    treatment: Mapping[str, int] | None = None,
    context: str | None = None,
    perturbation: Mapping[str, int] | None = None,
    update: str = "mp",
) -> AttractorResult:
    """The fates a perturbed, treated cell reaches from its untreated states.

    The baseline network is ``network`` with the ``context`` fixes and the baseline
    inputs (``network.annotations.baseline``, e.g. ``RT=0``) fixed; its attractors are
    the untreated cell's states.  The treated network is ``network`` + ``context`` +
    ``perturbation`` (node -> 0|1) + ``treatment`` (default
    ``network.annotations.treatment``, e.g. ``RT=1``).  The result is the set of
    attractors of the treated network reachable from any state of any baseline
    attractor.  Baseline attractors are cached per network, context and update.

    This is the one-phase case of a schedule (:func:`signet.dynamics.schedule.run_schedule`).
    When ``treatment`` is not given and the model's treatment is a schedule of several
    phases (``annotations.schedule``, e.g. ``RT=1 ; RT=0``), the result is the
    attractors reached at the end of that schedule.

    Examples
    --------
    >>> from signet.io.bnet import parse_bnet
    >>> net = parse_bnet("RT, RT\\nDDR, RT\\nP53, DDR & !MDM2\\nMDM2, P53\\nDeath, P53 & !AKT\\nAKT, AKT")
    >>> r = response(net, treatment={"RT": 1}, perturbation={"AKT": 0}, update="async")
    >>> [net.format_space(a.space) for a in r.attractors]
    ['RT=1 DDR=1 P53=* MDM2=* Death=* AKT=0']
    """
    _check_update(update)
    if treatment is None:
        if network.annotations.schedule:  # the model's treatment is a schedule of phases
            from .schedule import run_schedule

            return run_schedule(network, network.annotations.schedule, update, context=context,
                                perturbation=perturbation).final
        treatment = dict(network.annotations.treatment)
    context_fix = dict(network.context(context).fix) if context is not None else {}
    starts = baseline_starts(network, update, context=context)
    treated = network.fix({**context_fix, **dict(perturbation or {}), **dict(treatment)})
    return attractors(treated, update, start=starts)
