"""The signed interaction graph: signs from functions, unused regulators."""

from __future__ import annotations

from signet.graph import interaction_graph, unused_regulators
from signet.io.bnet import parse_bnet


def test_signs_come_from_the_function_not_the_spelling():
    net = parse_bnet("A, A\nB, A\nC, !(!A) & !B\nD, A & !B | !A & B\nE, C & (D | !D)\n")
    g = interaction_graph(net)
    signs = {(u, v): d["sign"] for u, v, d in g.edges(data=True)}
    assert signs == {("A", "B"): "+", ("A", "C"): "+", ("B", "C"): "-", ("A", "D"): "?", ("B", "D"): "?", ("C", "E"): "+"}
    assert unused_regulators(net) == [("D", "E")]
    assert g.nodes["A"]["kind"] == "input" and g.nodes["E"]["kind"] == "output"
