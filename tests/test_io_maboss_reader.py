"""Reading MaBoSS .bnd/.cfg: the corpus, MaBoSS's own Boolean rules (cmaboss) as the oracle, a brute-force
evaluation of random rate expressions, the same model in other formats, round trips, bad input."""

from __future__ import annotations

import itertools
import math
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signet.annotations import InitialDistribution
from signet.cli import main
from signet.errors import ModelError, ParseError
from signet.expr import equivalent, evaluate, parse_expression, substitute
from signet.io import detect_format, read_model
from signet.io.bnet import read_bnet
from signet.io.ginml import read_ginml
from signet.io import _maboss_reader
from signet.io.maboss import generate_maboss, generate_maboss_cfg, parse_maboss, read_maboss
from signet.model import BooleanNetwork

from _exchange import MODELS, NETWORKS
from strategies import networks

BND_FILES = sorted(MODELS.rglob("*.bnd"))

# MaBoSS's own Boolean rules, asked in a child process (its logical-expression generator aborts the
# process on rates it cannot translate, e.g. divisions); the 64-node build of cmaboss, or the 256-node one
_RULES_SCRIPT = """
import importlib, sys
bnd, cfg, module = sys.argv[1:4]
cm = importlib.import_module(module)
net = cm.MaBoSSNet(network=bnd)
sim = cm.MaBoSSSim(net=net, cfg=cm.MaBoSSCfg(net, cfg))
print(sim.get_logical_rules())
"""


def _maboss_rules(bnd: Path, cfg: Path, nodes: int) -> dict[str, str] | None:
    module = "cmaboss" if nodes <= 64 else "cmaboss_256n"
    done = subprocess.run([sys.executable, "-c", _RULES_SCRIPT, str(bnd), str(cfg), module],
                          capture_output=True, text=True, timeout=120)
    if done.returncode:
        return None
    out = {}
    for line in done.stdout.splitlines():
        if line.strip():
            node, _, rule = line.partition(" : ")
            out[node.strip()] = rule.strip()
    return out


# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------


def test_corpus_has_the_maboss_files():
    assert [p.name for p in BND_FILES] == ["ICD_extend.bnd", "ICD_phenomenological.bnd",
                                           "Montagud2022_Prostate_Cancer.bnd", "cellfate.bnd", "p53_Mdm2.bnd",
                                           "sizek.bnd"]
    assert detect_format("m.bnd") == "maboss"


@pytest.mark.parametrize("path", BND_FILES, ids=lambda p: p.name)
def test_every_corpus_model_imports_with_its_configuration(path):
    net = read_model(path)
    text = path.read_bytes().decode("latin-1")
    assert len(net) == text.lower().count("node ")  # one Boolean node per MaBoSS node
    cfg = Path(net.annotations.source["maboss cfg"])
    assert cfg.suffix == ".cfg" and cfg.stem.startswith(path.stem)  # p53_Mdm2.bnd -> p53_Mdm2_runcfg.cfg
    assert set(net.annotations.rates) <= set(net.nodes)


#: MaBoSS's rule generator itself fails on p53_Mdm2 (its rates divide by parameters); the brute-force
#: evaluation below covers divisions
MABOSS_CAN_TRANSLATE = [p for p in BND_FILES if p.name != "p53_Mdm2.bnd"]


@pytest.mark.crosstool
@pytest.mark.parametrize("path", MABOSS_CAN_TRANSLATE, ids=lambda p: p.name)
def test_rules_equal_maboss_own_logical_rules(path):
    net = read_maboss(path)
    theirs = _maboss_rules(path, Path(net.annotations.source["maboss cfg"]), len(net))
    assert theirs is not None and set(theirs) == set(net.nodes)
    for node, rule in theirs.items():
        assert equivalent(parse_expression(rule), net.rule(node)), node


