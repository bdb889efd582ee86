"""Phenotype markers: label attractors with cell fates.

A model declares phenotypes in its metadata (``annotations.phenotypes``): a name and
a bnet expression over nodes, e.g. ``Death: "Apoptosis | Ferroptosis"``.  On a
subspace (an attractor's smallest enclosing subspace, or a minimal trap space) a
phenotype is ``1`` if its expression is true on *every* state of the subspace, ``0``
if false on every state, and ``"*"`` otherwise (it oscillates or differs between
states).  Nothing is rounded.

Examples
--------
>>> phenotype_values({"Apoptosis": 0, "Ferroptosis": "*", "Growth": 1},
...                  {"Death": "Apoptosis | Ferroptosis", "Proliferation": "Growth & !Apoptosis"})
{'Death': '*', 'Proliferation': 1}
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Mapping

from .errors import ModelError
from .expr import Expr, constant_value, parse_expression, substitute, variables

__all__ = ["parse_phenotypes", "phenotype_value", "phenotype_values"]


@lru_cache(maxsize=4096)
def _parse(text: str, name: str) -> Expr:
    return parse_expression(text, source=f"phenotype {name}")


def parse_phenotypes(phenotypes: Mapping[str, str | Expr], nodes: Iterable[str] | None = None) -> dict[str, Expr]:
    """Parse phenotype expressions; with ``nodes``, check they only use those nodes.

    Raises
    ------
    ModelError
        A phenotype that names a node the model does not have.
    """
    out: dict[str, Expr] = {}
    for name, expr in phenotypes.items():
        parsed = _parse(expr, name) if isinstance(expr, str) else expr
        if nodes is not None:
            unknown = sorted(variables(parsed) - set(nodes))
            if unknown:
                raise ModelError(f"phenotype {name!r} uses unknown node(s): {', '.join(unknown)}")
        out[name] = parsed
    return out


def phenotype_value(expr: Expr | str, space: Mapping[str, int | str]) -> int | str:
    """``1``, ``0`` or ``"*"``: the value of ``expr`` on all states of ``space``.

    Examples
    --------
    >>> phenotype_value("A | !A & B", {"A": "*", "B": 1})
    1
    >>> phenotype_value("A & B", {"A": "*", "B": 1})
    '*'
    """
    parsed = _parse(expr, "") if isinstance(expr, str) else expr
    missing = variables(parsed) - set(space)
    if missing:
        raise ModelError(f"phenotype uses node(s) not in the space: {', '.join(sorted(missing))}")
    fixed = {n: int(space[n]) for n in variables(parsed) if space[n] != "*"}
    value = constant_value(substitute(parsed, fixed))
    return "*" if value is None else int(value)


def phenotype_values(space: Mapping[str, int | str], phenotypes: Mapping[str, str | Expr]) -> dict[str, int | str]:
    """Each phenotype's value on ``space`` (see :func:`phenotype_value`)."""
    parsed = parse_phenotypes(phenotypes)
    return {name: phenotype_value(expr, space) for name, expr in parsed.items()}
