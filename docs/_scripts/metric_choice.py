"""Which screen metric is closest to clonogenic survival on the radioresistance model (issue 13).

For every metric of ``signet screen --metric`` (share, inevitable, possible, probability)
the druggable single agents are screened in the five contexts that have a
mechanism-matched drug class (:data:`model_figures.MATCHED`), under the model's own
treatment (the pulse ``RT=1 ; RT=0``), scored by the loss of ``ClonogenicSurvival``
(``--score ClonogenicSurvival=0``: radiosensitization).  Per context and metric it reports

* **ties**: how many agents share the best loss (exactly; for ``probability`` also how
  many cannot be told from the best by their 95% intervals);
* **rank**: the competition rank of the best agent of the matched class among the
  agents (1 + the number of agents with a strictly larger loss), how many agents share
  its value, and its loss; and the survival value under the treatment alone;
* for ``probability`` the rank the intervals guarantee (1 + agents whose loss interval
  lies wholly above the matched agent's).

Usage::

    python docs/_scripts/metric_choice.py [--workers N] [--json FILE]

Not a test: it prints the tables docs/screening.md quotes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import model_figures as mf  # noqa: E402

METRICS = ("share", "inevitable", "possible", "probability")
SCORE = "ClonogenicSurvival=0"


def screen_metric(net: Any, metric: str, workers: int) -> tuple[Any, float]:
    """The druggable screen of the matched contexts under ``metric``, and its wall time."""
    from signet.screen import screen

    started = time.perf_counter()
    result = screen(net, contexts=list(mf.MATCHED), targets=mf.perturbable(net), druggable=True, metric=metric,
                    score=SCORE, db=":memory:", workers=workers)
    return result, time.perf_counter() - started


def summary(result: Any, net: Any, metric: str) -> dict[str, dict[str, Any]]:
    """Per context: ties at the best loss, and the matched class's rank (see the module docstring)."""
    targets = mf.agent_targets(net)
    out: dict[str, dict[str, Any]] = {}
    for context, (klass, agents) in mf.MATCHED.items():
        rows = [r for r in result.rows if r["context"] == context and r["size"] >= 1]
        best = max(r["score"] for r in rows)
        ties = sum(1 for r in rows if abs(r["score"] - best) < 1e-12)
        matched = [r for r in rows for agent in agents
                   if agent in {mf._agent_name(a) for a in r["agents"]} and targets.get(agent) == mf._perturbations(r)]
        rank_of = {id(r): 1 + sum(1 for o in rows if o["score"] > r["score"] + 1e-12) for r in rows}
        top = min(matched, key=lambda r: rank_of[id(r)])
        control = next(r for r in result.rows if r["context"] == context and r["size"] == 0)
        item: dict[str, Any] = {
            "class": klass, "agent": top["intervention"], "agents": len(rows), "ties": ties,
            "best": best, "rank": rank_of[id(top)], "loss": top["score"],
            "tied_with_agent": sum(1 for r in rows if abs(r["score"] - top["score"]) < 1e-12),
            "control": control[f"{metric}_ClonogenicSurvival"],
        }
        if metric == "probability":
            best_row = max(rows, key=lambda r: r["score"])
            item["indistinguishable"] = sum(1 for r in rows if r["score_hi"] >= best_row["score_lo"])
            item["sure_rank"] = 1 + sum(1 for r in rows if r["score_lo"] > top["score_hi"])
            item["loss_interval"] = [top["score_lo"], top["score_hi"]]
        out[context] = item
    return out


def table(found: dict[str, dict[str, dict[str, Any]]]) -> str:
    """The markdown table of docs/screening.md: one row per context, one column group per metric."""
    lines = ["| context (matched class) | " + " | ".join(found) + " |",
             "|---|" + "---|" * len(found)]
    for context, (klass, _agents) in mf.MATCHED.items():
        cells = []
        for metric, per in found.items():
            s = per[context]
            cell = (f"rank {s['rank']}/{s['agents']} ({s['loss']:+.3f}, {s['tied_with_agent']} at its value); "
                    f"top ties {s['ties']}")
            if metric == "probability":
                cell += f" ({s['indistinguishable']} within CI); sure rank {s['sure_rank']}"
            cells.append(cell)
        lines.append(f"| {context} ({klass}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--metrics", default=",".join(METRICS))
    parser.add_argument("--json", default=None, help="also write the numbers to this file")
    args = parser.parse_args(argv)
    net = mf.load()
    found: dict[str, dict[str, dict[str, Any]]] = {}
    times = {}
    for metric in args.metrics.split(","):
        result, seconds = screen_metric(net, metric, args.workers)
        found[metric] = summary(result, net, metric)
        times[metric] = seconds
        print(f"{metric}: {len(result.rows)} rows in {seconds:.1f} s (workers {args.workers})", flush=True)
        for context, s in found[metric].items():
            print(f"  {context:12s} survival alone {s['control']:.3f} ties {s['ties']:2d} best {s['best']:+.3f}  "
                  f"{s['agent']:<28s} rank {s['rank']}/{s['agents']} ({s['tied_with_agent']} at its value) "
                  f"loss {s['loss']:+.3f}"
                  + (f" CI [{s['loss_interval'][0]:+.3f}, {s['loss_interval'][1]:+.3f}] within-CI ties "
                     f"{s['indistinguishable']} sure rank {s['sure_rank']}" if metric == "probability" else ""),
                  flush=True)
    print()
    print(table(found))
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": found, "seconds": times}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
