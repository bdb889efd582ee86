"""Figures of the radioresistance model computed from the model itself (issue 12).

The figures are what a radiation oncologist asks of the model, each measured under
the model's default semantics: the pulse ``RT=1 ; RT=0`` (the dose, then the cell's
response once the beam is off), most-permissive update, reachable attractors counted
from the untreated cell of each context.

* **inert nodes**: perturbable nodes whose knock-out and over-expression change no
  phenotype share in any context;
* **top ties**: in each context, how many single perturbations share the top score;
* **context check**: every context the review calls radioresistant against ``wildtype``;
* **drug ranks**: the rank of the mechanism-matched drug class among the druggable
  single agents of its context, and its therapeutic gain (effect in the tumour minus
  effect in ``normal_tissue``).

The screen engine (:func:`signet.screen.screen`) applies one treatment to every phase;
until it runs schedules itself, :func:`pulse_analysis` is passed as its analysis and
the treatment is left empty (``treatment={}``), so that the values fixed by
percolation are those of both phases.  Worker processes unpickle the analysis by its
module name: a caller that loads this file with :mod:`importlib` registers it in
``sys.modules`` first (as ``tests/test_model_v2.py`` does).

Usage::

    python docs/_scripts/model_figures.py [--workers N] [--db FILE]   # print every figure
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping, Sequence

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "networks" / "radioresistance.bnet"

#: the score of the screen: change in the share of clonogenic survivors (negative = radiosensitizing)
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

#: the mechanism-matched drug classes of issue 12: context -> (class, agents of the class)
MATCHED = {
    "TP53_mutant": ("ferroptosis inducers or checkpoint inhibitors",
                    ("SLC7A11-targeting ferroptosis inducers (FINs)", "GPX4-targeting ferroptosis inducers (FINs)",
                     "CHK1 inhibitors", "WEE1 inhibitors", "ATR inhibitors")),
    "KEAP1_loss": ("NRF2/FSP1 inhibitors", ("FSP1 inhibitors (CoQ-FSP1 targeting)",)),
    "IAP_high": ("SMAC mimetics (IAP antagonists)", ("xevinapant",)),
    "BCL2_high": ("BH3 mimetics", ("venetoclax (BH3 mimetic)", "BCL-XL inhibitors (BH3 mimetics)")),
    "hypoxic": ("HIF-1 inhibitors", ("HIF-1 inhibitors",)),
}


def load(path: Path = MODEL):
    from signet.io import read_model

    return read_model(path)


def pulse_analysis(network, *, context, perturbation, treatment, update, phenotypes) -> dict:
    """Phenotype values of the attractors reached at the end of the model's schedule.

    The analysis hook of :func:`signet.screen.screen`: the perturbation acts in every
    phase of ``network.annotations.schedule`` (``treatment`` is ignored: the screen is
    run with ``treatment={}``).
    """
    from signet.dynamics.schedule import run_schedule

    final = run_schedule(network, network.annotations.schedule, update, context=context,
                         perturbation=perturbation).final
    return {"values": [dict(v) for v in final.phenotype_values(phenotypes)], "exact": bool(final.exact)}


def perturbable(net) -> list[str]:
    """Every node a screen may perturb: not an input, not a phenotype marker or its direct
    readout; the model's constants (genes a context sets) are included."""
    from signet.screen.interventions import trivial_nodes

    trivial = trivial_nodes(net)
    return [n for n in net.nodes if n not in net.inputs and n not in trivial]


def run_screen(net, *, druggable: bool = False, contexts: str | Sequence[str] = "all", db: str = ":memory:",
               workers: int | None = None, progress: bool = False):
    """Single perturbations (every perturbable node ko/oe, or every druggable agent) under the pulse."""
    from signet.screen import screen

    return screen(net, contexts=contexts, targets=None if druggable else perturbable(net), druggable=druggable,
                  treatment={}, analysis=pulse_analysis, score=SCORE, db=db, workers=workers, progress=progress)


def _shares(row: Mapping[str, Any], phenotypes: Sequence[str]) -> tuple:
    return tuple(round(row[f"share_{p}"], 12) for p in phenotypes)


def inert_nodes(result, net) -> list[str]:
    """Perturbable nodes whose ko and oe leave every phenotype share unchanged in every context."""
    phenotypes = result.phenotypes
    control = {r["context"]: _shares(r, phenotypes) for r in result.rows if r["perturbation"] == ""}
    active: set[str] = set()
    screened: set[str] = set()
    for r in result.rows:
        if r["size"] != 1:
            continue
        node = r["perturbation"].split("=")[0]
        screened.add(node)
        if _shares(r, phenotypes) != control[r["context"]]:
            active.add(node)
    return [n for n in net.nodes if n in screened and n not in active]


def top_ties(result, score: str = SCORE) -> dict[str, tuple[int, float, list[str]]]:
    """Per context: (number of single perturbations at the best score, that score, their names).

    The best score is the largest loss of ``score`` (the most negative change) for
    clonogenic survival, the largest gain for any other phenotype.
    """
    sign = -1 if score == SCORE else 1
    out = {}
    by_context: dict[str, list] = {}
    for r in result.rows:
        if r["size"] == 1:
            by_context.setdefault(r["context"], []).append((sign * (r[f"share_{score}"]), r["intervention"]))
    for context, rows in by_context.items():
        control = next(r[f"share_{score}"] for r in result.rows if r["context"] == context and r["size"] == 0)
        best = max(v for v, _ in rows)
        tied = [name for v, name in rows if abs(v - best) < 1e-12]
        out[context] = (len(tied), sign * best - control, tied)
    return out


