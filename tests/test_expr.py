"""Expressions: parsing, printing, evaluation, semantics, sympy bridge."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from signet.errors import ParseError
from signet.expr import (
    And,
    Const,
    Not,
    Or,
    Var,
    constant_value,
    edge_sign,
    equivalent,
    essential_variables,
    evaluate,
    parse_expression,
    simplify,
    substitute,
    to_bnet,
    to_cnf,
    to_dnf,
    truth_table,
    variables,
)

from strategies import expressions


def brute_table(expr, names):
    """Truth table by plain Python evaluation, one assignment at a time (oracle)."""
    out = []
    for i in range(1 << len(names)):
        env = {n: bool((i >> j) & 1) for j, n in enumerate(names)}
        out.append(bool(evaluate(expr, env)))
    return out


def test_precedence_and_binds_tighter_than_or():
    assert parse_expression("A | B & C") == Or((Var("A"), And((Var("B"), Var("C")))))
    assert parse_expression("!A & B") == And((Not(Var("A")), Var("B")))


@pytest.mark.parametrize("text", ["~A", "!A", "! A"])
def test_negation_spellings(text):
    assert parse_expression(text) == Not(Var("A"))


@pytest.mark.parametrize("text,value", [("0", False), ("1", True), ("true", True), ("FALSE", False), ("True", True)])
def test_constants(text, value):
    assert parse_expression(text) == Const(value)


@pytest.mark.parametrize("name", ["v_X", "a.b", "ns:gene", "_x1", "CDK1_2"])
def test_names_with_allowed_characters(name):
    assert parse_expression(f"{name} & B") == And((Var(name), Var("B")))


def test_deeply_nested_rule_parses():
    text = "(" * 3000 + "A" + " | B)" * 3000
    expr = parse_expression(text)
    assert variables(expr) == {"A", "B"}
    assert isinstance(expr, Or) and len(expr.args) == 3001


@pytest.mark.parametrize(
    "text,column,fragment",
    [
        ("A & (B | C", 5, "never closed"),
        ("A & B)", 6, "no matching"),
        ("A &", 3, "operand is missing"),
        ("| A", 1, "operand is missing"),
        ("A B", 3, "expected an operator"),
        ("A ^ B", 3, "unexpected character '^'"),
        ("", 1, "empty rule"),
        ("1abc & B", 1, "bad name"),
        ("A & ()", 6, "operand is missing"),
    ],
)
def test_parse_errors_have_columns(text, column, fragment):
    with pytest.raises(ParseError) as info:
        parse_expression(text, source="f.bnet", line=7)
    err = info.value
    assert (err.source, err.line, err.column) == ("f.bnet", 7, column)
    assert fragment in str(err)
    assert str(err).startswith(f"f.bnet:7:{column}: ")


@given(expressions())
def test_print_parse_round_trip_is_identity_on_functions(expr):
    again = parse_expression(to_bnet(expr))
    assert equivalent(expr, again)
    names = sorted(variables(expr) | variables(again))
    assert brute_table(expr, names) == brute_table(again, names)


@given(expressions())
def test_truth_table_matches_pointwise_evaluation(expr):
    names = sorted(variables(expr)) or ["A"]
    assert truth_table(expr, names).tolist() == brute_table(expr, names)


@settings(max_examples=60, deadline=None)
@given(expressions(max_leaves=8))
def test_simplification_preserves_truth_table(expr):
    names = sorted(variables(expr))
    for transformed in (simplify(expr), to_dnf(expr), to_cnf(expr)):
        assert variables(transformed) <= set(names)
        assert brute_table(transformed, names) == brute_table(expr, names)


@given(expressions(), st.sampled_from(["A", "B", "C", "D", "E"]))
def test_edge_sign_agrees_with_brute_force_monotonicity(expr, name):
    others = sorted(variables(expr) - {name})
    up = down = False
    for bits in itertools.product([False, True], repeat=len(others)):
        env = dict(zip(others, bits))
        lo = bool(evaluate(expr, {**env, name: False}))
        hi = bool(evaluate(expr, {**env, name: True}))
        up |= hi and not lo
        down |= lo and not hi
    expected = "?" if up and down else "+" if up else "-" if down else "0"
    assert edge_sign(expr, name) == expected
    assert (name in essential_variables(expr)) == (expected != "0")


def test_constant_detection_is_semantic():
    assert constant_value(parse_expression("v_X | !v_X")) is True
    assert constant_value(parse_expression("A & !A & B")) is False
    assert constant_value(parse_expression("A | B")) is None


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_may_be_constant_is_scan_literals_test_and_never_wrong(expr):
    from signet.primes import may_be_constant, scan_literals

    counts, const, mixed = scan_literals(expr)
    assert may_be_constant(expr) == (const or mixed or not counts)
    if not may_be_constant(expr):  # then certainly not constant
        table = brute_table(expr, sorted(variables(expr)))
        assert any(table) and not all(table)


def test_large_rules_use_exact_bdd_path():
    names = [f"x{i}" for i in range(40)]
    wide = parse_expression(" | ".join(names) + " | !x0")  # a tautology over 40 variables
    assert constant_value(wide) is True
    conj = parse_expression(" & ".join(names[:30]) + " & !(x31 & !x31)")
    assert edge_sign(conj, "x5") == "+"
    assert edge_sign(conj, "x31") == "0"
    assert equivalent(conj, parse_expression(" & ".join(reversed(names[:30]))))
    assert not equivalent(conj, parse_expression(" & ".join(names[:29])))


def test_vectorised_evaluation_matches_scalar():
    expr = parse_expression("A & !B | C")
    rng = np.random.default_rng(0)
    cols = {n: rng.random(100) < 0.5 for n in "ABC"}
    vec = evaluate(expr, cols)
    scalar = [evaluate(expr, {n: bool(cols[n][i]) for n in "ABC"}) for i in range(100)]
    assert vec.tolist() == scalar


# The fast path (regular-expression tokens, a precedence loop) and the bnet parser must agree
# on every text: the same tree when the bnet parser accepts it, and no answer from the fast
# path when it rejects it (the bnet parser then gives the located message).
_ALPHABET = st.sampled_from(list("AbX_01 \t&|!~()") + ["and", "not", "None", "True", "0x1", "1e5", "2", "or", "if", "x.y", ":"])


def _both(text):
    from signet.expr import _parse_fast, _Parser

    try:
        slow = _Parser(text, None, 1, 1).parse()
    except ParseError:
        slow = None
    return _parse_fast(text), slow


@given(st.lists(_ALPHABET, max_size=14).map("".join))
@settings(max_examples=600, deadline=None)
def test_fast_parser_never_disagrees_with_the_bnet_parser(text):
    fast, slow = _both(text)
    assert fast == slow


@given(expressions(), st.integers(0, 3), st.sampled_from(["", " ", "\t", "  "]))
@settings(max_examples=200, deadline=None)
def test_fast_parser_reads_printed_rules_at_any_depth(expr, wrap, pad):
    from signet.expr import to_bnet

    text = pad + to_bnet(expr).replace(" ", pad or " ") + pad
    for _ in range(wrap):  # parentheses around a group, around a negation, a chain inside
        text = f"(({text}) & !({text}) | {text})"
    fast, slow = _both(text)
    assert fast is not None and fast == slow


@given(st.lists(expressions(), min_size=1, max_size=8))
@settings(max_examples=100, deadline=None)
def test_names_remembered_by_the_parser_are_those_of_a_walk(exprs):
    from signet.expr import _walk_variables, parsed_order, to_bnet
    from signet.primes import scan_literals

    text = " | ".join(f"({to_bnet(e)}) & !({to_bnet(e)})" for e in exprs * 12)  # over 64 tokens
    rule = parse_expression(text)
    assert parsed_order(rule) == tuple(scan_literals(rule)[0])  # order of first occurrence
    assert variables(rule) == _walk_variables(rule)


def _bbm_style(expr, space, rng):
    """``expr`` printed as BBM's bnet files print it: every binary operator in its own
    parentheses, nested to the right (``(a & (b & (c & d)))``), negations glued or spaced."""
    from signet.expr import And, Const, Not, Var

    if isinstance(expr, Var):
        return expr.name
    if isinstance(expr, Const):
        return "1" if expr.value else "0"
    if isinstance(expr, Not):
        inner = _bbm_style(expr.arg, space, rng)
        glue = space if rng.random() < 0.3 else ""
        return f"!{glue}{inner}" if isinstance(expr.arg, (Var, Not)) else f"!{glue}({inner})"
    op = f"{space}&{space}" if isinstance(expr, And) else f"{space}|{space}"
    text = _bbm_style(expr.args[-1], space, rng)
    for arg in reversed(expr.args[:-1]):
        left = _bbm_style(arg, space, rng)
        text = f"({left}{op}{text})" if rng.random() < 0.7 else f"{left}{op}({text})"
    return text


@given(st.lists(expressions(), min_size=1, max_size=4), st.sampled_from(["", " ", "\t", "  "]), st.integers(0, 9))
@settings(max_examples=300, deadline=None)
def test_fast_parser_reads_right_nested_conjunctions_as_the_bnet_parser(exprs, space, seed):
    # the fast path reads a conjunction of literals whose parentheses close right after it
    # as one token: the tree must be the bnet parser's, whatever groups and negations surround it
    import random

    rng = random.Random(seed)
    text = f"{space}|{space}".join(f"({_bbm_style(e, space, rng)})" for e in exprs * 3)
    fast, slow = _both(text)
    assert fast is not None and fast == slow
    for variant in (f"!{text}", f"! {text}", f"a & ({text}) & !b", f"({text}) | a & (b & (c | d))"):
        fast, slow = _both(variant)
        assert fast is not None and fast == slow


def test_fast_parser_run_tokens_keep_negations_groups_and_name_order():
    from signet.expr import _parse_fast, parsed_order

    for text in ["! a & b", "!!a & (b & c)", "x | !a & (b & (c))", "a & (b & (c | d))", "a & (b & c)) ",
                 "(a & (b & c)) & d", "!(a & (!b & c))", "a & (b & (c & d) | e)", "a b & c", "1 & (A & 0)",
                 "a & (b & 2c)", "a & & b", "a & (b & c", "~a & (~ ~b & c)", "!" * 5000 + "A & B"]:
        fast, slow = _both(text)
        assert fast == slow, text
    assert _parse_fast("! a & b") == parse_expression("(!a) & b")
    rule = parse_expression(" | ".join(f"(C{k % 5} & (!B{k % 3} & (A{k} & D)))" for k in range(30)))
    assert parsed_order(rule)[:6] == ("C0", "B0", "A0", "D", "C1", "B1")


def test_fast_parser_reads_keywords_as_names_and_any_depth():
    from signet.expr import _parse_fast

    for text in ["None & A", "and | b", "A & not", "lambda", "!" * 300 + "A", "(" * 300 + "A" + ")" * 300]:
        fast, slow = _both(text)
        assert fast is not None and fast == slow
    for text in ["0x1", "1e5", "A(B)", "A B", "A & ", "(A", "A)", "A ^ B", ""]:
        assert _both(text) == (None, None)
    assert _parse_fast("TRUE & false | x") == parse_expression("TRUE & false | x")
    assert parse_expression("None & A") == parse_expression("N & A").__class__((Var("None"), Var("A")))
    text = "A"
    for k in range(400):  # nested 400 deep (bbm/079 has 2,800): CPython's parser stops at 200
        text = f"(B{k} & ({text}) | !C{k % 7})"
    fast, slow = _both(text)
    assert fast is not None and fast == slow


# -- the iterative walker: any depth, same results as the definitions ---------------------
def _reference_fold(e):
    """fold_constants by its definition, recursively (small trees only): the oracle."""
    from signet.expr import And, Const, Not, Or, Var

    if isinstance(e, (Var, Const)):
        return e
    if isinstance(e, Not):
        a = _reference_fold(e.arg)
        return Const(not a.value) if isinstance(a, Const) else a.arg if isinstance(a, Not) else Not(a)
    absorbing = isinstance(e, Or)
    out = []
    for a in (_reference_fold(x) for x in e.args):
        if isinstance(a, Const):
            if a.value == absorbing:
                return Const(absorbing)
            continue
        out.extend(a.args if type(a) is type(e) else [a])
    unique = list(dict.fromkeys(out))
    return Const(not absorbing) if not unique else unique[0] if len(unique) == 1 else type(e)(tuple(unique))


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_fold_constants_agrees_with_its_recursive_definition_and_keeps_the_function(expr):
    from signet.expr import fold_constants

    folded = fold_constants(expr)
    assert folded == _reference_fold(expr)
    assert equivalent(folded, expr)


@settings(max_examples=200, deadline=None)
@given(expressions(), st.dictionaries(st.sampled_from(["A", "B", "C", "D"]), st.booleans(), max_size=3))
def test_substitute_is_evaluation_with_the_values_fixed(expr, values):
    from itertools import product

    from signet.expr import substitute

    result = substitute(expr, values)
    names = sorted(variables(expr) | variables(result) | set(values))
    for bits in product([False, True], repeat=len(names)):
        state = dict(zip(names, bits))
        fixed = {**state, **values}
        assert bool(evaluate(result, fixed)) == bool(evaluate(expr, fixed))


def _nested(depth: int):
    rule = "A"
    for i in range(depth):
        rule = f"!({rule} & B{i % 3})" if i % 2 else f"!(B{i % 3} | {rule})"
    return rule


def test_depth_10000_prints_folds_substitutes_hashes_and_compares():
    import pickle

    from signet.expr import fold_constants, fold_tree, substitute, to_bnet

    text = _nested(10_000)
    expr = parse_expression(text)
    assert fold_tree(expr, lambda _e, kids: 1 + max(kids, default=0)) == 20_001  # a Not and an And/Or a level
    assert repr(expr).startswith("Not(And((Not(Or((Var('B2'), ") and repr(expr).count("Not(") == 10_000
    printed = to_bnet(expr)
    again = parse_expression(printed)
    assert again == expr and hash(again) == hash(expr) and again is not expr
    assert parse_expression(_nested(9_999)) != expr
    assert fold_constants(expr) == expr  # nothing to fold: the same tree
    cut = substitute(expr, {"B0": 1, "B1": 0})
    assert "B0" not in variables(cut) and "B1" not in variables(cut)
    assert pickle.loads(pickle.dumps(expr)) == expr
    assert pickle.loads(pickle.dumps(parse_expression("A & (B | !C) & 1"))) == parse_expression("A & (B | !C) & 1")
    assert {expr: 1}[again] == 1


def test_render_writes_any_syntax_iteratively():
    from signet.expr import Not, bnet_template, render

    expr = parse_expression("A & !(B | C)")
    assert render(expr, str, bnet_template(" && ", " || ", "~")) == "A && ~(B || C)"
    deep = parse_expression("!" * 50_000 + "A")
    assert render(deep, str, bnet_template()).count("!") == 50_000
    assert isinstance(deep, Not)


def test_hash_equality_and_inequality_of_operators():
    a, b = parse_expression("A & !B"), parse_expression("A & !B")
    assert a == b and not (a != b) and hash(a) == hash(b)
    assert parse_expression("A & B") != parse_expression("A | B")
    assert parse_expression("A & B") != parse_expression("A & B & C")
    assert parse_expression("!A") != parse_expression("A")
    assert parse_expression("A & B") != "A & B"


def test_parse_expression_rejects_non_text():
    from signet.errors import ArgumentTypeError

    with pytest.raises(ArgumentTypeError, match="text must be a str"):
        parse_expression(b"A")


@settings(max_examples=60, deadline=None)
@given(st.lists(expressions(), min_size=1, max_size=4))
def test_compile_expressions_evaluates_each_expression_as_evaluate_does(exprs):
    from signet.expr import compile_expressions

    names = ["A", "B", "C", "D", "E"]
    states = list(itertools.product([False, True], repeat=len(names)))
    columns = [np.array([s[j] for s in states]) for j in range(len(names))]
    out = np.empty((len(exprs), len(states)), dtype=bool)
    compile_expressions(exprs, names)(columns, out)
    for i, e in enumerate(exprs):
        assert out[i].tolist() == [bool(evaluate(e, dict(zip(names, s)))) for s in states]


def test_restricted_constant_agrees_with_substitution_on_both_paths():
    # over 16 variables the rule's BDD (built once, remembered) is restricted; under, the substituted rule is folded:
    # both must say what fixing the values by substitution and deciding equivalence says
    import random

    from signet.expr import Const, MAX_TRUTH_TABLE_VARIABLES, equivalent, fold_constants, restricted_constant

    rng = random.Random(7)
    for width in (6, MAX_TRUTH_TABLE_VARIABLES + 4):
        names = [f"x{i}" for i in range(width)]
        for _ in range(40):
            cubes = [" & ".join(("" if rng.random() < 0.5 else "!") + n for n in rng.sample(names, rng.randint(1, 3)))
                     for _ in range(rng.randint(1, 6))]
            rule = parse_expression(" | ".join(f"({c})" for c in cubes) + " | " + " & ".join(names))
            values = {n: rng.random() < 0.5 for n in rng.sample(names, rng.randint(0, width))}
            fixed = fold_constants(substitute(rule, {n: Const(v) for n, v in values.items()}))
            for target in (True, False):
                assert restricted_constant(rule, values, target) is equivalent(fixed, Const(target))
