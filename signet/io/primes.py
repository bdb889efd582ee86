"""pyboolnet's prime-implicant JSON (``primes``), written exactly.

pyboolnet represents a network by the prime implicants of every rule and of its
negation: ``{node: [[implicants of node = 0], [implicants of node = 1]]}``, each
implicant a ``{regulator: 0 or 1}`` mapping.  pyboolnet reads the file with
``pyboolnet.file_exchange.read_primes`` (or ``json.load``) and works on it directly
(trap spaces, model checking, basins).  Constants are ``[[], [{}]]`` (always 1) and
``[[{}], []]`` (always 0); an input ``X, X`` is ``[[{"X": 0}], [{"X": 1}]]``.

Prime implicants are computed exactly from each rule's truth table by Shannon
expansion (``P(f) = P(f0 & f1) + !x.(P(f0) - P(f0 & f1)) + x.(P(f1) - P(f0 & f1))``).

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

from ..errors import ModelError
from ..expr import Expr, constant_value, truth_table, variables
from ..model import BooleanNetwork
from . import register_format
from ._files import atomic_write_text

__all__ = ["rule_primes", "network_primes", "generate_primes", "write_primes"]

register_format("primes", "signet.io.primes", (".json",), read=False, write=True)

#: largest number of regulators of one rule (a truth table of 2**20 entries)
MAX_PRIME_VARIABLES = 20

_Term = tuple[int, int]  # (mask of the variables present, their values)


def _shannon_primes(table: int, k: int, memo: dict[tuple[int, int], tuple[_Term, ...]]) -> tuple[_Term, ...]:
    """Primes of the function whose truth table (bit i = value at assignment i) is ``table`` over ``k`` variables."""
    if table == 0:
        return ()
    if table == (1 << (1 << k)) - 1:
        return ((0, 0),)
    key = (table, k)
    hit = memo.get(key)
    if hit is not None:
        return hit
    half = 1 << (k - 1)
    low = table & ((1 << half) - 1)  # variable k-1 is 0
    high = table >> half  # variable k-1 is 1
    common = _shannon_primes(low & high, k - 1, memo)
    if low == high:
        result = common
    else:
        seen = set(common)
        bit = 1 << (k - 1)
        out = list(common)
        out += [(m | bit, v) for m, v in _shannon_primes(low, k - 1, memo) if (m, v) not in seen]
        out += [(m | bit, v | bit) for m, v in _shannon_primes(high, k - 1, memo) if (m, v) not in seen]
        result = tuple(out)
    memo[key] = result
    return result


def rule_primes(rule: Expr) -> list[list[dict[str, int]]]:
    """``[primes of !rule, primes of rule]``, each prime a ``{name: 0 | 1}`` mapping (sorted).

    Examples
    --------
    >>> from signet.expr import parse_expression
    >>> rule_primes(parse_expression("A | B & !A"))
    [[{'A': 0, 'B': 0}], [{'A': 1}, {'B': 1}]]
    >>> rule_primes(parse_expression("C | !C"))
    [[], [{}]]
    """
    # a prime implicant never mentions a variable the function does not depend on,
    # so the table can be over every name that occurs
    names = sorted(variables(rule))
    if len(names) > MAX_PRIME_VARIABLES:
        raise ModelError(f"a rule with {len(names)} regulators is too large for exact prime implicants "
                         f"(at most {MAX_PRIME_VARIABLES})")
    k = len(names)
    if k == 0:
        table = 1 if constant_value(rule) else 0
    else:
        import numpy as np

        bits = truth_table(rule, names)
        table = int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")
    full = (1 << (1 << k)) - 1
    out = []
    for t in (full & ~table, table):
        terms = [
            {names[j]: (values >> j) & 1 for j in range(k) if (mask >> j) & 1}
            for mask, values in _shannon_primes(t, k, {})
        ]
        out.append(sorted(terms, key=lambda d: sorted(d.items())))
    return out


def network_primes(network: BooleanNetwork) -> dict[str, list[list[dict[str, int]]]]:
    """The pyboolnet primes of every node, in node order."""
    return {node: rule_primes(rule) for node, rule in network.rules.items()}


def generate_primes(network: BooleanNetwork) -> str:
    """pyboolnet primes as JSON text (what ``pyboolnet.file_exchange.read_primes`` reads)."""
    return json.dumps(network_primes(network), indent=1, sort_keys=False) + "\n"


def write_primes(network: BooleanNetwork, path: str | os.PathLike[str]) -> None:
    """Write the primes JSON (atomically)."""
    atomic_write_text(Path(path), generate_primes(network))
