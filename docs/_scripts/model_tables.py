"""Generate the numeric tables of docs/model.md from the radioresistance network.

Every table between ``<!-- generated: NAME -->`` and ``<!-- end generated: NAME -->``
in docs/model.md is this script's output; ``tests/test_validate.py`` and
``tests/test_model_v2.py`` regenerate them and compare, so the page cannot drift from the
model.  The slow sections (the claims, the ablation of every assumption, and the figures
of the model's screens, see ``model_figures.py``) take about six minutes on two cores (at load 6).

Usage::

    python docs/_scripts/model_tables.py              # rewrite the tables in docs/model.md
    python docs/_scripts/model_tables.py --check      # exit 1 if a table is out of date
    python docs/_scripts/model_tables.py --skip-slow  # only the fast tables
    python docs/_scripts/model_tables.py --only figures   # one section (repeatable)
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "networks" / "radioresistance.bnet"
PAGE = ROOT / "docs" / "model.md"

#: sections that take minutes: every claim, every claim again per assumption, two screens
SLOW_SECTIONS = ("claims", "ablation", "figures")
SECTIONS = ("size", "modules", "phenotypes", "contexts", "assumptions", "attractors-mp", "module-knockouts") + SLOW_SECTIONS

_BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- end generated: (?P=name) -->)", re.S)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _load():
    from signet.io import read_model

    return read_model(MODEL)


def _raw_metadata() -> dict:
    import yaml

    return yaml.safe_load(MODEL.with_suffix(".yaml").read_text(encoding="utf-8"))


def _figures_module():
    """docs/_scripts/model_figures.py, importable by worker processes as ``model_figures``."""
    import importlib.util

    if "model_figures" in sys.modules and hasattr(sys.modules["model_figures"], "run_screen"):
        return sys.modules["model_figures"]
    spec = importlib.util.spec_from_file_location("model_figures", Path(__file__).with_name("model_figures.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["model_figures"] = module
    spec.loader.exec_module(module)
    return module


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def _fixes(context) -> str:
    return ", ".join(f"`{k}={v}`" for k, v in context.fix.items()) or "none"


def size_table(net) -> str:
    ann = net.annotations
    signs = Counter(sign for _, _, sign in net.edges())
    gene_products = sum(1 for info in ann.nodes.values() if info.hgnc)
    cited = {r for info in ann.nodes.values() for r in info.refs}
    rows = [
        ["nodes", len(net.nodes)],
        ["gene products (with an HGNC symbol)", gene_products],
        ["inputs", f"{len(net.inputs)} ({', '.join(net.inputs)})"],
        ["constants (set by contexts)", f"{len(net.constants)} ({', '.join(f'{k}={v}' for k, v in net.constants.items())})"],
        ["phenotypes", f"{len(ann.phenotypes)} ({', '.join(ann.phenotypes)})"],
        ["signed edges (regulations)", f"{sum(signs.values())} ({signs['+']} activating, {signs['-']} inhibiting"
         + (f", {signs['?']} dual" if signs.get("?") else "") + ")"],
        ["contexts", len(ann.contexts)],
        ["review references cited by the rules", len(cited)],
        ["references in the metadata", len(ann.references)],
        ["rules with an assumption (a link the review does not state)",
         sum(1 for info in _raw_metadata()["nodes"].values() if info.get("assumption"))],
        ["treatment", f"`{ann.schedule or ann.treatment}`"],
    ]
    return _table(["quantity", "value"], rows)


def modules_table(net) -> str:
    ann = net.annotations
    modules: dict[str, list[str]] = {}
    for node in net.nodes:
        modules.setdefault(ann.nodes[node].module if node in ann.nodes else "(none)", []).append(node)
    into = Counter()
    for _, target, _ in net.edges():
        into[ann.nodes[target].module if target in ann.nodes else "(none)"] += 1
    rows = [[m, len(nodes), into[m], ", ".join(nodes)] for m, nodes in sorted(modules.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    rows.append(["**total**", len(net.nodes), sum(into.values()), ""])
    return _table(["module", "nodes", "edges into the module", "nodes"], rows)


def contexts_table(net) -> str:
    rows = []
    for name, context in net.annotations.contexts.items():
        rows.append([f"`{name}`", _fixes(context), context.description, ", ".join(context.refs)])
    return _table(["context", "fixes", "description", "refs"], rows)


def phenotypes_table(net) -> str:
    from signet.expr import to_bnet

    rows = []
    for name, expr in net.annotations.phenotypes.items():
        info = net.annotations.nodes.get(expr)
        rule = to_bnet(net.rule(expr)) if expr in net.rules else "-"
        rows.append([f"`{name}`", f"`{expr}`", f"`{rule}`".replace("|", "\\|"),
                     info.note.removeprefix("Phenotype: ") if info else "", ", ".join(info.refs) if info else ""])
    return _table(["phenotype", "read from", "rule of that node", "meaning", "refs"], rows)


def attractors_table(net) -> str:
    """Per context: the untreated cell's attractors, the attractors at the end of the pulse, phenotype counts."""
    from signet.dynamics import attractors, response
    from signet.phenotypes import parse_phenotypes, phenotype_value

    phenotypes = parse_phenotypes(net.annotations.phenotypes)
    short = {"MitoticCatastrophe": "MitCat", "ImmuneClearance": "Immune", "ClonogenicSurvival": "Survival"}
    header = ["context", "untreated", "after the pulse"] + [short.get(p, p) for p in phenotypes] + ["attractors by fate"]
    fates = ("Apoptosis", "Ferroptosis", "MitoticCatastrophe", "Senescence", "ImmuneClearance", "ClonogenicSurvival")
    rows = []
    for name in net.annotations.contexts:
        base = attractors(net.fix({**net.context(name).fix, **net.annotations.baseline}), "mp")
        result = response(net, context=name)  # the model's treatment: the pulse
        values = [{p: phenotype_value(e, a.space) for p, e in phenotypes.items()} for a in result.attractors]
        counts = Counter(p for v in values for p in phenotypes if v[p] == 1)
        groups = Counter(next((f for f in fates if v.get(f) == 1), "(none)") for v in values)
        rows.append([f"`{name}`", len(base.attractors), len(result.attractors)]
                    + [f"{counts[p]}/{len(result.attractors)}" for p in phenotypes]
                    + ["; ".join(f"{k}x {short.get(g, g)}" for g, k in groups.items())])
    return _table(header, rows)


