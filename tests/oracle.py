"""A brute-force oracle written without signet's dynamics, and Hypothesis strategies for it.

Networks are given by truth tables (node ``i`` reads ``regs[i]``; its value on row
``sum(x[r] << j)`` is ``tables[i][row]``), and every question is answered by plain
Python loops over all ``2**n`` states or ``3**n`` subspaces.  Pins (``{i: value}``)
replace a node's rule by a constant.
"""

from __future__ import annotations

import itertools
from collections import deque

from hypothesis import HealthCheck, settings, strategies as st

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Oracle:
    """A network given by truth tables, and brute-force answers about it."""

    def __init__(self, n, regs, tables, pins=None):
        self.n = n
        self.names = [f"x{i}" for i in range(n)]
        self.regs = regs
        self.tables = tables
        self.pins = dict(pins or {})

    def bnet(self) -> str:
        """The network (without pins) as bnet text: one DNF term per true row."""
        lines = []
        for i in range(self.n):
            regs, table = self.regs[i], self.tables[i]
            terms = []
            for row, value in enumerate(table):
                if value:
                    lits = [(self.names[r] if (row >> j) & 1 else "!" + self.names[r]) for j, r in enumerate(regs)]
                    terms.append("(" + " & ".join(lits) + ")" if lits else "1")
            lines.append(f"{self.names[i]}, " + (" | ".join(terms) if terms else "0"))
        return "\n".join(lines) + "\n"

    def pinned(self, pins):
        """The same network with more nodes pinned."""
        return Oracle(self.n, self.regs, self.tables, {**self.pins, **pins})

    def named(self, assignment):
        return {self.names[i]: v for i, v in assignment.items()}

    def f(self, i, state):
        if i in self.pins:
            return self.pins[i]
        row = sum(state[r] << j for j, r in enumerate(self.regs[i]))
        return self.tables[i][row]

    def constant_nodes(self):
        """Nodes whose rule is a constant function (pinned or with a constant table): value."""
        out = dict(self.pins)
        for i in range(self.n):
            if i not in out and len(set(self.tables[i])) == 1:
                out[i] = self.tables[i][0]
        return out

    # -- states ----------------------------------------------------------------------
    def states(self):
        return list(itertools.product((0, 1), repeat=self.n))

    def start_states(self, partial, time_zero=True):
        """The states of a partial state; with ``time_zero``, constant nodes start at their
        value (a perturbation acts from time 0, as signet's public functions say)."""
        constant = self.constant_nodes() if time_zero else {}
        states = [s for s in self.states() if all(s[i] == v for i, v in partial.items())]
        return sorted({tuple(constant.get(i, v) for i, v in enumerate(s)) for s in states})

    def sync_succ(self, s):
        return tuple(self.f(i, s) for i in range(self.n))

    def async_succ(self, s):
        out = []
        for i in range(self.n):
            v = self.f(i, s)
            if v != s[i]:
                t = list(s)
                t[i] = v
                out.append(tuple(t))
        return out

    def reach(self, starts, succ):
        seen = set(starts)
        queue = deque(starts)
        while queue:
            s = queue.popleft()
            for t in succ(s):
                if t not in seen:
                    seen.add(t)
                    queue.append(t)
        return seen

    def async_attractors(self, starts=None):
        candidates = self.reach(starts, self.async_succ) if starts is not None else set(self.states())
        out = set()
        for s in candidates:
            forward = self.reach([s], self.async_succ)
            if all(s in self.reach([t], self.async_succ) for t in forward):
                out.add(frozenset(forward))
        return out

    def sync_attractors(self, starts=None):
        out = set()
        for s in starts if starts is not None else self.states():
            path = {}
            while s not in path:
                path[s] = len(path)
                s = self.sync_succ(s)
            cycle = [t for t, k in path.items() if k >= path[s]]
            out.add(frozenset(cycle))
        return out

    def fixed_points(self):
        return {s for s in self.states() if self.sync_succ(s) == s}

    # -- subspaces ---------------------------------------------------------------------
    def members(self, space):
        return itertools.product(*[(0, 1) if v == "*" else (v,) for v in space])

    def is_trap(self, space):
        return all(self.f(i, s) == space[i] for s in self.members(space) for i in range(self.n) if space[i] != "*")

    def minimal_trap_spaces(self):
        traps = [sp for sp in itertools.product((0, 1, "*"), repeat=self.n) if self.is_trap(sp)]

        def inside(a, b):  # a subset of b
            return all(y == "*" or x == y for x, y in zip(a, b))

        return {sp for sp in traps if not any(o != sp and inside(o, sp) for o in traps)}

    def percolate(self):
        """Constant propagation by enumeration: a node is fixed when its value is the same on
        every state that agrees with the values fixed so far."""
        fixed = dict(self.pins)
        changed = True
        while changed:
            changed = False
            space = tuple(fixed.get(i, "*") for i in range(self.n))
            for i in range(self.n):
                if i in fixed:
                    continue
                values = {self.f(i, s) for s in self.members(space)}
                if len(values) == 1:
                    fixed[i] = values.pop()
                    changed = True
                    break
        return fixed


@st.composite
def oracles(draw, max_nodes=6, min_nodes=1):
    """Random networks of up to ``max_nodes`` nodes with up to 3 regulators each."""
    n = draw(st.integers(min_nodes, max_nodes))
    regs, tables = [], []
    for _ in range(n):
        k = draw(st.integers(0, min(3, n)))
        regs.append(sorted(draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k, unique=True))))
        tables.append(draw(st.lists(st.integers(0, 1), min_size=1 << k, max_size=1 << k)))
    return Oracle(n, regs, tables)


@st.composite
def partial_states(draw, n, max_known=None):
    """A partial state ``{i: 0|1}`` over ``n`` nodes."""
    known = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n if max_known is None else max_known))
    return {i: draw(st.integers(0, 1)) for i in known}


@st.composite
def questions(draw, max_nodes=6):
    """An oracle, pins (up to 2 nodes) and one or two start subspaces."""
    oracle = draw(oracles(max_nodes=max_nodes))
    pins = draw(partial_states(oracle.n, max_known=min(2, oracle.n)))
    starts = [draw(partial_states(oracle.n)) for _ in range(draw(st.integers(1, 2)))]
    return oracle, pins, starts


def summary(sets, names):
    """Sorted (space, size) of attractors given as sets of state tuples."""
    out = []
    for states in sets:
        space = {}
        for i, n in enumerate(names):
            values = {s[i] for s in states}
            space[n] = values.pop() if len(values) == 1 else "*"
        out.append((tuple(space.items()), len(states)))
    return sorted(out, key=repr)


def space_tuples(spaces, names):
    """Spaces (node -> value mappings) as sorted tuples over ``names``."""
    return sorted((tuple(s[n] for n in names) for s in spaces), key=repr)
