"""Figures of the radioresistance model computed from the model itself (issue 12).

The figures are what a radiation oncologist asks of the model, each measured under
the model's readout: the pulse ``RT=1 ; RT=0`` (the dose, then the cell's response once
the beam is off), read by the model's metric (metadata ``screen_metric``: since session 9
the fate probabilities of the asynchronous chain with the model's rates, 2,401
trajectories per row, 95% intervals of at most +-0.02), from the untreated cell of each
context.

* **inert nodes**: perturbable nodes whose knock-out and over-expression change no
  phenotype in any context.  This figure is structural and exact: it is read on the
  shares of the attractors reached under most-permissive update (rates play no part), so
  that simulation noise cannot make a node look active; a node that acts only through a
  state-dependent rate (read by one, or fixing a node one reads) is active as well
  (:func:`acts_through_rates`);
* **top ties**: in each context, how many single perturbations share the top score;
* **context check**: every context the review calls radioresistant against ``wildtype``;
* **drug ranks**: the rank of the mechanism-matched drug class among the druggable
  single agents of its context, and its therapeutic gain (effect in the tumour minus
  effect in ``normal_tissue``).

The screens (:func:`run_screen`) are :func:`signet.screen.screen` under the model's own
treatment, the pulse, which the screen runs phase after phase; the screen of all singles
is also run ``alone`` (every intervention untreated, ``RT=0``), and the tie table reads
its ``alone_score`` column.

The rows of these screens are committed with the model (:data:`ROWS`, written by
``python docs/_scripts/model_tables.py --only figures``, which screens again only when the
model has changed): the tests compute the figures from them and recompute a sample.

Usage::

    python docs/_scripts/model_figures.py [--workers N] [--db FILE]   # print every figure
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "networks" / "radioresistance.bnet"

#: the score of the screen, minimised: a row's score is the loss of clonogenic survival it causes
SCORE = "ClonogenicSurvival"

#: contexts the review calls radioresistant, and how the resistance shows.  ``intrinsic``:
#: less cell-intrinsic death (apoptosis, ferroptosis, mitotic catastrophe) among the cells
#: the immune system does not clear; ``immune``: less immune clearance and more clonogenic
#: survivors (TRIM7/TRIM21 acts on the anti-tumour immune response, not inside the cell [38]).
RESISTANT = {
    "TP53_mutant": "intrinsic",
    "KEAP1_loss": "intrinsic",
    "BCL2_high": "intrinsic",
    "IAP_high": "intrinsic",
    "survivin_high": "intrinsic",
    "hypoxic": "intrinsic",
    "ATM_high": "intrinsic",
    "DNAPK_high": "intrinsic",
    "Ku_high": "intrinsic",
    "MRN_high": "intrinsic",
    "TRIM7_high": "immune",
    "RBM3_high": "intrinsic",
}

#: the mechanism-matched drug classes of issue 12 (and PARP inhibitors in BRCA_mutant, session 6):
#: context -> (class, agents of the class)
MATCHED = {
    "TP53_mutant": ("ferroptosis inducers or checkpoint inhibitors",
                    ("SLC7A11-targeting ferroptosis inducers (FINs)", "GPX4-targeting ferroptosis inducers (FINs)",
                     "CHK1 inhibitors", "WEE1 inhibitors", "ATR inhibitors")),
    "KEAP1_loss": ("NRF2/FSP1 inhibitors", ("FSP1 inhibitors (CoQ-FSP1 targeting)",)),
    "IAP_high": ("SMAC mimetics (IAP antagonists)", ("xevinapant",)),
    "BCL2_high": ("BH3 mimetics", ("venetoclax (BH3 mimetic)", "BCL-XL inhibitors (BH3 mimetics)")),
    "hypoxic": ("HIF-1 inhibitors", ("HIF-1 inhibitors",)),
    # session 6: the synthetic lethality of PARP inhibition in HR-deficient tumours [116, 117]
    "BRCA_mutant": ("PARP inhibitors", ("olaparib", "niraparib", "MK-4827")),
}


def load(path: Path = MODEL):
    from signet.io import read_model

    return read_model(path)


def perturbable(net) -> list[str]:
    """Every node a screen may perturb: not an input, not a phenotype marker or its direct
    readout; the model's constants (genes a context sets) are included."""
    from signet.screen.interventions import trivial_nodes

    trivial = trivial_nodes(net)
    return [n for n in net.nodes if n not in net.inputs and n not in trivial]


