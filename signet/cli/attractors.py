"""``signet attractors``: the cell fates of a model, under a chosen update scheme."""

from __future__ import annotations

import click

from . import echo_json, json_option, load_model, model_argument

UPDATE_CHOICE = click.Choice(["mp", "async", "sync"])
#: Text output shows at most this many attractors unless --limit says otherwise.
DISPLAY_ROWS = 100


def perturbation_options(func):
    """``--context``, ``--fix``, ``--ko``, ``--oe``, ``--treat`` (shared by attractors and simulate)."""
    func = click.option("--treat", is_flag=True,
                        help="Fix the model's treatment inputs (metadata 'treatment', e.g. RT=1).")(func)
    func = click.option("--oe", multiple=True, metavar="NODE", help="Over-express NODE (fix it to 1). Repeatable.")(func)
    func = click.option("--ko", multiple=True, metavar="NODE", help="Knock NODE out (fix it to 0). Repeatable.")(func)
    func = click.option("--fix", "fixes", multiple=True, metavar="NODE=0|1",
                        help="Fix NODE to a value; 'A=1,B=0' fixes several. Repeatable.")(func)
    func = click.option("--context", "-c", default=None, metavar="NAME", help="Apply a context stored with the model.")(func)
    return func


def from_option(func):
    return click.option(
        "--from", "start", default=None, metavar="baseline|STATE",
        help="Only the attractors reachable from a start: 'baseline' (the attractors of the same context with "
             "the model's baseline inputs fixed) or a partial state 'A=1,B=0' (unlisted nodes take all values).",
    )(func)


def perturbed_network(network, context, fixes, ko, oe, treat):
    """Apply ``--context``, ``--treat``, ``--fix``, ``--ko``, ``--oe`` (in that order; later wins)."""
    from ..errors import ModelError
    from ..model import parse_assignment

    values: dict[str, int] = {}
    if treat:
        if not network.annotations.treatment:
            raise ModelError("--treat: the model's metadata declares no treatment inputs")
        values.update(network.resolve_assignment(network.annotations.treatment))
    for text in fixes:
        values.update(network.resolve_assignment(parse_assignment(text)))
    return network.perturb(
        context=context,
        fix=values,
        ko=[network.resolve(n) for n in ko],
        oe=[network.resolve(n) for n in oe],
    )


def start_states(network, start, update, context):
    """Resolve ``--from``: ``None``, the baseline states, or one partial state."""
    if start is None:
        return None
    if start.strip().lower() == "baseline":
        from ..dynamics import baseline_starts
        from ..errors import ModelError

        if not network.annotations.baseline:
            raise ModelError("--from baseline: the model's metadata declares no baseline inputs")
        return baseline_starts(network, update, context=context)
    from ..model import parse_assignment

    return [network.resolve_assignment(parse_assignment(start))]


def render_table(network, result, phenotypes, shares=None) -> str:
    """A text table: one row per attractor; the nodes that differ between attractors, and phenotypes
    (``shares``: the phenotype shares to print, default those of the rows)."""
    rows = result.attractors
    nodes = list(network.nodes)
    lines = []
    if not rows:
        return "no attractor"
    varying = [n for n in nodes if len({str(a.space[n]) for a in rows}) > 1]
    same = [n for n in nodes if n not in varying]
    if len(rows) == 1:
        varying, same = nodes, []
    # a node named like a phenotype (``Death``) is already shown in the phenotype columns
    varying = [n for n in varying if n not in phenotypes]
    values = result.phenotype_values(phenotypes) if phenotypes else [{} for _ in rows]
    header = ["#", "kind", "states"] + list(phenotypes) + varying
    table = []
    for i, (a, pv) in enumerate(zip(rows, values), start=1):
        table.append([str(i), a.kind, str(a.states)] + [str(pv[p]) for p in phenotypes] + [str(a.space[n]) for n in varying])
    widths = [max(len(h), *(len(r[k]) for r in table)) for k, h in enumerate(header)]
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    for r in table:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    if same:
        lines.append("")
        lines.append("same in all: " + network.format_space({n: rows[0].space[n] for n in same}))
    if phenotypes:
        shares = result.shares(phenotypes) if shares is None else shares
        lines.append("phenotype shares: " + ", ".join(f"{p} {v:.2f}" for p, v in shares.items()))
        lines.append("(1: in the whole attractor; 0: never; *: only in part of it)")
    return "\n".join(lines)


