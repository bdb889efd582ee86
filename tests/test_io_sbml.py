"""SBML-qual import/export: corpus files, libsbml validity, AEON as an independent reader, bad input."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from signet.annotations import Annotations, Context, Drug, NodeInfo, Reference
from signet.errors import ParseError
from signet.expr import And, Const, Not, Or, Var, equivalent
from signet.io import read_model, write_model
from signet.io.bnet import parse_bnet
from signet.io.sbml import SIGNET_NS, generate_sbml, parse_sbml, read_sbml, write_sbml
from signet.model import BooleanNetwork

from _exchange import (
    MODELS, NETWORKS, aeon_attractors, bnet_node_count, corpus_bnets, corpus_id, corpus_params, quiet_read_bnet,
    renamed_states,
)

BBM_SBML = sorted((MODELS / "bbm").glob("*/model.sbml"))
GINSIM_SBML = sorted((MODELS / "ginsim").rglob("*.sbml"))


def _libsbml_errors(text: str) -> list[str]:
    import libsbml

    doc = libsbml.readSBMLFromString(text)
    doc.checkConsistency()
    return [
        f"{doc.getError(i).getErrorId()}: {doc.getError(i).getMessage()}"
        for i in range(doc.getNumErrors())
        if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_WARNING
    ]


# ---------------------------------------------------------------------------
# Corpus import
# ---------------------------------------------------------------------------


def test_corpus_has_the_sbml_files():
    assert len(BBM_SBML) == 25
    assert len(GINSIM_SBML) == 7


@pytest.mark.parametrize("path", BBM_SBML, ids=lambda p: p.parent.name)
def test_bbm_sbml_equals_its_bnet(path):
    net = read_sbml(path)
    reference = quiet_read_bnet(path.with_name("model.bnet"))
    assert net.is_equivalent(reference)
    # the BBM bnet leaves inputs implicit; the SBML makes them explicit: the same nodes either way
    assert set(net.inputs) == set(reference.inputs)


@pytest.mark.parametrize("path", GINSIM_SBML, ids=lambda p: p.name)
def test_ginsim_multivalued_is_a_clear_error_by_default_and_converts_with_bits(path):
    with pytest.raises(ParseError) as info:
        read_sbml(path)
    err = info.value
    assert "multi-valued" in err.message and "maxLevel" in err.message
    assert err.line is not None and err.source == str(path)
    net = read_sbml(path, multivalued="bits")
    assert any(n.endswith("_b2") for n in net.nodes)
    for node in net.nodes:
        if node.endswith("_b2"):
            assert node[:-1] + "1" in net.nodes


def test_multivalued_bits_match_the_biodivine_conversion_of_the_same_model():
    """GINsim's bladder model (multi-valued) and the BBM's Boolean version of it (independent conversion)."""
    net = read_sbml(MODELS / "ginsim/2015-mammal-bladder-tumorigenesis/Bladder_Model.sbml", multivalued="bits")
    reference = quiet_read_bnet(MODELS / "bbm/183_ALTERATIONS-IN-BLADDER/model.bnet")
    renamed = net.rename({n: "v_" + n for n in net.nodes})
    assert renamed.is_equivalent(reference)


def _three_level_sbml() -> str:
    # X in 0..2 with target level: 2 if Y, else 1 if Z, else 0;  Y follows X >= 2;  Z is an input
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" xmlns:qual="{QUAL}" level="3" version="1" qual:required="true">
<model id="m"><listOfCompartments><compartment id="c" constant="true"/></listOfCompartments>
<qual:listOfQualitativeSpecies>
 <qual:qualitativeSpecies qual:id="X" qual:compartment="c" qual:constant="false" qual:maxLevel="2"/>
 <qual:qualitativeSpecies qual:id="Y" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>
 <qual:qualitativeSpecies qual:id="Z" qual:compartment="c" qual:constant="true" qual:maxLevel="1"/>
</qual:listOfQualitativeSpecies>
<qual:listOfTransitions>
 <qual:transition qual:id="tX">
  <qual:listOfInputs><qual:input qual:id="i1" qual:qualitativeSpecies="Y" qual:transitionEffect="none"/>
   <qual:input qual:id="i2" qual:qualitativeSpecies="Z" qual:transitionEffect="none"/></qual:listOfInputs>
  <qual:listOfOutputs><qual:output qual:id="o1" qual:qualitativeSpecies="X" qual:transitionEffect="assignmentLevel"/></qual:listOfOutputs>
  <qual:listOfFunctionTerms><qual:defaultTerm qual:resultLevel="0"/>
   <qual:functionTerm qual:resultLevel="2"><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><eq/><ci>Y</ci><cn type="integer">1</cn></apply></math></qual:functionTerm>
   <qual:functionTerm qual:resultLevel="1"><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><eq/><ci>Z</ci><cn type="integer">1</cn></apply></math></qual:functionTerm>
  </qual:listOfFunctionTerms></qual:transition>
 <qual:transition qual:id="tY">
  <qual:listOfInputs><qual:input qual:id="i3" qual:qualitativeSpecies="X" qual:transitionEffect="none"/></qual:listOfInputs>
  <qual:listOfOutputs><qual:output qual:id="o2" qual:qualitativeSpecies="Y" qual:transitionEffect="assignmentLevel"/></qual:listOfOutputs>
  <qual:listOfFunctionTerms><qual:defaultTerm qual:resultLevel="0"/>
   <qual:functionTerm qual:resultLevel="1"><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><geq/><ci>X</ci><cn type="integer">2</cn></apply></math></qual:functionTerm>
  </qual:listOfFunctionTerms></qual:transition>
</qual:listOfTransitions></model></sbml>
"""


