"""Phenotype values on subspaces against enumeration of the subspace's states."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings, strategies as st

from signet.dynamics import attractors
from signet.errors import ModelError
from signet.expr import evaluate, parse_expression
from signet.io.bnet import parse_bnet
from signet.phenotypes import parse_phenotypes, phenotype_value, phenotype_values

NAMES = ["A", "B", "C", "D"]


@st.composite
def expressions(draw, depth=3):
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(NAMES + ["!" + n for n in NAMES]))
    op = draw(st.sampled_from([" & ", " | "]))
    left, right = draw(expressions(depth - 1)), draw(expressions(depth - 1))
    neg = draw(st.booleans())
    text = f"({left}{op}{right})"
    return "!" + text if neg else text


@settings(max_examples=200, deadline=None)
@given(expressions(), st.lists(st.sampled_from([0, 1, "*"]), min_size=4, max_size=4))
def test_value_on_subspace_equals_enumeration(text, values):
    space = dict(zip(NAMES, values))
    free = [n for n in NAMES if space[n] == "*"]
    seen = set()
    for bits in itertools.product((False, True), repeat=len(free)):
        state = {n: bool(space[n]) for n in NAMES if space[n] != "*"}
        state.update(zip(free, bits))
        seen.add(int(bool(evaluate(parse_expression(text), state))))
    expected = seen.pop() if len(seen) == 1 else "*"
    assert phenotype_value(text, space) == expected


def test_tautology_is_one_not_star():
    assert phenotype_value("A | !A", {"A": "*"}) == 1
    assert phenotype_value("A & !A", {"A": "*"}) == 0


def test_unknown_node_and_bad_syntax():
    with pytest.raises(ModelError, match="unknown node"):
        parse_phenotypes({"Death": "Apoptosis"}, ["A"])
    with pytest.raises(ModelError):
        phenotype_values({"A": 1}, {"Death": "A & Apoptosis"})
    with pytest.raises(Exception, match="phenotype Death"):
        parse_phenotypes({"Death": "A &"})


def test_result_labels_and_shares():
    net = parse_bnet("A, !B\nB, A\nC, C\n")
    result = attractors(net, "async")
    phenos = {"Osc": "A", "Cfix": "C", "Either": "A | !A & C"}
    values = result.phenotype_values(phenos)
    assert values == [{"Osc": "*", "Cfix": 0, "Either": "*"}, {"Osc": "*", "Cfix": 1, "Either": 1}]
    # A | !A & C is exactly 1 wherever C=1, although A oscillates
    assert result.shares(phenos) == {"Osc": 0.0, "Cfix": 0.5, "Either": 0.5}
    data = result.to_json(phenos)
    assert data["attractors"][1]["phenotypes"] == {"Osc": "*", "Cfix": 1, "Either": 1}
    assert data["phenotypes"] == {"Osc": 0.0, "Cfix": 0.5, "Either": 0.5}