@click.command()
@model_argument
@click.option("--update", "-u", type=UPDATE_CHOICE, default="mp", show_default=True,
              help="Update scheme: mp (most permissive: minimal trap spaces), async (fully asynchronous), sync.")
@perturbation_options
@from_option
@click.option("--engine", type=click.Choice(["auto", "explicit", "aeon", "asp", "succession"]), default="auto",
              show_default=True, help="Analysis engine (auto picks an exact, fast one by estimated cost).")
@click.option("--format", "format_", default=None, help="Input format if the extension does not tell.")
@click.option("--count", "count_only", is_flag=True,
              help="Print only the exact number of attractors (counted by decomposition, without listing them).")
@click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N",
              help="Stop after N attractors (0: no limit). Without it, text output shows at most "
                   f"{DISPLAY_ROWS} rows and says how many there are.")
@click.option("--json-lines", "json_lines", is_flag=True,
              help="Stream one JSON object per attractor as it is found (with its input values), then a "
                   "summary line; the first attractors appear before the others are computed.")
@click.option("--by-inputs", "by_inputs", is_flag=True,
              help="Group the attractors by the values of the free inputs (text: a table per input valuation).")
@json_option
def attractors(model, update, context, fixes, ko, oe, treat, start, engine, format_, count_only, limit, json_lines,
               by_inputs, as_json):
    """List the attractors (cell fates) of MODEL, exactly.

    Perturbations (--context, --treat, --fix, --ko, --oe) are applied first and
    constants percolated, so a perturbed network is analysed at its reduced size.
    Each attractor is labelled with the model's phenotypes: 1 if the phenotype
    holds in the whole attractor, * if it holds in part of it only.

    A model with k free inputs has at least 2**k attractors (an input never
    changes): --count counts them without listing, --by-inputs groups them by
    input valuation, --json-lines streams them as found, --limit stops early.
    Long runs show progress on stderr.

    \b
    Examples:
      signet attractors networks/atm_p53_core.bnet --update async
      signet attractors networks/atm_p53_core.bnet --treat --ko MDM2 --from baseline --json
      signet attractors model.bnet --from "ATM=1,TP53=0" --update sync
      signet attractors big.bnet --update async --count
      signet attractors big.bnet --update async --json-lines --limit 10
    """
    from ..dynamics import attractors as compute
    from ..phenotypes import parse_phenotypes

    network = load_model(model, format_)
    phenotypes = dict(network.annotations.phenotypes)
    parse_phenotypes(phenotypes, network.nodes)
    starts = start_states(network, start, update, context)
    perturbed = perturbed_network(network, context, fixes, ko, oe, treat)
    if count_only or json_lines or by_inputs or limit is not None:
        from .attractors_stream import stream_output

        stream_output(network, perturbed, update, starts, engine, phenotypes,
                      count_only=count_only, limit=limit, json_lines=json_lines, by_inputs=by_inputs,
                      as_json=as_json)
        return
    result = compute(perturbed, update, start=starts, engine=engine)
    if as_json:
        echo_json(result.to_json(phenotypes))
        return
    n = len(result.attractors)
    note = "" if result.exact else f"  APPROXIMATE: {result.note}"
    click.echo(f"{n} attractor{'s' if n != 1 else ''} ({update}, engine {result.engine}){note}")
    if n > DISPLAY_ROWS:
        from dataclasses import replace

        shares = result.shares(phenotypes)
        result = replace(result, attractors=result.attractors[:DISPLAY_ROWS])
        click.echo(render_table(network, result, phenotypes, shares))
        click.echo(f"... {n - DISPLAY_ROWS} more not shown: --limit 0 shows all, --json lists all, "
                   "--by-inputs groups them by input valuation")
        return
    click.echo(render_table(network, result, phenotypes))
