"""The ``signet`` command line.

Commands live in their own modules and are imported only when run, so that
``signet --help`` answers without loading numpy, sympy or networkx.  Each command
reads its input, calls one library function and formats the output; ``--json`` gives
machine-readable output.  Any :class:`~signet.errors.SignetError` becomes a one-line
message and exit status 1.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

from .. import __version__

if TYPE_CHECKING:  # pragma: no cover
    from ..model import BooleanNetwork

#: a command function, as the option decorators take and return it
F = TypeVar("F", bound=Callable[..., Any])

#: command name -> ("module", "function", "one-line help shown by signet --help")
COMMANDS: dict[str, tuple[str, str, str]] = {
    "info": ("signet.cli.info", "info", "Summarise a model: nodes, inputs, constants, outputs, signed edges."),
    "convert": ("signet.cli.convert", "convert", "Convert a model between file formats."),
    "export": (
        "signet.cli.export", "export",
        "Write a model, with a context or perturbations applied, for another tool.",
    ),
    "attractors": (
        "signet.cli.attractors", "attractors",
        "Exact attractors (cell fates) under sync, async or most-permissive update.",
    ),
    "simulate": (
        "signet.cli.simulate", "simulate",
        "Fate probabilities by stochastic simulation (Gillespie, with confidence intervals).",
    ),
    "basins": (
        "signet.cli.basins", "basins",
        "Basins of attraction over all states: sync basins, async strong/weak basins.",
    ),
    "probabilities": (
        "signet.cli.simulate", "probabilities",
        "Exact fate probabilities of the asynchronous Markov chain (with rates).",
    ),
    "screen": (
        "signet.cli.screen", "screen",
        "Screen knockouts, over-expressions and combinations as radiosensitizers.",
    ),
    "control": ("signet.cli.control", "control", "Minimal perturbation sets that force a phenotype (e.g. Death)."),
    "plot": (
        "signet.cli.plot", "plot",
        "Figures: screen ranking and synergy, attractors, interaction graph, time courses.",
    ),
    "timecourse": (
        "signet.cli.timecourse", "timecourse",
        "Probability of each phenotype and node over time under a schedule (table, CSV, JSON).",
    ),
    "query": (
        "signet.cli.query", "query",
        "CTL temporal-logic queries (AF Death, EF ..., A[p U q]) on the asynchronous dynamics.",
    ),
    "validate": (
        "signet.cli.validate", "validate",
        "Check a model against its literature expectations (pass/fail per claim).",
    ),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when the command runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr, _help = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """Run the command line; every error is one ``Error: ...`` line and exit status 1.

        Click reports a usage error (a bad option value, an unknown option) with a usage
        hint and exit status 2; signet reports it like any other bad input: one line
        naming the option, exit status 1.
        """
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            message = " ".join(exc.format_message().split())
            click.echo(f"Error: {message}", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import SignetError

        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    return super().invoke(ctx)
                finally:
                    _show_warnings(caught)
        except SignetError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


def _show_warnings(caught: list[warnings.WarningMessage]) -> None:
    from ..errors import SignetWarning

    seen = set()
    for w in caught:
        if issubclass(w.category, SignetWarning):
            text = str(w.message)
            if text not in seen:
                seen.add(text)
                click.echo(f"warning: {text}", err=True)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="signet")
def main() -> None:
    """signet: Boolean network models of cancer radioresistance.

    Find the cell fates (attractors) of a model, screen knockouts and
    over-expressions for radiosensitizers, and exchange models with other tools.

    \b
    Examples:
      signet info networks/atm_p53_core.bnet
      signet info networks/atm_p53_core.bnet --json
      signet convert model.bnet model_normalised.bnet

    Run 'signet COMMAND --help' for a command's options.
    """


# options shared by many commands ------------------------------------------------------
def json_option(func: F) -> F:
    """``--json``: print machine-readable JSON instead of a table."""
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of text.")(func)


def model_argument(func: F) -> F:
    """The MODEL argument (a model file; its .yaml metadata beside it is read too)."""
    return click.argument("model", type=click.Path(dir_okay=False))(func)


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON."""
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def load_model(path: str, format: str | None = None) -> BooleanNetwork:
    """Read a model (and its metadata) for a command."""
    from ..io import read_model

    return read_model(path, format)


def check_outputs(inputs: Any, outputs: Any) -> None:
    """Refuse, before any work, an output file that is one of the inputs (see :func:`signet.io.files.check_outputs`)."""
    from ..io.files import check_outputs as check

    check(inputs, outputs)