#: modules that are not knocked out as a whole: the treatment input, the damage the dose makes, the fates
KNOCKOUT_SKIP = ("Input", "Radiation damage", "Phenotype")
#: the contexts of the module-knockout table
KNOCKOUT_CONTEXTS = ("wildtype", "TP53_mutant")


def _fates(net, context: str, perturbation: dict[str, int], treated: bool) -> dict[str, float]:
    """The fate probabilities of a case under the model's readout (as ``signet validate`` computes it): after
    the pulse (``treated``) or in the untreated cell."""
    from signet.validate import readout

    result = readout(net, context, perturbation, treated=treated)
    return {p: result.value_of(p) for p in net.annotations.phenotypes}


def module_knockout_table(net) -> str:
    """Every node of a module fixed to 0, in ``wildtype`` and ``TP53_mutant``: the fate probabilities after the
    pulse and in the untreated cell (the model's readout)."""
    ann = net.annotations
    modules: dict[str, list[str]] = {}
    for node in net.nodes:
        module = ann.nodes[node].module if node in ann.nodes else "(none)"
        if module not in KNOCKOUT_SKIP and node not in net.inputs:
            modules.setdefault(module, []).append(node)
    fates = ("Apoptosis", "Ferroptosis", "MitoticCatastrophe", "Senescence", "ImmuneClearance")
    short = {"MitoticCatastrophe": "MitCat", "ImmuneClearance": "Immune"}
    rows = []
    for module in [None, *sorted(modules)]:
        row = [module or "none"]
        for context in KNOCKOUT_CONTEXTS:
            perturbation = {n: 0 for n in modules.get(module, [])}
            p = _fates(net, context, perturbation, True)
            p0 = _fates(net, context, perturbation, False)
            routes = ", ".join(f"{short.get(f, f)} {p[f]:.2f}" for f in fates if p[f] >= 0.005)
            row.append(f"{p['Death']:.2f} / {p['ClonogenicSurvival']:.2f} ({routes or 'no fate'})")
            row.append(f"{p0['Death']:.2f} / {p0['ClonogenicSurvival']:.2f}")
        rows.append(row)
    header = ["module knocked out"]
    for context in KNOCKOUT_CONTEXTS:
        header += [f"`{context}` after the pulse: Death / survival (fates)", f"`{context}` untreated"]
    return _table(header, rows)