#: the reference context of the therapeutic gain (the model's ``reference_context``)
REFERENCE = "normal_tissue"


def run_screen(net, *, druggable: bool = False, contexts: str | Sequence[str] = "all", db: str = ":memory:",
               workers: int | None = None, progress: bool = False, alone: bool = False, metric: str | None = None,
               targets: Sequence[str] | None = None):
    """Single perturbations (every perturbable node ko/oe, or every druggable agent) under the pulse
    (the model's treatment), and with ``alone`` also without it (the screen's ``--alone``).

    Both screens are run with the model's reference context (its rows are rows of the screen
    anyway), so every row carries the screen's own ``gain`` column (the loss in the tumour context minus the loss in
    ``normal_tissue``): the figures and ``signet screen`` report the same gain.  The figures
    rank by the loss alone (competition ranking, :func:`drug_ranks`), not by the screen's
    rank, which orders rows tied on the loss by their gain.  ``metric``: the model's own
    (``None``) or another (the inert-node figure reads ``share``); ``targets``: these nodes only (default every
    perturbable node), as the tests do to recompute a sample of the stored rows.
    """
    from signet.screen import screen

    return screen(net, contexts=contexts, targets=list(targets or perturbable(net)), druggable=druggable, score=SCORE,
                  direction="min", db=db, workers=workers, progress=progress, reference=REFERENCE, alone=alone,
                  metric=metric)


def column(result, phenotype: str) -> str:
    """The row key of a phenotype's value in a screen ``result``: ``share_X`` or ``probability_X``."""
    return f"{'share' if result.metric == 'share' else 'probability'}_{phenotype}"


def _shares(result, row: Mapping[str, Any]) -> tuple:
    return tuple(round(row[column(result, p)], 12) for p in result.phenotypes)


def inert_nodes(result, net) -> list[str]:
    """Perturbable nodes whose ko and oe leave every phenotype value unchanged in every context
    (``result``: a screen under the exact ``share`` metric, see the module docstring).

    Rates never change which attractors are reached, so a node that acts only through a
    state-dependent rate (``HR`` up at ``PurineSynthesis ? 1 : 0.1``: purines speed repair)
    changes no share; it is not inert either (:func:`acts_through_rates`).
    """
    control = {r["context"]: _shares(result, r) for r in result.rows if r["perturbation"] == ""}
    active: set[str] = set()
    screened: set[str] = set()
    for r in result.rows:
        if r["size"] != 1:
            continue
        node = r["perturbation"].split("=")[0]
        screened.add(node)
        if _shares(result, r) != control[r["context"]]:
            active.add(node)
    candidates = [n for n in net.nodes if n in screened and n not in active]
    through_rates = set(acts_through_rates(net, candidates))
    return [n for n in candidates if n not in through_rates]


def acts_through_rates(net, nodes: Sequence[str]) -> list[str]:
    """The nodes of ``nodes`` that a state-dependent rate reads, or whose knock-out or over-expression
    fixes such a node to another value in some context (by percolation: exact and structural)."""
    from signet.rates import rate_nodes

    read = {n for pair in net.annotations.rates.values() for rate in pair for n in rate_nodes(rate)}
    contexts = [(dict(c.fix), net.percolate(dict(c.fix))[1]) for c in net.annotations.contexts.values()]

    def moves_a_read_node(base: dict, before: Mapping[str, int], node: str, value: int) -> bool:
        after = net.percolate({**base, node: value})[1]
        return any(before.get(n) != after.get(n) for n in read)

    def acts(node: str) -> bool:
        return node in read or any(moves_a_read_node(base, before, node, value)
                                   for base, before in contexts for value in (0, 1))

    return [n for n in nodes if acts(n)]


