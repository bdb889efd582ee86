"""Hypothesis strategies: random expressions and small random networks."""

from __future__ import annotations

from hypothesis import strategies as st

from signet.annotations import Annotations
from signet.expr import And, Const, Expr, Not, Or, Var
from signet.model import BooleanNetwork

NAMES = ["A", "B", "C", "D", "E", "F", "G", "H", "x.1", "y:2"]


def expressions(names: list[str] | None = None, max_leaves: int = 12) -> st.SearchStrategy[Expr]:
    names = names or NAMES[:5]
    leaves = st.one_of(st.sampled_from(names).map(Var), st.booleans().map(Const))
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            children.map(Not),
            st.lists(children, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
            st.lists(children, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
        ),
        max_leaves=max_leaves,
    )


@st.composite
def networks(draw, min_nodes: int = 1, max_nodes: int = 6) -> BooleanNetwork:
    n = draw(st.integers(min_nodes, max_nodes))
    names = [f"n{i}" for i in range(n)]
    rules = {name: draw(expressions(names, max_leaves=6)) for name in names}
    return BooleanNetwork(rules)


#: A treated network's annotations: Death phenotype, treatment RT=1, untreated RT=0.
TREATED = Annotations(phenotypes={"Death": "Death"}, treatment={"RT": 1}, baseline={"RT": 0})


@st.composite
def treated_networks(draw, max_nodes: int = 4) -> BooleanNetwork:
    """An input RT (baseline 0, treatment 1), ``max_nodes`` random nodes, and Death read from one."""
    n = draw(st.integers(2, max_nodes))
    names = [f"n{i}" for i in range(n)]
    rules = {"RT": "RT"}
    for name in names:
        rules[name] = draw(expressions([*names, "RT"], max_leaves=5))
    rules["Death"] = draw(st.sampled_from(names))
    return BooleanNetwork(rules, annotations=TREATED)