def test_maboss_cannot_translate_p53_mdm2_but_signet_reads_it_exactly():
    path = MODELS / "maboss/p53_Mdm2.bnd"
    assert _maboss_rules(path, MODELS / "maboss/p53_Mdm2_runcfg.cfg", 5) is None
    net = read_maboss(path)  # Latin-1 comments, a custom attribute @logic_p53, rates that divide
    # Mdm2N: a sum of eight conditional rates with the .cfg's Kauffman parameters (Figure 5a)
    assert equivalent(net.rule("Mdm2N"), parse_expression("Mdm2C | !p53 & !Dam"))
    assert net.rule("Mdm2C") == parse_expression("p53_h")  # $case_a = TRUE picks p53_h
    assert net.annotations.rates["Mdm2C"][0] == pytest.approx(1 / 0.6)
    # the eight cases are disjoint and every K is 0 or 1: where the rate is positive it is 1 / $tMNu
    # (sums of two K's arise only under contradictory conditions, which are dropped)
    up, down = net.annotations.rates["Mdm2N"]
    assert (up, down) == (pytest.approx(1 / 0.3), 1.0)
    assert InitialDistribution(("Dam",), ((1.0, (1,)),)) in net.annotations.initial


def test_the_same_model_in_three_formats():
    # MaBoSS's cell-fate model = PyBoolNet's and GINsim's, once its three delay nodes are eliminated
    maboss = read_maboss(MODELS / "maboss/cellfate.bnd")
    delays = {n: maboss.rule(n) for n in ("mcIAP", "mROS", "mXIAP")}
    assert {n: str(r) for n, r in delays.items()} == {"mcIAP": "NFkB", "mROS": "!NFkB", "mXIAP": "NFkB"}
    reduced = BooleanNetwork({n: substitute(r, delays) for n, r in maboss.rules.items() if n not in delays})
    assert reduced.is_equivalent(read_bnet(MODELS / "pyboolnet/calzone_cellfate/calzone_cellfate.bnet"))
    assert reduced.is_equivalent(read_ginml(MODELS / "ginsim/2010-mammal-cell-fate/Calzone__Cell_Fate.zginml"))


def test_annotations_rates_initial_states_outputs():
    net = read_maboss(MODELS / "maboss/Montagud2022_Prostate_Cancer.bnd")
    cfg = (MODELS / "maboss/Montagud2022_Prostate_Cancer.cfg").read_text()
    assert set(net.annotations.phenotypes) == set(re.findall(r"(\w+)\.is_internal\s*=\s*0", cfg))
    assert dict(net.annotations.phenotypes)["Apoptosis"] == "Apoptosis"
    cellfate = read_maboss(MODELS / "maboss/cellfate.bnd")
    assert cellfate.annotations.phenotypes == {}  # every node is an output: no choice to record
    # rate_up = ($Low_cIAP ? 0 : (@logic ? $TransRate : 0)) with $TransRate = 1/24
    assert cellfate.annotations.rates["cIAP"] == (pytest.approx(1 / 24), 1.0)
    icd = read_maboss(MODELS / "ginsim/2020-mammal-immunogenic-cell-death/ICD_phenomenological.bnd")
    assert InitialDistribution(("TumorCell", "DC"), ((0.1, (0, 1)), (0.9, (1, 0)))) in icd.annotations.initial


# ---------------------------------------------------------------------------
# Round trip with signet's writer
# ---------------------------------------------------------------------------


def test_round_trip_of_the_radioresistance_model(tmp_path):
    net = read_model(NETWORKS / "radioresistance.bnet")
    back = parse_maboss(generate_maboss(net), generate_maboss_cfg(net))
    assert back.is_equivalent(net)
    # the model's declared rates travel in the .cfg; every other transition has rate 1
    declared = {k: v for k, v in back.annotations.rates.items() if v != (1.0, 1.0)}
    assert declared == dict(net.annotations.rates) and declared


