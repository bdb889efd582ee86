"""Model annotations: provenance, aliases, phenotypes, contexts and drugs.

These are plain immutable records.  They are read from a YAML file beside a model
(see :mod:`signet.io.metadata`) and carried by :class:`signet.model.BooleanNetwork`
through every transformation, so that names, aliases and contexts keep working on a
perturbed network.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from .rates import Rate

__all__ = [
    "Reference", "Drug", "NodeInfo", "Context", "InitialDistribution", "ScreenDefaults", "Annotations",
    "EMPTY_ANNOTATIONS",
]


def _frozen(mapping: Mapping | None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


def _rebuild(cls: type, values: dict[str, Any]) -> Any:
    return cls(**values)


def _reduce(record: Any) -> tuple[Any, tuple[type, dict[str, Any]]]:
    """Pickle a record whose mappings are read-only proxies (which do not pickle) as plain dicts."""
    values = {}
    for f in fields(record):
        value = getattr(record, f.name)
        values[f.name] = dict(value) if isinstance(value, MappingProxyType) else value
    return (_rebuild, (type(record), values))


@dataclass(frozen=True, slots=True)
class Reference:
    """A numbered reference of the source review: its number, DOI and citation."""

    number: str
    doi: str | None = None
    citation: str = ""


@dataclass(frozen=True, slots=True)
class Drug:
    """An agent acting on a node: ``action`` is ``"inhibit"`` or ``"activate"``."""

    name: str
    action: str = "inhibit"
    refs: tuple[str, ...] = ()

    @property
    def value(self) -> int:
        """The value the agent fixes its node to: 0 to inhibit, 1 to activate.

        Examples
        --------
        >>> Drug("olaparib").value, Drug("STING agonists", "activate").value
        (0, 1)
        """
        return 0 if self.action == "inhibit" else 1


@dataclass(frozen=True, slots=True)
class NodeInfo:
    """What is known about one node, and where its rule comes from."""

    label: str = ""
    hgnc: str | None = None
    uniprot: str | None = None
    aliases: tuple[str, ...] = ()
    module: str = ""
    refs: tuple[str, ...] = ()
    note: str = ""
    drugs: tuple[Drug, ...] = ()


@dataclass(frozen=True, slots=True)
class Context:
    """A named set of fixes (a genetic or environmental context)."""

    name: str
    fix: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    description: str = ""
    refs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "fix", _frozen(self.fix))

    def __reduce__(self) -> tuple[Any, tuple[type, dict[str, Any]]]:
        return _reduce(self)


@dataclass(frozen=True, slots=True)
class InitialDistribution:
    """The initial values of a group of nodes: ``choices`` are ``(probability, values)`` pairs.

    ``InitialDistribution(("A",), ((0.5, (0,)), (0.5, (1,))))`` starts ``A`` at random;
    ``InitialDistribution(("A", "B"), ((0.1, (0, 1)), (0.9, (1, 0))))`` correlates two
    nodes (MaBoSS's ``[A, B].istate = 0.1 [0, 1], 0.9 [1, 0];``).  Probabilities add up to 1.
    """

    nodes: tuple[str, ...]
    choices: tuple[tuple[float, tuple[int, ...]], ...]


@dataclass(frozen=True, slots=True)
class ScreenDefaults:
    """What ``signet screen`` does with a model when the command line does not say.

    One record, read from and written to the metadata's ``model:`` section (keys in
    :attr:`KEYS`) and the SBML annotation block (``<signet:screen score= metric=
    reference=/>``) by the same two methods, so a new default is one field here.

    Attributes
    ----------
    score
        The default score: a phenotype or node, ``NAME=0`` to rank by its loss (e.g.
        ``"ClonogenicSurvival=0"``); ``""`` for the screen's own default (the gain of
        ``Death``).  Metadata key ``score``.
    metric
        The metric rows are scored by (``""``: share).  Metadata key ``screen_metric``.
    reference
        The context every intervention is also scored in for the therapeutic gain
        (e.g. ``"normal_tissue"``); ``""`` for none.  Metadata key ``reference_context``.

    Examples
    --------
    >>> defaults = ScreenDefaults.from_data({"score": "Death=1", "reference_context": "normal"})
    >>> defaults
    ScreenDefaults(score='Death=1', metric='', reference='normal')
    >>> defaults.to_data()
    {'score': 'Death=1', 'reference_context': 'normal'}
    """

    score: str = ""
    metric: str = ""
    reference: str = ""

    #: field -> its key in the metadata's ``model:`` section (the SBML attribute is the field's name)
    KEYS: ClassVar[Mapping[str, str]] = MappingProxyType(
        {"score": "score", "metric": "screen_metric", "reference": "reference_context"})

    @classmethod
    def from_data(cls, model: Mapping[str, Any]) -> "ScreenDefaults":
        """The defaults in a metadata ``model:`` mapping (keys of :attr:`KEYS`; missing ones empty)."""
        return cls(**{name: str(model.get(key) or "").strip() for name, key in cls.KEYS.items()})

    def to_data(self) -> dict[str, str]:
        """The ``model:`` keys of the defaults that are set (the inverse of :meth:`from_data`)."""
        return {key: getattr(self, name) for name, key in self.KEYS.items() if getattr(self, name)}

    def renamed(self, rename: Callable[[str], str], phenotypes: Mapping[str, str]) -> "ScreenDefaults":
        """The defaults with a node named by ``score`` renamed (a phenotype keeps its name)."""
        name, sep, value = self.score.partition("=")
        score = self.score if not name or name in phenotypes else rename(name) + sep + value
        return ScreenDefaults(score, self.metric, self.reference)


@dataclass(frozen=True, slots=True)
class Annotations:
    """Everything a model file's metadata says beyond the rules."""

    title: str = ""
    description: str = ""
    source: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    treatment: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    baseline: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    #: The untreated population (``model.baseline_fractions``): the share of cells in the
    #: baseline attractors where each node is 1, e.g. ``{"CSC": 0.05}``; empty: each baseline
    #: attractor equally likely (:func:`signet.dynamics.probabilities.fate_probabilities`).
    baseline_fractions: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    references: Mapping[str, Reference] = field(default_factory=lambda: MappingProxyType({}))
    nodes: Mapping[str, NodeInfo] = field(default_factory=lambda: MappingProxyType({}))
    phenotypes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    contexts: Mapping[str, Context] = field(default_factory=lambda: MappingProxyType({}))
    #: The treatment as a schedule of phases (text, e.g. ``"RT=1 ; RT=0"``), when the
    #: metadata's ``treatment`` is one; then ``treatment`` holds its first phase's values.
    schedule: str = ""
    #: Per-node flip rates of the stochastic dynamics, ``{node: (up, down)}`` (MaBoSS's
    #: ``$u_X``/``$d_X``); nodes not listed flip at rate 1 both ways.  A rate is a number or a
    #: :class:`~signet.rates.StateRate` (``"FBXW7 ? 1 : 0.1"``: it depends on the state).
    rates: Mapping[str, tuple["Rate", "Rate"]] = field(default_factory=lambda: MappingProxyType({}))
    #: initial-state distributions of node groups (read from MaBoSS models); other nodes start at random
    initial: tuple[InitialDistribution, ...] = ()
    #: what ``signet screen`` does by default with this model (score, metric, reference context)
    screen: ScreenDefaults = ScreenDefaults()

    def __post_init__(self) -> None:
        for name in ("source", "treatment", "baseline", "baseline_fractions", "references", "nodes", "phenotypes",
                     "contexts", "rates"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def __reduce__(self) -> tuple[Any, tuple[type, dict[str, Any]]]:
        return _reduce(self)

    @property
    def score(self) -> str:
        """The default score of ``signet screen`` (``screen.score``)."""
        return self.screen.score

    @property
    def screen_metric(self) -> str:
        """The default metric of ``signet screen`` (``screen.metric``)."""
        return self.screen.metric

    def alias_table(self) -> dict[str, str]:
        """Map every alias (and its case-folded form) to its node name."""
        table: dict[str, str] = {}
        for node, info in self.nodes.items():
            for alias in info.aliases:
                table.setdefault(alias, node)
                table.setdefault(alias.casefold(), node)
        return table

    def drugs(self) -> dict[str, tuple[Drug, ...]]:
        """Map each node with agents to its agents."""
        return {node: info.drugs for node, info in self.nodes.items() if info.drugs}

    def renamed(self, mapping: Mapping[str, str]) -> "Annotations":
        """The same annotations with node names replaced through ``mapping``."""
        from .expr import parse_expression, substitute, to_bnet, Var
        from .rates import rename_rate

        def rn(name: str) -> str:
            return mapping.get(name, name)

        phenos = {
            p: to_bnet(substitute(parse_expression(e), {k: Var(v) for k, v in mapping.items()}))
            for p, e in self.phenotypes.items()
        }
        # fields that hold no node name (title, description, source, references) are kept as they are
        return replace(
            self,
            treatment={rn(k): v for k, v in self.treatment.items()},
            baseline={rn(k): v for k, v in self.baseline.items()},
            baseline_fractions={rn(k): v for k, v in self.baseline_fractions.items()},
            nodes={rn(k): v for k, v in self.nodes.items()},
            phenotypes=phenos,
            contexts={
                c: Context(c, {rn(k): v for k, v in ctx.fix.items()}, ctx.description, ctx.refs)
                for c, ctx in self.contexts.items()
            },
            schedule=self._renamed_schedule(mapping),
            rates={rn(k): (rename_rate(u, mapping), rename_rate(d, mapping)) for k, (u, d) in self.rates.items()},
            initial=tuple(InitialDistribution(tuple(rn(n) for n in d.nodes), d.choices) for d in self.initial),
            screen=self.screen.renamed(rn, self.phenotypes),
        )

    def _renamed_schedule(self, mapping: Mapping[str, str]) -> str:
        if not self.schedule:
            return ""
        from .dynamics.schedule import parse_schedule

        return str(parse_schedule(self.schedule).renamed(mapping))


EMPTY_ANNOTATIONS = Annotations()
