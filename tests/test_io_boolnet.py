"""BoolNet format: BoolNet's own file, corpus round trips, rejected extensions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from signet.errors import ModelError, ParseError
from signet.expr import equivalent, parse_expression
from signet.io import read_model
from signet.io.bnet import parse_bnet
from signet.io.boolnet import generate_boolnet, parse_boolnet, read_boolnet

from _exchange import MODELS, corpus_bnets, corpus_id, quiet_read_bnet
from test_io_sbml import networks


def test_boolnet_own_cell_cycle_file():
    """BoolNet's copy of Faure 2006 (spaces inside '! CycA', no space after a comma)."""
    net = read_model(MODELS / "boolnet/cellcycle.txt", "boolnet")
    assert len(net) == 10
    assert net.inputs == ("CycD",)
    assert equivalent(net.rule("Cdh1"), parse_expression("!CycA & !CycB | Cdc20 | p27 & !CycB"))
    # the same model in pyboolnet's repository, written independently
    other = quiet_read_bnet(MODELS / "pyboolnet/faure_cellcycle/faure_cellcycle.bnet").rename({"cdh1": "Cdh1"})
    assert set(other.nodes) == set(net.nodes)
    assert other.is_equivalent(net)


def test_round_trip_on_the_whole_corpus():
    paths = corpus_bnets()
    assert len(paths) > 500
    for path in paths:
        net = quiet_read_bnet(path)
        if any(":" in n for n in net.nodes):
            continue  # BoolNet cannot name them (tested below)
        back = parse_boolnet(generate_boolnet(net))
        assert back.nodes == net.nodes, corpus_id(path)
        assert back.is_equivalent(net), corpus_id(path)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_random_networks_round_trip(net):
    net = net.rename({n: n.replace(":", "_") for n in net.nodes if ":" in n})
    back = parse_boolnet(generate_boolnet(net))
    assert back.nodes == net.nodes and back.is_equivalent(net)


def test_names_boolnet_cannot_hold_are_an_error():
    with pytest.raises(ModelError, match="E:1"):
        generate_boolnet(parse_bnet("A, E:1\nE:1, A\n"))


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("A, B\nB, A\n", 1, 1, "missing header"),
        ("targets, factors\nA, B[-2] & A\nB, A\n", 2, 5, "temporal delay '[-2]'"),
        ("targets, factors\nA, timeis(3) | B\nB, A\n", 2, 4, "temporal predicate 'timeis(...)'"),
        ("targets, factors\nA, sumgt(A, B, 1)\nB, A\n", 2, 4, "threshold function 'sumgt(...)'"),
        ("targets, factors\nA, maj(A, B)\nB, A\n", 2, 4, "threshold function 'maj(...)'"),
        ("targets, factors, probabilities\nA, B, 1\nB, A, 1\n", 1, 19, "probabilistic"),
        ("# a comment\n\ntargets, factors\nA, B &\nB, A\n", 4, 6, "operand is missing"),
    ],
)
def test_bad_input(text, line, column, words):
    with pytest.raises(ParseError) as info:
        parse_boolnet(text, source="net.txt")
    err = info.value
    assert (err.source, err.line, err.column) == ("net.txt", line, column)
    assert words in err.message


def test_file_round_trip_and_cli_convert(tmp_path):
    from click.testing import CliRunner

    from signet.cli import main

    src = MODELS / "boolnet/cellcycle.txt"
    out = tmp_path / "cc.bnet"
    result = CliRunner().invoke(main, ["convert", str(src), str(out), "--from", "boolnet"])
    assert result.exit_code == 0, result.output
    back_txt = tmp_path / "cc.txt"
    result = CliRunner().invoke(main, ["convert", str(out), str(back_txt), "--to", "boolnet"])
    assert result.exit_code == 0, result.output
    assert back_txt.read_text().startswith("targets, factors\n")
    assert read_boolnet(back_txt).is_equivalent(read_boolnet(src))


def test_bad_file_via_cli_leaves_nothing(tmp_path):
    from click.testing import CliRunner

    from signet.cli import main

    bad = tmp_path / "bad.txt"
    bad.write_text("targets, factors\nA, sumgt(A, B, 1)\nB, A\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(main, ["convert", str(bad), str(tmp_path / "x.bnet"), "--from", "boolnet"])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and f"{bad}:2:4" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before