QUAL = "http://www.sbml.org/sbml/level3/version1/qual/version1"


def test_multivalued_bits_reproduce_unitary_asynchronous_dynamics():
    """Brute force: on admissible states, one asynchronous Boolean step = one GINsim unitary step."""
    from signet.expr import evaluate

    net = parse_sbml(_three_level_sbml(), multivalued="bits")
    assert set(net.nodes) == {"X_b1", "X_b2", "Y", "Z"}

    def target_x(y, z):  # written by hand from the SBML above
        return 2 if y else 1 if z else 0

    for x, y, z in itertools.product(range(3), range(2), range(2)):
        state = {"X_b1": int(x >= 1), "X_b2": int(x >= 2), "Y": y, "Z": z}
        # multi-valued successors of X (unitary: one level towards the target)
        t = target_x(y, z)
        expected_x = x + (t > x) - (t < x)
        boolean_succ = set()
        for node in ("X_b1", "X_b2"):
            value = int(evaluate(net.rule(node), state))
            if value != state[node]:
                new = dict(state, **{node: value})
                boolean_succ.add(new["X_b1"] + new["X_b2"])
                assert new["X_b1"] >= new["X_b2"], "left the admissible states"
        assert boolean_succ == ({expected_x} if expected_x != x else set())
        assert int(evaluate(net.rule("Y"), state)) == int(x >= 2)


# ---------------------------------------------------------------------------
# Round trips and validity
# ---------------------------------------------------------------------------


def test_corpus_is_complete():
    assert len(corpus_bnets()) > 500


@pytest.mark.parametrize("path", corpus_params(), ids=corpus_id)
def test_round_trip_bnet_sbml_bnet_on_the_whole_corpus(path):
    net = quiet_read_bnet(path)
    back = parse_sbml(generate_sbml(net))
    assert back.nodes == net.nodes
    assert back.is_equivalent(net)
    # the inputs stay inputs ('X, X'); a rule that is the identity only semantically
    # (e.g. 'X & (Y | !Y)') may come back as a syntactic input
    assert set(net.inputs) <= set(back.inputs)
    assert all(equivalent(net.rule(n), Var(n)) for n in back.inputs)


def _small_corpus_sample(count: int = 30, max_nodes: int = 20) -> list[Path]:
    small = []
    for path in corpus_bnets():
        if "balm_analysis" in path.parts:
            continue  # the same models as bbm/ with inputs fixed
        if bnet_node_count(path.read_text()) <= max_nodes:
            small.append(path)
    rng = random.Random(6)
    return sorted(rng.sample(small, min(count, len(small))))


SAMPLE = _small_corpus_sample()


@pytest.mark.parametrize("path", SAMPLE, ids=corpus_id)
def test_written_sbml_passes_libsbml_consistency_checks(path):
    assert _libsbml_errors(generate_sbml(quiet_read_bnet(path))) == []


