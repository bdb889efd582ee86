"""pyboolnet's prime-implicant JSON (``primes``), written exactly.

pyboolnet represents a network by the prime implicants of every rule and of its
negation: ``{node: [[implicants of node = 0], [implicants of node = 1]]}``, each
implicant a ``{regulator: 0 or 1}`` mapping.  pyboolnet reads the file with
``pyboolnet.file_exchange.read_primes`` (or ``json.load``) and works on it directly
(trap spaces, model checking, basins).  Constants are ``[[], [{}]]`` (always 1) and
``[[{}], []]`` (always 0); an input ``X, X`` is ``[[{"X": 0}], [{"X": 1}]]``.

Prime implicants are computed exactly by :mod:`signet.primes` (Shannon
expansion on truth tables), the implementation the trap-space engines use.

Examples
--------
>>> from signet.io.bnet import parse_bnet
>>> primes = network_primes(parse_bnet("A, A\\nB, A & !B\\n"))
>>> primes["B"]
[[{'A': 0}, {'B': 1}], [{'A': 1, 'B': 0}]]
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..expr import Expr
from ..model import BooleanNetwork
from . import register_format
from .files import atomic_write_text, require_network

__all__ = ["rule_primes", "network_primes", "generate_primes", "write_primes"]

register_format("primes", "signet.io.primes", (".json",), read=False, write=True)


def rule_primes(rule: Expr) -> list[list[dict[str, int]]]:
    """``[primes of !rule, primes of rule]``, each prime a ``{name: 0 | 1}`` mapping (sorted).

    The primes come from :func:`signet.primes.prime_implicants` (exact, any
    number of regulators).

    Examples
    --------
    >>> from signet.expr import parse_expression
    >>> rule_primes(parse_expression("A | B & !A"))
    [[{'A': 0, 'B': 0}], [{'A': 1}, {'B': 1}]]
    >>> rule_primes(parse_expression("C | !C"))
    [[], [{}]]
    """
    from ..primes import prime_implicants

    on, off = prime_implicants(rule)
    return [
        sorted((dict(sorted(t.items())) for t in terms), key=lambda d: sorted(d.items()))
        for terms in (off, on)
    ]


def network_primes(network: BooleanNetwork) -> dict[str, list[list[dict[str, int]]]]:
    """The pyboolnet primes of every node, in node order."""
    require_network(network)
    return {node: rule_primes(rule) for node, rule in network.rules.items()}


def generate_primes(network: BooleanNetwork) -> str:
    """pyboolnet primes as JSON text (what ``pyboolnet.file_exchange.read_primes`` reads)."""
    return json.dumps(network_primes(network), indent=1, sort_keys=False) + "\n"


def write_primes(network: BooleanNetwork, path: str | os.PathLike[str]) -> None:
    """Write the primes JSON (atomically)."""
    atomic_write_text(Path(path), generate_primes(network))
