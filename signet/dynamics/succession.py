"""Exact attractors of large networks by decomposition (a succession-diagram search).

A network is solved by splitting it into smaller networks whose answers combine
exactly, each split followed by percolation (constant propagation):

1. **Independent parts.**  The free nodes fall into weakly connected components of the
   regulatory graph.  Components do not interact, so every attractor (asynchronous,
   minimal trap space, fixed point) is one attractor of each component: the answer is
   their product (``count = product of counts``; nothing is listed to count).
2. **Free inputs.**  A source node ``s`` (rule ``s``) keeps its value forever, so the
   attractors are those with ``s = 0`` plus those with ``s = 1``: both networks are
   percolated and solved again.  Different input valuations often percolate to the
   same sub-network: answers are cached by sub-network (its nodes and rules), so that
   work is shared between valuations.
3. **Trap spaces, level by level** (asynchronous attractors of a connected network
   without inputs).  The maximal trap spaces (*stable motifs*, clingo) are grouped
   into *blocks*: the regulators, transitively, of the nodes a trap space fixes.  A
   block ``B`` is a sub-network on its own; if none of its asynchronous attractors
   lies outside its maximal trap spaces (checked on ``B`` alone, with candidates, see
   :mod:`signet.dynamics.candidates`), every attractor of the network lies in one of
   the trap spaces of ``B``, and only those are expanded: each is percolated and
   solved recursively.  If no block is clean, all maximal trap spaces are expanded
   and the attractors outside them (*motif-avoidant*) are searched in the network
   itself.  A network without proper trap space (a minimal trap space) holds at least
   one attractor, found from candidates; its states come from biodivine-aeon's
   forward reachability only when asked for.
4. **Small networks** are analysed explicitly (bit sets of all states) when that is
   estimated to cost less (:mod:`signet.dynamics.cost`).

An attractor in two overlapping trap spaces is listed once: the trap spaces of a
level are processed in order and an attractor inside an earlier one is skipped; counts
use inclusion-exclusion over intersections (each intersection is a trap space, solved
like the others).  Every step is exact.

Examples
--------
>>> from signet.model import BooleanNetwork
>>> net = BooleanNetwork({"I": "I", "A": "I & !B", "B": "A", "C": "C | A", "D": "D"})
>>> solver = Solver("async")
>>> sorted((p.size, sorted(p.space.items())) for p in solver.pieces(net))[:2]
[(1, [('A', 0), ('B', 0), ('C', 0), ('D', 0), ('I', 0)]), (1, [('A', 0), ('B', 0), ('C', 0), ('D', 1), ('I', 0)])]
>>> solver.count(net)
6
"""

from __future__ import annotations

import itertools
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from ..model import BooleanNetwork
from .config import DEFAULT_CONFIG, EngineConfig
from .cost import prefer_explicit
from .subnetworks import RootNetwork, Subnetwork, root_network

if TYPE_CHECKING:  # pragma: no cover
    import biodivine_aeon

__all__ = ["Piece", "Solver", "QUESTIONS"]

#: The questions the decomposition answers: asynchronous attractors, minimal trap spaces, fixed points.
QUESTIONS = ("async", "mp", "fixed")

Members = Callable[[int], "list[dict[str, int]] | None"]
#: ``(space, size, members)`` of an attractor, as a :class:`Piece` loads them
Parts = tuple[dict[str, "int | str"], int, "Members | None"]


class Piece:
    """One attractor of a (sub-)network: its space over that network's nodes, its number of
    states, and its states on demand (``members(limit)``: ``None`` above ``limit`` states).

    ``load`` may stand for all three and is called once, when first needed (an attractor
    known from one state whose set is computed only if asked for).
    """

    __slots__ = ("_space", "_size", "_members", "_load")

    def __init__(self, space: dict[str, int | str] | None = None, size: int = 0, members: Members | None = None,
                 load: Callable[[], Parts] | None = None) -> None:
        self._space: dict[str, int | str] = {} if space is None else space  # set by ``load`` when given
        self._size = size
        self._members = members
        self._load = load

    def _ensure(self) -> None:
        if self._load is not None:
            self._space, self._size, self._members = self._load()
            self._load = None

    @property
    def space(self) -> dict[str, int | str]:
        self._ensure()
        return self._space

    @property
    def size(self) -> int:
        self._ensure()
        return self._size

    def members(self, limit: int) -> list[dict[str, int]] | None:
        self._ensure()
        if self._size > limit or self._members is None:
            return None
        return self._members(limit)

    def lifted(self, values: Mapping[str, int]) -> "Piece":
        """The same attractor in the network where ``values`` were percolated away."""
        if not values:
            return self
        values = dict(values)

        def load() -> Parts:
            inner = self

            def members(limit: int) -> list[dict[str, int]] | None:
                got = inner.members(limit)
                return None if got is None else [{**values, **s} for s in got]

            return {**values, **inner.space}, inner.size, members

        return Piece(load=load)


def _product(pieces: Sequence[Piece]) -> Piece:
    """The attractor of independent networks made of one attractor of each."""
    if len(pieces) == 1:
        return pieces[0]

    def load() -> Parts:
        space: dict[str, int | str] = {}
        size = 1
        for p in pieces:
            space.update(p.space)
            size *= p.size

        def members(limit: int) -> list[dict[str, int]] | None:
            parts = [p.members(limit) for p in pieces]
            if any(part is None for part in parts):
                return None
            out = []
            for combo in itertools.product(*parts):  # type: ignore[arg-type]  # no None: checked above
                state: dict[str, int] = {}
                for s in combo:
                    state.update(s)
                out.append(state)
            return out

        return space, size, members

    return Piece(load=load)


