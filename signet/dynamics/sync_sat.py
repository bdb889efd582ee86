"""Synchronous attractors of large networks: the successor function unrolled in clingo.

Under synchronous update every state ``x`` has one successor ``F(x)``; the attractors
are the cycles of ``F``.  The explicit engine tabulates ``F`` on all ``2**n`` states;
this one never does.  It keeps a set ``K`` of *known* states (states of the attractors
found so far, and states whose orbit is known to run into one of them) and asks an
answer-set solver (clingo) for a path of ``T`` synchronous steps

    x(0) -> x(1) = F(x(0)) -> ... -> x(T)   with x(0) a start state and x(T) not in K.

Only ``x(0)`` is chosen; every later state is defined from the previous one by the
prime implicants of the rules, so the program has exactly one answer per start state.

* If there is none, the search is **complete**: every orbit from a start state (from
  any state, without starts) is in ``K`` after ``T`` steps, and orbits never leave an
  attractor, so ``K`` holds every reachable attractor.  (A state of an attractor not
  yet found is ``F**T`` of another state of the same cycle, so it would be an answer.)
* If there are some (up to :data:`ANSWERS_PER_CALL` distinct ``x(T)`` per solver call),
  ``F`` is iterated explicitly from each ``x(T)``: the walk either closes a new cycle (a
  new attractor) or runs into a known attractor (its states are transient; they join
  ``K``).  When calls keep finding only transient states the horizon ``T`` doubles,
  since after more steps than the longest transient every orbit sits on its cycle.

Fixed points are found first by :func:`signet.dynamics.trapspaces.fixed_points`.  Start
states that are few (all of them fixed, or few free nodes) are simply walked one by one.

The search stops at ``EngineConfig.sync_max_horizon`` steps.  A result that is not
proven complete then says so (``exact=False``), and without starts it carries a weaker
guarantee that is proven: every cycle of length at most ``EngineConfig.sync_cycle_bound``
has been enumerated directly (``x(p) = x(0)`` for some ``p`` up to that bound), so only
attractors with more states could be missing.  The thresholds are fields of
:class:`~signet.dynamics.config.EngineConfig`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..errors import StateSpaceTooLarge
from ..model import BooleanNetwork
from .config import DEFAULT_CONFIG, EngineConfig

__all__ = ["SyncAttractors", "sync_attractors", "successor_function", "attractor_items"]

logger = logging.getLogger(__name__)

Starts = Sequence[Mapping[str, int]]

#: First horizon of the path search (doubled while answers keep being transient).
START_HORIZON = 8
#: Calls in a row that find only transient states before the horizon doubles.
BARREN_CALLS = 2
#: Answers (distinct end states) asked of the solver per call.
ANSWERS_PER_CALL = 64
#: Longest explicit walk (states) before a cycle is declared too long to follow.
MAX_WALK = 1 << 22


@dataclass(frozen=True)
class SyncAttractors:
    """Synchronous attractors as cycles of states (integers: bit ``j`` is node ``j``).

    Attributes
    ----------
    cycles
        Each attractor's states in the order ``F`` visits them, starting from its smallest.
    exact
        ``True`` when the list is proven complete (for the starts, if any).
    note
        What is guaranteed when it is not.
    horizon
        The number of steps of the last path search (0 when none was needed).
    """

    cycles: tuple[tuple[int, ...], ...]
    exact: bool
    note: str = ""
    horizon: int = 0


def successor_function(network: BooleanNetwork) -> Callable[[int], int]:
    """``F`` on one state as an integer (bit ``j`` is node ``j``), compiled to Python.

    Examples
    --------
    >>> succ = successor_function(BooleanNetwork({"A": "!B", "B": "A"}))
    >>> [succ(s) for s in range(4)]
    [1, 3, 0, 2]
    """
    from ..expr import Const, Not, Var

    index = {n: j for j, n in enumerate(network.nodes)}

    def source(expr: object) -> str:
        # iterative printing: (operator, children) frames
        out: list[str] = []
        stack: list[tuple[object, int]] = [(expr, 0)]
        parts: list[list[str]] = []
        while stack:
            e, state = stack.pop()
            if isinstance(e, Var):
                text = f"(s >> {index[e.name]} & 1)"
            elif isinstance(e, Const):
                text = "1" if e.value else "0"
            elif state == 0:
                stack.append((e, 1))
                parts.append([])
                children = (e.arg,) if isinstance(e, Not) else e.args  # type: ignore[attr-defined]
                stack.extend((c, 0) for c in reversed(children))
                continue
            else:
                got = parts.pop()
                if isinstance(e, Not):
                    text = f"(1 ^ {got[0]})"
                else:
                    op = " & " if type(e).__name__ == "And" else " | "
                    text = "(" + op.join(got) + ")"
            if parts:
                parts[-1].append(text)
            else:
                out.append(text)
        return out[0]

    terms = []
    for j, node in enumerate(network.nodes):
        terms.append(f"({source(network.rules[node])} << {j})" if j else source(network.rules[node]))
    body = " | ".join(terms) if terms else "0"
    try:
        code = compile(f"lambda s: {body}", "<signet-successor>", "eval")
        return eval(code, {"__builtins__": {}})  # noqa: S307 - code built from parsed rules only
    except (RecursionError, MemoryError, SyntaxError):  # pragma: no cover - rules too deep for Python's compiler
        return _prime_successor(network)


def _prime_successor(network: BooleanNetwork) -> Callable[[int], int]:
    """``F`` from the prime implicants of the rules (no code generation)."""
    from ..primes import prime_implicants

    index = {n: j for j, n in enumerate(network.nodes)}
    table = []
    for node in network.nodes:
        on, _off = prime_implicants(network.rules[node], network.nodes)
        masks = []
        for term in on:
            mask = values = 0
            for name, value in term.items():
                mask |= 1 << index[name]
                values |= value << index[name]
            masks.append((mask, values))
        table.append(masks)

    def succ(s: int) -> int:
        out = 0
        for j, masks in enumerate(table):
            for mask, values in masks:
                if s & mask == values:
                    out |= 1 << j
                    break
        return out

    return succ


# ---------------------------------------------------------------------------
# The search
# ---------------------------------------------------------------------------


class _Compiled:
    """What every search on one network shares: the successor function and the prime implicants."""

    def __init__(self, network: BooleanNetwork) -> None:
        from ..primes import prime_implicants

        self.nodes = network.nodes
        self.index = {name: j for j, name in enumerate(self.nodes)}
        self.succ = successor_function(network)
        self.on_primes: list[list[list[tuple[int, int]]]] = []
        for node in self.nodes:
            on, _off = prime_implicants(network.rules[node], self.nodes)
            self.on_primes.append([[(self.index[m], v) for m, v in term.items()] for term in on])


class _Search:
    def __init__(self, network: BooleanNetwork, starts: Sequence[Mapping[str, int]] | None,
                 max_horizon: int, cycle_bound: int, budget: int, max_attractors: int,
                 shared: _Compiled | None = None, trap: bool = False) -> None:
        shared = shared or _Compiled(network)
        # trap: the one start subspace is a trap space (a percolated subspace): its fixed nodes
        # keep their values on every path, so the programs leave them out
        self.trap = trap
        self.fixed = {shared.index[name]: int(v) for name, v in starts[0].items()} if trap and starts else {}
        self.network = network
        self.nodes = network.nodes
        self.n = len(self.nodes)
        self.index = shared.index
        self.starts = starts
        self.max_horizon = max_horizon
        self.cycle_bound = cycle_bound
        self.budget = budget  # attractors this search may still add
        self.max_attractors = max_attractors  # the limit of the whole question (for the message)
        self.succ = shared.succ
        self.on_primes = shared.on_primes
        self.cycles: list[tuple[int, ...]] = []
        self.attractor_of: dict[int, int] = {}  # state -> index of its attractor
        self.transient: set[int] = set()  # states known to run into a known attractor

    # -- explicit walks ---------------------------------------------------------------
    def add_cycle(self, states: list[int]) -> None:
        if len(self.cycles) >= self.budget:
            raise StateSpaceTooLarge(
                f"more than {self.max_attractors} synchronous attractors: too many to list one by one "
                "(fix some inputs or use a context to ask a smaller question)")
        low = states.index(min(states))
        cycle = tuple(states[low:] + states[:low])
        k = len(self.cycles)
        self.cycles.append(cycle)
        for s in cycle:
            self.attractor_of[s] = k

    def walk(self, state: int) -> list[int]:
        """Follow ``F`` from ``state`` to a known attractor or a new cycle; return the new known states."""
        seen: dict[int, int] = {}
        path: list[int] = []
        while state not in self.attractor_of and state not in self.transient:
            if state in seen:
                self.add_cycle(path[seen[state]:])
                new = path[:seen[state]]
                self.transient.update(new)
                return path
            if len(path) >= MAX_WALK:
                raise StateSpaceTooLarge(f"a synchronous orbit runs for more than {MAX_WALK} states without "
                                         "repeating: too long to follow")
            seen[state] = len(path)
            path.append(state)
            state = self.succ(state)
        self.transient.update(path)
        return path

    def start_states(self, limit: int, everything: bool = False) -> list[int] | None:
        """The start states (every state if ``everything``) as integers, if at most ``limit``."""
        starts = [{}] if everything else self.starts
        assert starts is not None
        total = 0
        spaces = []
        for space in starts:
            free = [j for j, name in enumerate(self.nodes) if name not in space]
            total += 1 << len(free)
            if total > limit:
                return None
            base = sum(int(v) << self.index[name] for name, v in space.items() if name in self.index)
            spaces.append((base, free))
        out: dict[int, None] = {}
        for base, free in spaces:
            for k in range(1 << len(free)):
                s = base
                for i, j in enumerate(free):
                    if k >> i & 1:
                        s |= 1 << j
                out.setdefault(s)
        return list(out)

    # -- the answer-set programs ---------------------------------------------------------
    def _unroll(self, backend: Any, steps: int) -> list[list[Any]]:
        """``x[t][j]`` for ``t = 0..steps``: an atom, or ``True``/``False`` for a node the start
        subspace fixes when it is a trap space (the node keeps that value on every path);
        ``x[0]`` is chosen (from the starts), the rest defined by the prime implicants."""
        fixed = self.fixed
        x0: list[Any] = []
        for j in range(self.n):
            if j in fixed:
                x0.append(bool(fixed[j]))
            else:
                atom = backend.add_atom()
                backend.add_rule([atom], [], True)
                x0.append(atom)
        if not self.trap:
            self._start_constraint(backend, x0)
        layers = [x0]
        for _t in range(steps):
            previous = layers[-1]
            layer: list[Any] = []
            for i, terms in enumerate(self.on_primes):
                if i in fixed:
                    layer.append(bool(fixed[i]))
                    continue
                head = backend.add_atom()
                for term in terms:
                    body = _body(previous, term)
                    if body is not None:
                        backend.add_rule([head], body)
                layer.append(head)
            layers.append(layer)
        return layers

    def _start_constraint(self, backend: Any, x0: list[Any]) -> None:
        if self.starts is None:
            return
        choices = []
        for space in self.starts:
            pick = backend.add_atom()
            choices.append(pick)
            for name, value in space.items():
                j = self.index.get(name)
                if j is not None:
                    backend.add_rule([], [pick, -x0[j] if value else x0[j]])
        backend.add_rule(choices, [], True)
        backend.add_rule([], [-c for c in choices])  # at least one start

    def _exclude(self, backend: Any, layer: list[Any], states: Iterable[int]) -> None:
        for s in states:
            body = _body(layer, [(j, s >> j & 1) for j in range(self.n)])
            if body is not None:  # else the state lies outside the subspace searched
                backend.add_rule([], body)

    @staticmethod
    def _control(models: int = 1) -> Any:
        import clingo

        return clingo.Control([f"--models={models}", "--project=project"], logger=lambda code, message: None)

    def _answers(self, ctl: Any, layer: list[Any]) -> list[int]:
        """The states ``layer`` takes in the answers of one solve call (distinct: the answers are
        projected on ``layer``)."""
        found: list[int] = []
        base = sum(1 << j for j, a in enumerate(layer) if a is True)
        atoms = [(j, a) for j, a in enumerate(layer) if not isinstance(a, bool)]

        def on_model(model: Any) -> None:
            found.append(base | sum(1 << j for j, a in atoms if model.is_true(a)))

        ctl.solve(on_model=on_model)
        return found

    def horizon_search(self) -> int | None:
        """Run the path search; the horizon at which it proved completeness, or ``None``."""
        horizon = min(START_HORIZON, self.max_horizon)
        while horizon <= self.max_horizon:
            ctl = self._control(ANSWERS_PER_CALL)
            with ctl.backend() as backend:
                layers = self._unroll(backend, horizon)
                backend.add_project(_atoms(layers[-1]))
                self._exclude(backend, layers[-1], list(self.attractor_of) + sorted(self.transient))
            barren = 0
            while True:
                states = self._answers(ctl, layers[-1])
                if not states:
                    return horizon
                new: list[int] = []
                found = len(self.cycles)
                for state in states:
                    if state in self.attractor_of or state in self.transient:
                        continue  # became known while walking from an earlier answer of this call
                    before = len(self.cycles)
                    path = self.walk(state)
                    new += [s for c in self.cycles[before:] for s in c]
                    new += [s for s in path if s not in self.attractor_of]
                with ctl.backend() as backend:
                    self._exclude(backend, layers[-1], new)
                barren = barren + 1 if len(self.cycles) == found else 0
                if barren >= BARREN_CALLS:
                    break
            logger.info("sync search: horizon %d gave transient answers; doubling", horizon)
            horizon *= 2
        return None

    def enumerate_short_cycles(self) -> None:
        """Every cycle of length at most ``cycle_bound`` through the start subspaces (all states
        without starts)."""
        bound = self.cycle_bound
        if bound < 1:
            return
        ctl = self._control(ANSWERS_PER_CALL)
        with ctl.backend() as backend:
            layers = self._unroll(backend, bound)
            backend.add_project(_atoms(layers[0]))
            x0 = layers[0]
            closes = []
            for p in range(1, bound + 1):
                differs = backend.add_atom()
                for j in range(self.n):
                    if j not in self.fixed:
                        backend.add_rule([differs], [layers[p][j], -x0[j]])
                        backend.add_rule([differs], [-layers[p][j], x0[j]])
                closes.append(-differs)
            some = backend.add_atom()
            for literal in closes:
                backend.add_rule([some], [literal])
            backend.add_rule([], [-some])
            self._exclude(backend, x0, list(self.attractor_of))
        while True:
            states = self._answers(ctl, layers[0])
            if not states:
                return
            before = len(self.cycles)
            for state in states:
                if state not in self.attractor_of:  # each answer is on a cycle: a new one or one just found
                    self.walk(state)
            with ctl.backend() as backend:
                self._exclude(backend, layers[0], [s for c in self.cycles[before:] for s in c])


def sync_attractors(
    network: BooleanNetwork,
    starts: Sequence[Mapping[str, int]] | None = None,
    *,
    config: EngineConfig | None = None,
) -> SyncAttractors:
    """The synchronous attractors of ``network`` (all, or those reachable from ``starts``).

    Parameters
    ----------
    network
        The network (usually its free part after percolation).
    starts
        ``None``, or subspaces ``{node: 0|1}``: only the attractors reached from their states.
    config
        The thresholds (:class:`~signet.dynamics.config.EngineConfig`): ``sync_max_horizon``
        (longest path the completeness proof may use), ``sync_cycle_bound`` (without starts,
        when the proof is out of reach, every cycle up to this length is still found),
        ``sync_walked_states`` (state spaces and start sets this small are followed state by
        state), ``sync_max_attractors`` (more is a
        :class:`~signet.errors.StateSpaceTooLarge`) and ``sync_split_inputs`` (solve each
        valuation of the free inputs apart: an input keeps its value under synchronous
        update, so every attractor lies in one valuation, where the network percolates).

    Examples
    --------
    >>> net = BooleanNetwork({"A": "!C", "B": "A", "C": "B", "D": "D"})
    >>> result = sync_attractors(net)
    >>> result.exact, sorted(len(c) for c in result.cycles)
    (True, [2, 2, 6, 6])
    """
    config = config or DEFAULT_CONFIG
    return _solve(network, starts, config, config.sync_max_attractors)


def _solve(network: BooleanNetwork, starts: Starts | None, options: EngineConfig, budget: int) -> SyncAttractors:
    inputs = network.inputs
    if options.sync_split_inputs and inputs and len(inputs) < len(network):
        if starts is None or _count_states(network, starts, options.sync_walked_states) is None:
            return _split(network, starts, inputs, options, budget)
    return _direct(network, starts, options, budget)


def _count_states(network: BooleanNetwork, starts: Starts, limit: int) -> int | None:
    total = 0
    for space in starts:
        total += 1 << sum(1 for n in network.nodes if n not in space)
        if total > limit:
            return None
    return total


def _split(network: BooleanNetwork, starts: Starts | None, inputs: Sequence[str], options: EngineConfig,
           budget: int) -> SyncAttractors:
    """The attractors of each valuation of the inputs apart.

    Without starts, the search for a valuation starts from the subspace its percolation
    leaves (every attractor with these input values lies in it); with starts, from the
    starts that agree with it.  The compiled network, the successor function and the prime
    implicants are shared by all valuations.
    """
    import itertools

    from .compiled import compiled

    k = len(inputs)
    if starts is None and (1 << k) > budget:
        raise StateSpaceTooLarge(
            f"{k} free inputs: at least 2**{k} synchronous attractors (one per input valuation), more than "
            f"{options.sync_max_attractors} to list (fix some inputs or use a context to ask a smaller question)")
    fast = compiled(network, options)
    shared = _Compiled(network)
    cycles: list[tuple[int, ...]] = []
    exact, note, horizon = True, "", 0
    for valuation in itertools.product((0, 1), repeat=k):
        values = dict(zip(inputs, valuation, strict=True))
        if starts is None:
            sub_starts = [fast.percolate_values(values)]
        else:
            sub_starts = [{**s, **values} for s in starts if all(s.get(i, v) == v for i, v in values.items())]
            if not sub_starts:
                continue
        found = _direct(network, sub_starts, options, budget - len(cycles), shared, covering=starts is None)
        cycles.extend(found.cycles)
        if not found.exact and exact:
            exact, note = False, found.note
        horizon = max(horizon, found.horizon)
    return SyncAttractors(tuple(cycles), exact, note, horizon)


def _direct(network: BooleanNetwork, starts: Starts | None, options: EngineConfig, budget: int,
            shared: _Compiled | None = None, covering: bool = False) -> SyncAttractors:
    """One search.  ``covering``: the starts are a subspace holding every attractor asked for
    (a valuation's percolated subspace), so the guarantee without starts applies."""
    search = _Search(network, starts, options.sync_max_horizon, options.sync_cycle_bound, budget,
                     options.sync_max_attractors, shared, trap=covering)
    states = search.start_states(options.sync_walked_states, everything=starts is None)
    if states is not None:  # few enough states to follow every one of them
        for s in states:
            search.walk(s)
        return SyncAttractors(tuple(search.cycles), True, "", 0)
    if starts is None:
        from .trapspaces import fixed_points

        for point in fixed_points(network, config=options):
            search.add_cycle([sum(v << search.index[k] for k, v in point.items())])
    proven = search.horizon_search()
    if proven is not None:
        return SyncAttractors(tuple(search.cycles), True, "", proven)
    max_horizon, cycle_bound = options.sync_max_horizon, options.sync_cycle_bound
    if starts is None or covering:
        search.enumerate_short_cycles()
        note = (f"the completeness proof needs more than {max_horizon} synchronous steps; every attractor of at "
                f"most {cycle_bound} states is listed, longer cycles may be missing")
    else:
        note = (f"the completeness proof needs more than {max_horizon} synchronous steps: attractors reached from "
                "the starts after longer transients may be missing")
    return SyncAttractors(tuple(search.cycles), False, note, max_horizon)


def _body(layer: list[Any], literals: Iterable[tuple[int, int]]) -> list[int] | None:
    """The rule body for ``literals`` ((node, value) pairs) on ``layer``: ``None`` if one of them
    contradicts a fixed node, which otherwise drop out."""
    body = []
    for j, v in literals:
        a = layer[j]
        if isinstance(a, bool):
            if a != bool(v):
                return None
            continue
        body.append(a if v else -a)
    return body


def _atoms(layer: list[Any]) -> list[int]:
    return [a for a in layer if not isinstance(a, bool)]


def attractor_items(
    network: BooleanNetwork,
    starts: Sequence[Mapping[str, int]] | None,
    fixed: Mapping[str, int],
    nodes: Sequence[str],
    config: EngineConfig | None = None,
) -> tuple[list, bool, str]:
    """For :func:`signet.dynamics.attractors`: ``(attractor, members)`` pairs over all ``nodes``
    (the free ``network`` plus the percolated values ``fixed``), exactness and note."""
    from .results import Attractor

    found = sync_attractors(network, starts, config=config)
    free = network.nodes
    items = []
    for cycle in found.cycles:
        space: dict[str, int | str] = {}
        for j, name in enumerate(free):
            ones = sum(s >> j & 1 for s in cycle)
            space[name] = 1 if ones == len(cycle) else 0 if ones == 0 else "*"
        full = {n: (fixed[n] if n in fixed else space[n]) for n in nodes}
        kind = "fixed" if len(cycle) == 1 else "cyclic"
        items.append((Attractor(kind, full, len(cycle)), _members(cycle, free, fixed, nodes)))
    return items, found.exact, found.note


def _members(cycle: tuple[int, ...], free: Sequence[str], fixed: Mapping[str, int],
             nodes: Sequence[str]) -> Callable[[], list[dict[str, int]]]:
    def members() -> list[dict[str, int]]:
        out = []
        for s in cycle:
            values = {n: s >> j & 1 for j, n in enumerate(free)}
            out.append({n: (fixed[n] if n in fixed else values[n]) for n in nodes})
        return out

    return members