@pytest.mark.crosstool
@pytest.mark.parametrize("path", SAMPLE, ids=corpus_id)
def test_aeon_reads_written_sbml_with_the_same_attractors(path, tmp_path):
    import biodivine_aeon as ba

    net = quiet_read_bnet(path)
    assert len(net) <= 20  # the sample's criterion, counted without parsing
    out = tmp_path / "model.sbml"
    write_sbml(net, out)
    from_sbml = aeon_attractors(ba.BooleanNetwork.from_file(str(out)))
    original = aeon_attractors(ba.BooleanNetwork.from_bnet(path.read_text(), repair_graph=True))
    assert from_sbml == original
    assert len(original) >= 1
    _compare_with_signet_dynamics(net, original)


def _compare_with_signet_dynamics(net: BooleanNetwork, aeon_atts) -> None:
    """signet's own engine, when present, finds the same attractors as AEON on the written file."""
    try:
        from signet.dynamics import attractors
    except ImportError:
        return
    from test_dynamics_crosstool import as_boolean

    boolean, back = as_boolean(net)  # AEON analyses the Boolean network, level bits included
    result = attractors(boolean, "async")
    mine = sorted(repr((sorted((back.get(k, k), str(v)) for k, v in a.space.items()), a.states))
                  for a in result.attractors)
    assert mine == sorted(repr(_space_and_size(att)) for att in aeon_atts)


def _space_and_size(states) -> tuple[list[tuple[str, str]], int]:
    """The smallest subspace containing a set of states (values 0, 1, '*') and its number of states."""
    values: dict[str, set[int]] = {}
    for state in states:
        for name, value in state:
            values.setdefault(name, set()).add(value)
    space = {n: (str(next(iter(v))) if len(v) == 1 else "*") for n, v in values.items()}
    return sorted(space.items()), len(states)


@pytest.mark.crosstool
def test_radioresistance_network_through_aeon(tmp_path):
    import biodivine_aeon as ba

    path = NETWORKS / "radioresistance.bnet"
    net = read_model(path)
    out = tmp_path / "rr.sbml"
    write_sbml(net, out)
    assert _libsbml_errors(out.read_text()) == []
    # AEON names a variable after the species name (the node's label here), with every
    # character other than letters, digits and '_' replaced by '_'
    label = {n: (net.annotations.nodes[n].label if n in net.annotations.nodes else "") or n for n in net.nodes}
    aeon_names = {n: re.sub(r"[^A-Za-z0-9_]", "_", label[n]) for n in net.nodes}
    assert len(set(aeon_names.values())) == len(net)
    sbml_network = ba.BooleanNetwork.from_file(str(out))
    bnet_network = ba.BooleanNetwork.from_bnet(path.read_text(), repair_graph=True)
    # AEON's reading of every rule of the SBML is its reading of the .bnet rule (BDDs):
    # names the rule at fault when the attractors below differ
    graph = ba.AsynchronousGraph(sbml_network)
    for var in sbml_network.variables():
        name = sbml_network.get_variable_name(var)
        node = next(n for n, a in aeon_names.items() if a == name)
        written, original_rule = sbml_network.get_update_function(var), bnet_network.get_update_function(node)
        if written is None:  # an SBML constant species: the .bnet input keeps its value
            assert original_rule is not None and str(original_rule) == node, name
            continue
        renamed = original_rule.rename_all(sbml_network, variables=aeon_names)
        assert graph.symbolic_context().mk_update_function(renamed) == graph.mk_update_function(var), name
    # the attractors under radiation (AEON splits the state space by input values): the rule-by-rule identity
    # above already implies equal dynamics; this end-to-end check reads the attractors of both files in the
    # four valuations with RT on (about 5 s each; the untreated normoxic valuation alone takes AEON 145 s)
    from_sbml = aeon_attractors(sbml_network, only={aeon_names["RT"]: True})
    original = aeon_attractors(bnet_network, only={"RT": True})
    assert len(original) >= 4
    assert from_sbml == renamed_states(original, aeon_names)


def test_radioresistance_annotations_survive_sbml(tmp_path):
    net = read_model(NETWORKS / "radioresistance.bnet")
    assert net.annotations.nodes, "the model should come with its metadata"
    out = tmp_path / "rr.sbml"
    write_model(net, out)
    back = read_model(out)
    assert back.is_equivalent(net)
    assert back.nodes == net.nodes
    assert back.annotations == net.annotations
    assert back.annotations.nodes["SLC7A11"].uniprot == "Q9UPY5"


# ---------------------------------------------------------------------------
# Names and annotations
# ---------------------------------------------------------------------------


