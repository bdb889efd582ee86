"""Rules as BDD circuits (signet.circuits) against brute force.

The circuits replace prime implicants in the trap-space and fixed-point programs for
rules over many regulators; here every rule is forced through them
(``circuit_variables=0``) and the answers are compared with enumeration.
"""

from __future__ import annotations

import itertools
import pickle

from hypothesis import given, strategies as st

from signet.circuits import rule_circuit
from signet.dynamics import trapspaces
from signet.expr import And, Not, Or, Var, evaluate, parse_expression
from signet.io.bnet import parse_bnet
from signet.model import BooleanNetwork
from signet.primes import TABLE_VARIABLES

from strategies import expressions
from test_dynamics import SETTINGS, oracles

NAMES = ["A", "B", "C", "D", "E"]


@SETTINGS
@given(expressions(NAMES, max_leaves=14), st.dictionaries(st.sampled_from(NAMES), st.integers(0, 1)))
def test_constant_on_equals_enumeration(expr, space):
    circuit = rule_circuit(expr, NAMES)
    free = [n for n in NAMES if n not in space]
    values = {
        bool(evaluate(expr, {**space, **dict(zip(free, bits))}))
        for bits in itertools.product((0, 1), repeat=len(free))
    }
    expected = int(values.pop()) if len(values) == 1 else None
    assert circuit.bdd is not None
    assert circuit.constant_on(space) == expected  # AEON's BDD restricted
    assert circuit._constant_on_nodes(space) == expected  # the decoded nodes walked
    assert pickle.loads(pickle.dumps(circuit)).constant_on(space) == expected  # no BDD after a pickle


@SETTINGS
@given(expressions(NAMES, max_leaves=14))
def test_circuit_evaluates_as_the_rule_on_every_state(expr):
    # the BDD is built by signet's own walk (balanced operands, clauses of literals)
    circuit = rule_circuit(expr, NAMES)
    for bits in itertools.product((0, 1), repeat=len(NAMES)):
        state = dict(zip(NAMES, bits))
        assert circuit.constant_on(state) == int(bool(evaluate(expr, state)))


def test_long_disjunction_built_as_aeon_parses_it():
    import biodivine_aeon as ba

    from signet.circuits import _expression_bdd

    names = [f"v{i}" for i in range(12)]
    terms = [" & ".join(("" if (k >> i) & 1 else "!") + names[(k + i) % 12] for i in range(4)) for k in range(300)]
    expr = parse_expression(" | ".join(f"({t})" for t in terms) + " | v0 & !v0")
    context = ba.BddVariableSet(names)
    text = " | ".join(f"({t})" for t in terms)
    assert _expression_bdd(context, expr, {n: n for n in names}) == context.eval_expression(text)


def test_bdd_text_decodes_to_the_circuit():
    from signet.circuits import _decode

    circuit = rule_circuit(parse_expression("A & !B | C & (D | !A) | E & B"), NAMES)
    assert _decode(circuit.bdd.data_string(), circuit.names) == circuit
    assert _decode("|5,0,0|", circuit.names).root == 0  # the constant false


@SETTINGS
@given(oracles(max_nodes=6))
def test_trap_spaces_through_circuits_equal_enumeration(oracle):
    net = parse_bnet(oracle.bnet())
    expected = sorted(oracle.minimal_trap_spaces(), key=repr)
    got = trapspaces.minimal_trap_spaces(net, circuit_variables=0)
    assert sorted((tuple(s[n] for n in oracle.names) for s in got), key=repr) == expected


@SETTINGS
@given(oracles(max_nodes=8))
def test_fixed_points_through_circuits_equal_enumeration(oracle):
    net = parse_bnet(oracle.bnet())
    got = trapspaces._fixed_points_asp(net, circuit_variables=0)
    assert {tuple(p[n] for n in oracle.names) for p in got} == oracle.fixed_points()
    assert len(got) == len(oracle.fixed_points())


def test_rule_over_many_regulators():
    # T over 20 regulators (above CIRCUIT_VARIABLES): its negation has 2**10 prime implicants
    rules = {"T": Or(tuple(And((Var(f"a{i}"), Var(f"b{i}"))) for i in range(10)))}
    rules.update({f"a{i}": Var("T") for i in range(10)})
    rules.update({f"b{i}": Var("T") for i in range(10)})
    net = BooleanNetwork(rules)
    on = {n: 1 for n in net.nodes}
    off = {n: 0 for n in net.nodes}
    assert trapspaces.minimal_trap_spaces(net) == [off, on]
    assert trapspaces.minimal_trap_spaces(net, circuit_variables=64) == [off, on]
    assert trapspaces._fixed_points_asp(net) == [off, on]
    assert net.fix({f"a{i}": 0 for i in range(10)}).percolate()[1] == off
    assert net.fix({"a3": 1}).percolate()[1] == {"a3": 1}


def test_percolation_decides_rules_over_many_regulators_on_their_bdds():
    # T over 24 regulators: above TABLE_VARIABLES, so percolation reads its BDD
    rules = {"T": Or(tuple(And((Var(f"a{i}"), Var(f"b{i}"))) for i in range(12)))}
    rules.update({f"a{i}": Var(f"a{i}") for i in range(12)})
    rules.update({f"b{i}": Var(f"b{i}") for i in range(12)})
    net = BooleanNetwork(rules)
    assert len(net.regulators("T")) > TABLE_VARIABLES
    zeros = {f"a{i}": 0 for i in range(12)}
    assert net.percolate(zeros)[1] == {**zeros, "T": 0}
    assert net.percolate({"a3": 1, "b3": 1})[1] == {"T": 1, "a3": 1, "b3": 1}
    assert net.percolate({**zeros, "a3": 1})[1] == {**zeros, "a3": 1}  # T = b3: not constant


def test_constant_rule_circuits():
    assert rule_circuit(parse_expression("A | !A"), ["A"]).root == 1
    assert rule_circuit(parse_expression("A & !A"), ["A"]).root == 0
    net = BooleanNetwork({"A": "A | !A", "B": "B & !B", "C": "A & !B"})
    assert trapspaces.minimal_trap_spaces(net, circuit_variables=0) == [{"A": 1, "B": 0, "C": 1}]
