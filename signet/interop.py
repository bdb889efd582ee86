"""One-call conversion to and from the objects of other Python tools.

==========================  =============================================  ==============================
to                          object                                         back
==========================  =============================================  ==============================
:func:`to_networkx`         ``networkx.DiGraph``: signed edges, node       :func:`from_networkx`
                            ``rule`` (bnet text), ``kind``, ``label``
:func:`to_mpbn`             ``mpbn.MPBooleanNetwork``                      :func:`from_mpbn`
:func:`to_aeon`             ``biodivine_aeon.BooleanNetwork``              :func:`from_aeon`
:func:`to_pyboolnet_primes` pyboolnet's primes ``{node: [[...], [...]]}``  :func:`from_pyboolnet_primes`
==========================  =============================================  ==============================

The same functions are methods of :class:`~signet.model.BooleanNetwork`
(``network.to_mpbn()``, ``BooleanNetwork.from_aeon(bn)``).  Each package is imported
only when its conversion runs; none is needed by signet itself.  The rules keep their
Boolean functions exactly (the text may be normalised); the metadata stays with signet
(only ``to_networkx`` carries node labels and modules).

Examples
--------
>>> from signet.io.bnet import parse_bnet
>>> net = parse_bnet("A, A\\nB, A & !C\\nC, B")
>>> to_pyboolnet_primes(net)["B"]
[[{'A': 0}, {'C': 1}], [{'A': 1, 'C': 0}]]
>>> from_pyboolnet_primes(to_pyboolnet_primes(net)).is_equivalent(net)
True
>>> graph = to_networkx(net)
>>> graph.nodes["B"]["rule"], graph.edges["C", "B"]["sign"]
('A & !C', '-')
>>> from_networkx(graph).is_equivalent(net)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from .errors import ModelError, ParseError, foreign_errors

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .expr import Expr
    from .model import BooleanNetwork

__all__ = ["to_networkx", "from_networkx", "to_mpbn", "from_mpbn", "to_aeon", "from_aeon",
           "to_pyboolnet_primes", "from_pyboolnet_primes"]


def _rule_text(network: "BooleanNetwork", node: str) -> str:
    from .expr import to_bnet

    return to_bnet(network.rules[node])


def _network(rules: Mapping[str, str], *, name: str, what: str) -> "BooleanNetwork":
    from .model import BooleanNetwork

    try:
        return BooleanNetwork(dict(rules), name=name)
    except ParseError as exc:
        raise ModelError(f"{what}: {exc}") from None


# -- networkx -------------------------------------------------------------------------------
def to_networkx(network: "BooleanNetwork") -> "nx.DiGraph":
    """The signed interaction graph (:func:`signet.graph.interaction_graph`) with each
    node's rule as the node attribute ``rule`` (bnet syntax)."""
    from .graph import interaction_graph

    graph = interaction_graph(network)
    for node in network.nodes:
        graph.nodes[node]["rule"] = _rule_text(network, node)
    return graph


def from_networkx(graph: "nx.DiGraph") -> "BooleanNetwork":
    """A network from a graph whose nodes carry a ``rule`` (bnet text), as :func:`to_networkx` makes.

    Raises
    ------
    ModelError
        A node without a ``rule`` attribute, or a rule that does not parse.
    """
    rules = {}
    for node, data in graph.nodes(data=True):
        if "rule" not in data:
            raise ModelError(f"networkx graph: node {node!r} has no 'rule' attribute (a bnet expression)")
        rules[str(node)] = str(data["rule"])
    return _network(rules, name=str(graph.graph.get("name", "")), what="networkx graph")


