"""Hostile input: every malformed file, bad argument and API misuse ends in one clear error.

Each CLI case writes its files into a fresh folder, runs one command and asserts:
exit status 1 (usage errors too: signet turns click's into one line), one error line on
stderr naming the file, line and column where the input has them, no traceback, and
every file in the folder byte-identical afterwards with nothing added (nothing
overwritten, nothing half-written).  API cases assert a :class:`SignetError` subclass
(an :class:`ArgumentTypeError` names the argument).  Cases that must read special
files (FIFOs, devices) run in a subprocess with a timeout, so a regression is a
failure, not a hung suite.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import signet.limits
from signet.cli import main
from signet.errors import (
    ArgumentTypeError,
    InputError,
    ModelError,
    ParseError,
    SignetError,
)

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "networks" / "atm_p53_core.bnet"

SMALL = "A, A\nB, A & !C\nC, B | C\n"
META = """model: {title: T, treatment: {A: 1}, baseline: {A: 0}}
references: {"1": {doi: 10.1/x, citation: C}}
nodes:
  B: {name: bee, aliases: [b1], refs: [1], drugs: [{name: D, action: inhibit}]}
phenotypes: {P: B & C}
contexts: {ko: {fix: {C: 0}, description: x}}
"""


@dataclass
class Case:
    """Files to write, the command line (``{d}`` is the folder), what the error must say."""

    files: dict[str, str | bytes]
    args: list[str]
    fragment: str
    where: tuple[str, int | None, int | None] | None = None  # file, line (None: any), column (None: any)
    code: int = 1
    limits: dict[str, int] = field(default_factory=dict)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith("warning:")]


def check(case: Case, folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    write_files(folder, case.files)
    if case.limits:
        monkeypatch.setattr(signet.limits, "LIMITS", replace(signet.limits.LIMITS, **case.limits))
    before = snapshot(folder)
    args = [a.format(d=folder) for a in case.args]
    result = CliRunner().invoke(main, args)
    out = result.output + result.stderr
    assert "Traceback" not in out, out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == case.code, (result.exit_code, out)
    lines = error_lines(result.stderr)
    if case.code == 1:
        assert len(lines) == 1 and lines[0].startswith("Error: "), lines
        message = lines[0]
    else:
        assert lines and lines[-1].startswith("Error: "), lines
        message = lines[-1]
    assert case.fragment in message, message
    if case.where is not None:
        name, line, column = case.where
        pattern = re.escape(str(folder / name)) + ":" + (str(line) if line else r"\d+")
        pattern += ":" + (str(column) if column else r"\d+") + ": "
        assert re.search(pattern, message), (pattern, message)
    assert snapshot(folder) == before, "files changed or added"
    return message


# ---------------------------------------------------------------------------
# bnet and BoolNet text
# ---------------------------------------------------------------------------
def bnet_case(text: str | bytes, fragment: str, line: int | None, column: int | None, **kw: Any) -> Case:
    return Case({"m.bnet": text}, ["info", "{d}/m.bnet"], fragment, ("m.bnet", line, column) if line else None, **kw)


BNET = {
    "missing_comma": bnet_case("A B\n", "missing comma", 1, 1),
    "empty_rule": bnet_case("A, \n", "empty rule", 1, 4),
    "trailing_operator": bnet_case("A, B &\nB, A\n", "an operand is missing", 1, 6),
    "unclosed_paren": bnet_case("A, (B | A\nB, A\n", "'(' is never closed", 1, 4),
    "extra_close_paren": bnet_case("A, B)\nB, A\n", "')'", 1, 5),
    "caret_operator": bnet_case("A, B ^ A\nB, A\n", "unexpected character '^'", 1, 6),
    "digit_target": bnet_case("1A, B\nB, B\n", "bad target name", 1, 1),
    "digit_name_in_rule": bnet_case("A, 2B\n", "bad name '2B'", 1, 4),
    "hex_literal": bnet_case("A, 0x1\n", "bad name '0x1'", 1, 4),
    "duplicate_target": bnet_case("A, A\nB, A\nA, B\n", "duplicate target 'A': already defined on line 1", 3, 1),
    "nul_byte": bnet_case(b"A, A\nB, \x00A\n", "NUL byte", 2, 4),
    "latin1_byte": bnet_case(b"A, A\n# caf\xe9\n", "not UTF-8", 2, 6),
    "utf16_file": bnet_case("A, A\n".encode("utf-16"), "UTF-16 text", 1, 1),
    "form_feed_in_rule": bnet_case("A, B\x0c& A\nB, A\n", "unexpected character '\\x0c'", 1, 5),
    "line_separator_in_rule": bnet_case("A, B\u2028& A\nB, A\n", "unexpected character '\\u2028'", 1, 5),
    "nel_in_rule": bnet_case("A, B\x85& A\nB, A\n", "unexpected character '\\x85'", 1, 5),
    "lone_carriage_return": bnet_case("A, B\rB, A\n", "unexpected character '\\r'", 1, 5),
    "vertical_tab": bnet_case("A, B\x0b| A\nB, A\n", "unexpected character '\\x0b'", 1, 5),
    "empty_file": bnet_case("", "no rules found", 1, 1),
    "only_comments": bnet_case("# nothing\n\n# here\n", "no rules found", 1, 1),
    "header_only": bnet_case("targets, factors\n", "no rules found", 1, 1),
    "missing_operator": bnet_case("A, B A\nB, A\n", "expected an operator", 1, 6),
    "double_operator": bnet_case("A, B && A\nB, A\n", "an operand is missing", 1, 7),
    "bang_alone": bnet_case("A, !\n", "an operand is missing", 1, 4),
    "empty_parens": bnet_case("A, ()\n", "an operand is missing", 1, 5),
    "space_in_target": bnet_case("A B, C\nC, C\n", "bad target name", 1, 1),
    "dash_in_target": bnet_case("A-B, C\nC, C\n", "bad target name", 1, 1),
    "only_comma": bnet_case(",\n", "missing target name", 1, 1),
    "png_header": bnet_case(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL byte", 3, 1),
    "deep_negation_unclosed": bnet_case("A, " + "!(" * 5000 + "A\n", "'(' is never closed", 1, 4 + 2 * 4999 + 1),
    "deep_parens_unclosed": bnet_case("A, " + "(" * 50000 + "A\n", "'(' is never closed", 1, 50003),
    "deep_parens_extra_close": bnet_case("A, " + "(" * 20000 + "A" + ")" * 20001 + "\n", "')' has no matching",
                                         1, 4 + 20000 + 1 + 20000),
    "megabyte_rule_error_at_end": bnet_case("A, " + " & ".join(f"x{i}" for i in range(150_000)) + " & )\n",
                                            "an operand is missing", 1, None),
    "line_over_limit": bnet_case("A, B | A\nB, " + " | ".join(["A"] * 100) + "\n", "the limit is 200", 2, 1,
                                 limits={"line_chars": 200}),
    "too_many_nodes": bnet_case("".join(f"x{i}, x{i}\n" for i in range(11)), "the limit is 10 nodes", 11, 1,
                                limits={"nodes": 10}),
    "file_over_limit": Case({"m.bnet": "A, A\n" * 100}, ["info", "{d}/m.bnet"], "the limit is 100",
                            limits={"file_bytes": 100}),
    "unknown_extension": Case({"m.txt2": "A, A\n"}, ["info", "{d}/m.txt2"], "cannot tell the format"),
    "unknown_format_option": Case({"m.bnet": "A, A\n"}, ["info", "{d}/m.bnet", "--format", "nope"],
                                  "unknown format 'nope'"),
    # MaBoSS .bnd is readable since the byom readers; pyboolnet primes (.json) stay write-only
    "write_only_format": Case({"m.json": "{}\n"}, ["info", "{d}/m.json"], "cannot tell the format"),
    "missing_file": Case({}, ["info", "{d}/absent.bnet"], "no such file"),
    "folder_as_model": Case({"dir.bnet/x": "A, A\n"}, ["info", "{d}/dir.bnet"], "is a directory"),
}

BOOLNET = {
    "no_header": Case({"m.txt": "A, A\n"}, ["info", "{d}/m.txt", "--format", "boolnet"], "missing header",
                      ("m.txt", 1, 1)),
    "threshold": Case({"m.txt": "targets, factors\nA, sumgt(A, B, 1)\nB, A\n"},
                      ["info", "{d}/m.txt", "--format", "boolnet"], "threshold function", ("m.txt", 2, 4)),
    "temporal": Case({"m.txt": "targets, factors\nA, timeis(3)\n"}, ["info", "{d}/m.txt", "--format", "boolnet"],
                     "temporal predicate", ("m.txt", 2, 4)),
    "delay": Case({"m.txt": "targets, factors\nA, B[-1]\nB, A\n"}, ["info", "{d}/m.txt", "--format", "boolnet"],
                  "temporal delay", ("m.txt", 2, 5)),
    "probabilistic": Case({"m.txt": "targets, factors, probabilities\nA, B, 1\nB, A, 1\n"},
                          ["info", "{d}/m.txt", "--format", "boolnet"], "probabilistic", ("m.txt", 1, None)),
    "form_feed": Case({"m.txt": "targets, factors\nA, B\x0c| A\nB, A\n"}, ["info", "{d}/m.txt", "--format", "boolnet"],
                      "unexpected character", ("m.txt", 2, 5)),
}


# ---------------------------------------------------------------------------
# Metadata YAML beside a model
# ---------------------------------------------------------------------------
def meta_case(yaml_text: str | bytes, fragment: str, line: int | None, column: int | None = None,
              **kw: Any) -> Case:
    return Case({"m.bnet": SMALL, "m.yaml": yaml_text}, ["info", "{d}/m.bnet"], fragment,
                ("m.yaml", line, column) if line else None, **kw)


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8))
METADATA = {
    "model_is_list": meta_case("model: [a, b]\n", "model: expected a mapping or nothing (null), found a list", 1, 8),
    "nodes_is_list": meta_case("nodes: [B, C]\n", "nodes: expected a mapping", 1, 8),
    "phenotypes_is_list": meta_case("phenotypes: [P]\n", "phenotypes: expected a mapping", 1, 13),
    "contexts_is_list": meta_case("contexts: [ko]\n", "contexts: expected a mapping", 1, 11),
    "references_is_list": meta_case("references: [1]\n", "references: expected a mapping", 1, 13),
    "source_is_list": meta_case("model:\n  source: [a]\n", "model.source: expected a mapping", 2, 11),
    "fix_is_list": meta_case("contexts:\n  ko: {fix: [C]}\n", "contexts.ko.fix: expected a mapping", 2, 13),
    "treatment_is_list": meta_case("model:\n  treatment: [A]\n", "model.treatment: expected a mapping", 2, 14),
    "treatment_bad_schedule": meta_case("model:\n  treatment: A=1 ;; A=0\n", "treatment schedule:", 2, None),
    "treatment_schedule_unknown_node": meta_case("model:\n  treatment: 'A=1 ; Z=0'\n",
                                                 "treatment schedule names unknown node 'Z'", 2, 14),
    "aliases_is_int": meta_case("nodes:\n  B: {aliases: 5}\n", "nodes.B.aliases: expected a list", 2, 16),
    "node_entry_is_list": meta_case("nodes:\n  B: [x]\n", "nodes.B: expected a mapping", 2, 6),
    "treatment_null": meta_case("model:\n  treatment: {A: ~}\n", "expected 0 or 1, found null", 2, 18),
    "treatment_text": meta_case("model:\n  treatment: {A: high}\n", "expected 0 or 1, found 'high'", 2, 18),
    "treatment_float": meta_case("model:\n  treatment: {A: 0.5}\n", "expected 0 or 1, found 0.5", 2, 18),
    "treatment_two": meta_case("model:\n  treatment: {A: 2}\n", "expected 0 or 1, found 2", 2, 18),
    "treatment_negative": meta_case("model:\n  treatment: {A: -1}\n", "expected 0 or 1, found -1", 2, 18),
    "treatment_bool": meta_case("model:\n  treatment: {A: true}\n", "expected 0 or 1, found true", 2, 18),
    "treatment_one_point_zero": meta_case("model:\n  treatment: {A: 1.0}\n", "expected 0 or 1, found 1.0", 2, 18),
    "baseline_list_value": meta_case("model:\n  baseline: {A: [0]}\n", "expected 0 or 1, found a list", 2, 17),
    "fix_text": meta_case("contexts:\n  ko: {fix: {C: off}}\n", "contexts.ko.fix.C: expected 0 or 1, found false",
                          2, 17),
    "huge_integer": meta_case("model:\n  treatment: {A: " + "9" * 5001 + "}\n", "the limit is 18 digits", 2, 18),
    "duplicate_top_key": meta_case("model: {}\nmodel: {}\n", "duplicate key 'model' (first on line 1)", 2, 1),
    "duplicate_nested_key": meta_case("model:\n  treatment: {A: 1, A: 0}\n", "duplicate key 'A'", 2, 21),
    "duplicate_node": meta_case("nodes:\n  B: {}\n  C: {}\n  B: {}\n", "duplicate key 'B' (first on line 2)", 4, 3),
    "unknown_top_key": meta_case("colour: blue\n", "unknown top-level key 'colour'", 1, 1),
    "unknown_node_key": meta_case("nodes:\n  B: {colour: blue}\n", "nodes.B: unknown key 'colour'", 2, 7),
    "unknown_model_key": meta_case("model:\n  treatmant: {A: 1}\n", "model: unknown key 'treatmant'", 2, 3),
    "alias_bomb": meta_case(BOMB, "alias bomb", None),
    "recursive_alias": meta_case("model: &m\n  source: *m\n", "recursive YAML alias", None),
    "python_tag": meta_case("model: !!python/object/apply:os.system [echo hi]\n", "unsupported YAML tag", 1, 8),
    "nested_python_tag": meta_case("nodes:\n  B: {note: !!python/name:os.system ''}\n", "unsupported YAML tag", 2, 13),
    "binary_tag": meta_case("model: {title: !!binary aGk=}\n", "unsupported YAML", 1, 16),
    "set_tag": meta_case("model: !!set {a, b}\n", "unsupported YAML tag", 1, 8),
    "merge_key": meta_case("base: &b {A: 1}\nmodel:\n  treatment: {<<: *b}\n", "merge keys", 3, 15),
    "null_key": meta_case("model:\n  treatment: {~: 1}\n", "a key must be a name or a number, found null", 2, 15),
    "list_key": meta_case("? [a, b]\n: 1\n", "a key must be a name or a number, found a list", 1, 3),
    "bad_yaml_syntax": meta_case("model:\n  title: [unclosed\n", "invalid YAML", 3, 1),
    "tab_indentation": meta_case("model:\n\ttitle: x\n", "invalid YAML", 2, 1),
    "two_documents": meta_case("model: {}\n---\nmodel: {}\n", "invalid YAML", 2, 1),
    "deep_nesting": meta_case("model: " + "[" * 100 + "]" * 100 + "\n", "nested more than 64 levels", 1, None),
    "top_level_list": meta_case("- a\n- b\n", "expected a mapping or nothing (null), found a list", 1, 1),
    "top_level_text": meta_case("just text\n", "found 'just text'", 1, 1),
    "node_not_in_model": meta_case("nodes:\n  Z: {}\n", "node 'Z', which the model does not have", 2, 3),
    "invalid_node_key": meta_case("nodes:\n  1B: {}\n", "'1B' is not a valid node name", 2, 3),
    "alias_is_other_node": meta_case("nodes:\n  B: {aliases: [C]}\n", "alias 'C' of B is the name of another node",
                                     2, 17),
    "alias_twice": meta_case("nodes:\n  B: {aliases: [x]}\n  C: {aliases: [x]}\n", "alias 'x' is given to both",
                             3, 17),
    "phenotype_syntax": meta_case("phenotypes:\n  P: B &\n", "phenotype P: rule ends after operator", 2, 6),
    "phenotype_unknown_node": meta_case("phenotypes:\n  P: B & Z\n", "phenotype P uses unknown nodes: Z", 2, 6),
    "phenotype_not_text": meta_case("phenotypes:\n  P: [B]\n", "phenotypes.P: expected text, found a list", 2, 6),
    "context_unknown_node": meta_case("contexts:\n  ko: {fix: {Z: 0}}\n", "context ko fixes unknown node 'Z'", 2, 14),
    "treatment_unknown_node": meta_case("model:\n  treatment: {Z: 1}\n", "treatment names unknown node 'Z'", 2, 15),
    "baseline_fraction_unknown_node": meta_case("model:\n  baseline_fractions: {Z: 0.1}\n",
                                                "baseline_fractions names unknown node 'Z'", 2, 24),
    "baseline_fraction_one": meta_case("model:\n  baseline_fractions: {A: 1}\n", "baseline_fractions.A", 2, 27),
    "baseline_fraction_text": meta_case("model:\n  baseline_fractions: {A: many}\n", "baseline_fractions.A", 2, 27),
    "drug_without_name": meta_case("nodes:\n  B: {drugs: [{action: inhibit}]}\n", "missing 'name'", 2, 15),
    "drug_bad_action": meta_case("nodes:\n  B: {drugs: [{name: D, action: cure}]}\n",
                                 "expected inhibit or activate, found 'cure'", 2, 33),
    "drugs_is_mapping": meta_case("nodes:\n  B: {drugs: {name: D}}\n", "nodes.B.drugs: expected a list", 2, 14),
    "refs_is_mapping": meta_case("nodes:\n  B: {refs: {a: 1}}\n", "expected a list or text or an integer", 2, 13),
    "latin1_yaml": meta_case(b"model: {title: caf\xe9}\n", "not UTF-8", 1, 19),
    "nul_in_yaml": meta_case(b"model: {title: \x00}\n", "NUL byte", 1, 16),
    "yaml_over_limit": meta_case("model: {title: " + "x" * 300 + "}\n", "the limit is 200", 1, 1,
                                 limits={"yaml_bytes": 200}),
    "yaml_folder": Case({"m.bnet": SMALL, "m.yaml/x": "a"}, ["info", "{d}/m.bnet"], "is a folder"),
}


# ---------------------------------------------------------------------------
# Expectations YAML (signet validate -e FILE)
# ---------------------------------------------------------------------------
def claims_case(yaml_text: str, fragment: str, line: int | None, column: int | None = None) -> Case:
    files: dict[str, str | bytes] = {"core.bnet": CORE.read_text(), "core.yaml": CORE.with_suffix(".yaml").read_text(),
                                     "claims.yaml": yaml_text}
    return Case(files, ["validate", "{d}/core.bnet", "-e", "{d}/claims.yaml"], fragment,
                ("claims.yaml", line, column) if line else None)


EXPECTATIONS = {
    "top_level_mapping": claims_case("id: x\n", "expected a list or nothing (null), found a mapping", 1, 1),
    "missing_id": claims_case("- {phenotype: p53_active, case: {}, expect: zero}\n", "missing 'id'", 1, 3),
    "unknown_claim_key": claims_case("- {id: x, phenotype: p53_active, case: {}, expect: zero, colour: red}\n",
                                     "claim x: unknown key 'colour'", 1, 58),
    "bad_expect": claims_case("- {id: x, phenotype: p53_active, case: {}, expect: more}\n",
                              "claim x: expect: expected one of increase", 1, 52),
    "input_float": claims_case("- {id: x, phenotype: p53_active, case: {inputs: {RT: 0.5}}, expect: zero}\n",
                               "claim x: case.inputs.RT: expected 0 or 1, found 0.5", 1, 54),
    "ko_mapping": claims_case("- {id: x, phenotype: p53_active, case: {ko: {ATM: 1}}, expect: zero}\n",
                              "claim x: case.ko: expected a list or text", 1, 45),
    "case_list": claims_case("- {id: x, phenotype: p53_active, case: [ATM], expect: zero}\n",
                             "claim x: case: expected a mapping, found a list", 1, 40),
    "phenotype_int": claims_case("- {id: x, phenotype: 5, case: {}, expect: zero}\n",
                                 "claim x: phenotype: expected text, found 5", 1, 22),
    "unknown_reference_id": claims_case("- {id: x, phenotype: p53_active, case: {}, reference: y, expect: increase}\n",
                                        "reference names no claim 'y'", 1, 55),
    "duplicate_id": claims_case("- {id: x, phenotype: p53_active, case: {}, expect: zero}\n"
                                "- {id: x, phenotype: p53_active, case: {}, expect: zero}\n",
                                "duplicate claim id 'x'", 2, 8),
    "nested_python_tag": claims_case("- {id: x, phenotype: p53_active, case: {context: !!python/name:os.system ''},"
                                     " expect: zero}\n", "unsupported YAML tag", 1, 50),
    "bomb": claims_case("- " + BOMB.replace("\n", "\n  "), "alias bomb", None),
    "deep": claims_case("- " + "[" * 100 + "]" * 100 + "\n", "nested more than 64 levels", 1, None),
    "unknown_phenotype": claims_case("- {id: x, phenotype: Happy, case: {}, expect: zero}\n",
                                     "unknown phenotype 'Happy'", 1, 22),
    "unknown_ko_node": claims_case("- {id: x, phenotype: p53_active, case: {ko: [NOPE]}, expect: zero}\n",
                                   "unknown node 'NOPE'", 1, 46),
    "duplicate_key_in_case": claims_case("- {id: x, phenotype: p53_active, case: {ko: [ATM], ko: [MDM2]}, expect: zero}\n",
                                         "duplicate key 'ko'", 1, 52),
    "missing_file": Case({"core.bnet": CORE.read_text()}, ["validate", "{d}/core.bnet", "-e", "{d}/none.yaml"],
                         "no such file"),
}


# ---------------------------------------------------------------------------
# SBML-qual
# ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def base_sbml() -> str:
    from signet.io.bnet import parse_bnet
    from signet.io.metadata import parse_metadata
    from signet.io.sbml import generate_sbml

    return generate_sbml(parse_bnet(SMALL, annotations=parse_metadata(META)))


def mutated(old: str, new: str) -> str:
    text = base_sbml()
    assert old in text, f"fixture text not found: {old!r}"
    return text.replace(old, new, 1)


def with_math(inner: str) -> str:
    text = base_sbml()
    start = text.index("<math", text.index('<qual:functionTerm qual:resultLevel="1">'))
    end = text.index("</math>", start) + len("</math>")
    return text[:start] + f'<math xmlns="http://www.w3.org/1998/Math/MathML">{inner}</math>' + text[end:]


def sbml_case(text: str | bytes, fragment: str, line: int | None = None, column: int | None = None,
              **kw: Any) -> Case:
    return Case({"m.sbml": text}, ["info", "{d}/m.sbml"], fragment, ("m.sbml", line, column), **kw)


def nested_not(depth: int) -> str:
    return "<apply><not/>" * depth + "<ci> A </ci>" + "</apply>" * depth


def eq(species: str, level: str = "1") -> str:
    return f'<apply><eq/><ci> {species} </ci><cn type="integer"> {level} </cn></apply>'


SBML = {
    "malformed_xml": sbml_case("<sbml><model></sbml>", "invalid SBML", 1),
    "not_xml": sbml_case("hello", "invalid SBML", 1),
    "wrong_core_namespace": sbml_case(mutated('xmlns="http://www.sbml.org/sbml/level3/version1/core"',
                                              'xmlns="http://example.org/not-sbml"'), "SBML", 2),
    "wrong_qual_namespace": sbml_case(mutated("qual/version1", "qual/version9"), "qual", None),
    "reaction_model": sbml_case('<?xml version="1.0"?>\n<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" '
                                'level="3" version="1"><model id="m"/></sbml>\n', "without the qual package", 2),
    "no_species": sbml_case(re.sub(r"<qual:listOfQualitativeSpecies>.*</qual:listOfQualitativeSpecies>", "",
                                   base_sbml(), flags=re.S), "the model has no qualitative species", None),
    "duplicate_species_id": sbml_case(mutated('qual:id="C" qual:compartment', 'qual:id="B" qual:compartment'),
                                      "duplicate id 'B'", None),
    "transition_without_output": sbml_case(re.sub(r"<qual:listOfOutputs>.*?</qual:listOfOutputs>", "",
                                                  base_sbml(), count=1, flags=re.S), "has no output", None),
    "input_not_species": sbml_case(mutated('qual:qualitativeSpecies="C" qual:transitionEffect="none"',
                                           'qual:qualitativeSpecies="Z" qual:transitionEffect="none"'),
                                   "is not a qualitative species", None),
    "output_not_species": sbml_case(mutated('qual:qualitativeSpecies="B" qual:transitionEffect="assignmentLevel"',
                                            'qual:qualitativeSpecies="Z" qual:transitionEffect="assignmentLevel"'),
                                    "is not a qualitative species", None),
    "unknown_mathml": sbml_case(with_math("<apply><plus/><ci> A </ci><ci> C </ci></apply>"),
                                "unsupported MathML element <plus>", None),
    "not_two_args": sbml_case(with_math(f"<apply><not/>{eq('A')}{eq('C')}</apply>"),
                              "<not> takes one argument, not 2", None),
    "implies_three_args": sbml_case(with_math(f"<apply><implies/>{eq('A')}{eq('C')}{eq('A')}</apply>"),
                                    "<implies> takes two arguments", None),
    "xor_65_args": sbml_case(with_math("<apply><xor/>" + eq("A") * 65 + "</apply>"), "<xor> of 65 arguments", None),
    "unknown_ci": sbml_case(with_math(eq("Z")), "<ci>Z</ci> is not a qualitative species", None),
    "non_integer_level": sbml_case(with_math('<apply><eq/><ci> A </ci><cn> 1.5 </cn></apply>'),
                                   "level 1.5 is not an integer", None),
    "level_is_name": sbml_case(with_math("<apply><eq/><ci> A </ci><ci> C </ci></apply>"),
                               "expected an integer level (<cn>), found <name>", None),
    "maxlevel_negative": sbml_case(mutated('qual:name="A" qual:maxLevel="1"', 'qual:name="A" qual:maxLevel="-1"'),
                                   "maxLevel -1 is negative", None),
    "maxlevel_huge": sbml_case(mutated('qual:name="A" qual:maxLevel="1"', 'qual:name="A" qual:maxLevel="1000000"'),
                               "above the limit", None),
    "maxlevel_multivalued": sbml_case(mutated('qual:name="A" qual:maxLevel="1"', 'qual:name="A" qual:maxLevel="2"'),
                                      "is multi-valued", None),
    "result_level_out_of_range": sbml_case(mutated('<qual:functionTerm qual:resultLevel="1">',
                                                   '<qual:functionTerm qual:resultLevel="3">'),
                                           "result level 3 outside 0..1", None),
    "function_without_default": sbml_case(mutated('<qual:defaultTerm qual:resultLevel="0"/>', ""),
                                          "without a defaultTerm", None),
    "deep_mathml": sbml_case(with_math(nested_not(3000)), "XML nested more than 1000 elements deep", None),
    "xxe_entity": sbml_case('<?xml version="1.0"?>\n<!DOCTYPE sbml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                            '<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1">'
                            '<model id="m" name="&x;"/></sbml>\n', "entity", 3, None),
    "nul_byte": sbml_case(b"<sbml>\x00</sbml>", "NUL byte", 1, 7),
    "latin1": sbml_case(base_sbml().replace('title="T"', 'title="caf\xe9"').encode("latin-1"), "not UTF-8", None),
    "block_treatment_float": sbml_case(mutated('<signet:treatment node="A" value="1"/>',
                                               '<signet:treatment node="A" value="0.5"/>'),
                                       "signet annotation block: model.treatment.A: expected 0 or 1, found '0.5'",
                                       7, None),
    "block_treatment_text": sbml_case(mutated('<signet:treatment node="A" value="1"/>',
                                              '<signet:treatment node="A" value="high"/>'),
                                      "expected 0 or 1, found 'high'", 7, None),
    "block_treatment_missing_value": sbml_case(mutated('<signet:treatment node="A" value="1"/>',
                                                       '<signet:treatment node="A"/>'),
                                               "expected 0 or 1, found null", 7, None),
    "block_treatment_unknown_node": sbml_case(mutated('<signet:treatment node="A" value="1"/>',
                                                      '<signet:treatment node="Z" value="1"/>'),
                                              "treatment names unknown node 'Z'", 7, None),
    "block_duplicate_treatment": sbml_case(mutated('<signet:treatment node="A" value="1"/>',
                                                   '<signet:treatment node="A" value="1"/>'
                                                   '<signet:treatment node="A" value="0"/>'),
                                           "duplicate model.treatment.A", 7, None),
    "block_fix_two": sbml_case(mutated('<signet:fix node="C" value="0"/>', '<signet:fix node="C" value="2"/>'),
                               "contexts.ko.fix.C: expected 0 or 1, found 2", 11, 10),
    "block_fix_unknown_node": sbml_case(mutated('<signet:fix node="C" value="0"/>', '<signet:fix node="Z" value="0"/>'),
                                        "context ko fixes unknown node 'Z'", 11, 10),
    "block_phenotype_unknown_node": sbml_case(mutated('rule="B &amp; C"', 'rule="B &amp; Z"'),
                                              "phenotype P uses unknown nodes: Z", 9, None),
    "block_phenotype_missing_rule": sbml_case(mutated('rule="B &amp; C"', ''),
                                              "phenotypes.P: expected text, found null", 9, None),
    "block_unknown_element": sbml_case(mutated('<signet:baseline node="A" value="0"/>', '<signet:colour/>'),
                                       "unknown element <signet:colour>", 8, None),
    "block_drug_action": sbml_case(mutated('action="inhibit"', 'action="cure"'),
                                   "expected inhibit or activate, found 'cure'", None),
    "block_alias_conflict": sbml_case(mutated('<signet:alias name="b1"/>', '<signet:alias name="C"/>'),
                                      "alias 'C' of B is the name of another node", None),
}


# ---------------------------------------------------------------------------
# Command-line arguments
# ---------------------------------------------------------------------------
def arg_case(args: list[str], fragment: str, code: int = 1, model: str = "m.bnet") -> Case:
    files: dict[str, str | bytes] = {"m.bnet": SMALL, "m.yaml": META}
    return Case(files, [a.replace("MODEL", "{d}/" + model) for a in args], fragment, None, code)


ARGUMENTS = {
    "workers_zero": arg_case(["screen", "MODEL", "--workers", "0"], "'--workers'",),
    "workers_negative": arg_case(["screen", "MODEL", "--workers", "-1"], "'--workers'",),
    "workers_huge": arg_case(["screen", "MODEL", "--workers", "100000"], "per core",),
    "workers_text": arg_case(["screen", "MODEL", "--workers", "many"], "not a whole number",),
    "control_workers_negative": arg_case(["control", "MODEL", "--workers", "-5"], "'--workers'",),
    "scheduler_not_url": arg_case(["screen", "MODEL", "--scheduler", "notaurl"], "tcp://HOST:PORT",),
    "scheduler_http": arg_case(["screen", "MODEL", "--scheduler", "http://127.0.0.1:8786"], "tcp://HOST:PORT",),
    "scheduler_no_port": arg_case(["screen", "MODEL", "--scheduler", "tcp://127.0.0.1"], "tcp://HOST:PORT",),
    "scheduler_bad_port": arg_case(["screen", "MODEL", "--scheduler", "tcp://127.0.0.1:99999"], "port",),
    "scheduler_path": arg_case(["screen", "MODEL", "--scheduler", "tcp://127.0.0.1:8786/x?y"], "tcp://HOST:PORT",),
    "seed_negative_plot": arg_case(["plot", "network", "MODEL", "-o", "{d}/n.png", "--seed", "-1"], "'--seed'",),
    "seed_negative_simulate": arg_case(["simulate", "MODEL", "--seed", "-1"], "'--seed'",),
    "seed_huge": arg_case(["simulate", "MODEL", "--seed", str(2**40)], "'--seed'",),
    # a level above 1 is only for a multi-valued node (signet.levels)
    "fix_value_two": arg_case(["attractors", "MODEL", "--fix", "A=2"], "--fix A=2: value of A must be 0 or 1, not 2",),
    "fix_value_float": arg_case(["attractors", "MODEL", "--fix", "A=0.5"], "expected NAME=0 or NAME=1",),
    "fix_no_value": arg_case(["attractors", "MODEL", "--fix", "A"], "expected NAME=0 or NAME=1",),
    "fix_no_name": arg_case(["attractors", "MODEL", "--fix", "=1"], "expected NAME=0 or NAME=1",),
    "fix_unknown_node": arg_case(["attractors", "MODEL", "--fix", "Z=1"], "--fix Z=1: unknown node 'Z'"),
    "ko_unknown_node": arg_case(["attractors", "MODEL", "--ko", "Zed"], "--ko Zed: unknown node 'Zed'"),
    "oe_unknown_node": arg_case(["simulate", "MODEL", "--oe", "Q"], "--oe Q: unknown node 'Q'"),
    "plot_fix_value": arg_case(["plot", "attractors", "MODEL", "-o", "{d}/a.png", "--fix", "A=high"],
                               "expected NAME=0 or NAME=1"),
    "treatment_float": arg_case(["screen", "MODEL", "--treatment", "A=0.5"], "expected NAME=0 or NAME=1",),
    "control_treatment_text": arg_case(["control", "MODEL", "--treatment", "A=x"], "expected NAME=0 or NAME=1",),
    "update_unknown": arg_case(["attractors", "MODEL", "--update", "chaos"], "'--update'",),
    "engine_aeon_sync": arg_case(["attractors", "MODEL", "--update", "sync", "--engine", "aeon"],
                                 "aeon engine computes asynchronous attractors only"),
    "engine_asp_async": arg_case(["attractors", "MODEL", "--update", "async", "--engine", "asp"],
                                 "most-permissive"),
    "engine_explicit_mp": arg_case(["attractors", "MODEL", "--engine", "explicit"], "does not compute most-permissive"),
    "context_unknown": arg_case(["attractors", "MODEL", "--context", "mars"], "unknown context 'mars'"),
    "kinds_unknown": arg_case(["screen", "MODEL", "--kinds", "ko,zap"], "unknown kind 'zap'"),
    "max_size_too_big": arg_case(["screen", "MODEL", "--max-size", "9"], "'--max-size'",),
    "export_target_unknown": arg_case(["export", "MODEL", "--to", "nope", "-o", "{d}/x"], "'--to'",),
    "from_bad_state": arg_case(["attractors", "MODEL", "--from", "A=3"], "value of A must be 0 or 1, not 3"),
    "treat_without_treatment": Case({"m.bnet": SMALL}, ["attractors", "{d}/m.bnet", "--treat"],
                                    "declares no treatment"),
    # simulate and timecourse resolve --treat the same way (cli.simulate.treatment_phases)
    "simulate_treat_without_treatment": Case({"m.bnet": SMALL}, ["simulate", "{d}/m.bnet", "--treat"],
                                             "declares no treatment"),
    "timecourse_treat_without_treatment": Case({"m.bnet": SMALL}, ["timecourse", "{d}/m.bnet", "--treat"],
                                               "declares no treatment"),
}


# ---------------------------------------------------------------------------
# Outputs that would destroy an input
# ---------------------------------------------------------------------------
OUTPUTS = {
    "export_over_model": arg_case(["export", "MODEL", "--to", "sbml", "-o", "MODEL"], "the output is the input file"),
    "export_over_model_other_spelling": arg_case(["export", "MODEL", "--to", "bnet", "-o", "{d}/./x/../m.bnet"],
                                                 "the output is the input file"),
    "export_over_metadata": arg_case(["export", "MODEL", "--to", "bnet", "-o", "{d}/m.yaml"],
                                     "the output is the input file"),
    "export_maboss_cfg_over_input": Case({"m.cfg": SMALL, "m.yaml": META},
                                         ["export", "{d}/m.cfg", "--format", "bnet", "--to", "maboss", "-o",
                                          "{d}/m.bnd"], "the output is the input file"),
    "convert_over_model": arg_case(["convert", "MODEL", "MODEL"], "the output is the input file"),
    "convert_over_metadata": arg_case(["convert", "MODEL", "{d}/m.yaml", "--to", "bnet"],
                                      "the output is the input file"),
    "screen_out_over_model": arg_case(["screen", "MODEL", "--out", "MODEL"], "is the model"),
    "screen_db_over_model": arg_case(["screen", "MODEL", "--db", "MODEL"], "is the model"),
    "plot_over_model": arg_case(["plot", "network", "MODEL", "-o", "MODEL"], "the output is the input file"),
    "plot_screen_over_table": Case({"t.csv": "context,intervention,perturbation,size,score,bliss\n"},
                                   ["plot", "screen", "{d}/t.csv", "-o", "{d}/t.csv"], "the output is the input file"),
    "export_missing_folder": arg_case(["export", "MODEL", "--to", "bnet", "-o", "{d}/no/such/x.bnet"],
                                      "does not exist"),
}
OUTPUTS["export_maboss_bnd_over_model"] = Case(
    {"m.bnd": SMALL}, ["export", "{d}/m.bnd", "--format", "bnet", "--to", "maboss", "-o", "{d}/m.cfg"],
    "the output is the input file")


# ---------------------------------------------------------------------------
# Plot tables
# ---------------------------------------------------------------------------
HEADER = "context,intervention,perturbation,size,score,bliss,hsa\n"


def table_case(content: str | bytes, fragment: str, line: int | None) -> Case:
    return Case({"t.csv": content}, ["plot", "screen", "{d}/t.csv", "-o", "{d}/s.png"], fragment,
                ("t.csv", line, None) if line else None)


TABLES = {
    "latin1": table_case(HEADER.encode() + "wt,caf\xe9,x,1,0.1,,\n".encode("latin-1"), "not UTF-8", 2),
    "short_row": table_case(HEADER + "wt,ko A,A=0,1\n", "row has 4 fields; the header has 7", None),
    "long_row": table_case(HEADER + "wt,ko A,A=0,1,0.1,,,extra\n", "row has 8 fields; the header has 7", None),
    "huge_field": table_case(HEADER + "wt," + "x" * 140_000 + ",A=0,1,0.1,,\n", "field larger than field limit",
                             None),
    "not_a_table": table_case("a,b\n1,2\n", "not a signet screen table", None),
    "bad_number": table_case(HEADER + "wt,ko A,A=0,one,0.1,,\n", "bad number", None),
    "empty": table_case("", "not a signet screen table", None),
    "nul": table_case(b"context\x00", "NUL byte", 1),
}

ALL = {**{f"bnet-{k}": v for k, v in BNET.items()}, **{f"boolnet-{k}": v for k, v in BOOLNET.items()},
       **{f"meta-{k}": v for k, v in METADATA.items()}, **{f"claims-{k}": v for k, v in EXPECTATIONS.items()},
       **{f"sbml-{k}": v for k, v in SBML.items()}, **{f"args-{k}": v for k, v in ARGUMENTS.items()},
       **{f"out-{k}": v for k, v in OUTPUTS.items()}, **{f"csv-{k}": v for k, v in TABLES.items()}}


@pytest.mark.parametrize("name", sorted(ALL))
def test_hostile_cli_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(ALL[name], tmp_path, monkeypatch)


def test_the_suite_is_large_enough() -> None:
    assert len(ALL) + len(API_MISUSE) + len(SPECIAL_FILES) >= 150


# ---------------------------------------------------------------------------
# Things that must work (the limits are not too tight)
# ---------------------------------------------------------------------------
def test_xor_of_26_arguments_reads_and_is_parity(tmp_path: Path) -> None:
    from itertools import product

    from signet.expr import evaluate
    from signet.io.sbml import parse_sbml

    names = [f"x{i}" for i in range(26)]
    species = "".join(f'<qual:qualitativeSpecies qual:id="{n}" qual:compartment="c" qual:constant="true" '
                      'qual:maxLevel="1"/>' for n in names)
    math = "<apply><xor/>" + "".join(eq(n) for n in names) + "</apply>"
    text = (f'<?xml version="1.0"?>\n<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" '
            f'xmlns:qual="{"http://www.sbml.org/sbml/level3/version1/qual/version1"}" level="3" version="1" '
            'qual:required="true"><model id="m"><listOfCompartments><compartment id="c" constant="true"/>'
            f'</listOfCompartments><qual:listOfQualitativeSpecies>{species}'
            '<qual:qualitativeSpecies qual:id="y" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>'
            '</qual:listOfQualitativeSpecies><qual:listOfTransitions><qual:transition qual:id="t">'
            '<qual:listOfOutputs><qual:output qual:qualitativeSpecies="y" qual:transitionEffect="assignmentLevel"/>'
            '</qual:listOfOutputs><qual:listOfFunctionTerms><qual:defaultTerm qual:resultLevel="0"/>'
            f'<qual:functionTerm qual:resultLevel="1"><math xmlns="http://www.w3.org/1998/Math/MathML">{math}</math>'
            '</qual:functionTerm></qual:listOfFunctionTerms></qual:transition></qual:listOfTransitions></model></sbml>')
    rule = parse_sbml(text).rules["y"]
    import random

    rng = random.Random(7)
    for _ in range(200):  # parity against the definition, on random states (2**26 is too many)
        state = {n: rng.random() < 0.5 for n in names}
        assert evaluate(rule, state) == (sum(state.values()) % 2 == 1)
    for bits in product([False, True], repeat=3):  # and exhaustively on the first three inputs
        state = {n: False for n in names} | dict(zip(names, bits))
        assert evaluate(rule, state) == (sum(bits) % 2 == 1)


def test_mathml_500_deep_reads(tmp_path: Path) -> None:
    from signet.expr import evaluate
    from signet.io.sbml import parse_sbml

    rule = parse_sbml(with_math(nested_not(501))).rules["B"]
    assert [evaluate(rule, {"A": a}) for a in (False, True)] == [True, False]


def test_deep_rules_write_and_read_back_in_every_format(tmp_path: Path) -> None:
    """A rule nested 10,000 deep: bnet, BoolNet, MaBoSS and primes round trips; SBML refuses clearly."""
    from signet.expr import equivalent, fold_tree
    from signet.io import read_model, write_model
    from signet.io.bnet import parse_bnet

    rule = "A"
    for i in range(10_000):
        rule = f"!({rule} & B{i % 3})" if i % 2 else f"!(B{i % 3} | {rule})"
    net = parse_bnet(f"A, A\nB0, B0\nB1, B1\nB2, B2\nX, {rule}\n")
    assert fold_tree(net.rules["X"], lambda _e, kids: 1 + max(kids, default=0)) > 10_000
    for fmt, name in (("bnet", "d.bnet"), ("boolnet", "d.txt")):
        write_model(net, tmp_path / name, fmt)
        back = read_model(tmp_path / name, fmt)
        assert back.rules["X"] == net.rules["X"]
        assert equivalent(back.rules["X"], net.rules["X"])
    write_model(net, tmp_path / "d.bnd", "maboss")
    assert (tmp_path / "d.cfg").exists() and "Node X" in (tmp_path / "d.bnd").read_text()
    write_model(net, tmp_path / "d.json", "primes")
    with pytest.raises(ModelError, match="nested .* levels deep"):
        write_model(net, tmp_path / "d.sbml", "sbml")
    assert not (tmp_path / "d.sbml").exists()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_real_error_surfaces_whatever_the_worker_count(workers: str, tmp_path: Path) -> None:
    """A synchronous screen of a network too large for the explicit engine says so (it once
    hid behind an AttributeError with one worker).  Thirty oscillators: 2**29 synchronous
    attractors, the 10,001st found in about 3 s (a ring of 30 negations, used before,
    took 27 s to get there)."""
    (tmp_path / "big.bnet").write_text("".join(f"x{i}, !x{i}\n" for i in range(30)) + "RT, RT\nD, RT & x0\n")
    (tmp_path / "big.yaml").write_text("model: {treatment: {RT: 1}, baseline: {RT: 0}}\nphenotypes: {Death: D}\n")
    result = CliRunner().invoke(main, ["screen", str(tmp_path / "big.bnet"), "--update", "sync", "--workers", workers,
                                       "-q", "--db", str(tmp_path / "x.sqlite")])
    assert result.exit_code == 1, result.output
    lines = error_lines(result.stderr)
    # the synchronous engine without the explicit limit (byom) refuses it: far too many attractors
    assert len(lines) == 1 and "more than 10000 synchronous attractors" in lines[0], result.stderr
    assert isinstance(result.exception, SystemExit)


def test_maboss_cfg_name_gets_the_cfg(tmp_path: Path) -> None:
    model = tmp_path / "m.bnet"
    model.write_text(SMALL)
    result = CliRunner().invoke(main, ["export", str(model), "--to", "maboss", "-o", str(tmp_path / "x.cfg"), "--json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x.bnd").read_text().count("Node ") == 3
    assert "istate" in (tmp_path / "x.cfg").read_text() and "Node " not in (tmp_path / "x.cfg").read_text()


def test_hard_link_of_the_input_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "m.bnet"
    model.write_text(SMALL)
    os.link(model, tmp_path / "link.bnet")
    before = snapshot(tmp_path)
    result = CliRunner().invoke(main, ["convert", str(model), str(tmp_path / "link.bnet")])
    assert result.exit_code == 1 and "the output is the input file" in result.stderr
    assert snapshot(tmp_path) == before


def test_symlink_to_the_input_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "m.bnet"
    model.write_text(SMALL)
    (tmp_path / "alias.sbml").symlink_to(model)
    result = CliRunner().invoke(main, ["export", str(model), "--to", "sbml", "-o", str(tmp_path / "alias.sbml")])
    assert result.exit_code == 1 and "the output is the input file" in result.stderr
    assert model.read_text() == SMALL


# ---------------------------------------------------------------------------
# Special files: in a subprocess with a timeout (a hang is a failure, not a stuck suite)
# ---------------------------------------------------------------------------
def run_cli(args: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-c", "from signet.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=timeout, env=env)


def make_fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


SPECIAL_FILES = {
    "fifo_model": (lambda d: ["info", str(make_fifo(d, "m.bnet"))], "named pipe"),
    "fifo_metadata": (lambda d: (d.joinpath("m.bnet").write_text(SMALL), make_fifo(d, "m.yaml"),
                                 ["info", str(d / "m.bnet")])[-1], "named pipe"),
    "fifo_expectations": (lambda d: (d.joinpath("m.bnet").write_text(SMALL), make_fifo(d, "c.yaml"),
                                     ["validate", str(d / "m.bnet"), "-e", str(d / "c.yaml")])[-1], "named pipe"),
    "dev_zero": (lambda d: ["info", "/dev/zero", "--format", "bnet"], "character device"),
    "dev_null_sbml": (lambda d: ["info", "/dev/null", "--format", "sbml"], "character device"),
    "symlink_to_dev_zero": (lambda d: (d.joinpath("z.bnet").symlink_to("/dev/zero"), ["info", str(d / "z.bnet")])[-1],
                            "character device"),
    "fifo_plot_table": (lambda d: ["plot", "screen", str(make_fifo(d, "t.csv")), "-o", str(d / "s.png")],
                        "named pipe"),
}


@pytest.mark.parametrize("name", sorted(SPECIAL_FILES))
def test_special_files_are_refused_without_reading(name: str, tmp_path: Path) -> None:
    make_args, fragment = SPECIAL_FILES[name]
    result = run_cli(make_args(tmp_path), timeout=120)
    assert result.returncode == 1, result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("Error: ") and fragment in lines[0], result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------
# Python API misuse
# ---------------------------------------------------------------------------
def _net():
    from signet.io.bnet import parse_bnet

    return parse_bnet(SMALL)


def _api(name: str):
    import importlib

    module, _, attr = name.rpartition(".")
    return getattr(importlib.import_module(module), attr)


API_MISUSE: dict[str, tuple[str, Any, type[BaseException], str]] = {
    # name: (function, arguments (a callable of tmp_path), expected error, fragment)
    "write_model_str": ("signet.io.write_model", lambda d: ("notanet", d / "x.bnet"), ArgumentTypeError, "network"),
    "write_model_none": ("signet.io.write_model", lambda d: (None, d / "x.bnet"), ArgumentTypeError, "network"),
    "write_model_path_int": ("signet.io.write_model", lambda d: (_net(), 5), ArgumentTypeError, "path"),
    "write_model_bad_format": ("signet.io.write_model", lambda d: (_net(), d / "x.bnet", "nope"), ModelError,
                               "unknown format"),
    "write_model_unknown_ext": ("signet.io.write_model", lambda d: (_net(), d / "x.zzz"), ModelError,
                                "cannot tell the format"),
    "write_model_format_list": ("signet.io.write_model", lambda d: (_net(), d / "x.bnet", ["bnet"]),
                                ArgumentTypeError, "format"),
    "write_model_to_folder": ("signet.io.write_model", lambda d: (_net(), d), SignetError, ""),
    "write_model_missing_folder": ("signet.io.write_model", lambda d: (_net(), d / "no" / "x.bnet"), SignetError,
                                   "does not exist"),
    "generate_model_none": ("signet.io.generate_model", lambda d: (None, "bnet"), ArgumentTypeError, "network"),
    "generate_model_read_only": ("signet.io.generate_model", lambda d: (_net(), "sbml_bits"), ModelError,
                                 "can only be read"),
    "read_model_none": ("signet.io.read_model", lambda d: (None,), ArgumentTypeError, "path"),
    "read_model_int": ("signet.io.read_model", lambda d: (3,), ArgumentTypeError, "path"),
    "read_model_missing": ("signet.io.read_model", lambda d: (d / "none.bnet",), InputError, "no such file"),
    "read_model_folder": ("signet.io.read_model", lambda d: (d,), InputError, "folder"),
    "read_model_nul_path": ("signet.io.read_model", lambda d: ("a\x00b.bnet",), ArgumentTypeError, "path"),
    "read_bnet_none": ("signet.io.bnet.read_bnet", lambda d: (None,), ArgumentTypeError, "path"),
    "parse_bnet_bytes": ("signet.io.bnet.parse_bnet", lambda d: (b"A, A\n",), ArgumentTypeError, "decode"),
    "parse_bnet_none": ("signet.io.bnet.parse_bnet", lambda d: (None,), ArgumentTypeError, "text"),
    "parse_bnet_list": ("signet.io.bnet.parse_bnet", lambda d: (["A, A"],), ArgumentTypeError, "text"),
    "generate_bnet_str": ("signet.io.bnet.generate_bnet", lambda d: ("A, A",), ArgumentTypeError, "network"),
    "write_bnet_int": ("signet.io.bnet.write_bnet", lambda d: (1, d / "x.bnet"), ArgumentTypeError, "network"),
    "parse_boolnet_none": ("signet.io.boolnet.parse_boolnet", lambda d: (None,), ArgumentTypeError, "text"),
    "generate_boolnet_list": ("signet.io.boolnet.generate_boolnet", lambda d: ([],), ArgumentTypeError, "network"),
    "parse_sbml_int": ("signet.io.sbml.parse_sbml", lambda d: (5,), ArgumentTypeError, "text"),
    "parse_sbml_bad_mode": ("signet.io.sbml.parse_sbml", lambda d: (base_sbml(),), None, ""),
    "generate_sbml_str": ("signet.io.sbml.generate_sbml", lambda d: ("x",), ArgumentTypeError, "network"),
    "generate_maboss_dict": ("signet.io.maboss.generate_maboss", lambda d: ({},), ArgumentTypeError, "network"),
    "generate_maboss_cfg_none": ("signet.io.maboss.generate_maboss_cfg", lambda d: (None,), ArgumentTypeError,
                                 "network"),
    "generate_primes_str": ("signet.io.primes.generate_primes", lambda d: ("x",), ArgumentTypeError, "network"),
    "parse_metadata_none": ("signet.io.metadata.parse_metadata", lambda d: (None,), ArgumentTypeError, "text"),
    "parse_metadata_bytes": ("signet.io.metadata.parse_metadata", lambda d: (b"model: {}",), ArgumentTypeError,
                             "decode"),
    "parse_metadata_bomb": ("signet.io.metadata.parse_metadata", lambda d: (BOMB,), ParseError, "alias bomb"),
    "read_metadata_missing": ("signet.io.metadata.read_metadata", lambda d: (d / "x.yaml",), InputError,
                              "no such file"),
    "parse_expectations_int": ("signet.io.expectations.parse_expectations", lambda d: (3,), ArgumentTypeError,
                               "text"),
    "read_expectations_folder": ("signet.io.expectations.read_expectations", lambda d: (d,), InputError, "folder"),
    "parse_expression_none": ("signet.expr.parse_expression", lambda d: (None,), ArgumentTypeError, "text"),
    "parse_expression_int": ("signet.expr.parse_expression", lambda d: (1,), ArgumentTypeError, "text"),
    "read_input_fifo": ("signet.io.files.read_input_bytes", lambda d: (make_fifo(d, "p"),), InputError, "named pipe"),
    "atomic_write_to_folder": ("signet.io.files.atomic_write_text", lambda d: (d, "x"), SignetError, "directory"),
    "detect_format_unknown": ("signet.io.detect_format", lambda d: ("x.qqq",), ModelError, "cannot tell"),
}


@pytest.mark.parametrize("name", sorted(API_MISUSE))
def test_api_misuse_raises_a_signet_error(name: str, tmp_path: Path) -> None:
    function, make_args, error, fragment = API_MISUSE[name]
    if error is None:  # parse_sbml with a bad ``multivalued``: a keyword argument
        with pytest.raises(InputError, match="multivalued"):
            _api(function)(*make_args(tmp_path), multivalued="maybe")
        return
    with pytest.raises(error) as info:
        _api(function)(*make_args(tmp_path))
    assert isinstance(info.value, SignetError)
    assert fragment in str(info.value)


def test_argument_type_errors_are_type_errors() -> None:
    assert issubclass(ArgumentTypeError, TypeError) and issubclass(ArgumentTypeError, SignetError)
