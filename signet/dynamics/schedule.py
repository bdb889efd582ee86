"""Treatment schedules: sequences of input phases, and the fates a cell reaches under them.

A schedule is written as text::

    RT=1 ; RT=0                  a pulse: irradiate, then stop
    (RT=1 ; RT=0) x 5            five fractions
    RT=1, TNF=1 ; RT=0           several nodes set in one phase
    (RT=1 @ 2 ; RT=0 @ 5) x 3    bounded phases (2 and 5 steps)
    ((RT=1 ; RT=0) x 2 ; PARP=0) x 3

A *phase* fixes the nodes it names (usually inputs) to 0 or 1; every other node
follows its rule, so an input that a phase does not name keeps the value it had
(its rule is ``X, X``).  The context and the perturbation of the question apply in
every phase; a phase's own values win over them, as the treatment does in
:func:`signet.dynamics.response`.

Semantics (docs/attractors.md, section "Schedules"): the cell starts from the
untreated baseline (:func:`signet.dynamics.baseline_starts`) or from given start
states; a phase runs *until settled* — its attractors are reached — and the next
phase starts from **every** state of every attractor reached (for ``mp``: every
state of every minimal trap space reached).  ``PHASE @ n`` bounds a phase to ``n``
steps: for ``sync`` exactly ``n`` synchronous steps, for ``async`` at most ``n``
asynchronous transitions; ``mp`` has no steps and refuses bounded phases.  For the
stochastic chain (probabilities, simulation) ``@ t`` is a duration in time units.

Examples
--------
>>> s = parse_schedule("(RT=1 ; RT=0) x 2")
>>> str(s), [str(p) for p in s.phases()]
('(RT=1 ; RT=0) x 2', ['RT=1', 'RT=0', 'RT=1', 'RT=0'])
>>> parse_schedule("RT=1 ; RT")
Traceback (most recent call last):
...
signet.errors.ParseError: schedule:1:10: expected '=' after 'RT', found the end
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence, Union

from ..errors import ModelError, ParseError, StateSpaceTooLarge

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    from ..model import BooleanNetwork
    from . import AttractorResult

__all__ = [
    "Phase",
    "Repeat",
    "Schedule",
    "PhaseOutcome",
    "ScheduleResult",
    "parse_schedule",
    "as_schedule",
    "run_schedule",
    "phase_starts",
    "MAX_BOUNDED_STATES",
]

#: The most states a bounded (``@ n``) sync/async phase may hold at once.
MAX_BOUNDED_STATES = 1 << 20


# ---------------------------------------------------------------------------
# The value types
# ---------------------------------------------------------------------------
def _number_text(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(float(value))


@dataclass(frozen=True)
class Phase:
    """One phase: nodes fixed to values, and an optional bound on its length.

    Attributes
    ----------
    values
        ``((node, 0|1), ...)`` in the order written.
    duration
        ``None``: the phase lasts until its attractors are reached.  Otherwise the
        number of steps (sync, async: an integer) or, for the stochastic chain, the
        time in rate units.

    Examples
    --------
    >>> p = Phase((("RT", 1), ("TNF", 0)), duration=3)
    >>> str(p), p.assignment()
    ('RT=1, TNF=0 @ 3', {'RT': 1, 'TNF': 0})
    """

    values: tuple[tuple[str, int], ...]
    duration: int | float | None = None
    where: tuple[tuple[int, int], ...] = field(default=(), compare=False, repr=False)

    def assignment(self) -> dict[str, int]:
        """The phase's values as ``{node: 0|1}``."""
        return dict(self.values)

    def __str__(self) -> str:
        text = ", ".join(f"{n}={v}" for n, v in self.values)
        if self.duration is not None:
            text += f" @ {_number_text(self.duration)}"
        return text


@dataclass(frozen=True)
class Repeat:
    """A sub-schedule repeated ``times`` times (``(...) x times``)."""

    body: "Schedule"
    times: int

    def __str__(self) -> str:
        items = self.body.items
        if len(items) == 1 and isinstance(items[0], Phase):
            return f"{items[0]} x {self.times}"
        return f"({self.body}) x {self.times}"


Item = Union[Phase, Repeat]