def top_ties(result, score: str = SCORE) -> dict[str, tuple[int, float, list[str]]]:
    """Per context: (number of interventions at the best score, the change in score, their names).

    The best score is the largest loss of ``score`` (the most negative change) for
    clonogenic survival, the largest gain for any other phenotype.  Under fate
    probabilities two rows tie when their point estimates are equal (the same number of
    trajectories, or both exact and equal): a tie is counted, never inferred from
    overlapping intervals.
    """
    sign = -1 if score == SCORE else 1
    key = column(result, score)
    out = {}
    by_context: dict[str, list] = {}
    for r in result.rows:
        if r["size"] >= 1:
            by_context.setdefault(r["context"], []).append((sign * (r[key]), r["intervention"]))
    for context, rows in by_context.items():
        control = next(r[key] for r in result.rows if r["context"] == context and r["size"] == 0)
        best = max(v for v, _ in rows)
        tied = [name for v, name in rows if abs(v - best) < 1e-12]
        out[context] = (len(tied), sign * best - control, tied)
    return out


def radiosensitiser_ties(result) -> dict[str, tuple[int, float, list[str]]]:
    """Per context: (number of radiosensitisers tied at the best normalised score, that score, their names).

    A clonogenic assay divides the survival of drug plus radiation by that of the drug
    alone (the plating efficiency), so an agent that kills the unirradiated cell (a
    constitutively active BAX or caspase-8, a lesion fixed present) is cytotoxic, not a
    radiosensitiser.  This is the ranking ``signet screen --alone`` prints (rank key
    ``normalised``): rows cytotoxic alone are left out, the others are compared on their
    ``normalised_score`` (the loss of survival normalised to the untreated survival), ties
    counted on equal point estimates as in :func:`top_ties`.  ``result``: a screen run
    ``alone``.
    """
    by_context: dict[str, list] = {}
    for r in result.rows:
        if r["size"] >= 1 and not r["cytotoxic_alone"] and r["normalised_score"] is not None:
            by_context.setdefault(r["context"], []).append((r["normalised_score"], r["intervention"]))
    out = {}
    for context, rows in by_context.items():
        best = max(v for v, _ in rows)
        tied = [name for v, name in rows if abs(v - best) < 1e-12]
        out[context] = (len(tied), best, tied)
    return out


def intrinsic_death(values: Mapping[str, float]) -> float:
    """Cell-intrinsic loss of clonogenicity among the cells the immune system does not clear:
    (P(Death) + P(Senescence)) / (1 - P(ImmuneClearance)) (or the same ratio of attractor counts).

    Radiobiology counts a cell that can no longer divide as dead whatever the route: apoptosis,
    ferroptosis and mitotic catastrophe (``Death``) and permanent arrest (``Senescence``, the
    reproductive death of the model's outcomes).  Reading ``Death`` alone would call a context
    that trades senescence for mitotic catastrophe (TP53 loss removes the p53-p21 arrest, so its
    damaged cells go on to mitosis) more sensitive although more of its cells survive.
    """
    rest = values["attractors"] - values["ImmuneClearance"]
    return (values["Death"] + values["Senescence"]) / rest if rest else 0.0


def _control_values(result) -> dict[str, dict[str, float]]:
    """Per context, the treatment alone's value of every phenotype (``attractors``: the total, 1 for
    probabilities), from the size-0 rows of a screen."""
    out = {}
    for r in result.rows:
        if r["size"] == 0:
            values = {p: r[column(result, p)] for p in result.phenotypes}
            values["attractors"] = 1.0
            out[r["context"]] = values
    return out


def _survival_interval(result, context: str) -> tuple[float, float]:
    """The 95% interval of the treatment alone's clonogenic survival in ``context`` (a point when exact)."""
    row = next(r for r in result.rows if r["size"] == 0 and r["context"] == context)
    value = row[column(result, SCORE)]
    if result.metric == "share" or row.get("exact"):
        return (value, value)
    from signet.dynamics.probabilities import wilson_interval

    runs = result.parameters["runs"]
    return wilson_interval(round(value * runs), runs)