@settings(max_examples=60, deadline=None)
@given(networks(max_nodes=6))
def test_round_trip_random_networks(net):
    assert parse_maboss(generate_maboss(net), generate_maboss_cfg(net)).is_equivalent(net)


# ---------------------------------------------------------------------------
# Rates: brute force over all states
# ---------------------------------------------------------------------------

NODES = ["A", "B", "C"]


@st.composite
def rate_expressions(draw, depth: int = 3, division: bool = True):
    """(MaBoSS text, Python function of a state) pairs for random rate expressions."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        kind = draw(st.sampled_from(["node", "number", "param"]))
        if kind == "node":
            n = draw(st.sampled_from(NODES))
            return n, lambda s, n=n: float(s[n])
        if kind == "number":
            v = draw(st.sampled_from([0, 0.5, 1, 2]))
            return str(v), lambda s, v=v: float(v)
        return "$k", lambda s: 0.5
    op = draw(st.sampled_from(["+", "*", "-", "/", "?", "AND", "OR", "NOT", ">", "=="] if division
                              else ["+", "*", "?", "AND", "OR", "NOT"]))
    a_text, a = draw(rate_expressions(depth - 1, division))
    b_text, b = draw(rate_expressions(depth - 1, division))
    if op == "NOT":
        return f"(NOT {a_text})", lambda s: float(a(s) == 0)
    if op == "?":
        c_text, c = draw(rate_expressions(depth - 1, division))
        return f"({c_text} ? {a_text} : {b_text})", lambda s: a(s) if c(s) != 0 else b(s)
    if op == "/":
        def divide(s):  # IEEE 754, as MaBoSS's C++ doubles: the sign of a zero divisor counts (0 * -1 is -0)
            x, y = a(s), b(s)
            if y:
                return x / y
            return math.copysign(math.inf, x) * math.copysign(1.0, y) if x and x == x else math.nan
        return f"({a_text} / {b_text})", divide
    python = {"+": lambda x, y: x + y, "*": lambda x, y: x * y, "-": lambda x, y: x - y,
              "AND": lambda x, y: float(x != 0 and y != 0), "OR": lambda x, y: float(x != 0 or y != 0),
              ">": lambda x, y: float(x > y), "==": lambda x, y: float(x == y)}[op]
    return f"({a_text} {op} {b_text})", lambda s: python(a(s), b(s))


@pytest.mark.parametrize("table_nodes", [_maboss_reader.TABLE_NODES, 0], ids=["tabulated", "case-split"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(up=rate_expressions(), down=rate_expressions(), node=st.sampled_from(NODES))
def test_rules_are_the_positive_rate_transitions(table_nodes, up, down, node):
    up_text, up_value = up
    down_text, down_value = down
    bnd = "\n".join(f"node {n} {{ rate_up = 0; rate_down = 0; }}" for n in NODES if n != node)
    bnd += f"\nnode {node} {{ rate_up = {up_text}; rate_down = {down_text}; }}\n"
    model = _maboss_reader.parse_cfg("$k = 0.5;", _maboss_reader.parse_bnd(bnd))
    rules, _annotations = _maboss_reader.maboss_network(model, table_nodes)
    net = BooleanNetwork(rules)
    for values in itertools.product((0, 1), repeat=len(NODES)):
        state = dict(zip(NODES, values, strict=True))
        expected = (up_value(state) > 0) if state[node] == 0 else not (down_value(state) > 0)
        assert bool(evaluate(net.rule(node), state)) == expected, (state, net.rule(node))


@pytest.mark.crosstool
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(rate_expressions(division=False), rate_expressions(division=False), st.sampled_from(NODES))
def test_random_rates_agree_with_maboss(tmp_path, up, down, node):
    bnd = "\n".join(f"node {n} {{ rate_up = 0; rate_down = 0; }}" for n in NODES if n != node)
    bnd += f"\nnode {node} {{ rate_up = {up[0]}; rate_down = {down[0]}; }}\n"
    (tmp_path / "r.bnd").write_text(bnd)
    (tmp_path / "r.cfg").write_text("$k = 0.5;\n")
    theirs = _maboss_rules(tmp_path / "r.bnd", tmp_path / "r.cfg", 3)
    assert theirs is not None
    ours = read_maboss(tmp_path / "r.bnd")
    assert equivalent(parse_expression(theirs[node]), ours.rule(node))


# ---------------------------------------------------------------------------
# Syntax: what MaBoSS accepts
# ---------------------------------------------------------------------------


def test_maboss_syntax_variants():
    bnd = """
    // comment
    /* block
       comment */
    Node A { logic = A; description = "an \\"input\\""; }
    B : A && !C;
    targets, factors
    C, A | B
    NODE D { logic = (A XOR B) ^ C; rate_up = @logic ? exp(0) : 0; rate_down = @logic ? 0 : log(1, 2) + 1; }
    node E { level = A AND NOT B OR C; logic = @level; }
    """
    net = parse_maboss(bnd)
    assert net.nodes == ("A", "B", "C", "D", "E")
    assert net.annotations.nodes["A"].note == 'an "input"'
    assert equivalent(net.rule("B"), parse_expression("A & !C"))
    assert equivalent(net.rule("D"), parse_expression("(A & !B | !A & B) & !C | !(A & !B | !A & B) & C"))
    assert equivalent(net.rule("E"), parse_expression("A & !B | C"))  # AND binds tighter than OR
    # MaBoSS defaults: no rates -> 1 where the logic allows; nothing at all -> the node keeps its value
    assert parse_maboss("node A { }").rule("A") == parse_expression("A")


def test_configuration_statements():
    bnd = "node A { rate_up = $up; rate_down = 1; } node B { logic = A; }"
    cfg = """
    $base = 2; $up = $base * 3 - 6;   // 0: A can never switch on
    max_time = 100; time_tick = 0.5;
    A.istate = TRUE; B.istate = -1; B.is_internal = 1; A.refstate = -1;
    [A, B].istate = 0.25 [0, 1], 0.75 [1, 1];
    """
    net = parse_maboss(bnd, cfg)
    assert net.rule("A") == parse_expression("0")  # can only switch off
    assert net.annotations.initial == (InitialDistribution(("A", "B"), ((0.25, (0, 1)), (0.75, (1, 1)))),)
    assert dict(net.annotations.phenotypes) == {"A": "A"}
    assert net.annotations.source["maboss max_time"] == "100"


# ---------------------------------------------------------------------------
# Bad input: one line, with file, line and column
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("bnd, cfg, where, message", [
    ("node A { logic = A & ; }", None, "m.bnd:1:22", "expected a value"),
    ("node A { logic = A }", None, "m.bnd:1:20", "expected ';' ending logic of node A"),
    ("node A { logic = B; }", None, "m.bnd:1:18", "node B used but not defined"),
    ("node A { }\nnode A { }", None, "m.bnd:2:6", "node A already defined on line 1"),
    ("node A { logic = A; logic = 1; }", None, "m.bnd:1:21", "logic is given twice"),
    ("node A { rate_up = $u; }", None, "m.bnd:1:20", "parameter $u is not defined in a .cfg (none was found)"),
    ("node A { rate_up = $u; }", "$v = 1;", "m.bnd:1:20", "parameter $u is not defined in the .cfg (m.cfg)"),
    ("node A { rate_up = sqrt(2); }", None, "m.bnd:1:20", "unknown function sqrt"),
    ("node A { rate_up = @speed; }", None, "m.bnd:1:21", "node A has no attribute speed"),
    ("node A { x = @y; y = @x; rate_up = @x; }", None, "m.bnd:1:15", "refers to itself"),
    ("division { rate = 1; }", None, "m.bnd:1:1", "PopMaBoSS"),
    ("node A { logic = A; } %", None, "m.bnd:1:23", "unexpected character '%'"),
    ("node A { logic = A; }", "B.istate = 1;", "m.cfg:1:1", "B is not a node of the .bnd"),
    ("node A { logic = A; }", "A.colour = 1;", "m.cfg:1:3", "invalid node attribute 'colour'"),
    ("node A { logic = A; }", "[A].istate = 1 [0, 1];", "m.cfg:1:14", "expected 1 values 0 or 1 for [A]"),
    ("node A { logic = A; }", "$x = A;", "m.cfg:1:6", "a configuration value cannot use node states"),
    ("node A { logic = A; }", "$x = $y + 1;", "m.cfg:1:6", "parameter $y is not defined (yet)"),
    ("", None, "m.bnd:1:1", "no node declared"),
])
def test_bad_maboss_names_file_line_and_column(bnd, cfg, where, message):
    with pytest.raises(ParseError) as err:
        parse_maboss(bnd, cfg, source="m.bnd", cfg_source="m.cfg")
    assert str(err.value).startswith(where + ": "), str(err.value)
    assert message in str(err.value)


def test_configuration_files_found_beside_or_given(tmp_path):
    (tmp_path / "net.bnd").write_text("node A { rate_up = $u; rate_down = 0; }")
    with pytest.raises(ParseError, match=r"net.bnd:1:20: parameter \$u is not defined in a .cfg \(none was found\)"):
        read_model(tmp_path / "net.bnd")
    (tmp_path / "net_fast.cfg").write_text("$u = 1;")
    assert read_model(tmp_path / "net.bnd").rule("A") == parse_expression("1")  # the only NAME*.cfg
    (tmp_path / "net_slow.cfg").write_text("$u = 0;")
    with pytest.raises(ModelError, match="several configurations could belong to it"):
        read_model(tmp_path / "net.bnd")
    # a configuration given as the model picks it (the .bnd whose name starts the configuration's)
    assert equivalent(read_model(tmp_path / "net_slow.cfg", "maboss").rule("A"), parse_expression("A"))
    assert equivalent(read_maboss(tmp_path / "net.bnd", cfg=tmp_path / "net_fast.cfg").rule("A"), parse_expression("1"))
    runner = CliRunner()
    result = runner.invoke(main, ["info", str(tmp_path / "net_slow.cfg"), "--format", "maboss", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["inputs"] == ["A"]
    result = runner.invoke(main, ["info", str(tmp_path / "net.bnd")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "give the one to use as the model" in result.output


def test_binary_and_foreign_encodings(tmp_path):
    bnd = tmp_path / "x.bnd"
    bnd.write_bytes(b"node A { logic = A; } // caf\xe9\n")  # Latin-1 in a comment, as in p53_Mdm2.bnd
    assert read_maboss(bnd).nodes == ("A",)
    bnd.write_bytes(b"node A {\x00}")
    with pytest.raises(ParseError, match="binary data"):
        read_maboss(bnd)


@pytest.mark.parametrize("table_nodes", [_maboss_reader.TABLE_NODES, 0], ids=["tabulated", "case-split"])
def test_a_rate_divided_by_a_negative_zero_is_negative(table_nodes):
    """MaBoSS computes rates in C doubles: with A = 0 and B = 1, ``A * (A - B)`` is -0, so
    ``$k / (A * (A - B))`` is -inf (no transition), while with A = B = 0 it is +inf (found by
    Hypothesis: the case split once merged -0 with 0)."""
    bnd = "node B { rate_up = 0; rate_down = 0; }\nnode A { rate_up = ($k / (A * (A - B))); rate_down = $k; }\n"
    model = _maboss_reader.parse_cfg("$k = 0.5;", _maboss_reader.parse_bnd(bnd))
    rules, _annotations = _maboss_reader.maboss_network(model, table_nodes)
    rule = BooleanNetwork(rules).rule("A")
    assert [bool(evaluate(rule, {"A": 0, "B": b})) for b in (0, 1)] == [True, False]