@dataclass(frozen=True)
class Schedule:
    """A sequence of phases and repeated sub-schedules; ``str()`` gives text that parses back.

    Examples
    --------
    >>> s = Schedule.of({"RT": 1})
    >>> str(s), s.is_single()
    ('RT=1', True)
    >>> parse_schedule(str(parse_schedule("(A=1 @ 2 ; B=0) x 3 ; A=0"))) == parse_schedule("(A=1 @ 2 ; B=0) x 3 ; A=0")
    True
    """

    items: tuple[Item, ...]

    @classmethod
    def of(cls, treatment: Mapping[str, int]) -> "Schedule":
        """The one-phase schedule that fixes ``treatment`` until settled."""
        return cls((Phase(tuple((str(k), int(v)) for k, v in treatment.items())),))

    def phases(self) -> tuple[Phase, ...]:
        """Every phase in order, repeats unrolled."""
        return tuple(self._walk())

    def _walk(self) -> Iterator[Phase]:
        for item in self.items:
            if isinstance(item, Phase):
                yield item
            else:
                for _ in range(item.times):
                    yield from item.body._walk()

    def nodes(self) -> list[str]:
        """The nodes any phase names, in first-seen order."""
        seen: dict[str, None] = {}
        for item in self._items_flat():
            for name, _ in item.values:
                seen.setdefault(name, None)
        return list(seen)

    def _items_flat(self) -> Iterator[Phase]:
        stack: list[Item] = list(reversed(self.items))
        while stack:
            item = stack.pop()
            if isinstance(item, Phase):
                yield item
            else:
                stack.extend(reversed(item.body.items))

    def is_single(self) -> bool:
        """Whether this is one phase run until settled (what a treatment mapping means)."""
        return len(self.items) == 1 and isinstance(self.items[0], Phase) and self.items[0].duration is None

    def is_bounded(self) -> bool:
        """Whether some phase has a bound (``@``)."""
        return any(p.duration is not None for p in self._items_flat())

    def first_values(self) -> dict[str, int]:
        """The values of the first phase (what tools without schedules take as the treatment)."""
        first = next(iter(self._walk()), None)
        return first.assignment() if first is not None else {}

    def renamed(self, mapping: Mapping[str, str]) -> "Schedule":
        """The same schedule with node names replaced through ``mapping``."""

        def rename(schedule: Schedule) -> Schedule:
            items: list[Item] = []
            for item in schedule.items:
                if isinstance(item, Phase):
                    values = tuple((mapping.get(n, n), v) for n, v in item.values)
                    items.append(Phase(values, item.duration, item.where))
                else:
                    items.append(Repeat(rename(item.body), item.times))
            return Schedule(tuple(items))

        return rename(self)

    def resolve(self, network: "BooleanNetwork", *, source: str | None = "schedule") -> "Schedule":
        """Node names (aliases, case) replaced by the nodes they denote.

        Raises
        ------
        ParseError
            An unknown node, with its position in the text when the schedule was parsed.
        """
        from ..errors import UnknownNodeError

        def resolve(schedule: Schedule) -> Schedule:
            items: list[Item] = []
            for item in schedule.items:
                if isinstance(item, Repeat):
                    items.append(Repeat(resolve(item.body), item.times))
                    continue
                values = []
                for k, (name, value) in enumerate(item.values):
                    try:
                        values.append((network.resolve(name), value))
                    except UnknownNodeError as exc:
                        line, column = item.where[k] if k < len(item.where) else (None, None)
                        raise ParseError(str(exc), source=source, line=line, column=column, token=name) from None
                items.append(Phase(tuple(values), item.duration, item.where))
            return Schedule(tuple(items))

        return resolve(self)

    def __str__(self) -> str:
        return " ; ".join(str(item) for item in self.items)


# ---------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------
_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.:]*)"
    r"|(?P<punct>[();,=@×])"
)
_REPEAT_NAME = re.compile(r"[xX](\d+)\Z")


@dataclass
class _Token:
    kind: str  # "name", "number", "punct", "end"
    text: str
    line: int
    column: int

    def shown(self) -> str:
        return "the end" if self.kind == "end" else repr(self.text)


def _tokens(text: str, source: str | None) -> list[_Token]:
    out: list[_Token] = []
    i, line, line_start = 0, 1, 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if m is None:
            raise ParseError(f"unexpected character {text[i]!r}", source=source, line=line,
                             column=i - line_start + 1, token=text[i])
        kind = m.lastgroup or ""
        if kind == "space":
            for k, ch in enumerate(m.group(), start=i):
                if ch == "\n":
                    line, line_start = line + 1, k + 1
        else:
            out.append(_Token(kind, m.group(), line, i - line_start + 1))
        i = m.end()
    out.append(_Token("end", "", line, len(text) - line_start + 1))
    return out