def context_check(result) -> list[dict[str, Any]]:
    """Each radioresistant context against ``wildtype`` after the pulse, read from the control rows (the
    treatment alone) of a screen under the model's metric (:func:`run_screen`).  ``apart``: the two
    clonogenic survivals' 95% intervals do not overlap (the difference is not simulation noise)."""
    values = _control_values(result)
    wt = values["wildtype"]
    wt_interval = _survival_interval(result, "wildtype")
    rows = []
    for context, kind in RESISTANT.items():
        c = values[context]
        row = {
            "context": context,
            "kind": kind,
            "death": c["Death"], "death_wt": wt["Death"],
            "intrinsic": intrinsic_death(c), "intrinsic_wt": intrinsic_death(wt),
            "survival": c["ClonogenicSurvival"], "survival_wt": wt["ClonogenicSurvival"],
            "immune": c["ImmuneClearance"], "immune_wt": wt["ImmuneClearance"],
            "survival_interval": _survival_interval(result, context), "survival_interval_wt": wt_interval,
        }
        row["apart"] = row["survival_interval"][0] > wt_interval[1]
        if kind == "intrinsic":
            row["resistant"] = row["intrinsic"] < row["intrinsic_wt"]
        else:
            row["resistant"] = row["immune"] < row["immune_wt"] and row["survival"] > row["survival_wt"]
        rows.append(row)
    return rows


def second_look(check: list[dict[str, Any]], net, runs: int) -> list[dict[str, Any]]:
    """The context check with every undecided row decided again, as ``signet validate`` decides an undecided
    claim (:func:`signet.validate.undecided`): where a context's and ``wildtype``'s survival intervals overlap,
    both survivals are simulated again with ``SECOND_LOOK * runs`` trajectories (:func:`signet.validate.readout`,
    the model's pulse, seed 0) and ``apart`` is read on them.  Such a row gets ``second_look`` (its survivals
    and intervals: ``survival2``, ``survival2_interval``, ``survival2_wt``, ``survival2_interval_wt``, and
    ``runs2``); the others keep the screen's."""
    from signet.validate import SECOND_LOOK, overlap, readout

    more = SECOND_LOOK * runs
    wildtype = None
    out = []
    for row in check:
        row = dict(row)
        if overlap(row["survival_interval"], row["survival_interval_wt"]):
            if wildtype is None:
                wildtype = readout(net, "wildtype", runs=more)
            mine = readout(net, row["context"], runs=more)
            row.update(second_look=True, runs2=more,
                       survival2=mine.value_of(SCORE), survival2_interval=mine.interval_of(SCORE),
                       survival2_wt=wildtype.value_of(SCORE), survival2_interval_wt=wildtype.interval_of(SCORE))
            row["apart"] = row["survival2_interval"][0] > row["survival2_interval_wt"][1]
        out.append(row)
    return out


def _agent_name(text: str) -> str:
    """``"olaparib (PARP1 inhibit)"`` -> ``"olaparib"``."""
    return text[: text.rindex(" (")] if text.endswith(")") and " (" in text else text


def agent_targets(net) -> dict[str, set[tuple[str, int]]]:
    """Every agent of the metadata and the perturbations it makes (node, 0 for inhibit / 1 for activate)."""
    from signet.screen.interventions import agent_fixes

    return {name: set(fixes.items()) for name, fixes in agent_fixes(net).items()}


def _perturbations(row) -> set[tuple[str, int]]:
    return {(part.split("=")[0], int(part.split("=")[1])) for part in row["perturbation"].split(",") if part}


