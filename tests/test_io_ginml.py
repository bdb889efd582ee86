"""GINsim import (.zginml / .ginml): the whole corpus, GINsim's own SBML exports and the Biodivine
Boolean Models' conversions as independent oracles, GINsim's level semantics by brute force, bad input."""

from __future__ import annotations

import itertools
import re
import warnings
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from signet.cli import main
from signet.errors import ParseError, SignetWarning
from signet.expr import And, Not, Or, Var, equivalent, evaluate, variables
from signet.io import detect_format, read_model
from signet.io.bnet import read_bnet
from signet.io.ginml import MEMBER, parse_ginml, read_ginml
from signet.io.sbml import read_sbml

from _exchange import MODELS

GINSIM_FILES = sorted(MODELS.rglob("*.zginml")) + sorted(MODELS.rglob("*.ginml"))
#: the one corpus model whose functions give some regulator states two values (GINsim flags
#: them as errors and gives them none): node Swe1 of the coupled budding-yeast cell cycle
CONFLICTING = {"coupled_budding_yeast_CC.zginml": "node Swe1"}


def _quiet(read, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignetWarning)
        return read(*args, **kwargs)


def _graph_text(path: Path) -> str:
    if path.suffix == ".zginml":
        return zipfile.ZipFile(path).read(MEMBER).decode()
    return path.read_text()


# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------


def test_corpus_has_the_ginsim_files():
    assert len(GINSIM_FILES) == 84  # 83 zipped, one plain .ginml
    assert detect_format("x.zginml") == detect_format("x.ginml") == "ginml"