def _state_members(state: Mapping[str, int]) -> Members:
    """The members of a fixed point: the state itself."""
    def members(limit: int) -> list[dict[str, int]] | None:
        return [dict(state)]

    return members


def _subspace_members(space: Mapping[str, int | str]) -> Members:
    def members(limit: int) -> list[dict[str, int]] | None:
        stars = [n for n, v in space.items() if v == "*"]
        if (1 << len(stars)) > limit:
            return None
        out = []
        for k in range(1 << len(stars)):
            state = {n: (v if isinstance(v, int) else 0) for n, v in space.items()}  # v: 0, 1 or "*"
            for j, n in enumerate(stars):
                state[n] = (k >> j) & 1
            out.append(state)
        return out

    return members


# ---------------------------------------------------------------------------------------
def components(network: BooleanNetwork) -> list[list[str]]:
    """Weakly connected components of the regulatory graph (syntactic), in node order.

    Examples
    --------
    >>> components(BooleanNetwork({"A": "B", "B": "A", "C": "C", "D": "!C"}))
    [['A', 'B'], ['C', 'D']]
    """
    from ._adapter import ordered_variables

    # union-find over names; Subnetwork.components does the same over bit positions of a
    # subnetwork on its hot path (the duplicates check names the pair: justified repeat)
    parent = {n: n for n in network.nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for node in network.nodes:
        for v in ordered_variables(network.rules[node]):
            a, b = find(node), find(v)
            if a != b:
                parent[a] = b
    groups: dict[str, list[str]] = {}
    for node in network.nodes:
        groups.setdefault(find(node), []).append(node)
    return list(groups.values())


def decomposed(network: BooleanNetwork, question: str,
               config: EngineConfig | None = None) -> list[dict[str, int | str]]:
    """The minimal trap spaces (``"mp"``) or fixed points (``"fixed"``) of ``network`` by
    decomposition, sorted as the answer-set engines sort them (by the values' text in node order)."""
    nodes = network.nodes
    rows = [tuple(map(piece.space.__getitem__, nodes)) for piece in Solver(question, config).pieces(network)]
    rows.sort(key=lambda row: [str(v) for v in row])
    return [dict(zip(nodes, row)) for row in rows]


def maximal_trap_spaces(net: Subnetwork) -> list[tuple[int, int]]:
    """The maximal proper trap spaces (stable motifs) of a sub-network, as ``(mask, bits)`` over
    its positions: the subset-minimal non-empty fixings of the trap-space program (clingo's
    domain heuristic with the false sign).

    Examples
    --------
    >>> root = RootNetwork(BooleanNetwork({"A": "A | B", "B": "A & B", "C": "!C"}))
    >>> net = root.subnetwork(root.all_mask, 0, 0)
    >>> [net.decode_space(*s) for s in maximal_trap_spaces(net)]
    [{'A': 1}, {'B': 0}]
    """
    from ._adapter import _enumerate, _trap_program

    if net.n == 0:
        return []
    n = net.n
    program = _trap_program(net.primes, heuristic=False)

    def build(backend: Any, clingo: Any, atom: Callable[[int], int]) -> None:
        program(backend, clingo, atom)
        false_ = clingo.backend.HeuristicType.False_
        fixes = [atom(k) for k in range(2 * n)]
        for a in fixes:
            backend.add_heuristic(a, false_, 1, 1, [])
        backend.add_rule([], [-a for a in fixes])  # at least one node fixed: not the whole space

    out = _spaces_of(_enumerate(build, ["--heuristic=Domain", "--enum-mode=domRec"]))
    out.sort()
    return out


# ---------------------------------------------------------------------------------------
class Solver:
    """Answers one question (``"async"``, ``"mp"``, ``"fixed"``) on a network by decomposition,
    caching the answers of the sub-networks it meets.

    Parameters
    ----------
    question
        ``"async"`` (asynchronous attractors), ``"mp"`` (minimal trap spaces) or
        ``"fixed"`` (fixed points).
    config
        Thresholds (:class:`signet.dynamics.config.EngineConfig`; its decomposition fields).
    on_progress
        Called with no argument for every sub-network solved (for progress bars); may be ``None``.
    levels
        Groups of level bits (:mod:`signet.levels`, name -> ``X_b1 .. X_bm``) whose inadmissible
        states the caller discards: a sub-network whose fixed bits already put such a group at
        an inadmissible pattern (a bit fixed at 1 above one fixed at 0) holds only inadmissible
        states, so none of its answers would be kept, and it is not solved.  Admissible states
        are a trap set, so no attractor is lost.
    level_check
        Whether a group of ``levels`` is a multi-valued node (:func:`signet.levels.keeps_levels`),
        asked only for a group met at an inadmissible pattern (default: all are).
    """

    def __init__(self, question: str, config: EngineConfig | None = None,
                 on_progress: Callable[[], None] | None = None, *,
                 levels: Mapping[str, Sequence[str]] | None = None,
                 level_check: Callable[[str], bool] | None = None) -> None:
        if question not in QUESTIONS:
            raise ValueError(f"unknown question {question!r}")
        self.question = question
        self.config = config or DEFAULT_CONFIG
        self.on_progress = on_progress
        self._levels = dict(levels or {})
        self._level_check = level_check
        self._level_bits: list[tuple[str, tuple[int, ...]]] = []  # the groups by root index (set in _compile)
        self._memo: dict[tuple, list[Piece]] = {}
        self._counts: dict[tuple, int] = {}
        self._clean: dict[tuple, bool] = {}
        self._stored = 0
        self.engines: set[str] = set()
        self.root: RootNetwork | None = None
        self.inputs: list[str] = []
        self._input_set: frozenset[int] = frozenset()
        self._root_nfvs: list[int] | None = None
        self._local_nfvs: dict[tuple, list[int]] = {}
        self._local_work = 0
        self._prefer: dict[int, int] = {}  # input (root index) -> value branched first

    def _compile(self, network: BooleanNetwork) -> tuple[RootNetwork, Subnetwork]:
        root = root_network(network)
        if self.root is not None and self.root.network is not network:
            self._memo.clear()
            self._counts.clear()
            self._clean.clear()
            self._stored = 0
        self.root = root
        mask, bits = root.percolated()
        top = root.subnetwork(root.all_mask, mask, bits)
        self._top = top
        self._root_nfvs = None
        self._local_nfvs = {}
        self._local_work = 0
        self.inputs = [root.nodes[j] for j in top.sources()]
        self._input_set = frozenset(top.sources())
        index = {n: j for j, n in enumerate(root.nodes)}
        self._level_bits = [(base, tuple(index[b] for b in bits)) for base, bits in self._levels.items()
                            if all(b in index for b in bits)]
        return root, top

    def _admissible(self, piece: Piece) -> bool:
        """Whether the space of ``piece`` (an attractor of a part) puts no group of ``levels`` at
        an inadmissible pattern: combined with other parts' attractors, it would still hold
        only inadmissible states."""
        if not self._level_bits:
            return True
        from ..levels import inadmissible_groups

        check = self._level_check
        return not any(check is None or check(base) for base in inadmissible_groups(piece.space, self._levels))

    def _inadmissible(self, net: Subnetwork) -> bool:
        """Whether the fixed bits of ``net`` put a group of ``levels`` at an inadmissible pattern."""
        mask, bits = net.mask, net.bits
        for base, group in self._level_bits:
            zero = False
            for j in group:
                if (mask >> j) & 1:
                    if not (bits >> j) & 1:
                        zero = True
                    elif zero:
                        if self._level_check is None or self._level_check(base):
                            return True
                        break
        return False

    def _nfvs(self, net: Subnetwork) -> list[int]:
        """A negative feedback vertex set (root indices) to restrict to ``net``: the whole
        network's, computed once, or, while ``net`` is much smaller than the whole (the first
        answers of a large model), one of ``net`` itself."""
        from .candidates import negative_feedback_vertex_set

        if self._root_nfvs is None and net.n * 4 < self._top.n:
            key = net.key()
            local = self._local_nfvs.get(key)
            if local is None:
                local = self._local_nfvs[key] = [net.free[p] for p in negative_feedback_vertex_set(net)]
                self._local_work += net.n
                if self._local_work > self._top.n:  # enough small ones: the whole one pays now
                    self._local_nfvs.clear()
                    self._root_nfvs = [self._top.free[p] for p in negative_feedback_vertex_set(self._top)]
            return local
        if self._root_nfvs is None:
            top = self._top
            self._root_nfvs = [top.free[p] for p in negative_feedback_vertex_set(top)]
        return self._root_nfvs

    def _signature(self, piece: Piece) -> tuple:
        """The values of the model's free inputs in an attractor (those it has)."""
        space = piece.space
        return tuple((n, space[n]) for n in self.inputs if n in space)

    # -- listing -----------------------------------------------------------------------------
    def pieces(self, network: BooleanNetwork, *, early: bool = False) -> Iterator[Piece]:
        """The answer for ``network``, attractor by attractor as found; spaces cover every node.

        With ``early`` (asynchronous attractors), a fixed point found by the answer-set solver
        within ``config.first_fixed_point_seconds`` comes first, before any decomposition: a
        fixed point is an attractor.  Without one, the solver is given the same time to find
        a minimal trap space with at most ``config.first_trap_space_nodes`` free nodes, and
        the attractors inside it (at least one; found explicitly) come first.  The inputs
        are then branched at its values first, so its input valuation is the first group
        and the answers stay grouped by input valuation; the attractors listed early are
        left out when the decomposition meets them again.
        """
        root, top = self._compile(network)
        fixed = root.decode(top.mask, top.bits)
        small = None
        if early and self.question == "async":
            # a fixed point is the trap space that fixes every node: both are answered alike
            first = self._first_fixed_point(top)
            small = ((1 << top.n) - 1, first) if first is not None else self._first_small_trap_space(top)
        prefer = {} if small is None else {top.free[p]: (small[1] >> p) & 1 for p in _positions(small[0])}
        if prefer != self._prefer:  # remembered answers came in another order
            self._memo.clear()
            self._stored = 0
            self._prefer = prefer
        stream = self._pieces(top)
        if small is not None:
            child, values = self._child(top, prefer)
            inside = [piece.lifted(values) for piece in self._pieces(child)]
            for piece in inside:
                yield piece.lifted(fixed)
            stream = _without_inside(stream, top.decode_space(*small), len(inside))
        for piece in stream:
            yield piece.lifted(fixed)

    def _first_fixed_point(self, net: Subnetwork) -> int | None:
        """A fixed point of ``net`` (state code) if the solver finds one in the time allowed."""
        from ._adapter import _first_answer, _fixed_point_program

        seconds = self.config.first_fixed_point_seconds
        if net.n == 0 or seconds <= 0 or net.literals() > self.config.first_fixed_point_size:
            return None
        atoms = _first_answer(_fixed_point_program(net.primes), [], seconds)
        if atoms is None:
            return None
        code = 0
        for a in atoms:
            code |= 1 << a
        return code

    def _first_small_trap_space(self, net: Subnetwork) -> tuple[int, int] | None:
        """A minimal trap space ``(mask, bits)`` of ``net`` with at most
        ``config.first_trap_space_nodes`` free nodes, if the solver finds one in the time allowed."""
        from ._adapter import _first_answer, _small_trap_program

        seconds = self.config.first_fixed_point_seconds
        most = self.config.first_trap_space_nodes
        if net.n <= most or most <= 0 or seconds <= 0 or net.literals() > self.config.first_fixed_point_size:
            return None  # a network that small is solved at once anyway
        atoms = _first_answer(_small_trap_program(net.primes, most), ["--heuristic=Domain"], seconds)
        if atoms is None:
            return None
        (space,) = _spaces_of([atoms])
        return space

    def _pieces(self, net: Subnetwork) -> Iterator[Piece]:
        # before the cache: a key leaves out fixed bits no free node reads, and those decide
        # whether a multi-valued node sits at an inadmissible pattern
        if self._level_bits and self._inadmissible(net):
            return
        key = net.key()
        hit = self._memo.get(key)
        if hit is not None:
            yield from hit
            return
        out: list[Piece] | None = []
        for piece in self._solve(net):
            if out is not None:
                out.append(piece)
                if len(out) + self._stored > self.config.memo_pieces:
                    out = None  # too large to keep: solved again if met again
            yield piece
        if out is not None:
            self._memo[key] = out
            self._stored += len(out)

    def _child(self, net: Subnetwork, values: Mapping[int, int]) -> tuple[Subnetwork, dict[str, int]]:
        """The sub-network with ``values`` (root index -> 0|1) fixed and percolated, and the values
        of the nodes that became fixed (to lift its answers)."""
        root = net.root
        mask, bits = root.fix(net.scope, net.mask, net.bits, values)
        child = root.subnetwork(net.scope, mask, bits)
        return child, root.decode(mask & ~net.mask, bits)

    def _solve(self, net: Subnetwork) -> Iterator[Piece]:
        if self.on_progress is not None:
            self.on_progress()
        if net.n == 0:
            yield Piece({}, 1, lambda limit: [{}])
            return
        parts = net.components()
        if len(parts) > 1:
            yield from self._product([net.root.subnetwork(part, net.mask, net.bits) for part in parts])
            return
        inputs = net.sources()
        if inputs:
            pick = self._pick(net, inputs)
            first = self._prefer.get(pick, 0)  # the early fixed point's value first (see pieces)
            children = [self._child(net, {pick: value}) for value in (first, 1 - first)]
            if self._branch(net, children):
                for child, values in children:
                    for piece in self._pieces(child):
                        yield piece.lifted(values)
                return
        yield from self._connected(net)

    def _branch(self, net: Subnetwork, children: Iterable[tuple[Subnetwork, Mapping[str, int]]]) -> bool:
        """Whether to branch on an input when listing.  Always for asynchronous attractors (an
        input is a stable motif: the search would fix it anyway).  For trap spaces and fixed
        points one solver call enumerates the input valuations itself, so branching pays only
        when fixing the input shrinks the network or splits it into independent parts.
        (Counting always branches.)"""
        if self.question == "async":
            return True
        for child, _values in children:
            if child.n <= 0.75 * net.n or len(child.components()) > 1:
                return True
        return False

    def _pick(self, net: Subnetwork, sources: list[int]) -> int:
        """The source to branch on: a model input first (answers then come grouped by input
        valuation), the one with the most targets."""
        preferred = [j for j in sources if j in self._input_set] or sources
        return max(preferred, key=lambda j: (len(net.root.targets[j]), -j))

    def _product(self, parts: list[Subnetwork]) -> Iterator[Piece]:
        """Every combination of one attractor per independent part.  The largest part is
        streamed, the others listed first (they are usually small); combinations come
        grouped by input valuation (each part's answers are, by induction)."""
        parts = sorted(parts, key=lambda p: p.n)
        listed = []
        for sub in parts[:-1]:
            got = [piece for piece in self._pieces(sub) if self._admissible(piece)]
            if not got:
                return
            listed.append([group for _sig, group in _groups(got, self._signature)])
        first = tuple(groups[0] for groups in listed)

        def rest() -> Iterator[tuple[list[Piece], ...]]:
            # every other combination of groups, lazily (there may be 2**parts of them)
            return itertools.islice(itertools.product(*listed), 1, None)

        group: list[Piece] = []
        key: tuple | None = None
        for piece in self._pieces(parts[-1]):
            if not self._admissible(piece):
                continue
            sig = self._signature(piece)
            if group and sig != key:  # a group of the streamed part is complete: the other combinations
                yield from self._combine(rest(), group)
                group = []
            key = sig
            group.append(piece)
            for pieces in itertools.product(*first):  # the first combination as each piece comes
                yield _product([*pieces, piece])
        if group:
            yield from self._combine(rest(), group)

    @staticmethod
    def _combine(combos: Iterable[tuple[list[Piece], ...]], group: list[Piece]) -> Iterator[Piece]:
        for combo in combos:
            for pieces in itertools.product(*combo, group):
                yield _product(pieces)

    def _connected(self, net: Subnetwork) -> Iterator[Piece]:
        if self.question == "mp":
            self.engines.add("asp")
            spaces = _minimal_trap_spaces(net)
            if net.sources():  # inputs left to the solver: list the answers grouped by input valuation
                positions = [net.pos[j] for j in net.sources()]
                spaces.sort(key=lambda mb: [(mb[1] >> p) & 1 for p in positions])
            for mask, bits in spaces:
                space = net.decode_space(mask, bits, star=True)
                yield Piece(space, 1 << (net.n - mask.bit_count()), _subspace_members(space))
            return
        if self.question == "fixed":
            self.engines.add("asp")
            codes = _fixed_points(net)
            if net.sources():  # inputs left to the solver: list the answers grouped by input valuation
                positions = [net.pos[j] for j in net.sources()]
                codes.sort(key=lambda c: [(c >> p) & 1 for p in positions])
            for code in codes:
                state = net.decode(code)
                yield Piece(dict(state), 1, _state_members(state))
            return
        if prefer_explicit(net.n, net.literals(), self.config):
            yield from self._explicit(net)
            return
        yield from self._succession(net)

    def _explicit(self, net: Subnetwork) -> Iterator[Piece]:
        self.engines.add("explicit")
        for codes in _explicit_attractors(net):
            yield Piece(*_codes_parts(net, codes))

    def _succession(self, net: Subnetwork) -> Iterator[Piece]:
        self.engines.add("succession")
        maxima = maximal_trap_spaces(net)
        if not maxima:  # a minimal trap space: at least one attractor, found from candidates
            yield from self._findings(net, self._outside(net, []))
            return
        # Every attractor inside a maximal trap space is one of ``net``: the trap space that is
        # expanded first whatever the check below decides (usually) is expanded before it, so
        # that the first answer does not wait for the search outside the trap spaces (the
        # first attractor of balm/004 came after 19 such searches over its levels).
        blocks, minimal = self._blocks(net, maxima)
        first = blocks[minimal[0]][0]
        done: list[dict[str, int | str]] = []
        yield from self._within_trap(net, first, done)
        children, avoidant = self._children(net, maxima, (blocks, minimal))
        yield from self._expanded(net, [c for c in children if c != first], avoidant, done)

    def _within_trap(self, net: Subnetwork, trap: tuple[int, int], done: list[dict[str, int | str]]) -> Iterator[Piece]:
        """The attractors inside the trap space ``trap`` (mask, bits over ``net``'s positions)
        that are inside none of the trap spaces ``done``; ``trap`` then joins ``done``."""
        mask, bits = trap
        fixing = {net.free[p]: (bits >> p) & 1 for p in _positions(mask)}
        child, values = self._child(net, fixing)
        space = net.decode_space(mask, bits)
        for piece in self._pieces(child):
            lifted = piece.lifted(values)
            if done and any(_inside(lifted.space, earlier) for earlier in done):
                continue  # listed with an earlier, overlapping trap space
            yield lifted
        done.append(space)

    def _expanded(self, net: Subnetwork, children: list[tuple[int, int]], avoidant: list[tuple[str, Any]],
                  done: list[dict[str, int | str]] | None = None) -> Iterator[Piece]:
        """The attractors outside the trap spaces ``children``, then those inside each (once),
        leaving out those inside the trap spaces ``done`` (expanded before)."""
        yield from self._findings(net, avoidant)
        done = [] if done is None else done
        for trap in children:
            yield from self._within_trap(net, trap, done)

    @staticmethod
    def _blocks(net: Subnetwork, maxima: list[tuple[int, int]]) -> tuple[dict[int, list[tuple[int, int]]], list[int]]:
        """The maximal trap spaces grouped by the backward closure of their fixed nodes, and
        the inclusion-minimal closures, fewest trap spaces first."""
        closures = _backward_closures(net)
        blocks: dict[int, list[tuple[int, int]]] = {}
        for mask, bits in maxima:
            block = 0
            for p in _positions(mask):
                block |= closures[p]
            blocks.setdefault(block, []).append((mask, bits))
        minimal = [b for b in blocks if not any(o != b and o & b == o for o in blocks)]
        minimal.sort(key=lambda b: (len(blocks[b]), b.bit_count()))
        return blocks, minimal

    def _children(self, net: Subnetwork, maxima: list[tuple[int, int]],
                  grouped: tuple[dict[int, list[tuple[int, int]]], list[int]] | None = None,
                  ) -> tuple[list[tuple[int, int]], list[tuple[str, Any]]]:
        """The trap spaces to expand and the attractors outside them (see the module docstring)."""
        blocks, minimal = self._blocks(net, maxima) if grouped is None else grouped
        whole = (1 << net.n) - 1
        for block in minimal:
            if block == whole:
                break  # the whole network: the check below is the same
            scope = 0
            for p in _positions(block):
                scope |= 1 << net.free[p]
            part = net.root.subnetwork(scope, net.mask, net.bits)
            # the block's trap spaces, over the block's positions
            spaces = [_reposition(net, part, m, b) for m, b in blocks[block]]
            key = (part.key(), tuple(spaces))
            clean = self._clean.get(key)
            if clean is None:
                clean = self._clean[key] = not self._outside(part, spaces)
            if clean:
                return blocks[block], []
        return maxima, self._outside(net, maxima)

    def _outside(self, net: Subnetwork, avoid: list[tuple[int, int]]) -> list[tuple[str, Any]]:
        """Attractors of ``net`` outside ``avoid`` from candidates, or from AEON on the whole
        subspace when there are too many candidates."""
        from .candidates import attractors_outside, symbolic

        found = attractors_outside(
            net, avoid, candidate_limit=self.config.candidate_limit,
            walk_steps_per_node=self.config.walk_steps_per_node, nfvs=self._nfvs(net),
            guided_walks=self.config.guided_walks, guided_walk_length=self.config.guided_walk_length,
        )
        if found is not None:
            return found
        self.engines.add("aeon")
        graph = symbolic(net)
        ba = graph.ba
        covered = graph.empty()
        for mask, bits in avoid:
            covered = covered.union(graph.space(mask, bits))
        rest = graph.graph.mk_unit_colored_vertices()
        if avoid:
            rest = rest.minus(ba.Reachability.reach_bwd(graph.graph, covered))
        if rest.is_empty():
            return []
        return [("set", a.vertices()) for a in ba.Attractors.xie_beerel(graph.graph, rest)]

    def _findings(self, net: Subnetwork, findings: list) -> Iterator[Piece]:
        for kind, value in findings:
            if kind == "seed":
                explicit = prefer_explicit(net.n, net.literals(), self.config)
                yield Piece(load=_seed_loader(net, value, explicit))
            else:
                yield Piece(*_set_parts(net, value))

    # -- counting -----------------------------------------------------------------------------
    def count(self, network: BooleanNetwork) -> int:
        """The number of answers for ``network``, without listing them."""
        _root, top = self._compile(network)
        return self._count(top)

    def _count(self, net: Subnetwork) -> int:
        key = net.key()
        hit = self._counts.get(key)
        if hit is not None:
            return hit
        if self.on_progress is not None:
            self.on_progress()
        if net.n == 0:
            total = 1
        else:
            parts = net.components()
            # fixed points are counted symbolically with the inputs free (no branching)
            inputs = net.sources() if len(parts) == 1 and self.question != "fixed" else []
            if len(parts) > 1:
                total = 1
                for part in sorted(parts, key=int.bit_count):
                    total *= self._count(net.root.subnetwork(part, net.mask, net.bits))
                    if total == 0:
                        break
            elif self.question in ("async", "mp") and _only_fixed_points(net):  # inputs included
                total = self._count_fixed(net)
            elif inputs:  # counting always branches: the halves are cached sub-networks, never enumerated
                pick = self._pick(net, inputs)
                total = sum(self._count(self._child(net, {pick: v})[0]) for v in (0, 1))
            else:
                total = self._count_connected(net)
        self._counts[key] = total
        return total

    def _count_connected(self, net: Subnetwork) -> int:
        if self.question == "mp":
            return _minimal_trap_space_count(net)
        if self.question == "fixed":
            return self._count_fixed(net)
        if prefer_explicit(net.n, net.literals(), self.config):
            return sum(1 for _ in self._connected(net))
        self.engines.add("succession")
        maxima = maximal_trap_spaces(net)
        if not maxima:
            return len(self._outside(net, []))
        children, avoidant = self._children(net, maxima)
        terms = _intersections(children, self.config.count_max_terms)
        if terms is None:  # too many overlapping trap spaces: list (each attractor once) and count
            return sum(1 for _ in self._expanded(net, children, avoidant))
        total = len(avoidant)
        # inclusion-exclusion over the consistent intersections of the expanded trap spaces
        for mask, bits, size in terms:
            fixing = {net.free[p]: (bits >> p) & 1 for p in _positions(mask)}
            total += (1 if size % 2 else -1) * self._count(self._child(net, fixing)[0])
        return total

    def _count_fixed(self, net: Subnetwork) -> int:
        """The number of fixed points of a connected sub-network, counted symbolically."""
        self.engines.add("aeon")
        return fixed_point_count(net)


def _intersections(spaces: Sequence[tuple[int, int]], limit: int) -> list[tuple[int, int, int]] | None:
    """The non-empty intersections of trap spaces ``(mask, bits)``, each as ``(mask, bits, how many
    spaces meet in it)``: the terms of an inclusion-exclusion count; ``None`` if more than ``limit``.

    Examples
    --------
    >>> _intersections([(0b01, 0b01), (0b10, 0b00), (0b01, 0b00)], 10)
    [(1, 0, 1), (2, 0, 1), (3, 0, 2), (1, 1, 1), (3, 1, 2)]
    >>> _intersections([(1 << i, 0) for i in range(5)], 30) is None  # 2**5 - 1 = 31 terms
    True
    """
    terms: list[tuple[int, int, int]] = []
    stack = [(i, m, b, 1) for i, (m, b) in enumerate(spaces)]
    while stack:
        last, mask, bits, size = stack.pop()
        terms.append((mask, bits, size))
        if len(terms) > limit:
            return None
        for j in range(last + 1, len(spaces)):
            m, b = spaces[j]
            if not (bits ^ b) & mask & m:  # consistent: a non-empty intersection
                stack.append((j, mask | m, bits | b, size + 1))
    return terms


def fixed_point_count(net: Subnetwork) -> int:
    """The exact number of fixed points of a sub-network, without listing them: the states
    where every rule equals its node, as a BDD (biodivine-aeon's symbolic fixed points),
    whose satisfying assignments are counted (a Python int, exact beyond ``2**64``).

    Examples
    --------
    >>> root = RootNetwork(BooleanNetwork({"A": "B", "B": "A", "C": "C", "D": "!D | C"}))
    >>> fixed_point_count(root.subnetwork(root.all_mask, 0, 0))
    2
    """
    if net.n == 0:
        return 1
    import biodivine_aeon as ba

    from .candidates import subnetwork_to_aeon

    # BDD variables in the order of the node names, as AEON orders a model read from a file:
    # related nodes of curated models share name prefixes (bbm/125: 0.03 s, in position order 0.2 s)
    rank = {node: k for k, node in enumerate(sorted(net.nodes))}
    names = [f"v{rank[node]:06d}" for node in net.nodes]
    graph = ba.AsynchronousGraph(subnetwork_to_aeon(net, names))
    return int(ba.FixedPoints.symbolic(graph).vertices().cardinality())


def _only_fixed_points(net: Subnetwork) -> bool:
    """Whether every asynchronous attractor of ``net`` is a fixed point, known from its signed
    regulatory graph: it has no negative cycle.  A network without a negative cycle in its
    (global) interaction graph has no cyclic asynchronous attractor (A. Richard, Negative
    circuits and sustained oscillations in asynchronous automata networks, Adv. Appl. Math.
    44 (2010) 378-392; Thomas' conjecture).  The syntactic signed graph contains the global
    interaction graph (an edge of both signs counts as both), so the test is sound."""
    from .candidates import negative_cycle_nodes

    return not negative_cycle_nodes(net, set())


def _groups(pieces: Iterable[Piece], signature: Callable[[Piece], tuple]) -> Iterator[tuple[tuple, list[Piece]]]:
    """Runs of consecutive pieces with the same signature."""
    current: list[Piece] = []
    key: tuple | None = None
    for piece in pieces:
        sig = signature(piece)
        if current and sig != key:
            yield key, current  # type: ignore[misc]
            current = []
        key = sig
        current.append(piece)
    if current:
        yield key, current  # type: ignore[misc]


def _without_inside(pieces: Iterable[Piece], space: Mapping[str, int | str], count: int) -> Iterator[Piece]:
    """``pieces`` without the ``count`` attractors inside the trap space ``space`` (over the
    pieces' nodes; ``"*"`` free): those are left out, and the rest passed on unexamined once
    all ``count`` were met (an attractor is inside a trap space iff its space is)."""
    fixed = [(node, value) for node, value in space.items() if value != "*"]
    stream = iter(pieces)
    for piece in stream:
        if count == 0:
            yield piece
            break
        inner = piece.space
        if all(inner[node] == value for node, value in fixed):
            count -= 1
            continue
        yield piece
    yield from stream


def _positions(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _reposition(net: Subnetwork, part: Subnetwork, mask: int, bits: int) -> tuple[int, int]:
    """``(mask, bits)`` over the positions of ``net`` -> over those of ``part``."""
    m = b = 0
    for p in _positions(mask):
        q = part.pos[net.free[p]]
        m |= 1 << q
        if (bits >> p) & 1:
            b |= 1 << q
    return m, b


def _inside(space: Mapping[str, int | str], fixing: Mapping[str, int | str]) -> bool:
    return all(space.get(n) == v for n, v in fixing.items())


def _backward_closures(net: Subnetwork) -> list[int]:
    """Per position: itself and every free node that regulates it, transitively (position masks).

    Strongly connected components of the "depends on" graph come out of Tarjan's algorithm
    dependencies first, so one pass over them in that order ORs each component's regulators'
    closures into its own.
    """
    from .candidates import _strong_components

    depends = [list(edges) for edges in net.edges]
    label = _strong_components(depends)
    members: dict[int, int] = {}
    for p, c in enumerate(label):
        members[c] = members.get(c, 0) | (1 << p)
    closure: dict[int, int] = {}
    for c in sorted(members):  # Tarjan numbers components in reverse topological order
        acc = members[c]
        for p in _positions(members[c]):
            for r in depends[p]:
                d = label[r]
                if d != c:
                    acc |= closure[d]
        closure[c] = acc
    return [closure[label[p]] for p in range(net.n)]


def _minimal_trap_spaces(net: Subnetwork) -> list[tuple[int, int]]:
    from ._adapter import _enumerate, _trap_program

    models = _enumerate(_trap_program(net.primes, heuristic=True), ["--heuristic=Domain", "--enum-mode=domRec"])
    return _spaces_of(models)


def _minimal_trap_space_count(net: Subnetwork) -> int:
    """``len(_minimal_trap_spaces(net))``, counted by the solver (no space is decoded)."""
    from ._adapter import _count_answers, _trap_program

    return _count_answers(_trap_program(net.primes, heuristic=True), ["--heuristic=Domain", "--enum-mode=domRec"])


def _spaces_of(models: Iterable[Sequence[int]]) -> list[tuple[int, int]]:
    """Trap spaces ``(mask, bits)`` from the answers of :func:`_trap_program` (atom ``2*i+b`` is
    node ``i`` fixed at ``b``)."""
    out = []
    for atoms in models:
        mask = bits = 0
        for a in atoms:
            mask |= 1 << (a >> 1)
            if a & 1:
                bits |= 1 << (a >> 1)
        out.append((mask, bits))
    return out


def _fixed_points(net: Subnetwork) -> list[int]:
    from ._adapter import _enumerate, _fixed_point_program

    out = []
    for atoms in _enumerate(_fixed_point_program(net.primes), []):
        code = 0
        for a in atoms:
            code |= 1 << a
        out.append(code)
    return out


def _explicit_attractors(net: Subnetwork, start: int | None = None) -> list[int]:
    """Asynchronous attractors on bit sets (bit ``t`` of a set is state code ``t``)."""
    from ._adapter import _async_terminal_bits, variable_tables

    n = net.n
    full = (1 << (1 << n)) - 1
    start_bits = None if start is None else 1 << start
    return _async_terminal_bits(net.full_tables(), variable_tables(n), full, n, start_bits)


#: above this many bits a state set is decoded with numpy (one pass), below it bit by bit
_NUMPY_BITS = 1 << 12


#: the positions of the set bits of each byte value
_BYTE_OFFSETS = tuple(tuple(o for o in range(8) if (b >> o) & 1) for b in range(256))


def _codes_of(bits: int) -> list[int]:
    """The state codes in a bit set (bit ``t`` = code ``t``), in increasing order.

    Bit by bit each step costs the whole integer, so a large set (bbm/051: 245,760 states of
    2**20) is unpacked by numpy in one pass instead (1.6 s -> milliseconds).

    Examples
    --------
    >>> _codes_of(0b101001)
    [0, 3, 5]
    >>> _codes_of(1 << 5000 | 1 << 7) == [7, 5000]
    True
    """
    if bits.bit_length() > _NUMPY_BITS:
        raw = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        # a byte at a time where numpy is not loaded yet: its import costs more (0.1 s, a first answer)
        return _codes_numpy(raw) if "numpy" in sys.modules else _codes_bytes(raw)
    codes = []
    while bits:
        low = bits & -bits
        codes.append(low.bit_length() - 1)
        bits ^= low
    return codes


def _codes_numpy(raw: bytes) -> list[int]:
    """The positions of the set bits of ``raw`` (little-endian), unpacked by numpy."""
    import numpy as np

    return np.flatnonzero(np.unpackbits(np.frombuffer(raw, dtype=np.uint8), bitorder="little")).tolist()


def _codes_bytes(raw: bytes) -> list[int]:
    """The positions of the set bits of ``raw`` (little-endian), a byte at a time.

    Examples
    --------
    >>> _codes_bytes(bytes([0b101, 0, 0b10000000]))
    [0, 2, 23]
    """
    offsets = _BYTE_OFFSETS
    return [8 * i + o for i, byte in enumerate(raw) if byte for o in offsets[byte]]


def _codes_parts(net: Subnetwork, bits: int) -> Parts:
    """``(space, size, members)`` of an attractor given as a bit set of state codes."""
    codes = _codes_of(bits)
    common_ones, any_ones = -1, 0  # the bits set in every code, in some code
    for c in codes:
        common_ones &= c
        any_ones |= c
    space: dict[str, int | str] = {}
    for p, node in enumerate(net.nodes):
        space[node] = 1 if (common_ones >> p) & 1 else "*" if (any_ones >> p) & 1 else 0

    def members(limit: int) -> list[dict[str, int]] | None:
        return [net.decode(c) for c in codes]

    return space, len(codes), members


def _set_parts(net: Subnetwork, vertices: biodivine_aeon.ColoredVertexSet | biodivine_aeon.VertexSet) -> Parts:
    """``(space, size, members)`` of an attractor given as an AEON vertex set over ``net``."""
    from .candidates import symbolic

    nodes = net.nodes
    names = symbolic(net).names  # the vertex sets of ``net`` come from its symbolic graph
    if hasattr(vertices, "vertices"):
        vertices = vertices.vertices()
    size = int(vertices.cardinality())
    enclosing = vertices.enclosing_named_subspace() or {}
    space: dict[str, int | str] = {}
    for p, node in enumerate(nodes):
        value = enclosing.get(names[p])
        space[node] = "*" if value is None else int(bool(value))

    def members(limit: int) -> list[dict[str, int]] | None:
        out = []
        for vertex in vertices.items():
            values = vertex.to_named_dict()
            out.append({node: int(bool(values[names[p]])) for p, node in enumerate(nodes)})
        return out

    return space, size, members


def _seed_loader(net: Subnetwork, code: int, explicit: bool) -> Callable[[], Parts]:
    """The attractor through state ``code`` (known to lie in one): forward reachability, on demand
    (on bit sets if ``explicit``, else with biodivine-aeon)."""

    def load() -> Parts:
        if explicit:
            (bits,) = _explicit_attractors(net, code)
            return _codes_parts(net, bits)
        from .candidates import symbolic

        reach = symbolic(net).reach_or_meet(code, None)
        assert reach is not None  # nothing to meet: the whole forward set
        return _set_parts(net, reach)

    return load
