"""``signet validate``: check a model against its literature expectations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from . import echo_json, json_option, load_model, model_argument

if TYPE_CHECKING:  # pragma: no cover
    from ..expectations import Expectation
    from ..validate import ClaimCase, ValidationResult


def _share(case: ClaimCase | None) -> str:
    if case is None:
        return "-"
    if case.result.probabilities is not None:
        lo, hi = case.interval
        return f"{case.value:.3f}" + (f" [{lo:.3f}, {hi:.3f}]" if hi > lo else " (exact)")
    return f"{case.share:.2f} ({case.count}/{case.attractors})"


def render_table(result: ValidationResult) -> str:
    """One row per claim: id, PASS/FAIL, phenotype, shares (or probabilities), expectation, references."""
    rows = [("claim", "result", "phenotype", "case", "reference", "expect", "refs")]
    for r in result.results:
        e = r.expectation
        verdict = ("PASS" if r.passed else "FAIL") + ("+" if r.second_look else "")
        rows.append((e.id, verdict, e.phenotype, _share(r.case), _share(r.reference), e.expect, ",".join(e.refs)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1])
    return "\n".join(line.rstrip() for line in lines)


def select_claims(claims: list[Expectation], claim_ids: tuple[str, ...], refs: tuple[str, ...],
                  path: object) -> list[Expectation]:
    """The claims ``--claim`` and ``--ref`` select (all when neither is given), in file order.

    Examples
    --------
    >>> from signet.expectations import Case, Expectation
    >>> a = Expectation("a", "RT kills", ("12", "15"), "Death", Case(), None, "positive")
    >>> b = Expectation("b", "no ferroptosis", ("254",), "Ferroptosis", Case(), None, "zero")
    >>> [c.id for c in select_claims([a, b], (), ("254",), "claims.yaml")]
    ['b']
    >>> [c.id for c in select_claims([a, b], ("a",), ("254",), "claims.yaml")]
    ['a', 'b']
    >>> select_claims([a, b], (), ("999",), "claims.yaml")
    Traceback (most recent call last):
    ...
    signet.errors.ModelError: --ref: no claim of claims.yaml cites reference 999
    """
    from ..errors import ModelError

    if not claim_ids and not refs:
        return list(claims)
    known = {c.id for c in claims}
    unknown = [i for i in claim_ids if i not in known]
    if unknown:
        raise ModelError(f"--claim: {path} has no claim {', '.join(map(repr, unknown))}")
    cited = {str(r).strip() for c in claims for r in c.refs}
    uncited = [r for r in refs if r.strip() not in cited]
    if uncited:
        raise ModelError(f"--ref: no claim of {path} cites reference {', '.join(uncited)}")
    wanted_refs = {r.strip() for r in refs}
    return [c for c in claims if c.id in set(claim_ids) or wanted_refs & {str(r).strip() for r in c.refs}]


@click.command()
@model_argument
@click.option("--expectations", "-e", "expectations_file", type=click.Path(dir_okay=False), default=None,
              help="Expectations YAML (default: MODEL's stem + .expectations.yaml beside MODEL).")
@click.option("--update", type=click.Choice(["mp", "async"]), default=None,
              help="Update scheme of the dynamics (default mp; async for --metric probability).")
@click.option("--metric", type=click.Choice(["share", "probability"]), default=None,
              help="What a case's value is: the share of the attractors reached that carry the phenotype, or "
                   "the fate probability of the asynchronous chain (exact on small chains, else simulated; an "
                   "increase or decrease must then clear both 95% intervals).  Default: the model's metric "
                   "(metadata screen_metric: the radioresistance model's is probability), else share; with --update, "
                   "share.")
@click.option("--runs", type=click.IntRange(min=1), default=None,
              help="Trajectories per simulated case under --metric probability and of read: course claims "
                   "(default 2401: intervals of at most +-0.02).")
@click.option("--second-look", type=click.IntRange(min=0), default=None, metavar="RUNS",
              help="Trajectories of a second look at a simulated increase or decrease whose 95% intervals overlap "
                   "at --runs (default 4 x --runs: intervals half as wide); its two cases are simulated again and "
                   "the claim is decided on them, marked in the table.  0 (or any number up to --runs) for none.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the simulated cases.")
@click.option("--schedule", "-s", "schedule", default=None, metavar="PHASES",
              help="Run the treated cases (inputs giving a node its first-phase value, e.g. RT: 1) under a "
                   "treatment schedule such as 'RT=1 ; RT=0' instead (default: the model's own schedule, if its "
                   "treatment is one).")
@click.option("--claim", "claim_ids", multiple=True, metavar="ID", help="Check only this claim. Repeatable.")
@click.option("--ref", "refs", multiple=True, metavar="REF",
              help="Check only the claims that cite this reference (a number of the model's reference list, "
                   "as in the refs column). Repeatable; with --claim, a claim is checked if either selects it.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@json_option
def validate(model: str, expectations_file: str | None, update: str | None, metric: str | None, runs: int | None,
             second_look: int | None, seed: int, schedule: str | None, claim_ids: tuple[str, ...],
             refs: tuple[str, ...], quiet: bool, as_json: bool) -> None:
    """Check MODEL against literature claims; exit 1 if any claim fails.

    Each claim compares the share of a phenotype (the fraction of the attractors the
    treated, perturbed cell reaches from its untreated states that carry it) in a
    case with its share in a reference case (increase, decrease), or with 0 or 1
    (zero, positive, all).  The table shows each claim with both shares as
    'share (attractors with the phenotype/attractors)'.  With --metric probability
    it compares fate probabilities instead (shown with their 95% intervals);
    claims that read a transient (read: reachable) keep most-permissive
    reachability, and claims about a speed (read: course, at: T) read the
    probability that the phenotype holds T time units after the treatment's last
    phase starts (with --runs trajectories when the chain is too large).  A
    simulated increase or decrease whose intervals overlap is decided on a second
    look with more trajectories (--second-look), marked PASS+ or FAIL+.

    \b
    Examples:
      signet validate networks/radioresistance.bnet
      signet validate networks/radioresistance.bnet --update async --json
      signet validate my_model.bnet -e my_claims.yaml --claim atm_ko_sensitizes
      signet validate networks/radioresistance.bnet --ref 254
      signet validate networks/radioresistance.bnet --schedule "(RT=1 ; RT=0) x 5"
      signet validate networks/radioresistance.bnet --metric probability
    """
    from ..io.expectations import expectations_path, read_expectations
    from ..validate import validate as run_validate
    from .output import progress_bar

    network = load_model(model)
    path = expectations_file or expectations_path(model)
    claims = select_claims(read_expectations(path, network), claim_ids, refs, path)
    with progress_bar(not quiet, "validate", "case") as progress:
        result = run_validate(network, claims, update=update, progress=progress, schedule=schedule, metric=metric,
                              runs=runs, seed=seed, second_look=second_look)
    if as_json:
        data = {"model": str(model), "expectations": str(path), **result.to_json()}
        echo_json(data)
    else:
        click.echo(render_table(result))
        if result.second_looks:
            click.echo(f"+ decided on a second look ({result.second_look_runs} trajectories; the intervals "
                       "overlapped at the first): " + ", ".join(r.expectation.id for r in result.second_looks))
        semantics = f"{result.update} update" + (", fate probabilities" if result.metric == "probability" else "")
        click.echo(f"{result.summary()} ({semantics}, {len(result.cases)} distinct cases, "
                   f"{result.seconds:.1f} s)")
    if not result.all_passed:
        failed = result.failed
        raise click.ClickException(
            f"{len(failed)} of {len(result.results)} claims fail: " + ", ".join(r.expectation.id for r in failed)
        )
