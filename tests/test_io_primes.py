"""pyboolnet primes JSON: equal to pyboolnet's own prime implicants; brute-force checks."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from hypothesis import given, settings

from signet.expr import evaluate, parse_expression, variables
from signet.io.bnet import generate_bnet
from signet.io.primes import generate_primes, network_primes, rule_primes, write_primes

from _exchange import MODELS, corpus_id, quiet_read_bnet
from test_io_sbml import networks


def _canonical(primes):
    return {node: [sorted(json.dumps(p, sort_keys=True) for p in side) for side in sides]
            for node, sides in primes.items()}


def _pyboolnet_primes(net):
    from pyboolnet.file_exchange import bnet2primes

    return bnet2primes(generate_bnet(net, header=False))


def _sample():
    picked = sorted((MODELS / "pyboolnet").rglob("*.bnet"))
    rng = random.Random(66)
    bbm = [p for p in sorted((MODELS / "bbm").glob("*/model.bnet")) if p.stat().st_size < 6000]
    picked += rng.sample(bbm, 30)
    out = []
    for path in picked:
        net = quiet_read_bnet(path)
        if net.constants:  # pyboolnet rewrites constants its own way; compared without them
            continue
        if max(len(variables(r)) for r in net.rules.values()) > 12:
            continue  # pyboolnet's BNetToPrime takes minutes on rules with 18+ regulators (bbm/225)
        out.append(path)
    return out


@pytest.mark.crosstool
@pytest.mark.parametrize("path", _sample(), ids=corpus_id)
def test_primes_equal_pyboolnet(path):
    net = quiet_read_bnet(path)
    assert _canonical(network_primes(net)) == _canonical(_pyboolnet_primes(net))


def test_primes_equal_pyboolnet_on_one_model_in_the_main_suite():
    net = quiet_read_bnet(MODELS / "pyboolnet/faure_cellcycle/faure_cellcycle.bnet")
    assert _canonical(network_primes(net)) == _canonical(_pyboolnet_primes(net))


def _is_implicant(rule, term, names):
    free = [n for n in names if n not in term]
    for values in itertools.product((False, True), repeat=len(free)):
        state = {n: bool(v) for n, v in term.items()} | dict(zip(free, values))
        if not evaluate(rule, state):
            return False
    return True


@pytest.mark.parametrize("text", [
    "A & !B | A & C", "A | B & !A", "!(A & B) | C & D", "A & B | !A & !B", "(A | B) & (C | !D) & !(A & D)",
    "A", "!A", "A | !A", "A & !A", "1", "0",
])
def test_brute_force_definition_of_primes(text):
    """Every prime is an implicant, no literal can be dropped, and together they cover the function."""
    rule = parse_expression(text)
    names = sorted({"A", "B", "C", "D"})
    off, on = rule_primes(rule)
    for value, terms in ((True, on), (False, off)):
        target = rule if value else parse_expression(f"!({text})")
        for term in terms:
            assert _is_implicant(target, term, names)
            for drop in term:
                assert not _is_implicant(target, {k: v for k, v in term.items() if k != drop}, names)
        for values in itertools.product((0, 1), repeat=len(names)):
            state = dict(zip(names, values))
            covered = any(all(state[k] == v for k, v in t.items()) for t in terms)
            assert covered == (bool(evaluate(rule, state)) == value)
        # all primes: brute force over every cube
        cubes = []
        for assignment in itertools.product((None, 0, 1), repeat=len(names)):
            term = {n: v for n, v in zip(names, assignment) if v is not None}
            if _is_implicant(target, term, names) and not any(
                _is_implicant(target, {k: v for k, v in term.items() if k != d}, names) for d in term
            ):
                cubes.append(json.dumps(term, sort_keys=True))
        assert sorted(json.dumps(t, sort_keys=True) for t in terms) == sorted(cubes)


@settings(max_examples=40, deadline=None)
@given(networks())
def test_random_networks_match_pyboolnet(net):
    names = {n: n.replace(".", "_").replace(":", "_") for n in net.nodes}
    net = net.rename(names)
    if net.constants:
        return
    assert _canonical(network_primes(net)) == _canonical(_pyboolnet_primes(net))


def test_written_file_is_read_by_pyboolnet(tmp_path):
    from pyboolnet.file_exchange import read_primes

    net = quiet_read_bnet(MODELS / "pyboolnet/faure_cellcycle/faure_cellcycle.bnet")
    out = tmp_path / "p.json"
    write_primes(net, out)
    assert read_primes(str(out)) == json.loads(generate_primes(net))
    assert _canonical(read_primes(str(out))) == _canonical(_pyboolnet_primes(net))


def test_inputs_and_constants():
    net = quiet_read_bnet(MODELS / "bbm/184_P53-MDM2-NETWORK/model.bnet").overexpress("v_DNAdam")
    primes = network_primes(net)
    assert primes["v_DNAdam"] == [[], [{}]]
    assert primes["v_Mdm2cyt_b1"] == [[{"v_Mdm2cyt_b1": 0}], [{"v_Mdm2cyt_b1": 1}]]
    assert network_primes(net.knockout("v_p53_b2"))["v_p53_b2"] == [[{}], []]
