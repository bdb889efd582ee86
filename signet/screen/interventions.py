"""Which interventions a screen tries: targets, kinds, drugs, and trivial nodes.

An *intervention* is a set of fixes ``{node: 0 | 1}``: ``0`` is a knockout (``ko``),
``1`` an over-expression (``oe``).  It is written canonically as ``"A=0,B=1"``
(nodes sorted) and shown to people as ``"A ko + B oe"``.

A node is **trivial** (excluded by default, see :func:`trivial_nodes`) when fixing it
decides a phenotype by construction rather than through the network:

* it occurs in a phenotype expression of the model's metadata (a *phenotype marker*,
  e.g. ``Apoptosis`` or ``Death`` itself), or
* a phenotype marker's rule is just this node or its negation, so the phenotype is
  read directly from it (a *direct readout*: e.g. ``Apoptosis, CASP3`` makes the
  executioner caspase CASP3 the readout of apoptosis).  A regulator that only acts
  on a phenotype together with other nodes is not trivial: PD-L1 (``CD274``) in
  ``ImmuneClearance, (CD8_T & !CD274) | ...`` is the target of a real therapy.

Inputs (``RT``, ``HighDose``, ``Hypoxia``) and constant nodes are not targets unless
named explicitly; nodes set by the treatment never are.

Examples
--------
>>> from signet.model import BooleanNetwork
>>> from signet.annotations import Annotations
>>> net = BooleanNetwork({"RT": "RT", "ATM": "RT", "TP53": "ATM & !MDM2", "MDM2": "TP53",
...                       "CASP3": "TP53", "Apoptosis": "CASP3"},
...                      annotations=Annotations(phenotypes={"Apoptosis": "Apoptosis"}, treatment={"RT": 1}))
>>> sorted(trivial_nodes(net))
['Apoptosis', 'CASP3']
>>> candidate_targets(net)
('ATM', 'TP53', 'MDM2')
>>> [format_intervention(i) for i in interventions(net, max_size=2, kinds=("ko",), targets=["ATM", "MDM2"])]
['ATM ko', 'MDM2 ko', 'ATM ko + MDM2 ko']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from ..errors import ModelError
from ..expr import Not, Var, parse_expression, variables
from ..model import BooleanNetwork
from ..types import Intervention

__all__ = [
    "KINDS",
    "Intervention",
    "InterventionOptions",
    "combinations_of",
    "trivial_nodes",
    "candidate_targets",
    "agent_fixes",
    "druggable_singles",
    "druggable_units",
    "single_interventions",
    "interventions",
    "intervention_parts",
    "intervention_key",
    "parse_intervention_key",
    "format_intervention",
    "intervention_size",
    "agents_of",
]

#: perturbation kind -> fixed value
KINDS: dict[str, int] = {"ko": 0, "oe": 1}



@dataclass(frozen=True)
class InterventionOptions:
    """Which perturbations to try: the options :func:`~signet.screen.screen` and
    :func:`~signet.screen.minimal_interventions` share.

    Attributes
    ----------
    kinds
        ``"ko"`` (fix to 0) and/or ``"oe"`` (fix to 1); ignored with ``druggable``.
    targets
        Nodes (or aliases) to perturb; ``None`` for every node that is not an input, a
        constant, trivial or set by the treatment (see :func:`candidate_targets`).
    exclude
        Nodes never to perturb.
    druggable
        Only nodes with an agent in the metadata, perturbed as the agent acts (inhibit:
        ko, activate: oe); a multi-target agent is one unit (:func:`druggable_units`).
    allow_trivial
        Also perturb phenotype markers and their direct readouts.
    treatment
        Input values during treatment; ``None`` for the model's ``treatment``.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"RT": "RT", "A": "RT", "B": "A"})
    >>> options = InterventionOptions(kinds=("ko",), treatment={"RT": 1})
    >>> [format_intervention(u) for u in options.units(net)]
    ['A ko', 'B ko']
    """

    kinds: tuple[str, ...] = ("ko", "oe")
    targets: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    druggable: bool = False
    allow_trivial: bool = False
    treatment: Mapping[str, int] | None = field(default=None, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", tuple(self.kinds))
        object.__setattr__(self, "targets", None if self.targets is None else tuple(self.targets))
        object.__setattr__(self, "exclude", tuple(self.exclude))
        for k in self.kinds:
            if k not in KINDS:
                raise ModelError(f"unknown perturbation kind {k!r} (expected ko or oe)")

    def treatment_of(self, network: BooleanNetwork) -> dict[str, int]:
        """The treatment inputs, resolved (the model's when none were given)."""
        return network.resolve_assignment(network.annotations.treatment if self.treatment is None else self.treatment)

    def pool(self, network: BooleanNetwork, *, allow_trivial: bool | None = None) -> tuple[str, ...]:
        """The nodes to perturb (see :func:`candidate_targets`)."""
        return candidate_targets(
            network,
            targets=self.targets,
            exclude=self.exclude,
            allow_trivial=self.allow_trivial if allow_trivial is None else allow_trivial,
            treatment=self.treatment_of(network),
            constants=network.annotations.drugs() if self.druggable else (),
        )

    def units(self, network: BooleanNetwork) -> list[Intervention]:
        """What combinations are made of: single perturbations, or agents' actions with ``druggable``."""
        pool = self.pool(network)
        if self.druggable:
            return druggable_units(network, pool)
        return level_units(network, pool, self.kinds)

    def excluded_trivial(self, network: BooleanNetwork) -> list[str]:
        """The nodes left out only because they are trivial (empty with ``allow_trivial``)."""
        if self.allow_trivial:
            return []
        trivial = trivial_nodes(network)
        return [n for n in self.pool(network, allow_trivial=True) if n in trivial]

    def to_json(self) -> dict[str, Any]:
        """The options as JSON-ready parameters of a screen."""
        return {
            "kinds": list(self.kinds),
            "targets": None if self.targets is None else list(self.targets),
            "exclude": list(self.exclude),
            "druggable": self.druggable,
            "allow_trivial": self.allow_trivial,
        }

    @classmethod
    def build(cls, options: "InterventionOptions | None", **given: Any) -> "InterventionOptions":
        """``options``, or options made of the keyword arguments a caller was given (those
        that are ``None`` keep their defaults); not both."""
        chosen = {k: v for k, v in given.items() if v is not None}
        if options is None:
            return cls(**chosen)
        if chosen:
            raise TypeError(f"give either options or {', '.join(sorted(chosen))}, not both")
        return options


def combinations_of(units: Sequence[Intervention],
                    size: int) -> Iterator[tuple[Intervention, tuple[Intervention, ...]]]:
    """Every combination of ``size`` units on distinct nodes: ``(intervention, units)``, the
    intervention being the sorted union of the units' fixes.

    Examples
    --------
    >>> units = [(("A", 0),), (("A", 1),), (("B", 0),)]
    >>> [format_intervention(i) for i, _ in combinations_of(units, 2)]
    ['A ko + B ko', 'A oe + B ko']
    """
    for combo in combinations(units, size):
        fixes = [f for unit in combo for f in unit]
        if len({n for n, _ in fixes}) == len(fixes):
            yield tuple(sorted(fixes)), combo


def phenotype_markers(network: BooleanNetwork) -> frozenset[str]:
    """Nodes that occur in the model's phenotype expressions."""
    names: set[str] = set()
    for expr in network.annotations.phenotypes.values():
        names |= variables(parse_expression(expr))
    return frozenset(n for n in names if n in network)


def trivial_nodes(network: BooleanNetwork) -> frozenset[str]:
    """Phenotype markers and their direct readouts (see the module docstring)."""
    markers = phenotype_markers(network)
    readouts = set()
    for marker in markers:
        rule = network.rules[marker]
        literal = rule.arg if isinstance(rule, Not) else rule
        if isinstance(literal, Var) and literal.name != marker and literal.name not in markers:
            readouts.add(literal.name)
    return markers | frozenset(readouts)


def candidate_targets(
    network: BooleanNetwork,
    *,
    targets: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    allow_trivial: bool = False,
    treatment: Mapping[str, int] | None = None,
    constants: Iterable[str] = (),
) -> tuple[str, ...]:
    """The nodes a screen perturbs, in network order.

    Parameters
    ----------
    targets
        Nodes (or aliases) to screen; default every node that is not an input, a
        constant (but those in ``constants``), or trivial.  Named inputs are allowed here.
    exclude
        Nodes to leave out.
    allow_trivial
        Keep trivial nodes (phenotype markers and direct readouts).
    treatment
        The treatment inputs (default the model's); they are never targets.
    constants
        Constant nodes the default keeps: a druggable screen keeps those an agent acts on
        (a gene a context sets, such as BCL-XL, is still a drug target).

    Raises
    ------
    ModelError
        A named target is set by the treatment, or nothing is left to screen.
    """
    treatment = dict(network.annotations.treatment if treatment is None else treatment)
    trivial = set() if allow_trivial else trivial_nodes(network)
    from ..levels import network_level_groups, resolve_name

    groups = network_level_groups(network)

    def nodes_of(name: str) -> tuple[str, ...]:  # a multi-valued node: its level bits
        node = resolve_name(network, name)
        return groups.get(node, (node,))

    excluded = {n for name in exclude for n in nodes_of(name)}
    if targets is not None:
        chosen = _named_targets(network, targets, nodes_of, treatment)
        pool = [n for n in chosen if n not in excluded and n not in trivial]
    else:
        skip = set(network.inputs) | (set(network.constants) - set(constants)) | set(treatment)
        pool = [n for n in network.nodes if n not in skip and n not in excluded and n not in trivial]
        excluded = excluded | skip
    if groups:  # a multi-valued node is perturbed whole: left out if one of its bits is
        blocked = excluded | trivial | set(treatment)
        out = {bit for bits in groups.values() if blocked & set(bits) for bit in bits}
        pool = [n for n in pool if n not in out]
    return tuple(pool)


def _named_targets(network: BooleanNetwork, targets: Iterable[str], nodes_of: Callable[[str], tuple[str, ...]],
                   treatment: Mapping[str, int]) -> list[str]:
    """The nodes of the named ``targets`` (a multi-valued node: its level bits), in network order;
    a node set by the treatment is refused."""
    chosen: list[str] = []
    for name in targets:
        for node in nodes_of(name):
            if node in treatment:
                raise ModelError(f"{node} is set by the treatment ({node}={treatment[node]}) "
                                 "and cannot be a target")
            if node not in chosen:
                chosen.append(node)
    order = {n: i for i, n in enumerate(network.nodes)}
    chosen.sort(key=order.__getitem__)
    return chosen


def druggable_singles(network: BooleanNetwork, targets: Sequence[str] | None = None) -> list[tuple[str, int]]:
    """``(node, value)`` for every node with an agent: inhibit gives 0, activate gives 1."""
    drugs = network.annotations.drugs()
    allowed = None if targets is None else set(targets)
    out: list[tuple[str, int]] = []
    for node in network.nodes:
        if node not in drugs or (allowed is not None and node not in allowed):
            continue
        for value in sorted({d.value for d in drugs[node]}):
            out.append((node, value))
    return out


def agent_fixes(network: BooleanNetwork) -> dict[str, dict[str, int]]:
    """Each agent of the metadata with the nodes it acts on and the values it fixes them to.

    Examples
    --------
    >>> from signet.annotations import Annotations, Drug, NodeInfo
    >>> dual = Drug("xevinapant", "inhibit")
    >>> net = BooleanNetwork({"XIAP": "XIAP", "cIAP": "cIAP"},
    ...     annotations=Annotations(nodes={"XIAP": NodeInfo(drugs=(dual,)), "cIAP": NodeInfo(drugs=(dual,))}))
    >>> agent_fixes(net)
    {'xevinapant': {'XIAP': 0, 'cIAP': 0}}
    """
    drugs = network.annotations.drugs()
    out: dict[str, dict[str, int]] = {}
    for node in network.nodes:
        for d in drugs.get(node, ()):
            out.setdefault(d.name, {})[node] = d.value
    return out


def druggable_units(network: BooleanNetwork, targets: Sequence[str] | None = None) -> list[Intervention]:
    """What a druggable screen combines: each agent's action on each node, and multi-target agents whole.

    An agent named on several nodes (e.g. xevinapant on XIAP and cIAP1/2, bintrafusp
    alfa on TGF-beta and PD-L1) is one molecule acting on all of them at once, so it is
    one unit (all its target nodes fixed together) besides the per-node units that give
    the synergy scores their single-agent shares.  A multi-target agent is a unit only
    when all its nodes are allowed ``targets``.

    A node whose own rule is the constant an agent would fix it to is a switch only a
    context sets otherwise (e.g. a high expression level, 0 unless the context says 1). A
    multi-target agent's action on such a switch is no per-node unit of its own, and its
    action on another node is none either when all its other actions are on switches: that
    unit is the agent whole wherever the switches are at their rules' values, so the agent
    whole stands for it (an ATM inhibitor acts on the kinase and on its high level: one
    unit, not "ATM ko" beside "ATM ko + ATM_level ko"). An agent acting on a switch alone
    keeps its unit (a BCL-XL inhibitor where BCL-XL is low scores 0, which is worth seeing).

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> from signet.annotations import Annotations, Drug, NodeInfo
    >>> dual = Drug("xevinapant", "inhibit")
    >>> net = BooleanNetwork({"XIAP": "XIAP", "cIAP": "cIAP", "CASP3": "!XIAP & !cIAP"},
    ...     annotations=Annotations(nodes={"XIAP": NodeInfo(drugs=(dual,)), "cIAP": NodeInfo(drugs=(dual,))}))
    >>> [format_intervention(u) for u in druggable_units(net)]
    ['XIAP ko', 'cIAP ko', 'XIAP ko + cIAP ko']
    >>> atmi = Drug("ATM inhibitors", "inhibit")
    >>> net = BooleanNetwork({"ATM": "DSB", "ATM_level": "0", "DSB": "DSB", "Repair": "ATM | ATM_level"},
    ...     annotations=Annotations(nodes={"ATM": NodeInfo(drugs=(atmi,)), "ATM_level": NodeInfo(drugs=(atmi,))}))
    >>> [format_intervention(u) for u in druggable_units(net)]
    ['ATM ko + ATM_level ko']
    """
    allowed = None if targets is None else set(targets)
    drugs = network.annotations.drugs()
    whole = {name: fixes for name, fixes in agent_fixes(network).items()
             if len(fixes) > 1 and (allowed is None or set(fixes) <= allowed)}
    switches = network.constants

    def no_op(node: str, value: int) -> bool:
        """The node's own rule is this constant: only a context can set it otherwise."""
        return switches.get(node) == value

    def superseded(node: str, value: int) -> bool:
        """Every agent acting so is multi-target, and this action or all its others are no-ops."""
        return all(d.name in whole and (no_op(node, value)
                                        or all(no_op(n, v) for n, v in whole[d.name].items() if n != node))
                   for d in drugs[node] if d.value == value)

    units: list[Intervention] = [((n, v),) for n, v in druggable_singles(network, targets) if not superseded(n, v)]
    for fixes in whole.values():
        unit = tuple(sorted(fixes.items()))
        if unit not in units:
            units.append(unit)
    return units


def level_units(network: BooleanNetwork, pool: Sequence[str], kinds: Sequence[str]) -> list[Intervention]:
    """Single perturbations of the nodes in ``pool``: ``ko``/``oe`` of a Boolean node; for a
    multi-valued node (level bits in the pool, :mod:`signet.levels`) whole levels, never one
    bit: ``ko`` is ``X%0``, ``oe`` ``X%m``, and with both every level between.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"A": "A", "X_b1": "A | X_b2", "X_b2": "A & X_b1"})
    >>> [format_intervention(u) for u in level_units(net, ["X_b1", "X_b2"], ("ko", "oe"))]
    ['X%0', 'X%1', 'X%2']
    """
    from ..levels import level_bit, level_values, top_level

    units: list[Intervention] = []
    done: set[str] = set()
    for node in pool:
        base = level_bit(network, node)
        if base is None:
            units.extend(((node, v),) for _n, v in single_interventions([node], kinds))
            continue
        if base in done:
            continue
        done.add(base)
        top = top_level(network, base)
        levels = ([0] if "ko" in kinds else []) + ([top] if "oe" in kinds else [])
        if "ko" in kinds and "oe" in kinds:
            levels = list(range(top + 1))
        units.extend(tuple(sorted(level_values(network, base, k).items())) for k in levels)
    return units


def single_interventions(targets: Sequence[str], kinds: Sequence[str] = ("ko", "oe")) -> list[tuple[str, int]]:
    """``(node, value)`` for each target and kind, in target order."""
    for k in kinds:
        if k not in KINDS:
            raise ModelError(f"unknown perturbation kind {k!r} (expected ko or oe)")
    return [(t, KINDS[k]) for t in targets for k in kinds]


def interventions(
    network: BooleanNetwork,
    *,
    max_size: int = 1,
    options: InterventionOptions | None = None,
    # the fields of InterventionOptions as keywords, kept for callers of the keyword API; the same
    # six lines stand in screen(), minimal_interventions() and interventions() (justified repeat)
    kinds: Sequence[str] | None = None,
    targets: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    druggable: bool | None = None,
    allow_trivial: bool | None = None,
    treatment: Mapping[str, int] | None = None,
) -> list[Intervention]:
    """Every intervention of 1..``max_size`` single perturbations on distinct nodes.

    Singles come first (in node order, ``ko`` before ``oe``), then pairs, then triples.
    With ``druggable`` the units are agents' actions (see :func:`druggable_units`): a
    multi-target agent counts as one unit, and a combination is up to ``max_size`` units.
    ``options`` or the keyword arguments say which (:class:`InterventionOptions`).
    """
    options = InterventionOptions.build(
        options, kinds=kinds, targets=targets, exclude=exclude, druggable=druggable,
        allow_trivial=allow_trivial, treatment=treatment,
    )
    return list(intervention_parts(network, options, max_size=max_size))


def intervention_parts(
    network: BooleanNetwork, options: InterventionOptions, *, max_size: int = 1
) -> dict[Intervention, tuple[Intervention, ...]]:
    """:func:`interventions`, each with the units (agents) it combines, for synergy scores.

    A combination's Bliss and HSA excess compare it with its units: xevinapant plus a
    BAX activator is scored against xevinapant and the BAX activator, not against
    xevinapant's two target nodes.
    """
    if max_size < 1:
        raise ModelError("max_size must be at least 1")
    units = options.units(network)
    if not units:
        raise ModelError("no intervention targets left (check --targets, --exclude, --druggable)")
    out: dict[Intervention, tuple[Intervention, ...]] = {u: (u,) for u in units}
    for size in range(2, max_size + 1):
        for intervention, combo in combinations_of(units, size):
            out.setdefault(intervention, combo)
    return out


def intervention_key(intervention: Intervention | Mapping[str, int]) -> str:
    """Canonical text of an intervention: ``"A=0,B=1"`` (``""`` for none).

    Examples
    --------
    >>> intervention_key({"TP53": 1, "ATM": 0})
    'ATM=0,TP53=1'
    """
    items = intervention.items() if isinstance(intervention, Mapping) else intervention
    return ",".join(f"{n}={v}" for n, v in sorted(items))


def parse_intervention_key(text: str) -> Intervention:
    """Inverse of :func:`intervention_key`."""
    if not text:
        return ()
    out = []
    for item in text.split(","):
        node, _, value = item.partition("=")
        out.append((node, int(value)))
    return tuple(sorted(out))


def intervention_size(intervention: Intervention) -> int:
    """How many nodes an intervention perturbs: a multi-valued node fixed at a level (all of
    its level bits, :mod:`signet.levels`) counts once.

    Examples
    --------
    >>> intervention_size((("A", 0), ("X_b1", 1), ("X_b2", 0)))
    2
    """
    from ..levels import level_groups, level_label

    groups = level_groups(n for n, _ in intervention)
    return len(level_label(list(intervention), groups)) if groups else len(intervention)


def format_intervention(intervention: Intervention) -> str:
    """``"ATM ko + TP53 oe"``; ``"none"`` for the empty intervention; a multi-valued node
    fixed at a level (all its level bits) as ``"X%2"`` (:mod:`signet.levels`)."""
    if not intervention:
        return "none"
    from ..levels import level_groups, level_label

    groups = level_groups(n for n, _ in intervention)
    if not groups:
        return " + ".join(f"{n} {'ko' if v == 0 else 'oe'}" for n, v in intervention)
    parts = level_label(list(intervention), groups)
    return " + ".join(p if "%" in p else p.replace("=0", " ko").replace("=1", " oe") for p in parts)


def agents_of(network: BooleanNetwork, intervention: Intervention) -> list[str]:
    """Agents from the metadata that act like ``intervention``: ``"olaparib (PARP1 inhibit)"``."""
    drugs = network.annotations.drugs()
    acting: dict[str, list[str]] = {}  # agent -> "NODE action" it covers, in intervention order
    for node, value in intervention:
        for d in drugs.get(node, ()):
            if d.value == value:
                acting.setdefault(d.name, []).append(f"{node} {d.action}")
    return [f"{name} ({', '.join(parts)})" for name, parts in acting.items()]
