"""What the attractor questions return: :class:`Attractor` and :class:`AttractorResult`.

An attractor is shown by its smallest enclosing subspace (every node ``0``, ``1`` or
``"*"``) and its number of states; its states themselves are listed on demand
(:meth:`AttractorResult.member_states`), because a cyclic attractor can hold millions.

Examples
--------
>>> a = Attractor("cyclic", {"A": "*", "B": 1}, 2)
>>> a.to_json({"Up": "B"})
{'kind': 'cyclic', 'space': {'A': '*', 'B': 1}, 'states': 2, 'phenotypes': {'Up': 1}}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Sequence

from ..types import Space, State

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["Attractor", "AttractorResult", "Members", "subspace_members"]

#: The states of one attractor, listed when asked for (``None``: too many to list).
Members = Callable[[], Optional[list[State]]]


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
    space: Space
    states: int

    def to_json(self, phenotypes: Mapping[str, str] | None = None) -> dict[str, Any]:
        """``{"kind", "space", "states", "phenotypes"}``; ``phenotypes`` maps each phenotype
        to ``1`` (in the whole attractor), ``0`` (nowhere) or ``"*"`` (in part of it)."""
        from ..phenotypes import phenotype_values

        return {
            "kind": self.kind,
            "space": dict(self.space),
            "states": self.states,
            "phenotypes": dict(phenotype_values(self.space, phenotypes or {})),
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
        The engine that answered: ``"explicit"``, ``"aeon"``, ``"asp"`` or ``"percolation"``.
    note
        What the user should know about the result.
    """

    update: str
    attractors: tuple[Attractor, ...]
    exact: bool
    engine: str
    note: str = ""
    _members: tuple[Members, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def from_found(cls, update: str, engine: str, found: Sequence[tuple[Attractor, Members]]) -> "AttractorResult":
        """An exact result with the attractors in the documented order: by their spaces'
        values as text, node by node (``"*" < "0" < "1"``), then by size (synchronous cycles of
        different lengths can span the same subspace)."""
        items = sorted(found, key=lambda item: ([str(v) for v in item[0].space.values()], item[0].states))
        return cls(update, tuple(a for a, _ in items), True, engine, "", tuple(m for _, m in items))

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

    def to_json(self, phenotypes: Mapping[str, str] | None = None) -> dict[str, Any]:
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

    def to_pandas(self, phenotypes: Mapping[str, str] | None = None) -> "pandas.DataFrame":
        """A ``pandas.DataFrame``: one row per attractor (``kind``, ``states``,
        ``phenotype_NAME`` per phenotype, one column per node; see :mod:`signet.tables`)."""
        from ..tables import attractor_records, to_dataframe

        return to_dataframe(attractor_records(self.to_json(phenotypes)["attractors"]))

    def _repr_html_(self) -> str:
        from ..tables import attractor_records, records_html

        n = len(self.attractors)
        caption = f"{n} attractor{'s' if n != 1 else ''} ({self.update}, engine {self.engine})"
        if not self.exact:
            caption += f"; APPROXIMATE: {self.note}"
        return records_html(attractor_records(self.to_json()["attractors"]), caption=caption)

    def member_states(self, index: int) -> list[State] | None:
        """The states of attractor ``index`` as full-state dicts, or ``None`` if there are
        too many to list (more than ``EngineConfig.max_member_states``)."""
        if index < len(self._members):
            return self._members[index]()
        return None


def subspace_members(space: Space, limit: int) -> Members:
    """The states of a subspace (``"*"`` takes both values), listed when asked for.

    Examples
    --------
    >>> subspace_members({"A": "*", "B": 1}, 16)()
    [{'A': 0, 'B': 1}, {'A': 1, 'B': 1}]
    """

    def members() -> list[State] | None:
        stars = [n for n, v in space.items() if v == "*"]
        if (1 << len(stars)) > limit:
            return None
        out = []
        for k in range(1 << len(stars)):
            state = {n: (int(v) if v != "*" else 0) for n, v in space.items()}
            for j, n in enumerate(stars):
                state[n] = (k >> j) & 1
            out.append(state)
        return out

    return members
