"""The bnet reader and writer: syntax variants, malformed input, round trips."""

from __future__ import annotations

import warnings

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from signet.cli import main
from signet.errors import ParseError, SignetError, SignetWarning
from signet.expr import Const, Var
from signet.io.bnet import generate_bnet, parse_bnet, read_bnet, write_bnet

from strategies import networks


def test_header_comments_blank_lines_and_crlf():
    text = "# a model\r\ntargets, factors\r\n\r\nA, !B  # inline\r\nB, A\r\n"
    net = parse_bnet(text)
    assert net.nodes == ("A", "B")
    assert net.rule("B") == Var("A")


def test_implicit_inputs_are_added_and_reported_once():
    with pytest.warns(SignetWarning, match="2 node.*added as inputs: X, Y") as record:
        net = parse_bnet("A, X & Y\nB, X | A\n")
    assert len([w for w in record if issubclass(w.category, SignetWarning)]) == 1
    assert net.implicit_inputs == ("X", "Y")
    assert set(net.inputs) == {"X", "Y"}


def test_self_loop_inputs_and_constants():
    net = parse_bnet("TNF, TNF\nK, 1\nT, v_X | !v_X\nv_X, TNF\n")
    assert net.inputs == ("TNF",)
    assert net.constants == {"K": 1, "T": 1}
    assert net.rule("K") == Const(True)


# -- malformed inputs: each names the line and column -----------------------------------
MALFORMED = [
    ("unbalanced_open", "A, B\nC, (A & B\n", 2, 4, "never closed"),
    ("unbalanced_close", "A, B\nC, A & B)\n", 2, 9, "no matching"),
    ("dangling_operator", "A, B\nC, A &\n", 2, 6, "operand is missing"),
    ("leading_operator", "A, B\nC, & A\n", 2, 4, "operand is missing"),
    ("empty_rule", "A, B\nC,\n", 2, 3, "empty rule"),
    ("empty_rule_spaces", "A, B\nC,    # nothing\n", 2, 7, "empty rule"),
    ("duplicate_target", "A, B\nB, A\nA, !B\n", 3, 1, "already defined on line 1"),
    ("bad_target_name", "A, B\nA-B, A\n", 2, 1, "bad target name"),
    ("bad_operand_char", "A, B\nC, A + B\n", 2, 6, "unexpected character '+'"),
    ("missing_comma", "A, B\nC A & B\n", 2, 1, "missing comma"),
    ("missing_operator", "A, B\nC, A B\n", 2, 6, "expected an operator"),
    ("missing_target", "A, B\n, A\n", 2, 1, "missing target"),
    ("digit_name", "A, B\nC, 2x & A\n", 2, 4, "bad name"),
    ("empty_parentheses", "A, B\nC, ()\n", 2, 5, "operand is missing"),
    ("no_rules", "# only a comment\n\n", 1, 1, "no rules"),
]


@pytest.mark.parametrize("name,text,line,column,fragment", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_text_names_line_and_column(name, text, line, column, fragment, tmp_path):
    path = tmp_path / f"{name}.bnet"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as info:
        read_bnet(path)
    err = info.value
    assert (err.line, err.column) == (line, column), str(err)
    assert fragment in err.message
    assert str(err).startswith(f"{path}:{line}:{column}: ")
    # the CLI: exit 1, one clear line, no traceback
    result = CliRunner().invoke(main, ["info", str(path)])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert lines == [f"Error: {err}"]
    assert "Traceback" not in result.output


def test_latin1_file_is_a_clear_error(tmp_path):
    path = tmp_path / "latin.bnet"
    path.write_bytes("A, B\n# d\xe9j\xe0 vu\nB, A\n".encode("latin-1"))
    with pytest.raises(ParseError) as info:
        read_bnet(path)
    assert (info.value.line, info.value.column) == (2, 4)
    assert "not UTF-8" in str(info.value)


def test_binary_garbage_is_a_clear_error(tmp_path):
    path = tmp_path / "garbage.bnet"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ParseError, match="binary data") as info:
        read_bnet(path)
    assert (info.value.line, info.value.column) == (3, 1)  # the NUL after the second newline
    result = CliRunner().invoke(main, ["info", str(path)])
    assert result.exit_code == 1 and "binary data" in result.output


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.bnet"
    path.write_bytes(b"\xef\xbb\xbfA, B\nB, A\n")
    assert read_bnet(path).nodes == ("A", "B")


def test_write_is_atomic_and_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "out.bnet"
    path.write_text("old\n")
    net = parse_bnet("A, !A\n")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    import signet.io.files as files

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(SignetError, match="disk full"):
        write_bnet(net, path)
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bnet"]


@settings(max_examples=80, deadline=None)
@given(networks())
def test_generate_parse_round_trip_is_semantically_equal(net):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignetWarning)
        again = parse_bnet(generate_bnet(net))
    assert again.nodes == net.nodes
    assert again.is_equivalent(net)
