"""Multi-valued nodes as level bits (Van Ham's encoding), and perturbations at a level.

The readers of GINsim (:mod:`signet.io.ginml`) and SBML-qual (``multivalued="bits"``)
turn a node ``X`` with levels ``0..m`` (``m >= 2``) into ``m`` Boolean nodes
``X_b1 .. X_bm``, ``X_bk`` meaning "X >= k".  Only the *admissible* states, where
``X_b(k+1) = 1`` implies ``X_bk = 1``, stand for a level; the stepwise rules the readers
write (``X_bk = (target >= k & X_b(k-1)) | (X_bk & X_b(k+1))``) keep every admissible
state admissible under synchronous and asynchronous update, so the admissible states
are a trap set and the attractors of the multi-valued model are the attractors of the
Boolean network that lie in it (:func:`signet.dynamics.attractors` keeps only those).

A network is multi-valued where its node names say so, ``X_b1 .. X_bm`` all present for
some ``m >= 2`` and no node named ``X`` (the convention survives conversion to ``.bnet``),
and its rules keep admissible states admissible (:func:`keeps_levels`).
A perturbation fixes ``X`` at a level, in bioLQM's notation ``X%0`` .. ``X%m``: all of
its bits at once, never one level bit alone.

Examples
--------
>>> from signet.model import BooleanNetwork
>>> net = BooleanNetwork({"A": "A", "X_b1": "A | X_b2", "X_b2": "A & X_b1"})
>>> level_groups(net.nodes)
{'X': ('X_b1', 'X_b2')}
>>> level_values(net, "X", 1)
{'X_b1': 1, 'X_b2': 0}
>>> parse_level_perturbation("X%2")
('X', 2)
>>> level_label([("X_b1", 1), ("X_b2", 0)], level_groups(net.nodes))
['X%1']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from .errors import ModelError

if TYPE_CHECKING:
    from .model import BooleanNetwork

__all__ = [
    "level_groups",
    "network_level_groups",
    "level_bit",
    "max_levels",
    "level_values",
    "top_level",
    "resolve_name",
    "parse_level_perturbation",
    "expand_levels",
    "check_whole_levels",
    "is_admissible",
    "space_meets_admissible",
    "space_within_admissible",
    "level_label",
    "admissible_starts",
    "keeps_levels",
]

_BIT = re.compile(r"^(?P<base>.+)_b(?P<k>[1-9][0-9]*)$")
_LEVEL = re.compile(r"^\s*(?P<name>[^%=\s]+)\s*%\s*(?P<level>[0-9]+)\s*$")


def level_groups(nodes: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """``{X: (X_b1, ..., X_bm)}`` for every multi-valued node (``m >= 2``), in node order."""
    names = list(nodes)
    present = set(names)
    bits: dict[str, set[int]] = {}
    order: list[str] = []
    for name in names:
        m = _BIT.match(name)
        if m:
            base = m.group("base")
            if base not in bits:
                bits[base] = set()
                order.append(base)
            bits[base].add(int(m.group("k")))
    out = {}
    for base in order:
        ks = bits[base]
        top = max(ks)
        if top >= 2 and ks == set(range(1, top + 1)) and base not in present:
            out[base] = tuple(f"{base}_b{k}" for k in range(1, top + 1))
    return out


def _groups(network: "BooleanNetwork") -> dict[str, tuple[str, ...]]:
    """:func:`level_groups` of the network's nodes whose rules keep admissible states
    admissible (:func:`keeps_levels`), computed once per network."""
    cache = network._cache  # noqa: SLF001 - the network's own memo of derived data
    groups = cache.get("level_groups")
    if groups is None:
        named = level_groups(network.nodes)
        groups = cache["level_groups"] = {b: bits for b, bits in named.items() if keeps_levels(network, bits)}
    return groups


def keeps_levels(network: "BooleanNetwork", bits: Sequence[str]) -> bool:
    """Whether the rules of ``bits`` (``X_b1 .. X_bm``) map admissible states to admissible
    states under asynchronous and synchronous update.

    With ``f_k`` the rule of ``X_bk`` it checks, other nodes taking every value: ``f_k = 0``
    where ``X_b(k-1) = 0`` (a bit does not rise above a 0), ``f_k = 1`` where
    ``X_b(k+1) = 1`` (a bit does not fall below a 1), and at level ``k`` not both
    ``f_k = 0`` and ``f_(k+1) = 1`` (one synchronous step gives a level).  The readers'
    stepwise rules pass; names that only look like level bits, with other rules, do not,
    and such a network is analysed as the Boolean network it is.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> keeps_levels(BooleanNetwork({"A": "A", "X_b1": "A | X_b2", "X_b2": "A & X_b1"}), ("X_b1", "X_b2"))
    True
    >>> keeps_levels(BooleanNetwork({"A": "A", "X_b1": "A", "X_b2": "!A"}), ("X_b1", "X_b2"))
    False
    """
    from .expr import Const, Not, Or, equivalent, fold_constants, restricted_constant, substitute

    rules = network.rules
    m = len(bits)
    false, true = Const(False), Const(True)
    for k in range(1, m + 1):
        rule = rules[bits[k - 1]]
        if k >= 2 and not restricted_constant(rule, {b: False for b in bits[k - 2:]}, False):
            return False
        if k < m and not restricted_constant(rule, {b: True for b in bits[:k + 1]}, True):
            return False
    for k in range(1, m):  # at level k: f_k | !f_(k+1)
        level = {b: (true if j < k else false) for j, b in enumerate(bits)}
        step = fold_constants(substitute(Or((rules[bits[k - 1]], Not(rules[bits[k]]))), level))
        if not equivalent(step, true):
            return False
    return True


def network_level_groups(network: "BooleanNetwork") -> dict[str, tuple[str, ...]]:
    """:func:`level_groups` of ``network`` (computed once per network)."""
    return _groups(network)


def level_bit(network: "BooleanNetwork", node: str) -> str | None:
    """The multi-valued node ``node`` is a level bit of, or ``None``."""
    m = _BIT.match(node)
    if m and m.group("base") in _groups(network) and node in _groups(network)[m.group("base")]:
        return m.group("base")
    return None


def max_levels(network: "BooleanNetwork") -> dict[str, int]:
    """``{X: m}`` for every multi-valued node of ``network`` (levels ``0..m``)."""
    return {base: len(bits) for base, bits in _groups(network).items()}


def resolve_name(network: "BooleanNetwork", name: str) -> str:
    """A multi-valued node's name (exact, case-insensitive or an alias of its first bit), or
    :meth:`~signet.model.BooleanNetwork.resolve`."""
    base = _resolve_group(network, name)
    return base if base is not None else network.resolve(name)


def top_level(network: "BooleanNetwork", name: str) -> int:
    """The highest level of ``name``: ``m`` for a multi-valued node, 1 for a Boolean one."""
    base = _resolve_group(network, name)
    return len(_groups(network)[base]) if base is not None else 1


def level_values(network: "BooleanNetwork", name: str, level: int) -> dict[str, int]:
    """The node values that put ``name`` at ``level``: its bits for a multi-valued node.

    Raises
    ------
    ModelError
        A level outside ``0..m`` (``0..1`` for a Boolean node); an unknown name is an
        :class:`~signet.errors.UnknownNodeError`.
    """
    groups = _groups(network)
    base = _resolve_group(network, name)
    if base is not None:
        bits = groups[base]
        if not 0 <= level <= len(bits):
            raise ModelError(f"{base} has levels 0..{len(bits)}, not {level}")
        return {bit: int(k < level) for k, bit in enumerate(bits)}
    node = network.resolve(name)
    if level not in (0, 1):
        raise ModelError(f"{node} is Boolean (levels 0..1), not {level}")
    return {node: level}


def _resolve_group(network: "BooleanNetwork", name: str) -> str | None:
    groups = _groups(network)
    if not groups or name in network.rules:
        return None
    if name in groups:
        return name
    folded = name.casefold()
    for base in groups:
        if base.casefold() == folded:
            return base
    for alias, node in network.annotations.alias_table().items():
        if alias in (name, folded):
            return level_bit(network, node)
    return None


def parse_level_perturbation(text: str) -> tuple[str, int]:
    """``"X%2"`` (bioLQM's notation) as ``("X", 2)``."""
    m = _LEVEL.match(text)
    if not m:
        raise ModelError(f"bad level perturbation {text!r}: expected NODE%LEVEL, e.g. ATM%0 or ATM%2")
    return m.group("name"), int(m.group("level"))


def expand_levels(network: "BooleanNetwork", assignment: Mapping[str, int]) -> dict[str, int]:
    """``assignment`` with every multi-valued node ``X: level`` replaced by its bits; other
    names are left for :meth:`~signet.model.BooleanNetwork.resolve_assignment`."""
    out: dict[str, int] = {}
    for name, value in assignment.items():
        base = _resolve_group(network, name)
        if base is None:
            out[name] = value
        else:
            out.update(level_values(network, base, int(value)))
    return out


def check_whole_levels(network: "BooleanNetwork", values: Mapping[str, int], what: str = "perturbation") -> None:
    """Refuse an assignment (resolved names) that fixes level bits other than as whole levels.

    Raises
    ------
    ModelError
        Naming the multi-valued node and how to fix it at a level.
    """
    if not values:  # nothing fixed: the multi-valued nodes (every rule read) need not be found
        return
    groups = _groups(network)
    if not groups:
        return
    touched = {level_bit(network, n) for n in values} - {None}
    for base in sorted(touched, key=str):
        bits = groups[str(base)]
        given = [values.get(b) for b in bits]
        if None in given or not _admissible(given):  # type: ignore[arg-type]
            shown = ", ".join(f"{b}={values[b]}" for b in bits if b in values)
            raise ModelError(f"{what} {shown}: level bits of the multi-valued node {base} (levels 0..{len(bits)}) "
                             f"are fixed together: fix {base} at a level, e.g. {base}%0 or {base}%{len(bits)}")


def closed_levels(network: "BooleanNetwork", groups: Mapping[str, Sequence[str]]) -> "BooleanNetwork":
    """``network`` with each level bit's rule ``f_k`` replaced by ``(f_k & b_(k-1)) | b_(k+1)``.

    On admissible states the two rules agree (a network whose level bits keep admissible
    states admissible, :func:`keeps_levels`, must have ``f_k = 1`` where ``b_(k+1) = 1``
    and ``f_k = 0`` where ``b_(k-1) = 0``), so the sync and async dynamics there are the
    same; but an inadmissible state is never stuck: the bit below a 1 can rise and the bit
    above a 0 can fall.  So every trap space of the result holds an admissible state, and
    its minimal trap spaces are the most-permissive attractors of the multi-valued model
    (the trap spaces minimal among those that meet admissible states).

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"X_b1": "X_b1 & X_b2", "X_b2": "X_b2"})
    >>> {n: str(r) for n, r in closed_levels(net, {"X": ("X_b1", "X_b2")}).rules.items()}
    {'X_b1': 'X_b1 & X_b2 | X_b2', 'X_b2': 'X_b2 & X_b1'}
    """
    from .expr import And, Or, Var

    rules = dict(network.rules)
    for bits in groups.values():
        for k, bit in enumerate(bits):
            rule = rules[bit]
            if k > 0:
                rule = And((rule, Var(bits[k - 1])))
            if k + 1 < len(bits):
                rule = Or((rule, Var(bits[k + 1])))
            rules[bit] = rule
    return network._evolve(rules)  # noqa: SLF001


def _admissible(bits: Sequence[int]) -> bool:
    return all(bits[k] >= bits[k + 1] for k in range(len(bits) - 1))


def is_admissible(state: Mapping[str, int], groups: Mapping[str, Sequence[str]]) -> bool:
    """Whether a full state stands for levels: ``X_b(k+1) = 1`` implies ``X_bk = 1``."""
    return all(_admissible([int(state[b]) for b in bits]) for bits in groups.values())


def space_within_admissible(space: Mapping[str, int | str], groups: Mapping[str, Sequence[str]]) -> bool:
    """Whether every state of a subspace is admissible: no bit that may be 1 above a bit that
    may be 0 (then an attractor spanning the space needs no member state to be judged).

    Examples
    --------
    >>> groups = {"X": ("X_b1", "X_b2")}
    >>> space_within_admissible({"X_b1": 1, "X_b2": "*"}, groups)
    True
    >>> space_within_admissible({"X_b1": "*", "X_b2": "*"}, groups)
    False
    """
    for bits in groups.values():
        may_be_zero = False
        for b in bits:
            v = space.get(b, "*")
            if v != 0 and may_be_zero:
                return False
            may_be_zero = may_be_zero or v != 1
    return True


def space_meets_admissible(space: Mapping[str, int | str], groups: Mapping[str, Sequence[str]]) -> bool:
    """Whether a subspace (values ``0``, ``1``, ``"*"``) holds an admissible state: no bit
    fixed at 1 above a bit fixed at 0."""
    return next(inadmissible_groups(space, groups), None) is None


def inadmissible_groups(space: Mapping[str, int | str], groups: Mapping[str, Sequence[str]]) -> Iterator[str]:
    """The groups (names) whose bits ``space`` fixes at an inadmissible pattern (a bit at 1
    above a bit at 0), in the order of ``groups``.

    Examples
    --------
    >>> list(inadmissible_groups({"X_b1": 0, "X_b2": 1, "Y_b1": "*", "Y_b2": 1},
    ...                          {"X": ("X_b1", "X_b2"), "Y": ("Y_b1", "Y_b2")}))
    ['X']
    """
    for base, bits in groups.items():
        seen_zero = False
        for b in bits:
            v = space.get(b, "*")
            if v == 0:
                seen_zero = True
            elif v == 1 and seen_zero:
                yield base
                break


#: Most start subspaces :func:`admissible_starts` splits one start into.
MAX_START_SPLIT = 1024


def admissible_starts(starts: Sequence[Mapping[str, int]], groups: Mapping[str, Sequence[str]],
                      limit: int = MAX_START_SPLIT) -> tuple[list[dict[str, int]], bool]:
    """Partial states restricted to admissible states, as a union of partial states.

    A start that leaves some level bits of a node free is split into one start per level
    of that node its given bits allow (a start whose given bits are inadmissible holds no
    admissible state and is dropped).  Returns the starts and ``True``, or the starts
    unchanged and ``False`` when one would split into more than ``limit``.

    Examples
    --------
    >>> groups = {"X": ("X_b1", "X_b2")}
    >>> admissible_starts([{"A": 1}], groups)
    ([{'A': 1, 'X_b1': 0, 'X_b2': 0}, {'A': 1, 'X_b1': 1, 'X_b2': 0}, {'A': 1, 'X_b1': 1, 'X_b2': 1}], True)
    >>> admissible_starts([{"X_b2": 1}], groups)
    ([{'X_b2': 1, 'X_b1': 1}], True)
    """
    import itertools

    out: list[dict[str, int]] = []
    for start in starts:
        options: list[list[dict[str, int]]] = []
        total = 1
        for bits in groups.values():
            if all(b in start for b in bits):
                if not _admissible([int(start[b]) for b in bits]):
                    options = []
                    total = 0
                    break
                continue
            levels = []
            for level in range(len(bits) + 1):
                values = {b: int(k < level) for k, b in enumerate(bits)}
                if all(int(start[b]) == v for b, v in values.items() if b in start):
                    levels.append({b: v for b, v in values.items() if b not in start})
            options.append(levels)
            total *= len(levels)
            if total > limit:
                return [dict(s) for s in starts], False
        if total == 0:
            continue
        for combo in itertools.product(*options):
            state = dict(start)
            for part in combo:
                state.update(part)
            out.append(state)
    return out, True


def level_label(fixes: Sequence[tuple[str, int]], groups: Mapping[str, Sequence[str]]) -> list[str]:
    """The fixes as text: a whole level of a multi-valued node as ``X%k``, others ``A=v``."""
    values = dict(fixes)
    out: list[str] = []
    done: set[str] = set()
    for name, value in fixes:
        if name in done:
            continue
        m = _BIT.match(name)
        base = m.group("base") if m else None
        bits = groups.get(base) if base else None
        if bits and all(b in values for b in bits):
            out.append(f"{base}%{sum(values[b] for b in bits)}")
            done.update(bits)
        else:
            out.append(f"{name}={value}")
            done.add(name)
    return out
