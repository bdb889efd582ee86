"""A network compiled to bit-mask prime implicants, for many fast exact questions on one model.

Screens ask the same model thousands of times: "percolate these fixes" and "which
most-permissive (mp) attractors does the treated cell reach from its untreated
states?".  :class:`CompiledNetwork` computes every node's prime implicants once
(the Blake canonical form of ``f_i`` and of ``!f_i``, :mod:`signet.primes`)
and keeps them as integer bit masks (bit ``j`` is node ``j``), so that

* **percolation** (constant propagation, :meth:`CompiledNetwork.percolate`) is a
  worklist over bit operations: node ``i`` becomes constant ``b`` exactly when the
  fixed values contain the literals of a prime implicant of ``f_i == b`` -- the
  same closure as :meth:`~signet.model.BooleanNetwork.percolate`, which tests
  ``f_i`` with the fixed values substituted for being constant;
* the **smallest trap space containing a subspace** (:meth:`CompiledNetwork.trap_closure`)
  frees, until nothing changes, every fixed node ``i = b`` that has a prime
  implicant of ``f_i == 1 - b`` consistent with the space;
* the **mp response** (:meth:`CompiledNetwork.mp_response`) -- the minimal trap
  spaces mp-reachable from a start subspace ``S`` -- is decomposed exactly:

  1. mp dynamics never leaves a trap space, so from ``S`` only minimal trap spaces
     inside ``T = trap_closure(S)`` are reachable, and inside ``T`` the network is
     the one with ``T``'s fixed values substituted (a minimal trap space inside a
     trap space is a minimal trap space of the whole network);
  2. a free node that no other free node reads (a *sink*, removed repeatedly, so
     whole feed-forward tails go) does not act on the others: the minimal trap
     spaces are those of the rest (the *core*), each extended by the sinks in
     order, a sink being fixed to ``b`` when its rule is constant ``b`` on the
     space and ``"*"`` otherwise; a core trap space is reachable exactly when its
     extension is;
  3. the core, usually a few nodes, is solved by the answer-set programs of
     :mod:`signet.dynamics.trapspaces` (minimal trap spaces, then reachability when
     the core has more than one) and its answer is cached, keyed by the core's
     nodes, the values of its fixed regulators and the start restricted to it.

Every step is exact: :func:`signet.dynamics.response` on the same question gives
the same attractors (tests compare the two, brute force and mpbn).

Examples
--------
>>> from signet.model import BooleanNetwork
>>> net = BooleanNetwork({"RT": "RT", "ATM": "RT", "P53": "ATM & !MDM2", "MDM2": "P53",
...                       "A": "A | P53", "Out": "A & P53"})
>>> cn = CompiledNetwork(net)
>>> cn.percolate_values({"RT": 0})
{'RT': 0, 'ATM': 0, 'P53': 0, 'MDM2': 0, 'Out': 0}
>>> start = {"RT": 0, "ATM": 0, "P53": 0, "MDM2": 0, "A": 0, "Out": 0}
>>> [net.format_space(s) for s in cn.mp_response({"RT": 1}, [start])]
['RT=1 ATM=1 P53=* MDM2=* A=1 Out=*']
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from ..errors import ModelError
from ..expr import Expr
from ..model import BooleanNetwork
from .config import DEFAULT_CONFIG, EngineConfig

__all__ = ["CompiledNetwork", "compiled"]

# A term is (mask, values): node j occurs when bit j of mask is set, with bit j of values.
Term = tuple[int, int]


class CompiledNetwork:
    """``network`` with its prime implicants as bit masks (see the module docstring).

    Parameters
    ----------
    network
        The network; its rules are compiled once (one prime-implicant computation per node).
    config
        ``config.generated_primes`` decides which nodes are checked by generated code.

    Attributes
    ----------
    nodes
        Node names; node ``j`` is bit ``j``.
    primes
        ``primes[j][b]``: the prime implicants of ``f_j == b`` as ``(mask, values)`` terms.
    regulators
        ``regulators[j]``: bit mask of the nodes ``f_j`` depends on.
    successors
        ``successors[j]``: the nodes whose rule depends on ``j``.
    """

    def __init__(self, network: BooleanNetwork, config: EngineConfig = DEFAULT_CONFIG) -> None:
        from ..expr import variables
        from ..primes import prime_implicants

        self.network = network
        self.nodes: tuple[str, ...] = tuple(network.nodes)
        self.index: dict[str, int] = {n: j for j, n in enumerate(self.nodes)}
        self.size = len(self.nodes)
        self.all_mask = (1 << self.size) - 1
        primes: list[tuple[tuple[Term, ...], tuple[Term, ...]]] = []
        regulators: list[int] = []
        successors: list[list[int]] = [[] for _ in self.nodes]
        for j, node in enumerate(self.nodes):
            rule = network.rules[node]
            used = sorted(variables(rule), key=self.index.__getitem__)
            on, off = prime_implicants(rule, used)
            primes.append((self._terms(off), self._terms(on)))
            mask = 0
            for name in used:
                mask |= 1 << self.index[name]
                successors[self.index[name]].append(j)
            regulators.append(mask)
        self.primes = tuple(primes)
        # nodes whose rule is a constant function: they act as pinned from time 0
        self.constant_mask = self.constant_values = 0
        for j, by_value in enumerate(primes):
            for b in (0, 1):
                if (0, 0) in by_value[b]:
                    self.constant_mask |= 1 << j
                    self.constant_values |= b << j
        self.regulators = tuple(regulators)
        self.successors = tuple(tuple(s) for s in successors)
        self.regulator_lists = tuple(tuple(k for k in range(self.size) if (m >> k) & 1 and k != j)
                                     for j, m in enumerate(regulators))
        self.successor_masks = tuple(sum(1 << k for k in set(s)) for s in successors)
        self._value_fns, self._other_fns = _node_functions(self.primes, config.generated_primes)
        self._core_cache: dict = {}
        self._core_spaces: dict[tuple[int, int, int], tuple[BooleanNetwork, list[dict[str, Any]]]] = {}
        self._restricted: dict[tuple[int, int, int], Expr] = {}
        self._unstable: dict = {}
        self._expr_primes: dict = {}

    def _terms(self, terms: Iterable[Mapping[str, int]]) -> tuple[Term, ...]:
        return tuple(self.encode(term) for term in terms)

    # -- conversions ---------------------------------------------------------------------
    def encode(self, values: Mapping[str, int]) -> tuple[int, int]:
        """``{node: 0|1}`` -> ``(mask, values)``."""
        mask = bits = 0
        for name, value in values.items():
            try:
                bit = 1 << self.index[name]
            except KeyError:
                bit = 1 << self.index[self.network.resolve(name)]
            mask |= bit
            if value:
                bits |= bit
        return mask, bits

    def decode(self, mask: int, values: int) -> dict[str, int]:
        """``(mask, values)`` -> ``{node: 0|1}`` in network order."""
        return {n: (values >> j) & 1 for j, n in enumerate(self.nodes) if (mask >> j) & 1}

    def space(self, mask: int, values: int) -> dict[str, int | str]:
        """``(mask, values)`` -> every node: ``0``, ``1`` or ``"*"`` (not in ``mask``)."""
        return {n: ((values >> j) & 1 if (mask >> j) & 1 else "*") for j, n in enumerate(self.nodes)}

    # -- percolation ---------------------------------------------------------------------
    def percolate(
        self,
        pins: tuple[int, int],
        base: tuple[int, int, int] | None = None,
    ) -> tuple[int, int]:
        """Close the pinned values under constant propagation: ``(mask, values)`` of every fixed node.

        Parameters
        ----------
        pins
            ``(mask, values)`` of the nodes whose rules are replaced by constants.
        base
            Optional ``(pin mask, fixed mask, fixed values)`` of an earlier closure whose
            pins are included in ``pins``; its result is reused when the new pins do not
            contradict it (constant propagation is monotone and confluent).

        Examples
        --------
        >>> cn = CompiledNetwork(BooleanNetwork({"A": "A", "B": "A & C", "C": "!B"}))
        >>> cn.decode(*cn.percolate(cn.encode({"A": 0})))
        {'A': 0, 'B': 0, 'C': 1}
        """
        pmask, pvals = pins
        successors = self.successors
        if base is not None:
            bpins, kmask, kvals = base
            if (pmask & bpins) == bpins and not ((kvals ^ pvals) & pmask & kmask):
                new = pmask & ~kmask
                kmask |= new
                kvals = (kvals & ~new) | (pvals & new)
                queue: list[int] = []
                for j in _bit_list(new):
                    queue.extend(successors[j])
                return self._propagate(kmask, kvals, pmask, queue)
        queue = _bit_list(self.all_mask & ~pmask)
        return self._propagate(pmask, pvals & pmask, pmask, queue)

    def _propagate(self, kmask: int, kvals: int, pmask: int, queue: list[int],
                   accept: Callable[[int, int], bool] | None = None) -> tuple[int, int]:
        """Fix every node of ``queue`` (and on, through successors) whose rule is constant
        given the fixed ``(kmask, kvals)``; with ``accept``, only when ``accept(j, b)``."""
        value_fns = self._value_fns
        successors = self.successors
        while queue:
            j = queue.pop()
            bit = 1 << j
            if kmask & bit:
                continue
            b = value_fns[j](kmask, kvals)
            if b is None or (accept is not None and not accept(j, int(b))):
                continue
            kmask |= bit
            if b:
                kvals |= bit
            queue.extend(successors[j])
        return kmask, kvals

    def percolate_values(self, fixed: Mapping[str, int]) -> dict[str, int]:
        """:meth:`~signet.model.BooleanNetwork.percolate`'s fixed values, by bit operations.

        Examples
        --------
        >>> cn = CompiledNetwork(BooleanNetwork({"A": "A", "B": "A | B", "C": "B & !A"}))
        >>> cn.percolate_values({"A": 1})
        {'A': 1, 'B': 1, 'C': 0}
        """
        return self.decode(*self.percolate(self.encode(fixed)))

    def percolate_accepted(self, pins: tuple[int, int], accept: Callable[[int, int], bool]) -> tuple[int, int]:
        """Constant propagation from the pins and the constant rules that fixes node ``j`` to
        ``b`` only when ``accept(j, b)``: ``(mask, values)`` of the fixed nodes.

        The pins and the nodes whose rule is a constant function are fixed whatever
        ``accept`` says.  The closure is unique (propagation is monotone and ``accept``
        depends on the node and value only).

        Examples
        --------
        >>> cn = CompiledNetwork(BooleanNetwork({"A": "A", "B": "A", "C": "B", "D": "0"}))
        >>> cn.decode(*cn.percolate_accepted(cn.encode({"A": 1}), lambda j, b: j != 2))
        {'A': 1, 'B': 1, 'D': 0}
        """
        pmask, pvals = pins
        free_constants = self.constant_mask & ~pmask
        kmask = pmask | free_constants
        kvals = (pvals & pmask) | (self.constant_values & free_constants)
        queue = [t for j in _bit_list(kmask) for t in self.successors[j]]
        return self._propagate(kmask, kvals, pmask, queue, accept)

    # -- trap spaces ---------------------------------------------------------------------
    def trap_closure(self, mask: int, values: int, pinned: int = 0, candidates: int | None = None) -> int:
        """The fixed mask of the smallest trap space containing the subspace ``(mask, values)``.

        Nodes in ``pinned`` (which must be in ``mask``) have constant rules: they stay fixed.
        ``candidates``, if given, must contain every fixed node whose rule can take its
        other value somewhere in the subspace (only they are checked first; the others
        are checked when a regulator is freed).

        Examples
        --------
        >>> cn = CompiledNetwork(BooleanNetwork({"A": "!B", "B": "A", "C": "C"}))
        >>> cn.space(cn.trap_closure(*cn.encode({"A": 0, "B": 0, "C": 1})), 0b100)
        {'A': '*', 'B': '*', 'C': 1}
        """
        other_fns = self._other_fns
        successors = self.successors
        queue = _bit_list(mask & ~pinned if candidates is None else candidates & mask & ~pinned)
        while queue:
            j = queue.pop()
            bit = 1 << j
            if not mask & bit or pinned & bit:
                continue
            if other_fns[j](mask, values):
                mask &= ~bit
                queue.extend(successors[j])
        return mask

    def _core(self, free: int) -> tuple[int, list[int]]:
        """Split the free nodes into the core (nodes upstream of a cycle among free nodes)
        and the sinks, returned in the order to extend them (regulators first)."""
        regulator_lists = self.regulator_lists
        succ = self.successor_masks
        core = free
        stack = [j for j in _bit_list(free) if not succ[j] & free]
        removed: list[int] = []
        while stack:
            j = stack.pop()
            removed.append(j)
            core &= ~(1 << j)
            for r in regulator_lists[j]:
                if (core >> r) & 1 and not succ[r] & core:
                    stack.append(r)
        removed.reverse()
        return core, removed

    # -- most-permissive response --------------------------------------------------------
    def mp_reachable_spaces(self, pins: tuple[int, int], start: tuple[int, int]) -> list[tuple[int, int]]:
        """Minimal trap spaces (``(fixed mask, values)``) of the pinned network mp-reachable from
        some configuration of the subspace ``start``.

        The pins, and the nodes whose rule is a constant function, hold from time 0
        (whatever the start says), as in :func:`signet.dynamics.attractors`.
        """
        pmask, pvals = pins
        pvals &= pmask
        free_constants = self.constant_mask & ~pmask
        pmask |= free_constants
        pvals |= self.constant_values & free_constants
        smask, svals = start
        svals &= smask
        # Only nodes that can change in the start subspace itself, or that read a node the
        # pins change (newly fixed or flipped), can be freed first (see trap_closure).
        unstable = self._unstable.get((smask, svals))
        if unstable is None:
            other_fns = self._other_fns
            unstable = sum(1 << j for j in _bit_list(smask) if other_fns[j](smask, svals))
            if len(self._unstable) > 4096:
                self._unstable.clear()
            self._unstable[(smask, svals)] = unstable
        changed = (pmask & ~smask) | ((svals ^ pvals) & pmask & smask)
        candidates = unstable
        succ = self.successor_masks
        for j in _bit_list(changed):
            candidates |= succ[j]
        smask |= pmask
        svals = (svals & ~pmask) | (pvals & pmask)
        tmask = self.trap_closure(smask, svals, pmask, candidates)
        tvals = svals & tmask
        free = self.all_mask & ~tmask
        core, sinks = self._core(free)
        if core:
            ext = 0
            regulators = self.regulators
            for j in _bit_list(core):
                ext |= regulators[j]
            ext &= ~core
            key = (core, ext, tvals & ext, smask & core, svals & smask & core)
            found = self._core_cache.get(key)
            if found is None:
                found = self._solve_core(core, ext, tvals & ext, smask & core, svals & smask & core)
                if len(self._core_cache) > 200_000:
                    self._core_cache.clear()
                self._core_cache[key] = found
        else:
            found = ((0, 0),)
        out = []
        value_fns = self._value_fns
        for cmask, cvals in found:
            mask = tmask | cmask
            vals = tvals | cvals
            for j in sinks:
                b = value_fns[j](mask, vals)
                if b is not None:
                    mask |= 1 << j
                    if b:
                        vals |= 1 << j
            out.append((mask, vals))
        return out

    def _solve_core(self, core: int, ext: int, ext_vals: int, smask: int, svals: int) -> tuple[tuple[int, int], ...]:
        """Minimal trap spaces of the core (its fixed regulators substituted) reachable from the start."""
        from .trapspaces import reachable_trap_spaces

        net, spaces = self._core_trap_spaces(core, ext, ext_vals)
        if len(spaces) > 1:
            start = {self.nodes[j]: (svals >> j) & 1 for j in _bit_list(smask)}
            keep = reachable_trap_spaces(net, spaces, start)
            spaces = [spaces[i] for i in keep]
        return self._terms([{n: int(v) for n, v in sp.items() if v != "*"} for sp in spaces])

    def _core_trap_spaces(self, core: int, ext: int, ext_vals: int) -> tuple[BooleanNetwork, list[dict[str, Any]]]:
        """The core's network (its fixed regulators substituted) and its minimal trap spaces,
        cached per core and regulator values (a start changes only which are reachable)."""
        from .trapspaces import minimal_trap_spaces

        key = (core, ext, ext_vals)
        got = self._core_spaces.get(key)
        if got is None:
            net = BooleanNetwork({self.nodes[j]: self._restricted_rule(j, ext, ext_vals) for j in _bit_list(core)})
            if len(self._core_spaces) > 20_000:
                self._core_spaces.clear()
            got = self._core_spaces[key] = (net, minimal_trap_spaces(net))
        return got

    def _restricted_rule(self, j: int, ext: int, ext_vals: int) -> Expr:
        """Node ``j``'s rule with the values of its regulators in ``ext`` substituted (cached)."""
        from ..expr import substitute

        known_mask = ext & self.regulators[j]
        rule = self.network.rules[self.nodes[j]]
        if not known_mask:
            return rule
        key = (j, known_mask, ext_vals & known_mask)
        got = self._restricted.get(key)
        if got is None:
            if len(self._restricted) > 200_000:
                self._restricted.clear()
            known = {self.nodes[k]: (ext_vals >> k) & 1 for k in _bit_list(known_mask)}
            got = self._restricted[key] = substitute(rule, known)
        return got

    def mp_reachable_from(self, pins: tuple[int, int], starts: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """The minimal trap spaces of the pinned network mp-reachable from some configuration of
        one of the ``starts`` subspaces: :meth:`mp_reachable_spaces` of every start, each space
        once, in the order first found (unsorted).

        Examples
        --------
        >>> cn = CompiledNetwork(BooleanNetwork({"A": "A | B", "B": "!A & B"}))
        >>> [cn.space(*s) for s in cn.mp_reachable_from((0, 0), [cn.encode({"A": 0, "B": 1})])]
        [{'A': 0, 'B': 0}, {'A': 1, 'B': 0}]
        """
        found: dict[tuple[int, int], None] = {}
        for start in starts:
            for item in self.mp_reachable_spaces(pins, start):
                found.setdefault(item, None)
        return list(found)

    def mp_schedule_spaces(
        self, phases: Sequence[tuple[int, int]], starts: Iterable[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """The minimal trap spaces reached at the end of a schedule of phases that each last
        until settled, under mp update (unsorted).

        Phase ``k`` is the network with ``phases[k]`` (``(mask, values)``) pinned from its
        start; it starts from every minimal trap space the phase before reached (the first
        from ``starts``) and reaches :meth:`mp_reachable_from` those.  This is
        :func:`signet.dynamics.schedule.run_schedule` under ``"mp"`` with the phases'
        networks given as pins of one compiled network.  A phase that meets the same pins
        and the same starts again (repeats that have settled) is not solved again.

        Examples
        --------
        A pulse of ``S`` switches the memory node ``M`` on for good; ``E`` follows ``S``:

        >>> cn = CompiledNetwork(BooleanNetwork({"S": "S", "M": "M | S", "E": "S"}))
        >>> pulse = [cn.encode({"S": 1}), cn.encode({"S": 0})]
        >>> [cn.space(*s) for s in cn.mp_schedule_spaces(pulse, [cn.encode({"S": 0, "M": 0, "E": 0})])]
        [{'S': 0, 'M': 1, 'E': 0}]
        """
        current = list(dict.fromkeys((m, v & m) for m, v in starts))
        memo: dict[tuple[tuple[int, int], frozenset[tuple[int, int]]], list[tuple[int, int]]] = {}
        for pmask, pvals in phases:
            key = ((pmask, pvals & pmask), frozenset(current))
            got = memo.get(key)
            if got is None:
                got = memo[key] = self.mp_reachable_from(key[0], current)
            current = got
        return current

    def mp_response(
        self,
        pins: Mapping[str, int],
        starts: Sequence[Mapping[str, int]],
    ) -> list[dict[str, int | str]]:
        """The minimal trap spaces of the network with ``pins`` fixed (from time 0) that are
        mp-reachable from a configuration of one of the ``starts`` subspaces: full spaces,
        in the order of :func:`signet.dynamics.attractors`.

        The same attractors as ``attractors(network.fix(pins), "mp", start=starts)``.

        Examples
        --------
        >>> cn = CompiledNetwork(BooleanNetwork({"A": "A | B", "B": "!A & B"}))
        >>> cn.mp_response({}, [{"A": 0, "B": 1}])
        [{'A': 0, 'B': 0}, {'A': 1, 'B': 0}]
        >>> cn.mp_response({"B": 0}, [{"A": 0, "B": 1}])
        [{'A': 0, 'B': 0}]
        """
        found = self.mp_reachable_from(self.encode(pins), (self.encode(start) for start in starts))
        spaces = [self.space(m, v) for m, v in found]
        spaces.sort(key=lambda s: [str(v) for v in s.values()])
        return spaces

    # -- phenotypes ----------------------------------------------------------------------
    def expression_value(self, expr: Expr, mask: int, values: int) -> int | str:
        """``1``, ``0`` or ``"*"``: the value of ``expr`` on every state of the space (as
        :func:`signet.phenotypes.phenotype_value`).

        Examples
        --------
        >>> from signet.expr import parse_expression
        >>> cn = CompiledNetwork(BooleanNetwork({"A": "A", "B": "B"}))
        >>> spaces = ({"A": 1}, {"A": 0}, {"A": 0, "B": 0})
        >>> [cn.expression_value(parse_expression("A | B"), *cn.encode(s)) for s in spaces]
        [1, '*', 0]
        """
        terms = self._expr_primes.get(expr)
        if terms is None:
            from ..expr import variables
            from ..primes import prime_implicants

            missing = [v for v in variables(expr) if v not in self.index]
            if missing:
                raise ModelError(f"phenotype uses node(s) not in the network: {', '.join(sorted(missing))}")
            on, off = prime_implicants(expr, sorted(variables(expr), key=self.index.__getitem__))
            terms = self._expr_primes[expr] = (self._terms(off), self._terms(on))
        for b in (0, 1):
            for m, v in terms[b]:
                if not (m & ~mask) and (values & m) == v:
                    return b
        return "*"


def _bit_list(mask: int) -> list[int]:
    """The set bits of ``mask``, lowest first."""
    return [j for j, c in enumerate(bin(mask)[:1:-1]) if c == "1"]


ValueFn = Callable[[int, int], Optional[int]]
OtherFn = Callable[[int, int], bool]
Primes = Sequence[tuple[Sequence[Term], Sequence[Term]]]


def _node_functions(primes: Primes, generated_primes: int) -> tuple[tuple[ValueFn, ...], tuple[OtherFn, ...]]:
    """Per node ``j``: ``value(mask, values)`` -> ``b`` if the fixed values contain a prime
    implicant of ``f_j == b`` (else ``None``), and ``other(mask, values)`` -> whether a prime
    implicant of ``f_j == 1 - b`` (``b`` the value of ``j`` in ``values``) is consistent with
    the space.  Generated as straight-line Python over constant masks (several times
    faster than looping over the terms)."""

    def satisfied(terms: Sequence[Term]) -> str:  # a term's literals are all fixed, with its values
        return " or ".join(f"not ({m} & (n | (v ^ {t})))" for m, t in terms) or "False"

    def consistent(terms: Sequence[Term]) -> str:  # no fixed node contradicts the term
        return " or ".join(f"not ((v ^ {t}) & {m} & mask)" for m, t in terms) or "False"

    value_fns: list[ValueFn] = []
    other_fns: list[OtherFn] = []
    for j, (off, on) in enumerate(primes):
        if len(off) + len(on) > generated_primes:  # long: a loop, not generated code
            value_fns.append(_loop_value(off, on))
            other_fns.append(_loop_other(j, off, on))
            continue
        source = (
            "def value(mask, v):\n"
            "    n = ~mask\n"
            f"    if {satisfied(on)}:\n        return 1\n"
            f"    if {satisfied(off)}:\n        return 0\n"
            "    return None\n"
            "def other(mask, v):\n"
            f"    if v & {1 << j}:\n        return {consistent(off)}\n"
            f"    return {consistent(on)}\n"
        )
        fns = _GENERATED.get(source)
        if fns is None:
            namespace: dict[str, Any] = {}
            exec(compile(source, f"<signet node {j}>", "exec"), namespace)  # noqa: S102 - integer literals only
            if len(_GENERATED) >= _GENERATED_MAX:
                _GENERATED.clear()
            fns = _GENERATED[source] = (namespace["value"], namespace["other"])
        value_fns.append(fns[0])
        other_fns.append(fns[1])
    return tuple(value_fns), tuple(other_fns)


#: generated node functions by their source: the networks of a screen or a validation (one per
#: case, perturbation and phase) share most rules, and compiling them again cost more than the
#: rest of building a compiled network; the functions are pure (integer literals only)
_GENERATED: dict[str, tuple[ValueFn, OtherFn]] = {}
_GENERATED_MAX = 50_000


def _loop_value(off: Sequence[Term], on: Sequence[Term]) -> ValueFn:
    def value(mask: int, v: int) -> int | None:
        for b, terms in ((1, on), (0, off)):
            for m, t in terms:
                if not (m & (~mask | (v ^ t))):
                    return b
        return None

    return value


def _loop_other(j: int, off: Sequence[Term], on: Sequence[Term]) -> OtherFn:
    def other(mask: int, v: int) -> bool:
        terms = off if (v >> j) & 1 else on
        return any(not ((v ^ t) & m & mask) for m, t in terms)

    return other


_COMPILED: dict[int, tuple[BooleanNetwork, EngineConfig, CompiledNetwork]] = {}


def compiled(network: BooleanNetwork, config: EngineConfig = DEFAULT_CONFIG) -> CompiledNetwork:
    """The :class:`CompiledNetwork` of ``network``, cached per network object.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "A"})
    >>> compiled(net) is compiled(net)
    True
    """
    got = _COMPILED.get(id(network))
    if got is not None and got[0] is network and got[1] == config:
        return got[2]
    if len(_COMPILED) > 16:
        _COMPILED.clear()
    cn = CompiledNetwork(network, config)
    _COMPILED[id(network)] = (network, config, cn)
    return cn
