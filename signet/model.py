"""The Boolean network model.

A :class:`BooleanNetwork` is an immutable mapping from node names to rules
(:class:`signet.expr.Expr`).  Every method that changes something returns a new
network.  States and subspaces are plain ``{name: 0 | 1}`` dictionaries (a subspace
leaves free nodes out), shown with node names by :func:`format_space`.

Examples
--------
>>> from signet.io.bnet import parse_bnet
>>> net = parse_bnet('''
... RT, RT
... ATM, RT & !WIP1
... TP53, ATM & !MDM2
... MDM2, TP53
... WIP1, TP53
... ''')
>>> net.inputs
('RT',)
>>> reduced, fixed = net.fix({"RT": 0}).percolate()
>>> fixed
{'RT': 0, 'ATM': 0, 'TP53': 0, 'MDM2': 0, 'WIP1': 0}
>>> len(reduced)
0
>>> net.knockout("MDM2").rule("MDM2")
Const(False)
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

from .annotations import EMPTY_ANNOTATIONS, Annotations, Context
from .errors import ModelError, SignetWarning, UnknownNodeError
from .expr import (
    Const,
    Expr,
    Var,
    constant_value,
    edge_sign,
    equivalent,
    is_valid_name,
    parse_expression,
    substitute,
    variables,
)

__all__ = ["BooleanNetwork", "format_space", "parse_assignment"]

Space = Mapping[str, int]


def format_space(space: Mapping[str, Any], nodes: Iterable[str] | None = None) -> str:
    """Show a state or subspace with node names: ``ATM=1 TP53=0 MDM2=*``.

    Examples
    --------
    >>> format_space({"ATM": 1, "TP53": 0, "MDM2": "*"})
    'ATM=1 TP53=0 MDM2=*'
    """
    order = list(nodes) if nodes is not None else list(space)
    return " ".join(f"{n}={space[n]}" for n in order if n in space)


def parse_assignment(text: str) -> dict[str, int]:
    """Parse ``"A=1,B=0"`` (also spaces or ``;`` as separators) into ``{"A": 1, "B": 0}``.

    A multi-valued node takes a level, as ``X=2`` or in bioLQM's notation ``X%2``
    (:mod:`signet.levels`); the network checks the level when the names are resolved.

    Raises
    ------
    ModelError
        On anything but ``NAME=LEVEL`` or ``NAME%LEVEL`` items.

    Examples
    --------
    >>> parse_assignment("ATM=1, TP53=0")
    {'ATM': 1, 'TP53': 0}
    >>> parse_assignment("ATM%2")
    {'ATM': 2}
    """
    out: dict[str, int] = {}
    for item in text.replace(";", ",").replace(" ", ",").split(","):
        if not item:
            continue
        sep = "%" if "%" in item and "=" not in item else "="
        name, eq, value = item.partition(sep)
        if not eq or not value.strip().isdigit() or not name.strip():
            raise ModelError(f"bad assignment {item!r}: expected NAME=0 or NAME=1 (NAME%LEVEL for a multi-valued node)")
        out[name.strip()] = int(value.strip())
    return out


@dataclass(frozen=True, eq=False)
class BooleanNetwork:
    """An immutable Boolean network: one rule per named node.

    Parameters
    ----------
    rules
        Node name -> rule (an :class:`~signet.expr.Expr` or bnet text). Order is kept.
    name
        A name for messages and exports.
    annotations
        Provenance, aliases, phenotypes and contexts (see :mod:`signet.annotations`).
    implicit_inputs
        Nodes that were used but never defined in the source and were added as inputs.
    add_implicit_inputs
        If true, names used in rules but not defined become inputs (``X, X``) and a
        :class:`~signet.errors.SignetWarning` names them once; if false they are an error.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "B", "B": "!A"})
    >>> net.nodes, net.rule("B")
    (('A', 'B'), Not(Var('A')))
    """

    _rules: Mapping[str, Expr]
    name: str = ""
    annotations: Annotations = EMPTY_ANNOTATIONS
    implicit_inputs: tuple[str, ...] = ()
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __init__(
        self,
        rules: Mapping[str, Expr | str],
        *,
        name: str = "",
        annotations: Annotations | None = None,
        implicit_inputs: Iterable[str] = (),
        add_implicit_inputs: bool = False,
    ) -> None:
        parsed: dict[str, Expr] = {}
        for node, rule in rules.items():
            if not isinstance(node, str) or not is_valid_name(node):
                raise ModelError(f"bad node name {node!r}")
            parsed[node] = parse_expression(rule, source=f"rule of {node}") if isinstance(rule, str) else rule
        used: dict[str, None] = {}
        for rule in parsed.values():
            for v in sorted(variables(rule)):
                if v not in parsed:
                    used.setdefault(v)
        implicit = list(implicit_inputs)
        if used:
            if not add_implicit_inputs:
                raise ModelError(
                    "rules use undefined nodes: " + ", ".join(used) + " (define them, e.g. as inputs 'X, X')"
                )
            warnings.warn(
                SignetWarning(
                    f"{len(used)} node(s) used but never defined were added as inputs: " + ", ".join(used)
                ),
                stacklevel=2,
            )
            for v in used:
                parsed[v] = Var(v)
                implicit.append(v)
        object.__setattr__(self, "_rules", MappingProxyType(parsed))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "annotations", annotations if annotations is not None else EMPTY_ANNOTATIONS)
        object.__setattr__(self, "implicit_inputs", tuple(implicit))
        object.__setattr__(self, "_cache", {})

    # -- mapping-like access ---------------------------------------------------
    def __len__(self) -> int:
        return len(self._rules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __contains__(self, node: object) -> bool:
        return node in self._rules

    def __repr__(self) -> str:
        return f"<BooleanNetwork {self.name or ''} with {len(self)} nodes>".replace("  ", " ")

    # -- value semantics -----------------------------------------------------------
    def _rule_texts(self) -> tuple[tuple[str, str], ...]:
        """``(node, rule in bnet syntax)`` in node order (computed once)."""
        got = self._cache.get("texts")
        if got is None:
            from .expr import to_bnet

            got = self._cache["texts"] = tuple((n, to_bnet(r)) for n, r in self._rules.items())
        return got

    def __eq__(self, other: object) -> bool:
        """Equal when the name, the node order, every rule (as written), the annotations and
        the implicit inputs are equal.

        Examples
        --------
        >>> BooleanNetwork({"A": "!B", "B": "A"}) == BooleanNetwork({"A": "!B", "B": "A"})
        True
        >>> BooleanNetwork({"A": "!B", "B": "A"}) == BooleanNetwork({"B": "A", "A": "!B"})
        False
        """
        if self is other:
            return True
        if not isinstance(other, BooleanNetwork):
            return NotImplemented
        return (
            self.name == other.name
            and self.implicit_inputs == other.implicit_inputs
            and self._rule_texts() == other._rule_texts()
            and self.annotations == other.annotations
        )

    def __hash__(self) -> int:
        """A hash of the name and the rules, computed once (equal networks hash equal)."""
        got = self._cache.get("hash")
        if got is None:
            got = self._cache["hash"] = hash((self.name, self._rule_texts()))
        return got

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle as rule texts (rules parse back to the same expressions), so that networks
        travel to worker processes and Dask workers."""
        return (_restore, (self.name, self._rule_texts(), self.annotations, self.implicit_inputs))

    def _evolve(self, rules: Mapping[str, Expr], **changes: Any) -> "BooleanNetwork":
        return BooleanNetwork(
            rules,
            name=changes.get("name", self.name),
            annotations=changes.get("annotations", self.annotations),
            implicit_inputs=changes.get("implicit_inputs", self.implicit_inputs),
        )

    @property
    def rules(self) -> Mapping[str, Expr]:
        """Read-only mapping node -> rule, in definition order."""
        return self._rules

    @property
    def nodes(self) -> tuple[str, ...]:
        """Node names in definition order."""
        if "nodes" not in self._cache:
            self._cache["nodes"] = tuple(self._rules)
        return self._cache["nodes"]

    def rule(self, node: str) -> Expr:
        """The rule of ``node`` (resolving aliases)."""
        return self._rules[self.resolve(node)]

    def regulators(self, node: str) -> tuple[str, ...]:
        """Nodes that occur in the rule of ``node``, in node order."""
        names = variables(self.rule(node))
        return tuple(n for n in self.nodes if n in names)

    def targets(self, node: str) -> tuple[str, ...]:
        """Nodes whose rule mentions ``node``."""
        return tuple(t for t in self.nodes if node in variables(self._rules[t]))

    # -- node kinds ---------------------------------------------------------------
    @property
    def inputs(self) -> tuple[str, ...]:
        """Nodes whose rule is the node itself (``X, X``): free inputs."""
        if "inputs" not in self._cache:
            self._cache["inputs"] = tuple(n for n, r in self._rules.items() if r == Var(n))
        return self._cache["inputs"]

    @property
    def constants(self) -> dict[str, int]:
        """Nodes whose rule is a constant function (``0``, ``1``, or e.g. ``A | !A``) -> value."""
        if "constants" not in self._cache:
            out = {}
            for n, r in self._rules.items():
                value = constant_value(r)
                if value is not None:
                    out[n] = int(value)
            self._cache["constants"] = out
        return dict(self._cache["constants"])

    @property
    def outputs(self) -> tuple[str, ...]:
        """Nodes that regulate no node but (perhaps) themselves: no other node's rule, nor the
        state-dependent rate of another node (:mod:`signet.rates`), reads them."""
        if "outputs" not in self._cache:
            from .rates import rate_nodes

            used: set[str] = set()
            for t, r in self._rules.items():
                used |= variables(r) - {t}
            for t, pair in self.annotations.rates.items():
                used |= (rate_nodes(pair[0]) | rate_nodes(pair[1])) - {t}
            inputs = set(self.inputs)
            self._cache["outputs"] = tuple(n for n in self.nodes if n not in used and n not in inputs)
        return self._cache["outputs"]

    def edges(self) -> list[tuple[str, str, str]]:
        """Signed regulations ``(regulator, target, sign)`` with sign ``+``, ``-``, ``?``, or ``0`` (unused).

        Regulators are listed in node order; the time is linear in the size of the rules
        (plus one truth table or BDD per rule for the signs), and the list is computed once.
        """
        if "edges" not in self._cache:
            index = {n: i for i, n in enumerate(self.nodes)}
            inputs = set(self.inputs)
            out = []
            for target in self.nodes:
                rule = self._rules[target]
                for reg in sorted(variables(rule), key=index.__getitem__):
                    if reg == target and target in inputs:
                        continue
                    out.append((reg, target, edge_sign(rule, reg)))
            self._cache["edges"] = out
        return list(self._cache["edges"])

    # -- names ------------------------------------------------------------------
    def resolve(self, name: str) -> str:
        """The node that ``name`` denotes: the name itself, an alias, or a case-insensitive match.

        Raises
        ------
        UnknownNodeError
            Naming the closest existing names.

        Examples
        --------
        >>> BooleanNetwork({"TP53": "TP53"}).resolve("tp53")
        'TP53'
        """
        if name in self._rules:
            return name
        table = self._cache.get("aliases")
        if table is None:
            table = self.annotations.alias_table()
            for n in self.nodes:
                table.setdefault(n.casefold(), n)
            self._cache["aliases"] = table
        hit = table.get(name, table.get(name.casefold()))
        if hit is not None and hit in self._rules:
            return hit
        candidates = list(self.nodes) + [a for a in table if not a.islower() or a in self._rules]
        close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
        if not close:
            close = difflib.get_close_matches(name.casefold(), [c.casefold() for c in candidates], n=3, cutoff=0.5)
        raise UnknownNodeError(name, close)

    def resolve_assignment(self, assignment: Mapping[str, int]) -> dict[str, int]:
        """Resolve the names of an assignment and check values are 0 or 1; a multi-valued
        node ``X: level`` becomes its level bits (:mod:`signet.levels`)."""
        from .levels import expand_levels, max_levels

        # a node's own name is never a multi-valued node's (levels._resolve_group), and finding
        # those reads every rule: only other names are looked up
        if any(name not in self._rules for name in assignment) and max_levels(self):
            assignment = expand_levels(self, assignment)
        out: dict[str, int] = {}
        for name, value in assignment.items():
            if value not in (0, 1, True, False):
                raise ModelError(f"value of {name} must be 0 or 1, not {value!r}")
            out[self.resolve(name)] = int(value)
        return out

    # -- perturbations --------------------------------------------------------------
    def fix(self, assignment: Mapping[str, int]) -> "BooleanNetwork":
        """Fix nodes to constants (their rules become ``0``/``1``)."""
        values = self.resolve_assignment(assignment)
        rules = dict(self._rules)
        for n, v in values.items():
            rules[n] = Const(bool(v))
        fixed = self._evolve(rules)
        known = self._cache.get("constants")
        if known is not None:  # the other rules are unchanged: so are their constant values
            fixed._cache["constants"] = {n: int(values[n]) if n in values else known[n] for n in rules
                                         if n in values or n in known}
        return fixed

    def knockout(self, *nodes: str) -> "BooleanNetwork":
        """Knock nodes out (rule ``0``)."""
        return self.fix({n: 0 for n in nodes})

    def overexpress(self, *nodes: str) -> "BooleanNetwork":
        """Over-express nodes (rule ``1``)."""
        return self.fix({n: 1 for n in nodes})

    def perturb(
        self,
        *,
        ko: Iterable[str] = (),
        oe: Iterable[str] = (),
        fix: Mapping[str, int] | None = None,
        context: str | None = None,
    ) -> "BooleanNetwork":
        """Apply a context, then fixes, knockouts and over-expressions; later ones win.

        Examples
        --------
        >>> net = BooleanNetwork({"A": "A", "B": "A"})
        >>> net.perturb(ko=["B"]).rule("B")
        Const(False)
        """
        from .levels import check_whole_levels, level_values, top_level

        values: dict[str, int] = {}
        if context is not None:
            values.update(self.resolve_assignment(self.context(context).fix))
        perturbation: dict[str, int] = dict(self.resolve_assignment(fix or {}))
        for name in ko:  # a multi-valued node: its level 0
            perturbation.update(level_values(self, name, 0))
        for name in oe:  # a multi-valued node: its highest level
            perturbation.update(level_values(self, name, top_level(self, name)))
        check_whole_levels(self, perturbation)
        values.update(perturbation)
        return self.fix(values) if values else self

    def context(self, name: str) -> Context:
        """The named :class:`~signet.annotations.Context` stored with the model."""
        contexts = self.annotations.contexts
        if name not in contexts:
            close = difflib.get_close_matches(name, list(contexts), n=3, cutoff=0.4)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            known = f" (known: {', '.join(contexts)})" if contexts else " (this model defines no contexts)"
            raise ModelError(f"unknown context {name!r}{hint}{known}")
        return contexts[name]

    # -- reductions -------------------------------------------------------------------
    def percolate(self, fixed: Mapping[str, int] | None = None) -> tuple["BooleanNetwork", dict[str, int]]:
        """Propagate constants until nothing changes (:mod:`signet.percolation`).

        Returns the network over the nodes that stay free (with the constants
        substituted into their rules) and the values of all nodes that became fixed.
        Rules that are constant functions (tautologies, contradictions) count as
        constants.

        Parameters
        ----------
        fixed
            Extra values to impose before propagating (as :meth:`fix`).
        """
        from .percolation import reduce_network

        reduced = reduce_network(self.fix(fixed) if fixed else self)
        return reduced.network, reduced.fixed

    def rename(self, mapping: Mapping[str, str]) -> "BooleanNetwork":
        """Rename nodes (``{old: new}``); rules, annotations and contexts follow."""
        mapping = {self.resolve(k): v for k, v in mapping.items()}
        for new in mapping.values():
            if not is_valid_name(new):
                raise ModelError(f"bad node name {new!r}")
        new_names = [mapping.get(n, n) for n in self.nodes]
        if len(set(new_names)) != len(new_names):
            raise ModelError("renaming would merge two nodes")
        table = {old: Var(new) for old, new in mapping.items()}
        rules = {mapping.get(n, n): substitute(r, table) for n, r in self._rules.items()}
        return self._evolve(
            rules,
            annotations=self.annotations.renamed(mapping),
            implicit_inputs=tuple(mapping.get(n, n) for n in self.implicit_inputs),
        )

    def restrict(self, nodes: Iterable[str]) -> "BooleanNetwork":
        """The sub-network on ``nodes``; regulators outside it become inputs."""
        keep = [self.resolve(n) for n in nodes]
        keep_set = set(keep)
        rules: dict[str, Expr] = {n: self._rules[n] for n in self.nodes if n in keep_set}
        extra: dict[str, Expr] = {}
        for r in rules.values():
            for v in sorted(variables(r)):
                if v not in keep_set:
                    extra[v] = Var(v)
        rules.update(extra)
        return self._evolve(rules)

    # -- comparison --------------------------------------------------------------------
    def is_equivalent(self, other: "BooleanNetwork") -> bool:
        """Same node set and every rule the same Boolean function (not the same text)."""
        if set(self.nodes) != set(other.nodes):
            return False
        return all(equivalent(self._rules[n], other._rules[n]) for n in self.nodes)

    # -- other tools' objects (signet.interop; each package imported only when used) -------------
    def to_networkx(self) -> Any:
        """The signed interaction graph as a ``networkx.DiGraph``, rules as node attribute ``rule``."""
        from .interop import to_networkx

        return to_networkx(self)

    @classmethod
    def from_networkx(cls, graph: Any) -> "BooleanNetwork":
        """A network from a ``networkx.DiGraph`` whose nodes carry a ``rule`` (see :meth:`to_networkx`)."""
        from .interop import from_networkx

        return from_networkx(graph)

    def to_mpbn(self) -> Any:
        """An ``mpbn.MPBooleanNetwork`` with the same rules."""
        from .interop import to_mpbn

        return to_mpbn(self)

    @classmethod
    def from_mpbn(cls, network: Any, *, name: str = "") -> "BooleanNetwork":
        """A network from an ``mpbn.MPBooleanNetwork``."""
        from .interop import from_mpbn

        return from_mpbn(network, name=name)

    def to_aeon(self) -> Any:
        """A ``biodivine_aeon.BooleanNetwork`` with the same names and rules."""
        from .interop import to_aeon

        return to_aeon(self)

    @classmethod
    def from_aeon(cls, network: Any, *, name: str = "") -> "BooleanNetwork":
        """A network from a ``biodivine_aeon.BooleanNetwork``."""
        from .interop import from_aeon

        return from_aeon(network, name=name)

    def to_pyboolnet_primes(self) -> dict[str, list[list[dict[str, int]]]]:
        """pyboolnet's prime implicants ``{node: [[0-primes], [1-primes]]}``."""
        from .interop import to_pyboolnet_primes

        return to_pyboolnet_primes(self)

    @classmethod
    def from_pyboolnet_primes(cls, primes: Mapping[str, Any], *, name: str = "") -> "BooleanNetwork":
        """A network from pyboolnet's primes (rules: the disjunction of the 1-primes)."""
        from .interop import from_pyboolnet_primes

        return from_pyboolnet_primes(primes, name=name)

    def format_space(self, space: Mapping[str, Any]) -> str:
        """Show ``space`` with node names in this network's node order."""
        return format_space(space, self.nodes)


def _restore(
    name: str, rules: tuple[tuple[str, str], ...], annotations: Annotations, implicit_inputs: tuple[str, ...]
) -> BooleanNetwork:
    """Unpickle a :class:`BooleanNetwork` (see ``BooleanNetwork.__reduce__``)."""
    return BooleanNetwork(dict(rules), name=name, annotations=annotations, implicit_inputs=implicit_inputs)
