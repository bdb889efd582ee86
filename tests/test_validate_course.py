"""``read: course`` claims: a phenotype's probability at a time after the treatment's last phase starts.

Oracle: the closed form of a small chain.  A dose (``S=1``) makes a break; once the dose is over
(``S=0``) repair switches on at rate ``r`` (1 with the ``Helper``, 0.1 without) and then removes the
break at rate 1, so the break is still there at time ``t`` with probability
``(e^{-r t} - r e^{-t}) / (1 - r)`` (``(1 + t) e^{-t}`` for ``r = 1``).  Every cell repairs in the
end: the fates cannot tell the Helper's knockout from the wild type, the time course can.
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from signet.annotations import Annotations
from signet.cli import main
from signet.errors import ModelError, ParseError
from signet.expectations import Case
from signet.io.expectations import generate_expectations, parse_expectations
from signet.model import BooleanNetwork
from signet.rates import parse_rate
from signet.validate import course_case, validate

PULSE = "S=1 ; S=0"


def _repair_network() -> BooleanNetwork:
    rules = {"S": "S", "Break": "S | Break & !Repair", "Repair": "Break & !S", "Helper": "Helper"}
    return BooleanNetwork(rules, annotations=Annotations(
        baseline={"S": 0}, phenotypes={"Break": "Break"}, rates={"Repair": (parse_rate("Helper ? 1 : 0.1"), 1.0)}))


def _still_broken(r: float, t: float) -> float:
    return (1 + t) * math.exp(-t) if r == 1 else (math.exp(-r * t) - r * math.exp(-t)) / (1 - r)


@pytest.mark.parametrize("helper, rate", [(1, 1.0), (0, 0.1)])
@pytest.mark.parametrize("at", [0.5, 2.0, 7.0])
def test_course_case_equals_the_closed_form(helper, rate, at):
    r = course_case(_repair_network(), Case(fix={"Helper": helper}, schedule=PULSE), at)
    # the dose phase lasts 20: the break is made with probability 1 - e^-20
    assert r.value_of("Break") == pytest.approx(_still_broken(rate, at), abs=1e-6)
    assert r.at == at and r.attractors == 0 and r.runs is None  # exact: a point interval
    assert r.interval_of("Break") == (r.value_of("Break"), r.value_of("Break"))


def test_a_bounded_earlier_phase_lasts_its_bound():
    # the dose lasts 0.5 (its '@'): the break is made with probability 1 - e^-0.5, then repaired
    r = course_case(_repair_network(), Case(fix={"Helper": 1}, schedule="S=1 @ 0.5 ; S=0"), 2.0)
    assert r.value_of("Break") == pytest.approx((1 - math.exp(-0.5)) * _still_broken(1.0, 2.0), abs=1e-9)
    # inputs instead of a schedule: one phase, read at 'at' after it starts
    r = course_case(_repair_network(), Case(inputs={"S": 1}), 1.0)
    assert r.value_of("Break") == pytest.approx(1 - math.exp(-1.0), abs=1e-9)
    with pytest.raises(ModelError, match="above 0"):
        course_case(_repair_network(), Case(inputs={"S": 1}), 0.0)


CLAIMS = """
- {id: repaired_in_the_end, phenotype: Break, case: {fix: {Helper: 0}, schedule: "S=1 ; S=0"}, expect: zero}
- id: same_fates
  phenotype: Break
  case: {fix: {Helper: 0}, schedule: "S=1 ; S=0"}
  reference: {fix: {Helper: 1}, schedule: "S=1 ; S=0"}
  expect: increase
- id: slower_without_helper
  phenotype: Break
  case: {fix: {Helper: 0}, schedule: "S=1 ; S=0"}
  reference: {fix: {Helper: 1}, schedule: "S=1 ; S=0"}
  expect: increase
  read: course
  at: 2
- {id: early_breaks, phenotype: Break, case: {fix: {Helper: 1}, schedule: "S=1 ; S=0"}, read: course, at: 2,
   expect: positive}
"""


@pytest.mark.parametrize("metric", ["share", "probability"])
def test_validate_reads_the_course_whatever_the_metric(metric):
    net = _repair_network()
    claims = parse_expectations(CLAIMS, network=net)
    assert [(c.read, c.at) for c in claims] == [("fates", None)] * 2 + [("course", 2.0)] * 2
    result = validate(net, claims, metric=metric)
    verdicts = {r.expectation.id: r.passed for r in result.results}
    # the fates are the same (every cell repairs); 2 time units after the dose the knockout has more breaks
    assert verdicts == {"repaired_in_the_end": True, "same_fates": False, "slower_without_helper": True,
                        "early_breaks": True}
    slow = result.results[2]
    assert slow.case.value == pytest.approx(_still_broken(0.1, 2.0), abs=1e-6)
    assert slow.reference.value == pytest.approx(_still_broken(1.0, 2.0), abs=1e-6)
    # a course case is keyed by its time: the same cases read at the end and at t=2 are four computations
    assert len(result.cases) == 4
    data = json.loads(json.dumps(result.to_json()))["claims"][2]
    assert (data["read"], data["at"]) == ("course", 2.0)
    assert data["case"]["at"] == 2.0 and data["case"]["probability"] == pytest.approx(slow.case.value)
    assert "share" not in data["case"] and data["case"]["interval"] == [slow.case.value] * 2


def test_course_claims_round_trip():
    claims = parse_expectations(CLAIMS)
    back = parse_expectations(generate_expectations(claims))
    assert [(c.id, c.read, c.at, c.case) for c in back] == [(c.id, c.read, c.at, c.case) for c in claims]
    assert "at: 2\n" in generate_expectations(claims)


@pytest.mark.parametrize("text, message, line", [
    ("- {id: x, phenotype: Break, case: {}, expect: zero, read: course}\n", "read: course needs 'at'", 1),
    ("- id: x\n  phenotype: Break\n  case: {}\n  expect: zero\n  at: 3\n", "'at' is the time of a read: course", 5),
    ("- id: x\n  phenotype: Break\n  case: {}\n  expect: zero\n  read: course\n  at: 0\n", "at:", 6),
    ("- id: x\n  phenotype: Break\n  case: {}\n  expect: zero\n  read: course\n  at: soon\n", "at:", 6),
])
def test_malformed_course_claims_are_located(text, message, line):
    with pytest.raises(ParseError) as info:
        parse_expectations(text, source="c.yaml")
    assert message in str(info.value) and info.value.line == line, str(info.value)


def test_cli_validate_prints_course_probabilities(tmp_path):
    (tmp_path / "m.bnet").write_text("S, S\nBreak, S | Break & !Repair\nRepair, Break & !S\nHelper, Helper\n")
    (tmp_path / "m.yaml").write_text("model:\n  baseline: {S: 0}\nphenotypes: {Break: Break}\n"
                                     "rates:\n  Repair: {up: 'Helper ? 1 : 0.1'}\n")
    (tmp_path / "m.expectations.yaml").write_text(CLAIMS)
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "m.bnet"), "--claim", "slower_without_helper"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("slower_without_helper"))
    expected = f"{_still_broken(0.1, 2.0):.3f} (exact)"
    assert "PASS" in row and expected in row, row