def _annotated() -> BooleanNetwork:
    net = parse_bnet("ATM, DSB\nTP53, ATM & !MDM2\nMDM2, TP53\nDSB, DSB\nv.X:1, 1\n")
    ann = Annotations(
        title="Demo", description="A demo model.\nSecond line.",
        source={"review": "Someone 2024"},
        treatment={"DSB": 1}, baseline={"DSB": 0},
        references={"132": Reference("132", "10.1038/nrc.2016.1", "Someone 2016"),
                    "7": Reference("7", None, "A book")},
        nodes={
            "TP53": NodeInfo(label="tumour protein p53", hgnc="TP53", uniprot="P04637", aliases=("p53",), module="checkpoint",
                             refs=("132", "7"), note="activated by ATM; <inhibited> by MDM2 & co",
                             drugs=(Drug("nutlin-3", "activate", ("132",)),)),
            "ATM": NodeInfo(label="ATM", hgnc="ATM"),
            "v.X:1": NodeInfo(note="odd name"),
        },
        phenotypes={"Arrest": "TP53 & !MDM2"},
        contexts={"p53_null": Context("p53_null", {"TP53": 0}, "loss of p53", ("132",))},
        rates={"TP53": (2.5, 0.5), "v.X:1": (1.0, 1 / 3)},  # a rate that only repr() keeps exactly
    )
    return net._evolve(net.rules, annotations=ann)


def test_names_and_all_annotations_survive_a_round_trip():
    net = _annotated()
    back = parse_sbml(generate_sbml(net))
    assert back.nodes == net.nodes
    assert back.is_equivalent(net)
    assert back.annotations == net.annotations
    assert back.resolve("p53") == "TP53"
    assert dict(back.annotations.rates) == {"TP53": (2.5, 0.5), "v.X:1": (1.0, 1 / 3)}


def test_a_rate_that_is_not_a_positive_number_names_its_element():
    text = generate_sbml(_annotated()).replace('up="2.5"', 'up="fast"')
    with pytest.raises(ParseError, match=r"m\.sbml:\d+:\d+: up-rate of TP53: 'fast' is not a rate"):
        parse_sbml(text, source="m.sbml")
    text = generate_sbml(_annotated()).replace('up="2.5"', 'up="-1.0"')
    with pytest.raises(ParseError, match=r"m\.sbml:\d+:\d+"):
        parse_sbml(text, source="m.sbml")


def test_standard_annotations_are_readable_without_the_signet_block():
    """Label, HGNC, DOIs and note are where other tools look: MIRIAM, species name, notes."""
    import libsbml

    text = generate_sbml(_annotated())
    doc = libsbml.readSBMLFromString(text)
    species = doc.getModel().getPlugin("qual").getQualitativeSpecies("TP53")
    assert species.getName() == "tumour protein p53"
    uris = []
    for term in species.getCVTerms():
        res = term.getResources()
        uris += [(term.getBiologicalQualifierType(), res.getValue(i)) for i in range(res.getLength())]
    assert (libsbml.BQB_IS, "https://identifiers.org/hgnc.symbol:TP53") in uris
    assert (libsbml.BQB_IS, "https://identifiers.org/uniprot:P04637") in uris
    assert (libsbml.BQB_IS_DESCRIBED_BY, "https://identifiers.org/doi:10.1038/nrc.2016.1") in uris
    assert "inhibited" in species.getNotesString()
    # drop every signet block: what remains still carries label, HGNC, DOI and note
    model = doc.getModel()
    assert model.removeTopLevelAnnotationElement("model", SIGNET_NS) == libsbml.LIBSBML_OPERATION_SUCCESS
    for sp in model.getPlugin("qual").getListOfQualitativeSpecies():
        assert sp.removeTopLevelAnnotationElement("node", SIGNET_NS) == libsbml.LIBSBML_OPERATION_SUCCESS
    stripped = libsbml.writeSBMLToString(doc)
    assert SIGNET_NS not in stripped
    back = parse_sbml(stripped)
    info = back.annotations.nodes["TP53"]
    assert info.label == "tumour protein p53"
    assert info.hgnc == "TP53"
    assert info.uniprot == "P04637"
    assert info.note == "activated by ATM; <inhibited> by MDM2 & co"
    assert [back.annotations.references[r].doi for r in info.refs] == ["10.1038/nrc.2016.1"]
    # without signet's block, the odd name is the sanitised id
    assert "v_X_1" in back.nodes and back.is_equivalent(_annotated().rename({"v.X:1": "v_X_1"}))


