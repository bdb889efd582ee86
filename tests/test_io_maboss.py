"""MaBoSS .bnd/.cfg: MaBoSS itself (cmaboss) reads the files back and derives the same Boolean rules."""

from __future__ import annotations

import random
import re

import cmaboss  # MaBoSS's engine (PyPI, test extra)
import pytest

from signet.errors import ModelError
from signet.expr import Var, equivalent, parse_expression, substitute
from signet.io import read_model, write_model
from signet.io.bnet import parse_bnet
from signet.io.maboss import generate_maboss, generate_maboss_cfg, maboss_names, write_maboss

from _exchange import MODELS, NETWORKS, bnet_node_count, corpus_id, quiet_read_bnet


MABOSS_MAX_NODES = 64  # the PyPI build of cmaboss is compiled for at most 64 nodes


def _maboss_rules(bnd, cfg) -> dict[str, str]:
    """The Boolean rule MaBoSS derives for each node from logic, rate_up and rate_down."""
    sim = cmaboss.MaBoSSSim(network=str(bnd), config=str(cfg))
    out = {}
    for line in sim.get_logical_rules().splitlines():
        if line.strip():
            node, _, rule = line.partition(" : ")
            out[node.strip()] = rule.strip()
    return out


def _bnd_logic(text: str) -> dict[str, str]:
    """A small independent reader of the .bnd: node -> its ``logic = ...;`` text."""
    return dict(re.findall(r"Node\s+(\w+)\s*\{\s*logic\s*=\s*([^;]*);", text))


def _check(net, tmp_path) -> None:
    bnd = tmp_path / "m.bnd"
    write_maboss(net, bnd)
    names = maboss_names(net)
    derived = _maboss_rules(bnd, tmp_path / "m.cfg")
    logic = _bnd_logic(bnd.read_text())
    assert set(derived) == set(logic) == set(names.values())
    back = {m: Var(n) for n, m in names.items() if m != n}
    for node, rule in net.rules.items():
        assert equivalent(substitute(parse_expression(derived[names[node]]), back), rule), node
        assert equivalent(substitute(parse_expression(logic[names[node]]), back), rule), node


def _small_models() -> list:
    rng = random.Random(8)
    paths = [p for p in sorted((MODELS / "bbm").glob("*/model.bnet")) if bnet_node_count(p.read_text()) <= MABOSS_MAX_NODES]
    return sorted(rng.sample(paths, 40))


@pytest.mark.parametrize("path", _small_models(), ids=corpus_id)
def test_maboss_reads_the_same_rules(path, tmp_path):
    net = quiet_read_bnet(path)
    assert len(net) <= MABOSS_MAX_NODES  # the sample's criterion, counted without parsing
    _check(net, tmp_path)


def test_odd_names_and_constants(tmp_path):
    net = parse_bnet("v.A:1, v.A:1\nB, v.A:1 & !C\nC, B | C\nK, 1\nZ, 0 | B\n")
    _check(net, tmp_path)
    assert "Node v_A_1 {" in generate_maboss(net)


def test_name_clash_is_an_error():
    with pytest.raises(ModelError, match="same MaBoSS name"):
        generate_maboss(parse_bnet("a.b, a_b\na_b, a.b\n"))


def test_context_fixes_and_initial_state_reach_the_cfg(tmp_path):
    net = read_model(NETWORKS / "atm_p53_core.bnet").perturb(ko=["MDM2"], oe=["RT"])
    write_model(net, tmp_path / "core.bnd")
    cfg = (tmp_path / "core.cfg").read_text()
    assert "MDM2.istate = 0;" in cfg and "RT.istate = 1;" in cfg
    assert "[TP53].istate = 0.5 [0], 0.5 [1];" in cfg
    assert "$u_TP53 = 1;" in cfg and "$d_TP53 = 1;" in cfg
    # MaBoSS simulates it: the knocked-out node never turns on, the over-expressed one never off
    sim = cmaboss.MaBoSSSim(network=str(tmp_path / "core.bnd"), config=str(tmp_path / "core.cfg"))
    sim.update_parameters(sample_count=200, max_time=20)
    probabilities, _times, nodes, _errors = sim.run().get_last_nodes_probtraj()
    values = dict(zip(nodes, probabilities[0]))
    assert values["MDM2"] == 0.0
    assert values["RT"] == pytest.approx(1.0, abs=1e-9)  # a sum of trajectory shares: float residue
    _check(net, tmp_path)


def test_initial_values_given_explicitly():
    net = parse_bnet("A, A\nB, A\n")
    cfg = generate_maboss_cfg(net, {"A": 1})
    assert "A.istate = 1;" in cfg and "[B].istate = 0.5 [0], 0.5 [1];" in cfg


def test_radioresistance_bnd_logic_lines(tmp_path):
    """Too large for the PyPI MaBoSS build (64 nodes): checked with the small .bnd reader."""
    net = read_model(NETWORKS / "radioresistance.bnet")
    write_maboss(net, tmp_path / "rr.bnd")
    names = maboss_names(net)
    logic = _bnd_logic((tmp_path / "rr.bnd").read_text())
    assert len(logic) == len(net)
    for node, rule in net.rules.items():
        assert equivalent(parse_expression(logic[names[node]]), rule), node
    assert (tmp_path / "rr.cfg").exists()


def test_the_models_rates_travel_to_maboss_and_back():
    """The .cfg carries the model's flip rates ($u_X, $d_X; 1 elsewhere), so MaBoSS simulates the
    model's chain, and reading the files back gives the same rates."""
    from dataclasses import replace

    from signet.io.maboss import generate_maboss, generate_maboss_cfg, parse_maboss
    from signet.model import BooleanNetwork

    net = BooleanNetwork({"A": "!B", "B": "A", "C": "A & B"})
    net = BooleanNetwork(dict(net.rules), annotations=replace(net.annotations, rates={"A": (0.1, 1.0),
                                                                                       "B": (2.5, 1 / 3)}))
    cfg = generate_maboss_cfg(net)
    assert "$u_A = 0.1;" in cfg and "$d_B = 0.3333333333333333;" in cfg and "$u_C = 1;" in cfg
    back = parse_maboss(generate_maboss(net), cfg)
    assert {k: v for k, v in back.annotations.rates.items() if v != (1.0, 1.0)} == {"A": (0.1, 1.0),
                                                                                   "B": (2.5, 1 / 3)}