def drug_ranks(result, net, score: str = SCORE) -> dict[str, dict[str, Any]]:
    """Rank of the matched drug class among the druggable interventions of each context.

    Each row of a druggable screen is one intervention (a node as an agent acts on it, or a
    multi-target agent on all its nodes).  They are ranked by their loss of clonogenic
    survival, competition ranking (a row's rank is one more than the number of rows
    strictly better); on a screen run ``alone`` as ``signet screen --alone`` ranks them
    (:func:`_merit`: radiosensitisers by their loss normalised to the untreated cell, agents
    cytotoxic on their own after them).  A class's rank is that of its best agent, taken where the agent
    acts on all its targets.  The therapeutic gain is the screen's ``gain`` column: the
    loss in the tumour context minus the loss of the same intervention in ``normal_tissue``
    (the screen must be run with that reference, as :func:`run_screen` does).
    """
    targets = agent_targets(net)
    by_context: dict[str, list] = {}
    for r in result.rows:
        if r["size"] >= 1:
            by_context.setdefault(r["context"], []).append(r)
    out = {}
    for context, (klass, agents) in MATCHED.items():
        rows = by_context[context]
        loss = {r["perturbation"]: r["score"] for r in rows}
        merit = {r["perturbation"]: _merit(r) for r in rows}
        rank = {k: 1 + sum(1 for m in merit.values() if _better(m, merit[k])) for k in merit}
        candidates = []
        for r in rows:
            names = {_agent_name(a) for a in r["agents"]}
            for agent in agents:
                if agent in names and targets.get(agent) == _perturbations(r):
                    candidates.append((rank[r["perturbation"]], agent, r))
        best_rank, agent, row = min(candidates, key=lambda c: c[0])
        ranked = sorted(rows, key=lambda r: rank[r["perturbation"]])
        out[context] = {
            "class": klass,
            "agent": agent,
            "intervention": row["intervention"],
            "rank": best_rank,
            "interventions": len(rows),
            "loss": loss[row["perturbation"]],
            "gain": row["gain"],
            "top": [(rank[r["perturbation"]], r["intervention"], loss[r["perturbation"]]) for r in ranked[:12]],
        }
    return out


def _merit(row: Mapping[str, Any]) -> tuple[int, float]:
    """What a druggable row is ranked by: ``(1, loss)``, or on a screen run ``alone`` ``(1, normalised
    loss)`` for a radiosensitiser and ``(0, loss)`` for an agent cytotoxic on its own (ranked after)."""
    if "cytotoxic_alone" not in row:
        return (1, row["score"])
    if row["cytotoxic_alone"] or row["normalised_score"] is None:
        return (0, row["score"])
    return (1, row["normalised_score"])


def _better(a: tuple[int, float], b: tuple[int, float]) -> bool:
    """``a`` ranks strictly above ``b`` (equal point estimates tie)."""
    return a[0] > b[0] or (a[0] == b[0] and a[1] > b[1] + 1e-12)


def _pct(x: float) -> str:
    return f"{x:.2f}"


def _frac(f: float) -> str:
    return f"{f:.3f}"


def _interval(value: float, interval: tuple[float, float]) -> str:
    return f"{value:.3f}" if interval[0] == interval[1] else f"{value:.3f} [{interval[0]:.3f}, {interval[1]:.3f}]"


#: the rows of the figures' screens, computed for the committed model and committed with it (gzipped JSON,
#: written by ``model_tables.py --only figures``): the tests read the figures from them after recomputing a
#: sample byte for byte (tests/test_model_v2.py), instead of screening every perturbation in every context again
ROWS = ROOT / "docs" / "_data" / "model-figures-rows.json.gz"

#: what the stored rows file says it is
ROWS_FORMAT = "signet-model-figures-rows"


def store_paths(db: str) -> dict[str, str]:
    """The checkpoints :func:`compute` writes for ``db``: the treated rows of the probability screens, their
    untreated (``alone``) rows and the share screen's rows."""
    from signet.screen.alone import alone_db_path

    return {"probability": db, "alone": alone_db_path(db), "share": f"{db}.share"}