class _Parser:
    def __init__(self, text: str, source: str | None) -> None:
        self.source = source
        self.tokens = _tokens(text, source)
        self.i = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.i]

    def error(self, message: str, token: _Token | None = None) -> ParseError:
        token = token or self.token
        return ParseError(message, source=self.source, line=token.line, column=token.column,
                          token=token.text or None)

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at(self, text: str) -> bool:
        return self.token.kind == "punct" and self.token.text == text

    def parse(self) -> Schedule:
        if self.token.kind == "end":
            raise self.error("empty schedule: expected a phase such as 'RT=1'")
        schedule = self.sequence()
        if self.token.kind != "end":
            raise self.error(f"expected ';' or the end, found {self.token.shown()}")
        return schedule

    def sequence(self) -> Schedule:
        items: list[Item] = []
        items.extend(self.item())
        while self.at(";"):
            self.take()
            items.extend(self.item())
        return Schedule(tuple(items))

    def item(self) -> list[Item]:
        if self.at("("):
            opening = self.take()
            body = self.sequence()
            if not self.at(")"):
                if self.token.kind == "end":
                    raise self.error("'(' is never closed", opening)
                raise self.error(f"expected ';' or ')', found {self.token.shown()}")
            self.take()
            times = self.repeat()
            if times is None:
                return list(body.items)  # a group without a repeat is only grouping
            return [Repeat(body, times)]
        phase = self.phase()
        times = self.repeat()
        if times is None:
            return [phase]
        return [Repeat(Schedule((phase,)), times)]

    def repeat(self) -> int | None:
        token = self.token
        if token.kind == "punct" and token.text == "×" or token.kind == "name" and token.text in ("x", "X"):
            self.take()
            count = self.token
            if count.kind != "number":
                raise self.error(f"expected a repeat count after {token.text!r}, found {count.shown()}")
            self.take()
            return self._count(count)
        if token.kind == "name":
            m = _REPEAT_NAME.match(token.text)
            if m:  # "x5" written without a space
                self.take()
                return self._count(token, m.group(1), offset=1)
        return None

    def _count(self, token: _Token, text: str | None = None, offset: int = 0) -> int:
        text = token.text if text is None else text
        if not text.isdigit() or int(text) < 1:
            raise ParseError(f"a repeat count is a whole number of at least 1, not {text!r}",
                             source=self.source, line=token.line, column=token.column + offset, token=text)
        return int(text)

    def phase(self) -> Phase:
        values: list[tuple[str, int]] = []
        where: list[tuple[int, int]] = []
        seen: dict[str, _Token] = {}
        while True:
            name = self.token
            if name.kind != "name":
                raise self.error(f"expected NODE=0 or NODE=1, found {name.shown()}")
            self.take()
            if not self.at("="):
                raise self.error(f"expected '=' after {name.text!r}, found {self.token.shown()}")
            self.take()
            value = self.token
            if value.kind != "number" or value.text not in ("0", "1"):
                raise self.error(f"expected 0 or 1 after '{name.text}=', found {value.shown()}")
            self.take()
            if name.text in seen:
                raise self.error(f"{name.text} is set twice in one phase", name)
            seen[name.text] = name
            values.append((name.text, int(value.text)))
            where.append((name.line, name.column))
            if not self.at(","):
                break
            self.take()
        duration: int | float | None = None
        if self.at("@"):
            at = self.take()
            number = self.token
            if number.kind != "number":
                raise self.error(f"expected a number of steps (or a time) after '@', found {number.shown()}")
            self.take()
            duration = float(number.text) if any(c in number.text for c in ".eE") else int(number.text)
            if duration <= 0:
                raise self.error("a phase's length after '@' must be above 0", at)
        return Phase(tuple(values), duration, tuple(where))