def assumptions_table(net) -> str:
    """Every rule that holds a link the review does not state: the rule, why, and the rule without it."""
    from signet.expr import to_bnet

    rows = []
    for node, info in _raw_metadata()["nodes"].items():
        if not info.get("assumption"):
            continue
        rows.append([f"`{node}`", f"`{_cell(to_bnet(net.rule(node)))}`", _cell(info["reason"]),
                     f"`{_cell(info['ablation'])}`"])
    return _table(["node", "rule", "the assumption and why", "rule without it (ablation)"], rows)


def ablated(net, node: str, rule: str):
    """``net`` with ``node``'s rule replaced by ``rule`` (annotations kept)."""
    from signet.model import BooleanNetwork

    rules = dict(net.rules)
    rules[node] = rule
    return BooleanNetwork(rules, name=net.name, annotations=net.annotations)


def ablation_table(net, only: tuple[str, ...] | None = None) -> str:
    """For each assumption (or those of ``only``): the claims whose verdict changes, and those whose shares
    change, when it is removed."""
    from signet.io.expectations import expectations_path, read_expectations
    from signet.validate import validate

    # the shares of the attractors reached: read: course claims (a state at a time, simulated) are left out
    claims = [c for c in read_expectations(expectations_path(MODEL), net) if c.read != "course"]
    full = validate(net, claims, update="mp").results

    def numbers(r):
        return (r.case.count, r.case.attractors, None if r.reference is None else (r.reference.count, r.reference.attractors))

    rows = []
    for node, info in _raw_metadata()["nodes"].items():
        if not info.get("assumption") or (only is not None and node not in only):
            continue
        results = validate(ablated(net, node, info["ablation"]), claims, update="mp").results
        flipped = [a.expectation.id for a, b in zip(full, results) if a.passed != b.passed]
        moved = [a.expectation.id for a, b in zip(full, results) if a.passed == b.passed and numbers(a) != numbers(b)]
        rows.append([f"`{node}`", len(flipped), ", ".join(f"`{c}`" for c in flipped) or "none",
                     len(moved), ", ".join(f"`{c}`" for c in moved) or "none"])
    return _table(["assumption removed", "claims that fail", "which", "claims passing with other shares", "which"], rows)