def export_rows(net, db: str, path: Path = ROWS) -> None:
    """Write the finished rows of :func:`compute`'s checkpoints ``db`` to ``path`` (gzipped JSON, sorted, with
    the model's fingerprint), so that the figures can be computed again without screening."""
    import gzip
    import json

    from signet.screen.job import model_fingerprint
    from signet.screen.store import read_checkpoint

    stores = {kind: read_checkpoint(file) for kind, file in store_paths(db).items()}
    text = json.dumps({"format": ROWS_FORMAT, "model": model_fingerprint(net), "stores": stores}, sort_keys=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(text.encode())
    tmp.replace(path)


def _read_rows(path: Path) -> dict[str, Any]:
    import gzip
    import json

    with gzip.open(path, "rt") as f:
        data = json.load(f)
    if data.get("format") != ROWS_FORMAT:
        raise ValueError(f"{path}: not a file of {ROWS_FORMAT}")
    return data


def rows_model(path: Path = ROWS) -> str | None:
    """The fingerprint of the model whose rows ``path`` holds (``None`` if there is no such file)."""
    return _read_rows(path)["model"] if path.exists() else None


def import_rows(path: Path, db: str) -> None:
    """Write the rows of ``path`` (:func:`export_rows`) into fresh checkpoints ``db``, which :func:`compute`
    then resumes: a checkpoint of the same screen holds exactly these rows, so nothing is screened again."""
    import json

    from signet.screen.store import ScreenStore

    data = _read_rows(path)
    for kind, file in store_paths(db).items():
        stored = data["stores"][kind]
        with ScreenStore(file, json.loads(stored["fingerprint"]), fresh=True) as store:
            store.add_rows([tuple(row) for row in stored["rows"]], stored["analyses"])
            store.set_parameters(json.loads(stored["parameters"]))


_CACHE: dict[str, dict[str, Any]] = {}


def compute(net, *, workers: int | None = None, db: str = ":memory:") -> dict[str, Any]:
    """Every figure, and the markdown of docs/model.md's ``figures`` section (cached per model)."""
    from signet.screen.job import model_fingerprint
    from signet.validate import SECOND_LOOK

    key = model_fingerprint(net)
    if key in _CACHE:
        return _CACHE[key]
    singles = run_screen(net, db=db, workers=workers, alone=True)
    drugs = run_screen(net, druggable=True, db=db, workers=workers, alone=True)
    structural = singles if singles.metric == "share" else run_screen(
        net, db=db if db == ":memory:" else f"{db}.share", workers=workers, metric="share")
    pool = perturbable(net)
    inert = inert_nodes(structural, net)
    ties = top_ties(singles)
    ties_death = top_ties(singles, "Death")
    ties_drugs = top_ties(drugs)
    sensitisers = radiosensitiser_ties(singles)
    check = context_check(singles)
    if singles.metric != "share":
        check = second_look(check, net, int(singles.parameters["runs"]))
    ranks = drug_ranks(drugs, net)
    lines = []
    lines.append(f"**Inert nodes.** {len(inert)} of the {len(pool)} perturbable nodes "
                 f"({100 * len(inert) / len(pool):.1f}%) change no phenotype share in any of the "
                 f"{len(net.annotations.contexts)} contexts, knocked out or over-expressed, nor act through a "
                 "state-dependent rate (which changes no share): "
                 + (", ".join(f"`{n}`" for n in inert) or "none") + ".\n")
    lines.append("**Top ties.** Single perturbations (every perturbable node knocked out and over-expressed; "
                 "druggable agents) that share the best score of their context:\n")
    rows = []
    for context in net.annotations.contexts:
        k, v, _ = ties[context]
        kd, vd, _ = ties_death[context]
        kg, vg, _ = ties_drugs[context]
        ks, vs, _ = sensitisers[context]
        rows.append([f"`{context}`", f"{k} ({v:+.3f})", f"{ks} ({vs:+.3f})", f"{kd} ({vd:+.3f})",
                     f"{kg} ({vg:+.3f})"])
    lines.append(_table(["context", "tied at the largest loss of clonogenic survival (all singles)",
                         "radiosensitisers tied at the best survival loss normalised to the untreated cell "
                         "(cytotoxic agents apart: `signet screen --alone`)",
                         "tied at the largest gain of Death (all singles)",
                         "tied at the largest loss of clonogenic survival (druggable)"], rows))
    lines.append("\n**Context check.** Each context the review calls radioresistant against `wildtype`, after "
                 f"the pulse ({_readout(singles)}): Death, cell-intrinsic loss of clonogenicity (Death or "
                 "senescence) among the cells that are not cleared by the immune system, clonogenic survival and "
                 "immune clearance. Where the two survival intervals overlap, both survivals are simulated again "
                 f"with {SECOND_LOOK} times the trajectories, as `signet validate` decides an undecided claim (a "
                 "second look), and the context resists beyond noise only if they are apart.\n")
    rows = []
    for row in check:
        survival = (f"{_interval(row['survival'], row['survival_interval'])} vs "
                    f"{_interval(row['survival_wt'], row['survival_interval_wt'])}")
        if row.get("second_look"):
            survival += (f"; second look, {row['runs2']:,} trajectories: "
                         f"{_interval(row['survival2'], row['survival2_interval'])} vs "
                         f"{_interval(row['survival2_wt'], row['survival2_interval_wt'])}")
        rows.append([f"`{row['context']}`", row["kind"], f"{_frac(row['death'])} vs {_frac(row['death_wt'])}",
                     f"{_frac(row['intrinsic'])} vs {_frac(row['intrinsic_wt'])}",
                     survival,
                     f"{_frac(row['immune'])} vs {_frac(row['immune_wt'])}",
                     ("yes" if row["apart"] else "yes (within noise)") if row["resistant"] else "**no**"])
    lines.append(_table(["context", "resistance", "Death", "intrinsic death or senescence (not cleared)",
                         "clonogenic survival",
                         "immune clearance", "resistant"], rows))
    lines.append("\n**Drug ranks.** The mechanism-matched class among the druggable interventions of its "
                 "context, ranked as `signet screen --alone` ranks them (loss of clonogenic survival normalised to "
                 "the untreated cell, competition ranking; agents that kill the unirradiated cell after the "
                 "radiosensitisers), with the survival loss and the therapeutic gain (loss in the tumour context "
                 "minus loss in `normal_tissue`):\n")
    rows = []
    for context, info in ranks.items():
        top = "; ".join(f"{r}. {name}" for r, name, _ in info["top"][:10])
        rows.append([f"`{context}`", info["class"], info["agent"], f"{info['rank']} of {info['interventions']}",
                     f"{info['loss']:+.2f}", f"{info['gain']:+.2f}", top])
    lines.append(_table(["context", "matched class", "best agent of the class", "rank", "survival loss",
                         "therapeutic gain", "top 10"], rows))
    figures = {
        "inert": inert, "perturbable": pool, "ties": ties, "ties_death": ties_death, "ties_drugs": ties_drugs,
        "sensitiser_ties": sensitisers,
        "check": check, "ranks": ranks, "markdown": "\n".join(lines),
    }
    _CACHE[key] = figures
    return figures


def _readout(result) -> str:
    """How the figures' values were computed, in words."""
    if result.metric == "share":
        return "shares of the attractors reached, most-permissive update"
    runs = result.parameters.get("runs")
    return (f"fate probabilities of the asynchronous chain with the model's rates, {runs} trajectories per row, "
            "95% intervals of at most +-0.02")


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--db", default=":memory:", help="SQLite file of finished screen rows (resumable)")
    parser.add_argument("--only", choices=("context", "drugs", "singles"), default=None)
    args = parser.parse_args(argv)
    net = load(args.model)
    if args.only in (None, "context"):
        for row in context_check(run_screen(net, db=args.db, workers=args.workers, progress=True, alone=True)):
            print(f"{row['context']:14s} {row['kind']:9s} death {row['death']} vs {row['death_wt']}  "
                  f"intrinsic {row['intrinsic']} vs {row['intrinsic_wt']}  survival {row['survival']} vs "
                  f"{row['survival_wt']}  immune {row['immune']} vs {row['immune_wt']}  "
                  f"{'resistant' if row['resistant'] else 'NOT resistant'}")
    if args.only in (None, "drugs"):
        drugs = run_screen(net, druggable=True, db=args.db, workers=args.workers, progress=True)
        for context, info in drug_ranks(drugs, net).items():
            print(f"{context:12s} {info['class']}: {info['agent']} rank {info['rank']}/{info['interventions']} "
                  f"loss {info['loss']:.3f} gain {info['gain']:+.3f}")
            for rank, name, loss in info["top"]:
                print(f"    {rank:3d} {loss:+.3f} {name}")
    if args.only in (None, "singles"):
        singles = run_screen(net, db=args.db, workers=args.workers, progress=True)
        inert = inert_nodes(singles, net)
        pool = perturbable(net)
        print(f"inert: {len(inert)}/{len(pool)} = {100 * len(inert) / len(pool):.1f}% {inert}")
        for context, (k, value, names) in top_ties(singles).items():
            print(f"{context:14s} top ties {k} at {value:+.3f}: {', '.join(names[:8])}")
        for context, (k, value, names) in top_ties(singles, "Death").items():
            print(f"{context:14s} Death top ties {k} at {value:+.3f}: {', '.join(names[:8])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
