"""Generate the numeric tables of docs/model.md from the radioresistance network.

Every table between ``<!-- generated: NAME -->`` and ``<!-- end generated: NAME -->``
in docs/model.md is this script's output; ``tests/test_validate.py`` regenerates them
and compares, so the page cannot drift from the model.

Usage::

    python docs/_scripts/model_tables.py            # rewrite the tables in docs/model.md
    python docs/_scripts/model_tables.py --check    # exit 1 if a table is out of date
    python docs/_scripts/model_tables.py --skip-async   # only the tables that need no async run
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

#: sections that need asynchronous runs (slow: about a minute)
ASYNC_SECTIONS = ("attractors-async", "claims")
SECTIONS = ("size", "modules", "phenotypes", "contexts", "attractors-mp") + ASYNC_SECTIONS

_BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- end generated: (?P=name) -->)", re.S)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _load():
    from signet.io import read_model

    return read_model(MODEL)


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
        ["constants", len(net.constants)],
        ["phenotypes", f"{len(ann.phenotypes)} ({', '.join(ann.phenotypes)})"],
        ["signed edges (regulations)", f"{sum(signs.values())} ({signs['+']} activating, {signs['-']} inhibiting"
         + (f", {signs['?']} dual" if signs.get("?") else "") + ")"],
        ["contexts", len(ann.contexts)],
        ["review references cited by the rules", len(cited)],
        ["references in the metadata", len(ann.references)],
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


def attractors_table(net, update: str) -> str:
    from signet.dynamics import response
    from signet.phenotypes import parse_phenotypes, phenotype_value

    phenotypes = parse_phenotypes(net.annotations.phenotypes)
    short = {"MitoticCatastrophe": "MitCat", "ImmuneClearance": "Immune", "Proliferation": "Prolif"}
    header = ["context", "baseline", "under RT"] + [short.get(p, p) for p in phenotypes] + ["attractors by phenotypes"]
    rows = []
    treatment = dict(net.annotations.treatment)
    spaces = {}
    for name in net.annotations.contexts:
        result = response(net, treatment=treatment, context=name, update=update)
        spaces[name] = sorted(tuple(sorted(a.space.items())) for a in result.attractors)
        carried = [tuple(p for p, e in phenotypes.items() if phenotype_value(e, a.space) == 1) for a in result.attractors]
        counts = Counter(p for c in carried for p in c)
        groups = Counter(" + ".join(c) if c else "(no phenotype)" for c in carried)
        rows.append([f"`{name}`", _baseline_count(net, name, update), len(result.attractors)]
                    + [f"{counts[p]}/{len(result.attractors)}" for p in phenotypes]
                    + ["; ".join(f"{k}× {g}" for g, k in groups.items())])
    _SPACES[update] = spaces
    text = _table(header, rows)
    if update == "async":
        mp = _SPACES.get("mp") or _mp_spaces(net)
        same = [c for c in spaces if spaces[c] == mp[c]]
        text += (f"\nIn {len(same)} of {len(spaces)} contexts the asynchronous attractors reached under RT occupy "
                 "exactly the minimal trap spaces reached under mp (the same smallest subspaces)"
                 + (f"; they differ in {', '.join(c for c in spaces if c not in same)}" if len(same) < len(spaces) else "")
                 + ".\n")
    return text


_SPACES: dict[str, dict] = {}


def _mp_spaces(net) -> dict:
    attractors_table(net, "mp")
    return _SPACES["mp"]


def _baseline_count(net, context: str, update: str) -> int:
    """Number of attractors of the untreated cell in ``context``."""
    from signet.dynamics import attractors

    values = {**net.context(context).fix, **net.annotations.baseline}
    return len(attractors(net.fix(values), update).attractors)


def claims_table(net) -> str:
    from signet.io.expectations import expectations_path, read_expectations
    from signet.validate import validate

    claims = read_expectations(expectations_path(MODEL), net)
    results = {update: validate(net, claims, update=update) for update in ("mp", "async")}

    def shares(r) -> str:
        text = f"{r.case.count}/{r.case.attractors}"
        if r.reference is not None:
            text += f" vs {r.reference.count}/{r.reference.attractors}"
        return text

    rows = []
    for mp, asynchronous in zip(results["mp"].results, results["async"].results):
        e = mp.expectation
        rows.append([f"`{e.id}`", e.phenotype, e.expect, shares(mp), "pass" if mp.passed else "FAIL",
                     shares(asynchronous), "pass" if asynchronous.passed else "FAIL", ", ".join(e.refs)])
    both = sum(1 for a, b in zip(results["mp"].results, results["async"].results) if a.passed and b.passed)
    mp_only = [a.expectation.id for a, b in zip(results["mp"].results, results["async"].results) if a.passed and not b.passed]
    async_only = [a.expectation.id for a, b in zip(results["mp"].results, results["async"].results) if b.passed and not a.passed]
    same = sum(1 for a, b in zip(results["mp"].results, results["async"].results)
               if (a.case.count, a.case.attractors) == (b.case.count, b.case.attractors)
               and (a.reference is None or (a.reference.count, a.reference.attractors) == (b.reference.count, b.reference.attractors)))
    text = _table(["claim", "phenotype", "expect", "mp case vs reference", "mp", "async case vs reference", "async", "refs"], rows)
    text += (f"\n{len(results['mp'].passed)}/{len(claims)} claims pass under mp, "
             f"{len(results['async'].passed)}/{len(claims)} under async; {both} hold under both; "
             f"{len(mp_only)} need mp ({', '.join(mp_only) or 'none'}), "
             f"{len(async_only)} need async ({', '.join(async_only) or 'none'}); "
             f"the attractor counts agree between mp and async for {same}/{len(claims)} claims.\n")
    return text


def generate(sections=SECTIONS) -> dict[str, str]:
    """``{section name: markdown}`` for the requested sections."""
    net = _load()
    makers = {
        "size": lambda: size_table(net),
        "modules": lambda: modules_table(net),
        "phenotypes": lambda: phenotypes_table(net),
        "contexts": lambda: contexts_table(net),
        "attractors-mp": lambda: attractors_table(net, "mp"),
        "attractors-async": lambda: attractors_table(net, "async"),
        "claims": lambda: claims_table(net),
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
    parser.add_argument("--skip-async", action="store_true", help="skip the sections that need async runs")
    args = parser.parse_args(argv)
    sections = [s for s in SECTIONS if not (args.skip_async and s in ASYNC_SECTIONS)]
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