def test_species_names_become_node_names_when_valid(tmp_path):
    """CellCollective-style files: ids like S_1, readable names."""
    text = _minimal_sbml(
        species='<qual:qualitativeSpecies qual:id="S_1" qual:name="TP53" qual:compartment="c" qual:constant="true" qual:maxLevel="1"/>'
                '<qual:qualitativeSpecies qual:id="S_2" qual:name="MDM2" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>',
        transitions=_transition("t1", "S_2", '<apply><not/><apply><eq/><ci>S_1</ci><cn type="integer">1</cn></apply></apply>'),
    )
    net = parse_sbml(text)
    assert net.nodes == ("TP53", "MDM2")
    assert net.rule("MDM2") == Not(Var("TP53"))


# ---------------------------------------------------------------------------
# Function terms
# ---------------------------------------------------------------------------


def _minimal_sbml(species: str, transitions: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" xmlns:qual="{QUAL}" level="3" version="1" '
        'qual:required="true">\n<model id="m">\n<listOfCompartments><compartment id="c" constant="true"/>'
        "</listOfCompartments>\n"
        f"<qual:listOfQualitativeSpecies>\n{species}\n</qual:listOfQualitativeSpecies>\n"
        f"<qual:listOfTransitions>\n{transitions}\n</qual:listOfTransitions>\n</model>\n</sbml>\n"
    )


def _transition(tid: str, output: str, math: str | None, default: int = 0, level: int = 1) -> str:
    terms = f'<qual:listOfFunctionTerms><qual:defaultTerm qual:resultLevel="{default}"/>'
    if math is not None:
        terms += (f'<qual:functionTerm qual:resultLevel="{level}"><math xmlns="http://www.w3.org/1998/Math/MathML">'
                  f"{math}</math></qual:functionTerm>")
    terms += "</qual:listOfFunctionTerms>"
    return (f'<qual:transition qual:id="{tid}"><qual:listOfOutputs><qual:output qual:qualitativeSpecies="{output}" '
            f'qual:transitionEffect="assignmentLevel"/></qual:listOfOutputs>{terms}</qual:transition>')


ABC = "".join(
    f'<qual:qualitativeSpecies qual:id="{n}" qual:compartment="c" qual:constant="true" qual:maxLevel="1"/>'
    for n in "ABC"
) + '<qual:qualitativeSpecies qual:id="T" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>'


def _eq(name, level=1):
    return f'<apply><eq/><ci>{name}</ci><cn type="integer">{level}</cn></apply>'


@pytest.mark.parametrize(
    ("math", "default", "level", "expected"),
    [
        (f"<apply><and/>{_eq('A')}{_eq('B', 0)}</apply>", 0, 1, "A & !B"),
        (f"<apply><or/>{_eq('A')}<apply><not/>{_eq('C')}</apply></apply>", 0, 1, "A | !C"),
        (f"<apply><xor/>{_eq('A')}{_eq('B')}{_eq('C')}</apply>", 0, 1, "A & !B & !C | !A & B & !C | !A & !B & C | A & B & C"),
        (f"<apply><implies/>{_eq('A')}{_eq('B')}</apply>", 0, 1, "!A | B"),
        ('<apply><neq/><ci>A</ci><cn type="integer">1</cn></apply>', 0, 1, "!A"),
        ('<apply><geq/><ci>A</ci><cn type="integer">1</cn></apply>', 0, 1, "A"),
        ('<apply><gt/><ci>A</ci><cn type="integer">0</cn></apply>', 0, 1, "A"),
        ('<apply><lt/><ci>A</ci><cn type="integer">1</cn></apply>', 0, 1, "!A"),
        ('<apply><leq/><ci>A</ci><cn type="integer">0</cn></apply>', 0, 1, "!A"),
        ('<apply><lt/><cn type="integer">0</cn><ci>A</ci></apply>', 0, 1, "A"),  # level first: reversed
        ("<ci>B</ci>", 0, 1, "B"),
        ("<true/>", 0, 1, "1"),
        ("<false/>", 0, 1, "0"),
        (f"<apply><and/>{_eq('A')}{_eq('B')}</apply>", 1, 0, "!(A & B)"),  # default 1, term gives 0
        (None, 1, 1, "1"),  # only a default term: a constant
    ],
)
def test_function_terms(math, default, level, expected):
    from signet.expr import equivalent, parse_expression

    net = parse_sbml(_minimal_sbml(ABC, _transition("t", "T", math, default, level)))
    assert equivalent(net.rule("T"), parse_expression(expected)), net.rule("T")
    assert set(net.inputs) == {"A", "B", "C"}