def claims_table(net, result=None, shares=None) -> str:
    """Every claim under the model's readout (fate probabilities with 95% intervals) and, for comparison, on
    the shares of the attractors reached (most-permissive update, exact).  ``result``, ``shares``: the
    validations under the model's readout and on shares, if already computed."""
    from signet.io.expectations import expectations_path, read_expectations
    from signet.validate import validate

    claims = read_expectations(expectations_path(MODEL), net)
    if result is None:
        result = validate(net, claims)  # the model's metric (metadata screen_metric)
    if shares is None:
        shares = validate(net, claims, update="mp")

    def share_text(r) -> str:
        if r.expectation.read == "course":  # a state at a time: no attractors (the readout's numbers)
            return "(course)"
        text = f"{r.case.count}/{r.case.attractors}"
        if r.reference is not None:
            text += f" vs {r.reference.count}/{r.reference.attractors}"
        return text

    def value_text(c) -> str:
        if c.interval is None or c.interval[0] == c.interval[1]:
            return f"{c.value:.3f}"
        return f"{c.value:.3f} [{c.interval[0]:.3f}, {c.interval[1]:.3f}]"

    def readout_text(r) -> str:
        if r.expectation.read == "reachable":
            return share_text(r) + " (mp)"
        return value_text(r.case) + ("" if r.reference is None else " vs " + value_text(r.reference))

    rows = []
    for r, m in zip(result.results, shares.results):
        e = r.expectation
        expect = e.expect + (" (reachable)" if e.read == "reachable" else f" (at {e.at:g})" if e.read == "course" else "")
        verdict = ("pass" if r.passed else "FAIL") + (" (second look)" if r.second_look else "")
        rows.append([f"`{e.id}`", e.phenotype, expect, readout_text(r), verdict,
                     share_text(m), "pass" if m.passed else "FAIL", ", ".join(e.refs)])
    text = _table(["claim", "phenotype", "expect", f"case vs reference ({result.metric})", "verdict",
                   "shares (mp)", "mp", "refs"], rows)
    looks = result.second_look_runs
    text += (f"\n{len(result.passed)}/{len(claims)} claims pass under the model's readout (fate probabilities of the "
             f"asynchronous chain with the model's rates, after the pulse; {len(shares.passed)}/{len(claims)} on "
             "the shares of the attractors reached, most-permissive update)."
             + (f" \"(second look)\": the intervals overlapped at the first look's trajectories, and the claim was "
                f"decided on {looks:,} trajectories (`signet validate --second-look`)." if looks else "") + "\n")
    return text


def figures_text(net) -> str:
    """The figures of issue 12 from the model's screens (``model_figures.py``).

    The screens' rows are kept in ``docs/_data/model-figures-rows.json.gz`` (the tests read the figures from
    them): rows of the model as it is are reused, and a changed model is screened again and its rows written.
    """
    import tempfile

    from signet.screen.job import model_fingerprint

    module = _figures_module()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "figures.sqlite")
        if module.rows_model() == model_fingerprint(net):
            module.import_rows(module.ROWS, db)
        figures = module.compute(net, db=db)
        module.export_rows(net, db)
    return figures["markdown"]


def generate(sections=SECTIONS) -> dict[str, str]:
    """``{section name: markdown}`` for the requested sections."""
    net = _load()
    makers = {
        "size": lambda: size_table(net),
        "modules": lambda: modules_table(net),
        "phenotypes": lambda: phenotypes_table(net),
        "contexts": lambda: contexts_table(net),
        "assumptions": lambda: assumptions_table(net),
        "attractors-mp": lambda: attractors_table(net),
        "module-knockouts": lambda: module_knockout_table(net),
        "claims": lambda: claims_table(net),
        "ablation": lambda: ablation_table(net),
        "figures": lambda: figures_text(net),
    }
    return {name: makers[name]() for name in sections}


def blocks(text: str) -> dict[str, str]:
    """The generated blocks of a page: ``{name: body}``."""
    return {m.group("name"): m.group("body") for m in _BLOCK.finditer(text)}


def replace_blocks(text: str, tables: dict[str, str]) -> str:
    """``text`` with the bodies of the named blocks replaced."""
    def sub(m: re.Match) -> str:
        name = m.group("name")
        body = tables.get(name, m.group("body"))
        return m.group(1) + body + m.group(4)

    return _BLOCK.sub(sub, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/model.md is out of date")
    parser.add_argument("--skip-slow", action="store_true", help="skip the sections that take minutes")
    parser.add_argument("--only", action="append", choices=SECTIONS, metavar="SECTION",
                        help=f"only this section (repeatable): {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    sections = [s for s in SECTIONS if not (args.skip_slow and s in SLOW_SECTIONS) and (not args.only or s in args.only)]
    tables = generate(sections)
    text = PAGE.read_text(encoding="utf-8")
    missing = [s for s in sections if s not in blocks(text)]
    if missing:
        print(f"{PAGE}: no generated block for {', '.join(missing)}", file=sys.stderr)
        return 1
    new = replace_blocks(text, tables)
    if args.check:
        stale = [s for s in sections if blocks(text)[s] != tables[s]]
        if stale:
            print(f"{PAGE}: out of date: {', '.join(stale)}", file=sys.stderr)
            return 1
        return 0
    if new != text:
        PAGE.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