def parse_schedule(text: str, *, source: str | None = "schedule") -> Schedule:
    """Parse a schedule (see the module documentation for the syntax).

    Parameters
    ----------
    text
        The schedule, e.g. ``"(RT=1 ; RT=0) x 5"``.
    source
        Name shown in error messages (default ``"schedule"``).

    Raises
    ------
    ParseError
        With the line and column of the problem.

    Examples
    --------
    >>> s = parse_schedule("RT=1, TNF=1 @ 3 ; RT=0")
    >>> [(p.assignment(), p.duration) for p in s.phases()]
    [({'RT': 1, 'TNF': 1}, 3), ({'RT': 0}, None)]
    >>> parse_schedule("(RT=1 ; RT=0) x 0")
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: schedule:1:17: a repeat count is a whole number of at least 1, not '0'
    """
    return _Parser(text, source).parse()


def as_schedule(schedule: "Schedule | str | Mapping[str, int]", network: "BooleanNetwork | None" = None) -> Schedule:
    """A :class:`Schedule` from a schedule, its text or a treatment mapping (names resolved if ``network``)."""
    if isinstance(schedule, Schedule):
        out = schedule
    elif isinstance(schedule, str):
        out = parse_schedule(schedule)
    elif isinstance(schedule, Mapping):
        out = Schedule.of(schedule)
    else:
        raise ModelError(f"not a schedule: {schedule!r}")
    return out.resolve(network) if network is not None else out


# ---------------------------------------------------------------------------
# Running a schedule
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PhaseOutcome:
    """What one phase of a schedule reached.

    Attributes
    ----------
    phase
        The phase.
    attractors
        The attractors of the phase's network reached in this phase (for a bounded
        phase: those the states it ended in lead to if the phase went on).
    handed_on
        How many states (sync/async) or subspaces (mp) the next phase starts from.
    """

    phase: Phase
    attractors: "AttractorResult"
    handed_on: int

    def to_json(self, phenotypes: Mapping[str, str] | None = None) -> dict:
        data = self.attractors.to_json(phenotypes)
        return {"phase": str(self.phase), "values": self.phase.assignment(), "duration": self.phase.duration,
                "handed_on": self.handed_on, "attractors": data["attractors"], "phenotypes": data["phenotypes"]}


@dataclass(frozen=True)
class ScheduleResult:
    """The fates of a cell under a schedule.

    Attributes
    ----------
    schedule
        The schedule run (names resolved).
    update
        ``"sync"``, ``"async"`` or ``"mp"``.
    phases
        One :class:`PhaseOutcome` per phase, repeats unrolled.
    starts
        How many start states (subspaces for mp) the first phase started from.
    """

    schedule: Schedule
    update: str
    phases: tuple[PhaseOutcome, ...]
    starts: int

    @property
    def final(self) -> "AttractorResult":
        """The attractors reached in the last phase: the fates at the end of the schedule."""
        return self.phases[-1].attractors

    @property
    def attractors(self) -> tuple:
        """The attractors of :attr:`final`."""
        return self.final.attractors

    def to_pandas(self, phenotypes: Mapping[str, str] | None = None) -> "pandas.DataFrame":
        """The attractors of every phase: one row each, with its ``phase`` (1, 2, ...) and phase text."""
        from ..tables import attractor_records, to_dataframe

        rows = []
        for k, outcome in enumerate(self.phases, start=1):
            for record in attractor_records(outcome.attractors.to_json(phenotypes)["attractors"]):
                rows.append({"phase": k, "phase_text": str(outcome.phase), **record})
        return to_dataframe(rows)

    def to_json(self, phenotypes: Mapping[str, str] | None = None) -> dict:
        """The final attractors (as ``signet attractors --json``) plus ``schedule`` and ``phases``."""
        data = self.final.to_json(phenotypes)
        data["schedule"] = str(self.schedule)
        data["starts"] = self.starts
        data["phases"] = [p.to_json(phenotypes) for p in self.phases]
        return data


def phase_starts(result: "AttractorResult") -> list[dict[str, int]]:
    """Every state of every attractor of ``result``, as start states for the next phase.

    An attractor that fills its space (every mp attractor; a fixed point; an async
    attractor whose states are all of its space) is handed on as that subspace
    (a partial state: unlisted nodes take all values); any other attractor as its
    states one by one.

    Raises
    ------
    ModelError
        If an attractor neither fills its space nor has few enough states to list.
    """
    out: list[dict[str, int]] = []
    for i, att in enumerate(result.attractors):
        stars = sum(1 for v in att.space.values() if v == "*")
        if result.update == "mp" or att.states == 1 << stars:
            out.append({n: int(v) for n, v in att.space.items() if v != "*"})
            continue
        members = result.member_states(i)
        if members is None:
            raise ModelError(f"an attractor with {att.states} states is too large to start the next phase from "
                             f"state by state")
        out.extend(members)
    return out


