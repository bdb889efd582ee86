"""A compiled Gillespie kernel: one trajectory at a time, each with its own random stream.

:mod:`signet.dynamics.simulate` runs the asynchronous chain (MaBoSS convention: node
``j`` flips 0 -> 1 at rate ``up[j]`` and 1 -> 0 at rate ``down[j]`` when its rule
disagrees with its value) through this module unless it records time courses.  The
functions here are compiled by numba and cached on disk next to the module (numba's
``cache=True``); importing this module imports numba, so only simulating code imports it,
inside the functions that simulate (never ``signet --help`` nor the paths that do not simulate).

Rules
    Each node's rule is its prime implicants of ``f_j == 1`` (the disjunctive normal form
    of :class:`~signet.dynamics.compiled.CompiledNetwork`), flattened into arrays with
    offsets (:class:`FlatRules`).  A trajectory keeps the set of enabled nodes (rule and
    value disagree) and after a flip of node ``i`` re-evaluates only the rules that read
    ``i`` (and ``i``'s own): on the radioresistance model 2.4 rules per flip on average,
    against all moving rules in the numpy path.

Steps
    Gillespie's direct method, exactly as the numpy path: in a state with total rate
    ``R`` (the sum of the enabled nodes' rates) the trajectory waits ``-log(1 - u1) / R``
    and flips the enabled node at which the cumulative rate first exceeds ``u2 * R``;
    ``R = 0`` is a fixed point, and a step that would end at or after the phase's end
    is not taken (the trajectory stays in its state until the end).

Random streams
    Every draw is a Philox4x32-10 block (Salmon et al., "Parallel random numbers: as easy
    as 1, 2, 3", SC 2011; it passes TestU01's BigCrush) of the *key* ``(seed mod 2**32,
    seed >> 32 mod 2**32)`` and the *counter* ``(draw, trajectory, stream, 0)``:
    ``stream`` 0 draws a trajectory's start state, ``2k + 1`` its steps in phase ``k``
    (draw ``d`` is step ``d``) and ``2k + 2`` its exit draw from a cyclic attractor
    at the end of phase ``k``.  A counter-based generator is a keyed bijection of the
    counter, so distinct counters give independent-looking blocks: the streams of two
    trajectories never overlap (no seeding of one generator per trajectory, whose
    streams could collide), and a trajectory's draws are the same whatever batch,
    chunk, worker or order it runs in, and however early it is stopped.  Each block of
    four 32-bit words gives two uniforms of 53 bits in ``[0, 1)``.

Examples
--------
>>> philox(0, 0, 0, 0, 0, 0) == (0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8)   # Random123's answer
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

__all__ = ["FlatRules", "flat_rules", "philox", "uniforms", "advance", "disagreeing", "FIXED", "ENDED", "RUNNING"]

#: status of a trajectory after :func:`advance`: at a fixed point (no enabled flip)
FIXED = 1
#: its next step would end at or after the phase's end
ENDED = 2
#: it took its round of steps and goes on
RUNNING = 0


@dataclass(frozen=True)
class FlatRules:
    """Rules of a network as flat arrays (node ``j``'s rule is true when one of its terms holds).

    Attributes
    ----------
    term_start
        ``term_start[j]:term_start[j + 1]`` are node ``j``'s terms (int64, ``n + 1``).
    literal_start
        ``literal_start[t]:literal_start[t + 1]`` are term ``t``'s literals (int64).
    literal_node, literal_value
        A literal's node and the value it requires (int64, uint8).
    reader_start, readers
        ``readers[reader_start[i]:reader_start[i + 1]]``: node ``i`` and the nodes whose
        rule reads ``i`` (int64): what a flip of ``i`` can enable or disable.
    """

    term_start: Any
    literal_start: Any
    literal_node: Any
    literal_value: Any
    reader_start: Any
    readers: Any


def flat_rules(compiled_network: Any) -> FlatRules:
    """The rules of a :class:`~signet.dynamics.compiled.CompiledNetwork` as :class:`FlatRules`
    (its prime implicants of ``f_j == 1``; computed once per compiled network).

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> from signet.dynamics.compiled import compiled
    >>> flat = flat_rules(compiled(BooleanNetwork({"A": "B | !A", "B": "A & B"})))
    >>> flat.term_start.tolist(), flat.literal_node.tolist(), flat.literal_value.tolist()
    ([0, 2, 3], [0, 1, 0, 1], [0, 1, 1, 1])
    >>> flat.readers.tolist()                       # A: itself, then B (reads A); B: itself, then A
    [0, 1, 1, 0]
    """
    cached = getattr(compiled_network, "_flat_rules", None)
    if cached is not None:
        return cached
    n = compiled_network.size
    term_start, literal_start, nodes, values = [0], [0], [], []
    for j in range(n):
        for mask, bits in compiled_network.primes[j][1]:
            for k in range(n):
                if (mask >> k) & 1:
                    nodes.append(k)
                    values.append((bits >> k) & 1)
            literal_start.append(len(nodes))
        term_start.append(len(literal_start) - 1)
    reader_start, readers = [0], []
    for i in range(n):
        readers.extend([i] + [q for q in compiled_network.successors[i] if q != i])
        reader_start.append(len(readers))
    flat = FlatRules(np.array(term_start, dtype=np.int64), np.array(literal_start, dtype=np.int64),
                     np.array(nodes, dtype=np.int64), np.array(values, dtype=np.uint8),
                     np.array(reader_start, dtype=np.int64), np.array(readers, dtype=np.int64))
    compiled_network._flat_rules = flat
    return flat


def philox(c0: int, c1: int, c2: int, c3: int, k0: int, k1: int) -> tuple[int, int, int, int]:
    """The Philox4x32-10 block of counter ``(c0, c1, c2, c3)`` and key ``(k0, k1)`` (32-bit words).

    Examples
    --------
    >>> [hex(w) for w in philox(*[0xffffffff] * 6)]
    ['0x408f276d', '0x41c83b0e', '0xa20bc7c6', '0x6d5451fd']
    """
    w = _block(np.uint64(c0), np.uint64(c1), np.uint64(c2), np.uint64(c3), np.uint64(k0),
                              np.uint64(k1))
    return (int(w[0]), int(w[1]), int(w[2]), int(w[3]))


def uniforms(seed: int, trajectories: Any, stream: int, count: int) -> Any:
    """``count`` uniforms in ``[0, 1)`` per trajectory (rows): draws ``0 .. count - 1`` of each
    one's ``stream``.

    Examples
    --------
    >>> import numpy as np
    >>> u = uniforms(7, np.array([0, 1, 0]), 0, 3)
    >>> u.shape, bool((u[0] == u[2]).all()), bool((u[0] != u[1]).all()), bool(((0 <= u) & (u < 1)).all())
    ((3, 3), True, True, True)
    """
    k0, k1 = _key(seed)
    out = np.empty((len(trajectories), count))
    _fill_uniforms(k0, k1, np.asarray(trajectories, dtype=np.int64), np.uint64(stream), out)
    return out


def advance(states: Any, rows: Any, trajectories: Any, steps: Any, times: Any, seed: int, stream: int,
            flat: FlatRules, movable: Any, table: Any, end: float, round_steps: int, status: Any) -> None:
    """Advance the trajectories ``rows`` (of ``states``, uint8 ``(runs, nodes)``, changed in place)
    by up to ``round_steps`` steps each (``0``: until they stop).

    ``trajectories[r]``: row ``r``'s trajectory index (its random stream); ``steps[r]`` and
    ``times[r]``: the steps it took in this phase and its clock (updated); ``movable``
    (uint8): the nodes that may flip (the others are pinned or never enabled); ``table``: the
    flip rates (:class:`~signet.dynamics.ratetable.RateTable`); ``status[r]`` receives
    :data:`RUNNING`, :data:`FIXED` or :data:`ENDED`.
    """
    k0, k1 = _key(seed)
    _run(states, np.asarray(rows, dtype=np.int64), trajectories, steps, times, k0, k1,
                           np.uint64(stream), flat.term_start, flat.literal_start, flat.literal_node,
                           flat.literal_value, flat.reader_start, flat.readers, movable, table.up, table.down,
                           table.case_start, table.case_value, table.var_start, table.var_node, table.table_start,
                           table.table, float(end), int(round_steps), status)


def disagreeing(rows: Any, nodes: Any, flat: FlatRules) -> Any:
    """For each node of ``nodes`` (int64), whether its rule disagrees with its value in one of the
    states ``rows`` (uint8 ``(states, nodes)``): uint8 flags.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> from signet.dynamics.compiled import compiled
    >>> flat = flat_rules(compiled(BooleanNetwork({"A": "!B", "B": "B"})))
    >>> disagreeing(np.array([[1, 0], [0, 0]], dtype=np.uint8), np.array([0, 1]), flat).tolist()
    [1, 0]
    """
    out = np.zeros(len(nodes), dtype=np.uint8)
    _disagreeing(np.ascontiguousarray(rows, dtype=np.uint8), np.asarray(nodes, dtype=np.int64), flat.term_start,
                 flat.literal_start, flat.literal_node, flat.literal_value, out)
    return out


def _key(seed: int) -> tuple[Any, Any]:
    seed %= 1 << 64
    return np.uint64(seed & 0xFFFFFFFF), np.uint64(seed >> 32)


_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)
_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
_W0, _W1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)
_SCALE = 1.0 / 9007199254740992.0  # 2 ** -53
_jit = numba.njit(cache=True, nogil=True)


@_jit
def _block(c0: Any, c1: Any, c2: Any, c3: Any, k0: Any, k1: Any) -> Any:
    """Philox4x32-10: ten rounds, the key bumped by the Weyl constants before rounds 2 to 10."""
    for r in range(10):
        if r:
            k0 = (k0 + _W0) & _MASK32
            k1 = (k1 + _W1) & _MASK32
        p0 = _M0 * c0
        p1 = _M1 * c2
        c0, c1, c2, c3 = ((p1 >> _SHIFT32) ^ c1 ^ k0), p1 & _MASK32, ((p0 >> _SHIFT32) ^ c3 ^ k1), p0 & _MASK32
    return c0, c1, c2, c3


@_jit
def _two_uniforms(draw: Any, trajectory: Any, stream: Any, k0: Any, k1: Any) -> Any:
    a, b, c, d = _block(np.uint64(draw) & _MASK32, np.uint64(trajectory) & _MASK32, stream, np.uint64(0), k0, k1)
    u = (float(a >> np.uint64(5)) * 67108864.0 + float(b >> np.uint64(6))) * _SCALE
    v = (float(c >> np.uint64(5)) * 67108864.0 + float(d >> np.uint64(6))) * _SCALE
    return u, v


@_jit
def _fill_uniforms(k0: Any, k1: Any, trajectories: Any, stream: Any, out: Any) -> None:
    count = out.shape[1]
    for r in range(len(trajectories)):
        for d in range((count + 1) // 2):
            u, v = _two_uniforms(d, trajectories[r], stream, k0, k1)
            out[r, 2 * d] = u
            if 2 * d + 1 < count:
                out[r, 2 * d + 1] = v


@_jit
def _rule(j: int, s: Any, term_start: Any, literal_start: Any, literal_node: Any, literal_value: Any) -> int:
    """Node ``j``'s rule in the state ``s``: whether one of its terms holds."""
    for t in range(term_start[j], term_start[j + 1]):
        holds = True
        for k in range(literal_start[t], literal_start[t + 1]):
            if s[literal_node[k]] != literal_value[k]:
                holds = False
                break
        if holds:
            return 1
    return 0


@_jit
def _enable(j: int, now: bool, enabled: Any, flags: Any, count: int) -> int:
    """Put ``j`` in (``now``) or out of the enabled list, kept in increasing node order (so
    that a flip's choice depends on the state only); returns the new count."""
    if now == flags[j]:
        return count
    flags[j] = now
    if now:
        i = count
        while i > 0 and enabled[i - 1] > j:
            enabled[i] = enabled[i - 1]
            i -= 1
        enabled[i] = j
        return count + 1
    i = 0
    while enabled[i] != j:
        i += 1
    while i < count - 1:
        enabled[i] = enabled[i + 1]
        i += 1
    return count - 1


@_jit
def _rate(j: int, s: Any, up: Any, down: Any, case_start: Any, case_value: Any, var_start: Any, var_node: Any,
          table_start: Any, table: Any) -> float:
    """Node ``j``'s flip rate in the state ``s``: the first case of its slot whose condition
    holds (its truth table at the values of the nodes it reads), else its default."""
    slot = 2 * j + s[j]
    for c in range(case_start[slot], case_start[slot + 1]):
        index = 0
        for i in range(var_start[c], var_start[c + 1]):
            index |= np.int64(s[var_node[i]]) << (i - var_start[c])
        if table[table_start[c] + index]:
            return case_value[c]
    return down[j] if s[j] else up[j]


@_jit
def _choose(s: Any, enabled: Any, count: int, rates: Any, threshold: float) -> int:
    """The enabled node at which the cumulative rate first exceeds ``threshold`` (``rates[i]``:
    the rate of ``enabled[i]``)."""
    target = -1
    cumulative = 0.0
    for i in range(count):
        j = enabled[i]
        rate = rates[i]
        if rate > 0.0:
            target = j
            cumulative += rate
            if threshold < cumulative:
                break
    return target


@_jit
def _run(states: Any, rows: Any, trajectories: Any, steps: Any, times: Any, k0: Any, k1: Any, stream: Any,
         term_start: Any, literal_start: Any, literal_node: Any, literal_value: Any, reader_start: Any,
         readers: Any, movable: Any, up: Any, down: Any, case_start: Any, case_value: Any, var_start: Any,
         var_node: Any, table_start: Any, table: Any, end: float, round_steps: int, status: Any) -> None:
    n = states.shape[1]
    dependent = len(case_value) > 0
    rates = np.empty(n)  # the rates of the enabled nodes (state-dependent rates)
    enabled = np.empty(n, dtype=np.int64)  # the enabled nodes, in increasing order
    flags = np.zeros(n, dtype=np.bool_)  # whether a node is enabled
    for r in rows:
        s = states[r]
        count = 0
        for j in range(n):
            flags[j] = False
            if movable[j]:
                count = _enable(j, _rule(j, s, term_start, literal_start, literal_node, literal_value) != s[j],
                                enabled, flags, count)
        clock = times[r]
        step = steps[r]
        taken = 0
        outcome = RUNNING
        while round_steps == 0 or taken < round_steps:
            total = 0.0
            for i in range(count):
                j = enabled[i]
                if dependent:
                    rates[i] = _rate(j, s, up, down, case_start, case_value, var_start, var_node, table_start, table)
                else:
                    rates[i] = down[j] if s[j] else up[j]
                total += rates[i]
            if total <= 0.0:
                outcome = FIXED
                break
            u, v = _two_uniforms(step, trajectories[r], stream, k0, k1)
            later = clock - np.log1p(-u) / total
            if later >= end:
                outcome = ENDED
                break
            target = _choose(s, enabled, count, rates, v * total)
            s[target] ^= 1
            clock = later
            step += 1
            taken += 1
            for i in range(reader_start[target], reader_start[target + 1]):
                q = readers[i]
                if movable[q]:
                    count = _enable(q, _rule(q, s, term_start, literal_start, literal_node, literal_value) != s[q],
                                    enabled, flags, count)
        times[r] = clock
        steps[r] = step
        status[r] = outcome


@_jit
def _disagreeing(rows: Any, nodes: Any, term_start: Any, literal_start: Any, literal_node: Any, literal_value: Any,
                 out: Any) -> None:
    for i in range(len(nodes)):
        j = nodes[i]
        for r in range(rows.shape[0]):
            if _rule(j, rows[r], term_start, literal_start, literal_node, literal_value) != rows[r, j]:
                out[i] = 1
                break