def test_first_matching_function_term_wins():
    from signet.expr import equivalent, parse_expression

    terms = (
        '<qual:listOfFunctionTerms><qual:defaultTerm qual:resultLevel="0"/>'
        f'<qual:functionTerm qual:resultLevel="0"><math xmlns="http://www.w3.org/1998/Math/MathML">{_eq("A")}</math></qual:functionTerm>'
        f'<qual:functionTerm qual:resultLevel="1"><math xmlns="http://www.w3.org/1998/Math/MathML">{_eq("B")}</math></qual:functionTerm>'
        "</qual:listOfFunctionTerms>"
    )
    tr = ('<qual:transition qual:id="t"><qual:listOfOutputs><qual:output qual:qualitativeSpecies="T" '
          f'qual:transitionEffect="assignmentLevel"/></qual:listOfOutputs>{terms}</qual:transition>')
    net = parse_sbml(_minimal_sbml(ABC, tr))
    assert equivalent(net.rule("T"), parse_expression("!A & B"))


def test_constant_species_with_initial_level_is_a_constant():
    species = ('<qual:qualitativeSpecies qual:id="K" qual:compartment="c" qual:constant="true" '
               'qual:initialLevel="1" qual:maxLevel="1"/>'
               '<qual:qualitativeSpecies qual:id="T" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>')
    net = parse_sbml(_minimal_sbml(species, _transition("t", "T", _eq("K"))))
    assert net.rule("K") == Const(True)
    assert net.constants == {"K": 1}


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_malformed_xml():
    text = _minimal_sbml(ABC, _transition("t", "T", _eq("A"))).replace("</qual:listOfTransitions>", "", 1)
    with pytest.raises(ParseError) as info:
        parse_sbml(text, source="bad.sbml")
    assert info.value.source == "bad.sbml" and info.value.line is not None
    assert "XML" in info.value.message


def test_sbml_without_qual():
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" '
            'level="3" version="1">\n<model id="m">\n<listOfSpecies/>\n</model>\n</sbml>\n')
    with pytest.raises(ParseError) as info:
        parse_sbml(text, source="q.sbml")
    assert "without the qual package" in info.value.message
    assert info.value.line == 3


def test_unknown_operator_names_element_and_line():
    math = '<apply><plus/><ci>A</ci><ci>B</ci></apply>'
    text = _minimal_sbml(ABC, _transition("t_bad", "T", math))
    with pytest.raises(ParseError) as info:
        parse_sbml(text, source="op.sbml")
    assert "<plus>" in info.value.message and "t_bad" in info.value.message
    assert info.value.line == _line_of(text, "t_bad")


def test_transition_without_output():
    tr = ('<qual:transition qual:id="t_noout"><qual:listOfInputs><qual:input qual:qualitativeSpecies="A" '
          'qual:transitionEffect="none"/></qual:listOfInputs><qual:listOfFunctionTerms>'
          '<qual:defaultTerm qual:resultLevel="0"/></qual:listOfFunctionTerms></qual:transition>')
    text = _minimal_sbml(ABC, tr)
    with pytest.raises(ParseError) as info:
        parse_sbml(text, source="o.sbml")
    assert "t_noout" in info.value.message and "no output" in info.value.message
    assert info.value.line == _line_of(text, "t_noout")


def test_duplicate_ids():
    species = ABC + '\n<qual:qualitativeSpecies qual:id="A" qual:compartment="c" qual:constant="true" qual:maxLevel="1"/>'
    text = _minimal_sbml(species, _transition("t", "T", _eq("A")))
    with pytest.raises(ParseError) as info:
        parse_sbml(text, source="d.sbml")
    assert "duplicate id 'A'" in info.value.message
    assert info.value.line == text.count("\n", 0, text.rindex('qual:id="A"')) + 1


def test_two_transitions_for_one_species():
    text = _minimal_sbml(ABC, _transition("t1", "T", _eq("A")) + "\n" + _transition("t2", "T", _eq("B")))
    with pytest.raises(ParseError) as info:
        parse_sbml(text)
    assert "already the output of transition t1" in info.value.message


