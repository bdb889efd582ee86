"""Literature expectations as domain objects: a :class:`Case` (a cell's condition) and an
:class:`Expectation` (a claim about a phenotype's share in a case).

They are read from and written to YAML by :mod:`signet.io.expectations` and checked by
:mod:`signet.validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

__all__ = ["EXPECTS", "COMPARATIVE", "READS", "Case", "Expectation"]

#: The directions a claim can expect.  ``increase``/``decrease``: the case's share is
#: larger/smaller than the reference's; ``zero``: the share is 0; ``positive``: it is
#: above 0; ``all``: it is 1.
EXPECTS = ("increase", "decrease", "zero", "positive", "all")
#: The directions that compare with a reference case.
COMPARATIVE = ("increase", "decrease")
#: What a claim reads in a case.  ``fates``: the share of the attractors reached at the
#: end of the treatment that carry the phenotype; ``reachable``: the share of the untreated
#: start states from which the phenotype (a node, !node, or a one-literal phenotype) can hold at
#: some time during the treatment (a transient response, such as checkpoint activation).
READS = ("fates", "reachable")


@dataclass(frozen=True)
class Case:
    """One condition of a cell: context, treatment inputs and perturbations.

    Attributes
    ----------
    context
        A context of the model, or ``None`` for the model as it is.
    inputs
        Treatment: input node -> 0/1 (inputs not named keep their baseline values).
    ko, oe
        Nodes knocked out (fixed to 0) and over-expressed (fixed to 1).
    fix
        Other nodes fixed to 0/1.
    schedule
        A treatment schedule (text, e.g. ``"RT=1 ; RT=0"``) instead of ``inputs``;
        ``""`` for none.
    """

    context: str | None = None
    inputs: Mapping[str, int] = field(default_factory=dict)
    ko: tuple[str, ...] = ()
    oe: tuple[str, ...] = ()
    fix: Mapping[str, int] = field(default_factory=dict)
    schedule: str = ""

    def perturbation(self) -> dict[str, int]:
        """The fixes applied on top of the context: ``fix``, then ``ko``, then ``oe``.

        Examples
        --------
        >>> Case(ko=("A",), oe=("B",), fix={"C": 1}).perturbation()
        {'C': 1, 'A': 0, 'B': 1}
        """
        values = dict(self.fix)
        values.update({n: 0 for n in self.ko})
        values.update({n: 1 for n in self.oe})
        return values

    def key(self) -> tuple:
        """A hashable key: equal keys mean the same computation.

        Examples
        --------
        >>> Case("wt", {"RT": 1}, ko=("B", "A")).key() == Case("wt", {"RT": 1}, ko=("A", "B")).key()
        True
        """
        key = (self.context, tuple(sorted(self.inputs.items())), tuple(sorted(self.perturbation().items())))
        return key + (self.schedule,) if self.schedule else key

    def to_json(self) -> dict:
        """``{"context", "inputs", "ko", "oe", "fix"}``."""
        data = {"context": self.context, "inputs": dict(self.inputs), "ko": list(self.ko),
                "oe": list(self.oe), "fix": dict(self.fix)}
        if self.schedule:
            data["schedule"] = self.schedule
        return data

    def describe(self) -> str:
        """A short text such as ``wildtype RT=1 ko ATM``.

        Examples
        --------
        >>> Case("wildtype", {"RT": 1}, ko=("ATM",)).describe()
        'wildtype RT=1 ko ATM'
        """
        parts = [self.context or "model"]
        parts += [f"{k}={v}" for k, v in self.inputs.items()]
        if self.schedule:
            parts.append(f"[{self.schedule}]")
        if self.fix:
            parts.append("fix " + ",".join(f"{k}={v}" for k, v in self.fix.items()))
        if self.ko:
            parts.append("ko " + ",".join(self.ko))
        if self.oe:
            parts.append("oe " + ",".join(self.oe))
        return " ".join(parts)


@dataclass(frozen=True)
class Expectation:
    """One literature claim, as a check.

    Attributes
    ----------
    id
        Unique name of the claim.
    claim
        The claim in words.
    refs
        Reference numbers (as strings) of the model's metadata.
    phenotype
        The phenotype whose share is compared.
    case
        The condition the claim is about.
    reference
        The comparison condition (``None`` for ``zero``, ``positive`` and ``all``).
    expect
        One of :data:`EXPECTS`.
    line
        1-based line of the entry in its file (``None`` if unknown).
    reference_id
        The ``id`` of the claim the reference was taken from, if it was given by name.
    read
        One of :data:`READS`: the fates at the end (default), what is reachable on the way,
        or the state at a time (``course``).
    at
        ``read: course``: the time after the last phase of the treatment starts.
    """

    id: str
    claim: str
    refs: tuple[str, ...]
    phenotype: str
    case: Case
    reference: Case | None
    expect: str
    line: int | None = None
    reference_id: str | None = None
    read: str = "fates"
    at: float | None = None

    def to_json(self) -> dict:
        """The claim as JSON-ready data (what the file says, names resolved if checked)."""
        data: dict = {
            "id": self.id, "claim": self.claim, "refs": list(self.refs), "phenotype": self.phenotype,
            "case": self.case.to_json(), "reference": self.reference.to_json() if self.reference else None,
            "expect": self.expect, "line": self.line,
        }
        if self.read != "fates":
            data["read"] = self.read
        if self.at is not None:
            data["at"] = self.at
        return data