def run_schedule(
    network: "BooleanNetwork",
    schedule: "Schedule | str | Mapping[str, int]",
    update: str = "mp",
    *,
    context: str | None = None,
    perturbation: Mapping[str, int] | None = None,
    start: Mapping[str, int] | Sequence[Mapping[str, int]] | None = None,
    engine: str = "auto",
) -> ScheduleResult:
    """The fates a cell reaches under ``schedule``, phase by phase.

    Parameters
    ----------
    network
        The model (with its metadata: contexts, baseline inputs).
    schedule
        A :class:`Schedule`, its text, or a treatment mapping (one phase).
    update
        ``"mp"``, ``"async"`` or ``"sync"``.
    context
        A context of the model: its fixes apply in every phase and in the baseline.
    perturbation
        Node -> 0|1 fixed in every phase (not in the baseline: the untreated cell is
        unperturbed, as in :func:`signet.dynamics.response`).
    start
        Start states (partial states: unlisted nodes take all values); default the
        baseline (:func:`signet.dynamics.baseline_starts`).
    engine
        Passed to :func:`signet.dynamics.attractors`.

    Returns
    -------
    ScheduleResult
        The attractors reached in each phase and at the end.

    Examples
    --------
    A pulse of ``S`` switches the memory node ``M`` on for good; ``E`` follows ``S``
    and decays once the pulse ends:

    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"S": "S", "M": "M | S", "E": "S"})
    >>> r = run_schedule(net, "S=1 ; S=0", "async", start={"S": 0, "M": 0, "E": 0})
    >>> [[net.format_space(a.space) for a in p.attractors.attractors] for p in r.phases]
    [['S=1 M=1 E=1'], ['S=0 M=1 E=0']]
    """
    from . import UPDATES, attractors, baseline_starts

    if update not in UPDATES:
        raise ModelError(f"unknown update scheme {update!r}: choose one of {', '.join(UPDATES)}")
    plan = as_schedule(schedule, network)
    phases = plan.phases()
    if not phases:
        raise ModelError("the schedule has no phase")
    for phase in phases:
        if phase.duration is None:
            continue
        if update == "mp":
            raise ModelError(f"phase '{phase}': most-permissive dynamics have no steps; "
                             "bounded phases (@) need --update sync or async")
        if not isinstance(phase.duration, int):
            raise ModelError(f"phase '{phase}': sync and async phases last a whole number of steps")
    fixes: dict[str, int] = dict(network.context(context).fix) if context is not None else {}
    fixes.update(network.resolve_assignment(perturbation or {}))
    if start is None:
        starts = baseline_starts(network, update, context=context)
    elif isinstance(start, Mapping):
        starts = [network.resolve_assignment(start)]
    else:
        starts = [network.resolve_assignment(s) for s in start]
    if not starts:
        raise ModelError("an empty list of start states reaches nothing")
    first = len(starts)
    outcomes: list[PhaseOutcome] = []
    memo: dict[tuple, tuple[AttractorResult, list[dict[str, int]]]] = {}
    for phase in phases:
        key = (phase.values, phase.duration, frozenset(tuple(sorted(s.items())) for s in starts))
        if key in memo:
            result, handed = memo[key]
        else:
            pins = {**fixes, **phase.assignment()}
            if phase.duration is None:
                result = _settled(network, pins, update, starts, engine)
                handed = phase_starts(result)
            else:
                phase_net = network.fix(pins)
                ends = bounded_states(phase_net, update, starts, int(phase.duration))
                result = attractors(phase_net, update, start=ends, engine=engine)
                handed = ends
            memo[key] = (result, handed)
        outcomes.append(PhaseOutcome(phase, result, len(handed)))
        starts = handed
    return ScheduleResult(plan, update, tuple(outcomes), first)


