"""BooleanNetwork: node kinds, perturbations, percolation, renaming, aliases."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings

from signet.annotations import Annotations, Context, NodeInfo
from signet.errors import ModelError, UnknownNodeError
from signet.expr import Const, Var, evaluate
from signet.io.bnet import parse_bnet
from signet.model import BooleanNetwork, format_space, parse_assignment

from strategies import networks

CORE = """
RT, RT
ATM, RT & !WIP1
CHK2, ATM & !WIP1
TP53, (ATM | CHK2) & !MDM2
MDM2, TP53
WIP1, TP53
"""


def core(**kwargs):
    return parse_bnet(CORE, **kwargs)


def test_kinds():
    net = parse_bnet("I, I\nK, 0\nT, A | !A\nA, I & !B\nB, A\nO, B\n")
    assert net.inputs == ("I",)
    assert net.constants == {"K": 0, "T": 1}
    assert net.outputs == ("K", "T", "O")


def test_networks_are_immutable_and_methods_return_new_ones():
    net = core()
    ko = net.knockout("MDM2")
    assert net.rule("MDM2") == Var("TP53")
    assert ko.rule("MDM2") == Const(False)
    assert net.overexpress("WIP1").rule("WIP1") == Const(True)
    with pytest.raises(AttributeError):
        net.name = "x"  # type: ignore[misc]


def test_percolation_of_input_off_switches_everything_off():
    reduced, fixed = core().percolate({"RT": 0})
    assert fixed == {"RT": 0, "ATM": 0, "CHK2": 0, "TP53": 0, "MDM2": 0, "WIP1": 0}
    assert len(reduced) == 0


def test_percolation_detects_semantic_constants():
    net = parse_bnet("A, v_X | !v_X\nv_X, v_X\nB, A & C\nC, !B\n")
    reduced, fixed = net.percolate()
    assert fixed == {"A": 1}
    assert reduced.nodes == ("v_X", "B", "C")
    assert str(reduced.rule("B")) == "C"


@settings(max_examples=60, deadline=None)
@given(networks(max_nodes=5))
def test_percolated_values_are_forced_in_every_state(net):
    """Oracle: a percolated value v of node X means f_X = v on every state agreeing with the fixed part."""
    reduced, fixed = net.percolate()
    free = [n for n in net.nodes if n not in fixed]
    for bits in itertools.product([False, True], repeat=len(free)):
        state = {**{k: bool(v) for k, v in fixed.items()}, **dict(zip(free, bits))}
        for node, value in fixed.items():
            assert bool(evaluate(net.rule(node), state)) == bool(value)
        for node in free:
            assert bool(evaluate(net.rule(node), state)) == bool(evaluate(reduced.rule(node), state))


def test_rename_and_restrict():
    net = core().rename({"TP53": "p53"})
    assert "p53" in net.nodes and "TP53" not in net
    assert "p53" in str(net.rule("MDM2"))
    sub = core().restrict(["TP53", "MDM2"])
    assert set(sub.nodes) == {"TP53", "MDM2", "ATM", "CHK2"}
    assert set(sub.inputs) == {"ATM", "CHK2"}
    with pytest.raises(ModelError, match="merge"):
        core().rename({"TP53": "MDM2"})


def test_unknown_node_suggests_close_names():
    with pytest.raises(UnknownNodeError) as info:
        core().knockout("TP35")
    assert "did you mean 'TP53'" in str(info.value)


def test_aliases_and_contexts_resolve():
    ann = Annotations(
        nodes={"TP53": NodeInfo(aliases=("p53",)), "PPM1D": NodeInfo(aliases=("WIP1x",))},
        contexts={"TP53_mutant": Context("TP53_mutant", {"p53": 0})},
    )
    net = BooleanNetwork({"TP53": "TP53", "PPM1D": "TP53"}, annotations=ann)
    assert net.resolve("p53") == "TP53"
    assert net.knockout("p53").rule("TP53") == Const(False)
    assert net.perturb(context="TP53_mutant").rule("TP53") == Const(False)
    with pytest.raises(ModelError, match="unknown context 'TP53_mutnt'; did you mean TP53_mutant"):
        net.perturb(context="TP53_mutnt")


def test_perturb_order_later_wins():
    net = core().perturb(fix={"ATM": 1}, ko=["ATM"])
    assert net.rule("ATM") == Const(False)


def test_assignments_and_formatting():
    assert parse_assignment("A=1, B=0;C=1") == {"A": 1, "B": 0, "C": 1}
    with pytest.raises(ModelError, match="bad assignment 'A=x'"):
        parse_assignment("A=x")
    # a level is read (X=2 or bioLQM's X%2) and checked by the network: A is Boolean
    assert parse_assignment("A=2") == parse_assignment("A%2") == {"A": 2}
    with pytest.raises(ModelError, match="value of ATM must be 0 or 1"):
        core().resolve_assignment(parse_assignment("ATM=2"))
    assert format_space({"B": "*", "A": 1}, ["A", "B"]) == "A=1 B=*"


def test_undefined_nodes_are_an_error_unless_asked():
    with pytest.raises(ModelError, match="undefined nodes: X"):
        BooleanNetwork({"A": "X"})


# -- value semantics: equality, hash, pickling ---------------------------------------------
@settings(max_examples=60, deadline=None)
@given(networks(), networks())
def test_equal_networks_hash_equal_and_copies_are_equal(a, b):
    import pickle

    from signet.expr import to_bnet

    def texts(net):  # rules as written (a nested And and a flat one write the same)
        return [(n, to_bnet(r)) for n, r in net.rules.items()]

    copy = pickle.loads(pickle.dumps(a))
    assert copy == a and hash(copy) == hash(a) and copy is not a
    assert texts(copy) == texts(a)
    rebuilt = BooleanNetwork(dict(a.rules))
    assert rebuilt == a and hash(rebuilt) == hash(a)
    assert (a == b) == (texts(a) == texts(b))
    if a == b:
        assert hash(a) == hash(b)


def test_equality_covers_name_annotations_and_node_order():
    ann = Annotations(phenotypes={"Death": "TP53"}, contexts={"mut": Context("mut", {"TP53": 0})})
    net = core(annotations=ann, name="core")
    assert net == core(annotations=ann, name="core")
    assert net != core(annotations=ann, name="other")
    assert net != core(name="core")
    assert net != core(annotations=Annotations(phenotypes={"Death": "ATM"}), name="core")
    reordered = BooleanNetwork(dict(reversed(list(net.rules.items()))), name="core", annotations=ann)
    assert reordered != net
    assert net.fix({"RT": 1}) == net.fix({"RT": 1}) != net
    assert len({net, core(annotations=ann, name="core"), net.fix({"RT": 1})}) == 2
    assert net != "core"


def test_pickled_network_keeps_everything(networks_dir):
    import pickle

    from signet.io import read_model

    rr = read_model(networks_dir / "radioresistance.bnet")
    copy = pickle.loads(pickle.dumps(rr))
    assert copy == rr
    assert copy.annotations == rr.annotations and copy.annotations.contexts["TP53_mutant"].fix == {"Hypoxia": 0, "TP53": 0}
    assert copy.implicit_inputs == rr.implicit_inputs
    assert copy.percolate({"RT": 1})[1] == rr.percolate({"RT": 1})[1]


def test_network_crosses_a_process_boundary():
    # what screen workers receive: a network pickled to a freshly spawned interpreter
    import multiprocessing

    net = core(annotations=Annotations(treatment={"RT": 1}), name="core")
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        back = pool.apply(_identity, (net,))
    assert back == net and back.annotations.treatment == {"RT": 1}


def _identity(value):
    return value