@pytest.mark.parametrize("path", GINSIM_FILES, ids=lambda p: p.name)
def test_every_corpus_file_imports(path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = read_model(path)
    messages = [str(w.message) for w in caught if issubclass(w.category, SignetWarning)]
    if path.name in CONFLICTING:
        assert len(messages) == 1 and CONFLICTING[path.name] in messages[0]
        assert ":12196:1: " in messages[0]  # the node's line and column in the archive member
    else:
        assert messages == []
    # one Boolean node per Boolean GINsim node, m level bits per node with levels 0..m
    text = _graph_text(path)
    levels = [int(m) for m in re.findall(r'<node [^>]*maxvalue="(\d+)"', text)]
    assert len(net) == sum(levels)
    assert len(net.rules) == len(net.nodes)


GINSIM_SBML_PAIRS = [
    ("2015-mammal-bladder-tumorigenesis/Bladder_Model.zginml", "2015-mammal-bladder-tumorigenesis/Bladder_Model.sbml"),
    ("2016-mammal-cell-cycle/Traynard_Boolean_MamCC_Apr2016.zginml", "2016-mammal-cell-cycle/Traynard_Boolean_MamCC_Apr2016.sbml"),
    ("2016-mammal-cell-cycle/Traynard_MultiLevel_MamCC_Apr2016.zginml",
     "2016-mammal-cell-cycle/Traynard_MultiLevel_MamCC_Apr2016.sbml"),
    ("2018-bird-sex-determination/full_network.zginml", "2018-bird-sex-determination/full_network.sbml"),
    ("2018-bird-sex-determination/reduced_network.zginml", "2018-bird-sex-determination/reduced_network.sbml"),
    ("2020-seaurchin-dv-axis/SeaUrchin_model_ginsim.zginml", "2020-seaurchin-dv-axis/Flochlay_SeaUrchin_DV_model.sbml"),
]


@pytest.mark.parametrize("zginml, sbml", GINSIM_SBML_PAIRS, ids=lambda p: Path(p).name)
def test_equal_to_ginsims_own_sbml_export(zginml, sbml):
    ours = read_ginml(MODELS / "ginsim" / zginml)
    exported = read_sbml(MODELS / "ginsim" / sbml, multivalued="bits")
    assert ours.nodes and set(ours.nodes) == set(exported.nodes)
    assert ours.is_equivalent(exported)
    assert set(ours.inputs) == set(exported.inputs)


def test_equal_to_ginsims_sbml_export_with_its_fixed_inputs():
    # this SBML export was made with three inputs fixed (constant species with an initialLevel)
    folder = MODELS / "ginsim" / "2019-mammal-tcell-specification"
    ours = read_ginml(folder / "Cacace_Tdev_2nov2019.zginml")
    exported = read_sbml(folder / "Cacace_TdevModel_SBML_2nov2019.sbml", multivalued="bits")
    assert not ours.is_equivalent(exported)
    assert ours.fix({"MCSF": 0, "IL7": 1, "Delta": 1}).is_equivalent(exported)


def _admissible(names) -> list:
    """``X_bk -> X_b(k-1)`` for the level bits among ``names``."""
    out = []
    for name in names:
        m = re.fullmatch(r"(.*)_b(\d+)", name)
        if m and int(m.group(2)) > 1:
            out.append(Or((Not(Var(name)), Var(f"{m.group(1)}_b{int(m.group(2)) - 1}"))))
    return out


#: GINsim models of the corpus that the Biodivine Boolean Models converted themselves (node names
#: prefixed ``v_``); BBM writes a different formula for a level bit on inadmissible states (e.g. an
#: input bit ``X_b2 = X_b1 & X_b2``), so the rules are compared on admissible states
BBM_PAIRS = {
    "070": "2013-mammal-mapk/MAPK_large_19june2013.zginml",
    "148": "2015-mammal-cell-fate-gastric-cancer/Flobak_FullModel_S2_Dataset.zginml",
    "149": "2015-mammal-cell-fate-gastric-cancer/Flobak_ReducedModel_S3_Dataset.zginml",
    "150": "2010-mammal-cell-fate/CellFate_multiscale.zginml",
    "183": "2015-mammal-bladder-tumorigenesis/Bladder_Model.zginml",
    "193": "2014-mammal-senescence/Senescence_Onset_G1-S.zginml",
}


@pytest.mark.parametrize("number", sorted(BBM_PAIRS))
def test_equal_to_the_biodivine_conversion_on_admissible_states(number):
    folder = next((MODELS / "bbm").glob(f"{number}_*"))
    theirs = _quiet(read_bnet, folder / "model.bnet")
    ours = read_ginml(MODELS / "ginsim" / BBM_PAIRS[number])
    ours = ours.rename({n: f"v_{n}" for n in ours.nodes})
    assert set(ours.nodes) == set(theirs.nodes)
    for node in ours.nodes:
        left, right = ours.rule(node), theirs.rule(node)
        constraint = _admissible(variables(left) | variables(right) | {node})
        if constraint:
            left, right = And((*constraint, left)), And((*constraint, right))
        assert equivalent(left, right), node
    if number in ("070", "150", "183"):  # Boolean or identical bit formulas: equal everywhere
        assert ours.is_equivalent(theirs)


def test_annotations_names_links_and_perturbations():
    net = read_ginml(MODELS / "ginsim/2009-mammal-p53-mdm2/p53Mdm2_tutorial_5march2018.zginml")
    assert net.name == "tutorial_p53Mdm2"
    info = net.annotations.nodes["p53_b1"]
    assert info.label == "p53 >= 1" and "Ternary component" in info.note
    assert "PMID:16455486" in info.refs and net.annotations.references["PMID:16455486"].citation == "PubMed 16455486"
    assert net.annotations.nodes["p53_b2"].label == "p53 >= 2"
    ags = read_ginml(MODELS / "flobak2015/Flobak_FullModel_S2_Dataset.zginml")
    assert ags.annotations.nodes["RTPK"].uniprot == "P00533"  # http://www.uniprot.org/uniprot/P00533
    # GINsim ids that are not signet names keep the id as an alias
    mast = read_ginml(MODELS / "ginsim/2014-mammal-mast-cell-activation/Mast_cell_activation_Annotated_19oct2014.zginml")
    assert "AP-1" not in mast.nodes and mast.annotations.nodes["AP_1"].aliases == ("AP-1",)
    assert mast.resolve("AP-1") == "AP_1"
    assert mast.knockout("AP-1").rule("AP_1").value is False
    # stored perturbations: fixed levels become contexts (level 2 of a 0..2 node: both bits on)
    ap = read_ginml(MODELS / "ginsim/2008-drosophila-AP-boundary/ap_boundary.zginml")
    assert dict(ap.annotations.contexts["Hh4_KO"].fix) == {"Hh_4_b1": 0, "Hh_4_b2": 0}
    assert dict(ap.annotations.contexts["CiA12_Ect"].fix) == {"CiA_1_b1": 1, "CiA_1_b2": 1, "CiA_2_b1": 1, "CiA_2_b2": 1}
    assert ap.perturb(context="CiA12_Ect").rule("CiA_1_b2").value is True


# ---------------------------------------------------------------------------
# GINsim's semantics by brute force over level states
# ---------------------------------------------------------------------------


@st.composite
def ginsim_models(draw):
    """Random small GINML graphs: levels, interactions with thresholds, parameters, functions."""
    n = draw(st.integers(2, 4))
    ids = [f"g{i}" for i in range(n)]
    top = {i: draw(st.integers(1, 3)) for i in ids}
    inputs = {i for i in ids if draw(st.integers(0, 5)) == 0}
    edges: dict[tuple[str, str], list[int]] = {}
    for src in ids:
        for dst in ids:
            if draw(st.booleans()):
                ts = sorted(draw(st.sets(st.integers(1, top[src]), min_size=1, max_size=top[src])))
                edges[(src, dst)] = ts
    nodes = []
    for dst in ids:
        regs = [(src, ts) for (src, d), ts in edges.items() if d == dst]
        body = []
        base = draw(st.integers(0, top[dst])) if draw(st.booleans()) else None
        for _ in range(draw(st.integers(0, 3))):  # explicit parameters
            active = []
            for src, ts in regs:
                j = draw(st.integers(-1, len(ts) - 1))
                if j >= 0:
                    active.append(f"{src}:{dst}:{ts[j]}" if len(ts) > 1 else f"{src}:{dst}")
            body.append(f'<parameter idActiveInteractions=" {" ".join(active)}" val="{draw(st.integers(0, top[dst]))}"/>')
        if regs:
            for value in sorted(draw(st.sets(st.integers(1, top[dst]), max_size=2))):
                exps = []
                for _ in range(draw(st.integers(1, 2))):
                    literals = []
                    for src, ts in draw(st.lists(st.sampled_from(regs), min_size=1, max_size=3)):
                        operand = src if draw(st.booleans()) or len(ts) == 1 else f"{src}:{draw(st.sampled_from(ts))}"
                        literals.append(("!" if draw(st.booleans()) else "") + operand)
                    exps.append(draw(st.sampled_from([" &amp; ", " | "])).join(literals))
                body.append(f'<value val="{value}">' + "".join(f'<exp str="{e}"/>' for e in exps) + "</value>")
        attrs = f' basevalue="{base}"' if base is not None else ""
        attrs += ' input="true"' if dst in inputs else ""
        nodes.append(f'<node id="{dst}" maxvalue="{top[dst]}"{attrs}>{"".join(body)}</node>')
    edge_xml = []
    for (src, dst), ts in edges.items():
        for t in ts:
            ident = f"{src}:{dst}:{t}" if len(ts) > 1 else f"{src}:{dst}"
            edge_xml.append(f'<edge id="{ident}" from="{src}" to="{dst}" minvalue="{t}" sign="positive"/>')
    text = (f'<gxl><graph id="random" class="regulatory" nodeorder="{" ".join(ids)}">'
            + "".join(nodes) + "".join(edge_xml) + "</graph></gxl>")
    return text, ids, top, edges


def _oracle_target(text, ids, top, edges, state):
    """GINsim's target level of each node at ``state`` (levels), computed straight from the XML."""
    import xml.etree.ElementTree as ET

    graph = ET.fromstring(text).find("graph")
    out = {}
    for el in graph.findall("node"):
        dst = el.get("id")
        if el.get("input") == "true":
            out[dst] = state[dst]
            continue
        regs = {src: ts for (src, d), ts in edges.items() if d == dst}

        def interval(src, j):
            ts = regs[src]
            return ts[j] <= state[src] <= (ts[j + 1] - 1 if j + 1 < len(ts) else top[src])

        active = set()
        for src, ts in regs.items():
            for j, t in enumerate(ts):
                if interval(src, j):
                    active.add(f"{src}:{dst}:{t}" if len(ts) > 1 else f"{src}:{dst}")
        manual = {}
        if el.get("basevalue") not in (None, "0"):
            manual[frozenset()] = int(el.get("basevalue"))
        for p in el.findall("parameter"):
            key = frozenset(p.get("idActiveInteractions", "").split())
            manual.setdefault(key, int(p.get("val")))
        if frozenset(active) in manual:
            out[dst] = manual[frozenset(active)]
            continue

        def operand(token):
            src, _, k = token.partition(":")
            ts = regs[src]
            return interval(src, ts.index(int(k))) if k else state[src] >= ts[0]

        claimed = set()
        for value_el in el.findall("value"):
            for exp in value_el.findall("exp"):
                python = re.sub(r"[A-Za-z0-9_:]+", lambda m: f"operand({m.group(0)!r})", exp.get("str"))
                python = python.replace("!", " not ").replace("&", " and ").replace("|", " or ")
                if eval(python, {"operand": operand}):
                    claimed.add(int(value_el.get("val")))
        out[dst] = claimed.pop() if len(claimed) == 1 else 0
    return out


@settings(max_examples=150, deadline=None)
@given(ginsim_models())
def test_level_bits_follow_ginsims_unitary_steps(model):
    text, ids, top, edges = model
    net = _quiet(parse_ginml, text)

    def bits(node):
        return [node] if top[node] == 1 else [f"{node}_b{k}" for k in range(1, top[node] + 1)]

    for levels in itertools.product(*(range(top[i] + 1) for i in ids)):
        state = dict(zip(ids, levels, strict=True))
        target = _oracle_target(text, ids, top, edges, state)
        values = {b: int(k < state[i]) for i in ids for k, b in enumerate(bits(i))}
        for node in ids:
            now, goal = state[node], target[node]
            for k, bit in enumerate(bits(node), start=1):
                after = int(bool(evaluate(net.rule(bit), values)))
                # one asynchronous Boolean step = one GINsim unitary step toward the target level
                expected = 1 if (k == now + 1 and goal > now) else 0 if (k == now and goal < now) else values[bit]
                assert after == expected, (node, bit, state, target)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("text, where, message", [
    ("<gxl><graph class='regulatory'><node id='A' maxvalue='1'></graph></gxl>", "1:60", "malformed XML: mismatched tag"),
    ("<graphml/>", "1:1", "root element <graphml>, expected <gxl>"),
    ("<gxl><graph class='dynamical'/></gxl>", "1:6", "graph class 'dynamical'"),
    ("<gxl><graph class='regulatory'/></gxl>", "1:6", "the regulatory graph has no node"),
    ("<gxl><graph class='regulatory'>\n<node id='A' maxvalue='x'/></graph></gxl>", "2:1", "maxvalue='x' is not an integer"),
    ("<gxl><graph class='regulatory'><node id='A' maxvalue='1'/>\n  <edge id='e' from='A' to='B'/></graph></gxl>",
     "2:3", "to='B' is not a node of the graph"),
    ("<gxl><graph class='regulatory'><node id='A' maxvalue='1'/><edge id='e' from='A' to='A' minvalue='2'/>"
     "</graph></gxl>", "1:59", "threshold 2 outside 1..1"),
    ("<gxl><graph class='regulatory'><node id='A' maxvalue='1'><value val='2'><exp str='A'/></value></node>"
     "<edge id='e' from='A' to='A'/></graph></gxl>", "1:58", "function value 2 above maxvalue 1"),
    ("<gxl><graph class='regulatory'><node id='A' maxvalue='1'/><node id='A' maxvalue='1'/></graph></gxl>",
     "1:59", "duplicate node id 'A' (first on line 1)"),
    ("<!DOCTYPE gxl [<!ENTITY big 'x'>]><gxl/>", "1:", "entity declaration 'big'"),
])
def test_bad_ginml_names_line_and_column(text, where, message):
    with pytest.raises(ParseError) as err:
        parse_ginml(text, source="m.ginml")
    assert str(err.value).startswith(f"m.ginml:{where}")
    assert message in str(err.value)


def test_unreadable_formulas_are_dropped_with_a_warning_as_ginsim_does():
    text = ("<gxl><graph class='regulatory'><node id='A' maxvalue='1' input='true'/>"
            "<node id='B' maxvalue='1'>\n<value val='1'><exp str='A:2 | C'/><exp str='A'/></value></node>"
            "<edge id='A:B' from='A' to='B'/></graph></gxl>")
    with pytest.warns(SignetWarning, match=r"m.ginml:2:\d+: node B: formula 'A:2 \| C' ignored"):
        net = parse_ginml(text, source="m.ginml")
    assert net.rule("B") == Var("A")


def test_archives(tmp_path):
    good = _zip(tmp_path / "m.zginml", {MEMBER: "<gxl><graph class='regulatory'><node id='A' maxvalue='1'/></graph></gxl>"})
    assert read_model(good).nodes == ("A",)
    with pytest.raises(ParseError, match=r"m.zginml/GINsim-data/regulatoryGraph.ginml:1:\d+: malformed XML"):
        read_ginml(_zip(tmp_path / "m.zginml", {MEMBER: "<gxl>"}))
    with pytest.raises(ParseError, match=r"n.zginml: a zip archive without GINsim-data/regulatoryGraph.ginml: "
                                         r"not a GINsim model \(it holds a.csv, b.txt\)"):
        read_ginml(_zip(tmp_path / "n.zginml", {"a.csv": "1,2", "b.txt": "x"}))
    plain = tmp_path / "p.zginml"
    plain.write_text("<gxl/>")
    with pytest.raises(ParseError, match="p.zginml: not a zip archive"):
        read_ginml(plain)
    broken = tmp_path / "b.zginml"
    broken.write_bytes(good.read_bytes()[:40])
    with pytest.raises(ParseError, match="b.zginml: damaged zip archive"):
        read_ginml(broken)
    # a zip read as another format says what it is
    with pytest.raises(ParseError, match="a zip archive, not a text model file .* --format ginml"):
        read_model(good, "sbml")


def test_command_line(tmp_path):
    model = MODELS / "ginsim/2015-mammal-bladder-tumorigenesis/Bladder_Model.zginml"
    result = CliRunner().invoke(main, ["info", str(model), "--json"])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output)
    assert len(data["nodes"]) == 35 and "Apoptosis_b2" in data["nodes"]
    renamed = tmp_path / "bladder.model"
    renamed.write_bytes(model.read_bytes())
    assert CliRunner().invoke(main, ["info", str(renamed), "--format", "ginml"]).exit_code == 0
    bad = _zip(tmp_path / "x.zginml", {"readme.txt": "hello"})
    result = CliRunner().invoke(main, ["info", str(bad)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1].endswith("not a GINsim model (it holds readme.txt)")
