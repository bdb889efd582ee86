"""CTL queries: biodivine-aeon's model checker against a brute-force CTL checker over all states."""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from signet.annotations import Annotations
from signet.cli import main
from signet.dynamics.query import Atom, Binary, Bool, Not, Temporal, Until, parse_formula, query
from signet.errors import ParseError
from signet.expr import evaluate
from signet.model import BooleanNetwork

from strategies import networks


class Kripke:
    """The asynchronous state graph with self-loops on fixed points, explicitly; CTL by fixpoints."""

    def __init__(self, net):
        self.net = net
        self.nodes = list(net.nodes)
        self.states = list(itertools.product((0, 1), repeat=len(self.nodes)))
        self.succ = {}
        for s in self.states:
            values = dict(zip(self.nodes, map(bool, s)))
            out = []
            for i, n in enumerate(self.nodes):
                v = int(bool(evaluate(net.rules[n], values)))
                if v != s[i]:
                    out.append(s[:i] + (v,) + s[i + 1:])
            self.succ[s] = out or [s]

    def sat(self, f) -> set:
        S = set(self.states)
        if isinstance(f, Bool):
            return S if f.value else set()
        if isinstance(f, Atom):
            i = self.nodes.index(f.name)
            return {s for s in S if s[i]}
        if isinstance(f, Not):
            return S - self.sat(f.arg)
        if isinstance(f, Binary):
            a, b = self.sat(f.left), self.sat(f.right)
            return {"&": a & b, "|": a | b, "->": (S - a) | b, "<->": (a & b) | ((S - a) & (S - b))}[f.op]
        if isinstance(f, Temporal):
            p = self.sat(f.arg)
            ex = lambda X: {s for s in S if any(t in X for t in self.succ[s])}  # noqa: E731
            ax = lambda X: {s for s in S if all(t in X for t in self.succ[s])}  # noqa: E731
            if f.op == "EX":
                return ex(p)
            if f.op == "AX":
                return ax(p)
            if f.op in ("EF", "AF"):
                step = ex if f.op == "EF" else ax
                X = set()
                while True:
                    Y = p | step(X)
                    if Y == X:
                        return X
                    X = Y
            step = ex if f.op == "EG" else ax
            X = set(S)
            while True:
                Y = p & step(X)
                if Y == X:
                    return X
                X = Y
        a, b = self.sat(f.left), self.sat(f.right)
        step = (lambda X: {s for s in S if any(t in X for t in self.succ[s])}) if f.quantifier == "E" else \
            (lambda X: {s for s in S if all(t in X for t in self.succ[s])})
        X = set()
        while True:
            Y = b | (a & step(X))
            if Y == X:
                return X
            X = Y


@st.composite
def formulas(draw, names, depth=3):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.one_of(st.sampled_from(names).map(Atom), st.booleans().map(Bool)))
    kind = draw(st.sampled_from(["not", "bin", "temp", "until"]))
    if kind == "not":
        return Not(draw(formulas(names, depth - 1)))
    if kind == "bin":
        return Binary(draw(st.sampled_from(["&", "|", "->", "<->"])), draw(formulas(names, depth - 1)),
                      draw(formulas(names, depth - 1)))
    if kind == "temp":
        return Temporal(draw(st.sampled_from(["EX", "AX", "EF", "AF", "EG", "AG"])), draw(formulas(names, depth - 1)))
    return Until(draw(st.sampled_from(["E", "A"])), draw(formulas(names, depth - 1)), draw(formulas(names, depth - 1)))


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(networks(min_nodes=1, max_nodes=5), st.data())
def test_aeon_answers_equal_brute_force_ctl(net, data):
    formula = data.draw(formulas(list(net.nodes)))
    kripke = Kripke(net)
    expected = kripke.sat(formula)
    starts = [s for s in kripke.states if all(s[kripke.nodes.index(n)] == v for n, v in net.constants.items())]
    result = query(net, formula, examples=100)
    assert result.total == len(starts)
    assert result.holds == len(expected & set(starts))
    assert {tuple(s[n] for n in kripke.nodes) for s in result.satisfying} == expected & set(starts)
    # the same formula through its text
    assert parse_formula(str(formula)) == formula


def test_phenotypes_aliases_and_starts():
    net = BooleanNetwork({"RT": "RT", "DSB": "RT & !Repair", "Repair": "DSB | Repair", "Apo": "DSB & !Repair"},
                         annotations=Annotations(phenotypes={"Death": "Apo"}, baseline={"RT": 0}))
    treated = net.fix({"RT": 1})
    # from the untreated state, irradiation can kill (a DSB before repair), but need not
    start = [{"RT": 1, "DSB": 0, "Repair": 0, "Apo": 0}]
    assert query(treated, "EF Death", start=start).always
    assert not query(treated, "AF Death", start=start).always
    assert query(treated, "AF Repair", start=start).always
    assert query(treated, "E[!Death U Repair]", start=start).always
    r = query(net, "AG !Death", start={"RT": 0, "DSB": 0, "Repair": 0, "Apo": 0})
    assert (r.holds, r.total) == (1, 1)


@pytest.mark.parametrize("text, column, message", [
    ("AF (A &", 8, "expected a formula, found the end"),
    ("E[A B]", 5, "expected 'U' in E[... U ...], found 'B'"),
    ("A[A U B", 8, "expected ']', found the end"),
    ("(A | B", 1, "'(' is never closed"),
    ("A B", 3, "expected an operator or the end, found 'B'"),
    ("A % B", 3, "unexpected character '%'"),
])
def test_parse_errors(text, column, message):
    with pytest.raises(ParseError) as info:
        parse_formula(text)
    assert (info.value.line, info.value.column) == (1, column)
    assert str(info.value) == f"formula:1:{column}: {message}"


def test_precedence_and_round_trip():
    f = parse_formula("AG A -> AF B & !C | D <-> E")
    assert f == Binary("<->", Binary("->", Temporal("AG", Atom("A")),
                                     Binary("|", Binary("&", Temporal("AF", Atom("B")), Not(Atom("C"))), Atom("D"))),
                       Atom("E"))
    assert parse_formula(str(f)) == f


def test_cli_query(tmp_path):
    path = tmp_path / "m.bnet"
    path.write_text("RT, RT\nDSB, RT & !Repair\nRepair, DSB | Repair\nApo, DSB & !Repair\n")
    (tmp_path / "m.yaml").write_text("model: {baseline: {RT: 0}, treatment: {RT: 1}}\nphenotypes: {Death: Apo}\n")
    runner = CliRunner()
    out = runner.invoke(main, ["query", str(path), "EF Death", "--treat", "--from", "baseline", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    # baseline: Repair off or on; with Repair already on no DSB forms, so Death is out of reach
    assert (data["all"], data["holds"], data["total"]) == (False, 1, 2)
    assert data["satisfying"][0]["Repair"] == 0 and data["failing"][0]["Repair"] == 1
    text = runner.invoke(main, ["query", str(path), "AF Death", "--treat", "--from", "baseline"])
    assert text.output.splitlines()[0] == "AF Death: holds in none 2 start states (async)"
    bad = runner.invoke(main, ["query", str(path), "AF Deth"])
    assert bad.exit_code == 1
    assert bad.output.strip() == "Error: formula: 'Deth' is neither a node nor a phenotype; did you mean 'Death'?"
    bad = runner.invoke(main, ["query", str(path), "AF (Death"])
    assert bad.exit_code == 1 and bad.output.strip() == "Error: formula:1:4: '(' is never closed"