def test_unknown_species_in_math():
    text = _minimal_sbml(ABC, _transition("t", "T", _eq("Nope")))
    with pytest.raises(ParseError) as info:
        parse_sbml(text)
    assert "Nope" in info.value.message and info.value.line is not None


def test_bad_input_leaves_no_file_and_cli_says_one_line(tmp_path):
    from click.testing import CliRunner

    from signet.cli import main

    bad = tmp_path / "bad.sbml"
    bad.write_text(_minimal_sbml(ABC, _transition("t_bad", "T", "<apply><plus/><ci>A</ci><ci>B</ci></apply>")))
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(main, ["convert", str(bad), str(tmp_path / "out.bnet")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "t_bad" in lines[0] and "bad.sbml:" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# ---------------------------------------------------------------------------
# Property: random networks survive bnet -> SBML -> signet
# ---------------------------------------------------------------------------

NAMES = ["A", "B", "C", "v.D", "E:1", "F_2"]


@st.composite
def expressions(draw, names, depth=3):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        choice = draw(st.integers(0, 9))
        if choice == 0:
            return Const(draw(st.booleans()))
        return Var(draw(st.sampled_from(names)))
    kind = draw(st.sampled_from(["not", "and", "or"]))
    if kind == "not":
        return Not(draw(expressions(names, depth - 1)))
    args = tuple(draw(st.lists(expressions(names, depth - 1), min_size=2, max_size=3)))
    return And(args) if kind == "and" else Or(args)


@st.composite
def networks(draw):
    size = draw(st.integers(1, len(NAMES)))
    names = NAMES[:size]
    rules = {}
    for n in names:
        if draw(st.integers(0, 4)) == 0:
            rules[n] = Var(n)  # an input
        else:
            rules[n] = draw(expressions(names))
    return BooleanNetwork(rules, name="random")


@settings(max_examples=60, deadline=None)
@given(networks())
def test_random_networks_round_trip_through_sbml(net):
    text = generate_sbml(net)
    back = parse_sbml(text)
    assert back.nodes == net.nodes
    assert back.is_equivalent(net)
    assert set(back.inputs) <= set(net.nodes)


@pytest.mark.parametrize("uri", [
    "https://identifiers.org/uniprot:P04637",
    "http://identifiers.org/uniprot/P04637",
    "https://purl.uniprot.org/uniprot/P04637",
    "http://purl.uniprot.org/uniprot/P04637",
])
def test_uniprot_identifiers_of_both_styles_are_read(uri):
    """identifiers.org and purl.uniprot.org URIs (the latter was once dropped by a second regex)."""
    import libsbml

    doc = libsbml.readSBMLFromString(generate_sbml(parse_bnet("TP53, TP53\nMDM2, TP53\n")))
    species = doc.getModel().getPlugin("qual").getQualitativeSpecies("TP53")
    term = libsbml.CVTerm(libsbml.BIOLOGICAL_QUALIFIER)
    term.setBiologicalQualifierType(libsbml.BQB_IS)
    term.addResource(uri)
    assert species.addCVTerm(term) == libsbml.LIBSBML_OPERATION_SUCCESS
    back = parse_sbml(libsbml.writeSBMLToString(doc))
    assert back.annotations.nodes["TP53"].uniprot == "P04637"


def test_annotation_block_errors_name_the_xml_line():
    from signet.io.metadata import parse_metadata

    net = parse_bnet("RT, RT\nA, RT\n", annotations=parse_metadata("model: {treatment: {RT: 1}}\n"))
    text = generate_sbml(net).replace('<signet:treatment node="RT" value="1"/>',
                                      '<signet:treatment node="RT" value="high"/>')
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if 'value="high"' in row)
    with pytest.raises(ParseError) as info:
        parse_sbml(text, source="m.sbml")
    assert info.value.line == line and info.value.column is not None
    assert "model.treatment.RT: expected 0 or 1, found 'high'" in str(info.value)


def test_other_signet_namespace_versions_are_ignored_with_a_warning():
    from signet.errors import SignetWarning

    text = generate_sbml(parse_bnet("A, A\nB, A\n")).replace(SIGNET_NS, SIGNET_NS[:-1] + "9")
    with pytest.warns(SignetWarning, match="ignored"):
        back = parse_sbml(text, source="m.sbml")
    assert back.nodes == ("A", "B")