def _settled(network: "BooleanNetwork", pins: Mapping[str, int], update: str, starts: Sequence[Mapping[str, int]],
             engine: str) -> "AttractorResult":
    """The attractors of ``network`` with ``pins`` fixed reachable from ``starts`` (a phase run
    until settled): :func:`signet.dynamics.attractors` of the phase's network.  Under mp (on
    a Boolean model) they are asked of the model's compiled network with the pins, as
    :func:`signet.dynamics.response` does, so that every phase and call shares one
    compilation (the answer is the same: minimal trap spaces reachable from the starts)."""
    from ..levels import network_level_groups
    from . import attractors
    from .config import DEFAULT_CONFIG, check_engine
    from .engines import _attractors_mp_reachable

    if update == "mp" and not network_level_groups(network):
        check_engine(engine, update)
        return _attractors_mp_reachable(network, starts, DEFAULT_CONFIG, pins)
    return attractors(network.fix(pins), update, start=starts, engine=engine)


# ---------------------------------------------------------------------------
# Bounded phases: explicit steps from explicit states
# ---------------------------------------------------------------------------
def bounded_states(network: "BooleanNetwork", update: str, starts: Sequence[Mapping[str, int]],
                   steps: int, *, max_states: int = MAX_BOUNDED_STATES) -> list[dict[str, int]]:
    """The states reached from ``starts`` after ``steps`` sync steps, or within ``steps`` async transitions.

    Start states are partial (unlisted nodes take all values); nodes with a constant
    rule start at their value.

    Raises
    ------
    StateSpaceTooLarge
        When more than ``max_states`` states would be held at once.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"A": "1", "B": "A", "C": "B"})
    >>> bounded_states(net, "sync", [{"A": 0, "B": 0, "C": 0}], 1)
    [{'A': 1, 'B': 1, 'C': 0}]
    >>> len(bounded_states(net, "async", [{"A": 0, "B": 0, "C": 0}], 1))   # B may have moved or not
    2
    """
    import numpy as np

    from ..expr import compile_expression

    nodes = list(network.nodes)
    n = len(nodes)
    constants = network.constants
    states = _expand(nodes, starts, constants, max_states)
    rules = [compile_expression(network.rules[name], nodes) for name in nodes]

    def image(block: Any) -> Any:
        cols = list(block.T)
        out = np.empty_like(block)
        for j, f in enumerate(rules):
            out[:, j] = f(*cols)
        return out

    if update == "sync":
        for _ in range(steps):
            states = _unique(image(states))
    else:
        seen = {row.tobytes() for row in np.packbits(states, axis=1)}
        frontier = states
        for _ in range(steps):
            if len(frontier) == 0:
                break
            nxt = image(frontier)
            moved = []
            for j in range(n):
                rows = frontier[nxt[:, j] != frontier[:, j]]
                if len(rows):
                    rows = rows.copy()
                    rows[:, j] ^= True
                    moved.append(rows)
            if not moved:
                break
            candidates = _unique(np.concatenate(moved))
            keys = np.packbits(candidates, axis=1)
            fresh = [k for k in range(len(candidates)) if keys[k].tobytes() not in seen]
            frontier = candidates[fresh]
            seen.update(keys[k].tobytes() for k in fresh)
            states = np.concatenate([states, frontier])
            if len(states) > max_states:
                raise StateSpaceTooLarge(f"a bounded phase reaches more than {max_states} states")
        states = _unique(states)
    return [{name: int(row[j]) for j, name in enumerate(nodes)} for row in states]


def _expand(nodes: list[str], starts: Sequence[Mapping[str, int]], constants: Mapping[str, int],
            max_states: int) -> Any:
    """Every full state of the start subspaces, constants set, as a unique bool array (states x nodes)."""
    import numpy as np

    blocks = []
    total = 0
    for s in starts:
        free = [j for j, name in enumerate(nodes) if name not in constants and name not in s]
        total += 1 << len(free)
        if total > max_states:
            raise StateSpaceTooLarge(f"the start of a bounded phase has more than {max_states} states")
        block = np.zeros((1 << len(free), len(nodes)), dtype=bool)
        for j, name in enumerate(nodes):
            if name in constants:
                block[:, j] = bool(constants[name])
            elif name in s:
                block[:, j] = bool(s[name])
        codes = np.arange(1 << len(free))
        for k, j in enumerate(free):
            block[:, j] = (codes >> k) & 1
        blocks.append(block)
    return _unique(np.concatenate(blocks))


def _unique(states: Any) -> Any:
    import numpy as np

    if len(states) == 0:
        return states
    packed = np.packbits(states, axis=1)
    _, index = np.unique(packed, axis=0, return_index=True)
    return states[np.sort(index)]