def outcome_counts(net, context: str, perturbation: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Attractors reached under the pulse and how many carry each phenotype."""
    from signet.dynamics.schedule import run_schedule
    from signet.phenotypes import parse_phenotypes, phenotype_value

    final = run_schedule(net, net.annotations.schedule, "mp", context=context, perturbation=perturbation).final
    phenotypes = parse_phenotypes(net.annotations.phenotypes)
    counts = Counter()
    for a in final.attractors:
        for p, e in phenotypes.items():
            if phenotype_value(e, a.space) == 1:
                counts[p] += 1
    n = len(final.attractors)
    return {"attractors": n, **{p: counts[p] for p in phenotypes}}


def intrinsic_death(counts: Mapping[str, int]) -> Fraction:
    """Share of cell-intrinsic death among the fates that are not immune clearance."""
    rest = counts["attractors"] - counts["ImmuneClearance"]
    return Fraction(counts["Death"], rest) if rest else Fraction(0)


def context_check(net) -> list[dict[str, Any]]:
    """Each radioresistant context against ``wildtype`` under the pulse."""
    wt = outcome_counts(net, "wildtype")
    rows = []
    for context, kind in RESISTANT.items():
        c = outcome_counts(net, context)
        n, n0 = c["attractors"], wt["attractors"]
        row = {
            "context": context,
            "kind": kind,
            "death": Fraction(c["Death"], n), "death_wt": Fraction(wt["Death"], n0),
            "intrinsic": intrinsic_death(c), "intrinsic_wt": intrinsic_death(wt),
            "survival": Fraction(c["ClonogenicSurvival"], n), "survival_wt": Fraction(wt["ClonogenicSurvival"], n0),
            "immune": Fraction(c["ImmuneClearance"], n), "immune_wt": Fraction(wt["ImmuneClearance"], n0),
            "counts": c,
        }
        if kind == "intrinsic":
            row["resistant"] = row["intrinsic"] < row["intrinsic_wt"]
        else:
            row["resistant"] = row["immune"] < row["immune_wt"] and row["survival"] > row["survival_wt"]
        rows.append(row)
    return rows


def agent_effects(result, score: str = SCORE) -> dict[str, dict[str, float]]:
    """``{context: {agent text: change in score}}`` for the single druggable agents."""
    out: dict[str, dict[str, float]] = {}
    for r in result.rows:
        if r["size"] == 0 or len(r["agents"]) != 1:
            continue
        out.setdefault(r["context"], {})[r["agents"][0]] = r["score"]
    return out


def drug_ranks(result, score: str = SCORE) -> dict[str, dict[str, Any]]:
    """Rank of the matched drug class among the single agents of each context.

    Agents are ranked by their loss of clonogenic survival (competition ranking: an agent's
    rank is one more than the number of agents strictly better); a class's rank is that of
    its best agent.  The therapeutic gain is the agent's loss of survival in the tumour
    context minus its loss in ``normal_tissue``.
    """
    effects = agent_effects(result, score)
    normal = effects.get("normal_tissue", {})
    out = {}
    for context, (klass, agents) in MATCHED.items():
        eff = effects[context]
        loss = {a: -v for a, v in eff.items()}
        ranked = sorted(loss.items(), key=lambda kv: -kv[1])
        ranks = {a: 1 + sum(1 for b in loss.values() if b > loss[a] + 1e-12) for a in loss}
        present = [a for a in agents if a in ranks]
        best = min(present, key=lambda a: ranks[a])
        out[context] = {
            "class": klass,
            "agent": best,
            "rank": ranks[best],
            "agents": len(loss),
            "loss": loss[best],
            "gain": loss[best] - (-normal.get(best, 0.0)),
            "top": ranked[:10],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--db", default=":memory:", help="SQLite file of finished screen rows (resumable)")
    parser.add_argument("--only", choices=("context", "drugs", "singles"), default=None)
    args = parser.parse_args(argv)
    net = load(args.model)
    if args.only in (None, "context"):
        for row in context_check(net):
            print(f"{row['context']:14s} {row['kind']:9s} death {row['death']} vs {row['death_wt']}  "
                  f"intrinsic {row['intrinsic']} vs {row['intrinsic_wt']}  survival {row['survival']} vs "
                  f"{row['survival_wt']}  immune {row['immune']} vs {row['immune_wt']}  "
                  f"{'resistant' if row['resistant'] else 'NOT resistant'}")
    if args.only in (None, "drugs"):
        drugs = run_screen(net, druggable=True, db=args.db, workers=args.workers, progress=True)
        for context, info in drug_ranks(drugs).items():
            print(f"{context:12s} {info['class']}: {info['agent']} rank {info['rank']}/{info['agents']} "
                  f"loss {info['loss']:.3f} gain {info['gain']:.3f}")
            for agent, loss in info["top"]:
                print(f"    {loss:+.3f} {agent}")
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