# -- mpbn ---------------------------------------------------------------------------------------
def to_mpbn(network: "BooleanNetwork") -> Any:
    """An ``mpbn.MPBooleanNetwork`` (most-permissive dynamics) with the same rules.

    mpbn reads each rule as written and expects locally monotone rules: ``A & !A`` would be
    read as a rule that can switch on.  A rule with a constant or a name under both signs is
    therefore written as the disjunction of its prime implicants (``0`` or ``1`` when it is
    constant), which names each variable of a locally monotone function under one sign only.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"A": "!A", "B": "A & !A | B & A | B & !A"})
    >>> sorted((node, str(rule)) for node, rule in to_mpbn(net).items())
    [('A', '!A'), ('B', 'B')]
    """
    import mpbn

    return mpbn.MPBooleanNetwork({node: _monotone_text(network.rules[node]) for node in network.nodes})


def _monotone_text(rule: Expr) -> str:
    """``rule`` in bnet syntax, as the disjunction of its prime implicants where its spelling
    has a constant or a name under both signs (see :func:`to_mpbn`)."""
    from .expr import to_bnet
    from .primes import may_be_constant, prime_implicants

    if not may_be_constant(rule):
        return to_bnet(rule)
    return _terms_text(prime_implicants(rule)[0])


def _terms_text(terms: Any) -> str:
    """The disjunction of ``terms`` (each a mapping name -> 0/1, a conjunction of literals) in
    bnet syntax: ``0`` for no term, ``1`` for an empty one.

    Examples
    --------
    >>> _terms_text([{"B": 1, "A": 0}, {"C": 1}]), _terms_text([]), _terms_text([{}])
    ('!A & B | C', '0', '1')
    """
    texts = [" & ".join(n if int(v) else f"!{n}" for n, v in sorted(dict(term).items())) or "1" for term in terms]
    return " | ".join(texts) or "0"


def from_mpbn(mpbn_network: Mapping[str, Any], *, name: str = "") -> "BooleanNetwork":
    """A network from an ``mpbn.MPBooleanNetwork`` (or any mapping node -> formula whose
    text uses ``&``, ``|``, ``!``/``~``, ``0``/``1``)."""
    rules = {str(node): str(rule).replace("~", "!") for node, rule in mpbn_network.items()}
    return _network(rules, name=name, what="mpbn network")


# -- biodivine-aeon -----------------------------------------------------------------------------
def to_aeon(network: "BooleanNetwork") -> Any:
    """A ``biodivine_aeon.BooleanNetwork`` with the same node names and rules.

    Raises
    ------
    ModelError
        A node name AEON does not accept.
    """
    from .dynamics.symbolic import load_aeon

    rules = [(node, _rule_text(network, node)) for node in network.nodes]
    return load_aeon(rules, ModelError, "biodivine-aeon does not accept the network")


def from_aeon(aeon_network: Any, *, name: str = "") -> "BooleanNetwork":
    """A network from a ``biodivine_aeon.BooleanNetwork`` (every update function given).

    Raises
    ------
    ModelError
        AEON cannot write the network as bnet (an update function missing, parameters).
    """
    from .io.bnet import parse_bnet

    with foreign_errors(ModelError, "biodivine-aeon network"):
        text = aeon_network.to_bnet()
    return parse_bnet(text, source="biodivine-aeon network", name=name)


# -- pyboolnet ----------------------------------------------------------------------------------
def to_pyboolnet_primes(network: "BooleanNetwork") -> dict[str, list[list[dict[str, int]]]]:
    """pyboolnet's primes: ``{node: [[0-primes], [1-primes]]}``, computed exactly."""
    from .io.primes import network_primes

    return network_primes(network)


def from_pyboolnet_primes(primes: Mapping[str, Any], *, name: str = "") -> "BooleanNetwork":
    """A network whose rules are the disjunctions of the 1-primes (each a conjunction).

    Raises
    ------
    ModelError
        Primes not in pyboolnet's shape, or naming an unknown node.
    """
    rules = {}
    for node, pair in primes.items():
        try:
            rules[str(node)] = _terms_text(pair[1])
        except (TypeError, IndexError, KeyError, ValueError):
            raise ModelError(f"pyboolnet primes: the entry of {node!r} is not [[0-primes], [1-primes]]") from None
    return _network(rules, name=name, what="pyboolnet primes")
