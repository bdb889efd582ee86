"""Figures are written, readable as images, and bad inputs are clear errors."""

from __future__ import annotations

import pytest

from click.testing import CliRunner

from signet.cli import main

from test_screen_support import write_small_model


def _image_size(path):
    import matplotlib.image as mpimg

    return mpimg.imread(path).shape


def test_plot_commands(tmp_path):
    model = write_small_model(tmp_path)
    runner = CliRunner()
    table = tmp_path / "s.csv"
    assert runner.invoke(main, ["screen", str(model), "-c", "all", "--max-size", "2", "--workers", "1",
                                "--out", str(table), "-q"]).exit_code == 0
    for args, name in [
        (["plot", "screen", str(table)], "screen.png"),
        (["plot", "attractors", str(model), "-c", "wildtype", "--response"], "att.png"),
        (["plot", "attractors", str(model), "--fix", "RT=1"], "att2.png"),
        (["plot", "network", str(model)], "net.png"),
    ]:
        res = runner.invoke(main, args + ["-o", str(tmp_path / name)])
        assert res.exit_code == 0, res.output
        h, w = _image_size(tmp_path / name)[:2]
        assert h > 200 and w > 200
    res = runner.invoke(main, ["plot", "network", str(model), "-o", str(tmp_path / "n.svg")])
    assert res.exit_code == 0 and (tmp_path / "n.svg").read_text().lstrip().startswith("<?xml")
    res = runner.invoke(main, ["plot", "network", str(model), "-o", str(tmp_path / "n.gif")])
    assert res.exit_code == 1 and "format" in res.output
    res = runner.invoke(main, ["plot", "screen", str(model), "-o", str(tmp_path / "x.png")])
    assert res.exit_code == 1 and "not a signet screen table" in res.output


@pytest.mark.parametrize(
    "args",
    [
        ["plot", "network", "{model}", "-o", "{tmp}/missing/fig.png"],
        ["export", "{model}", "--to", "sbml", "-o", "{tmp}/missing/m.sbml"],
        ["convert", "{model}", "{tmp}/missing/m.bnet"],
    ],
)
def test_writing_into_a_missing_folder_is_one_clear_line(tmp_path, args):
    from click.testing import CliRunner

    from conftest import NETWORKS
    from signet.cli import main

    argv = [a.format(model=NETWORKS / "atm_p53_core.bnet", tmp=tmp_path) for a in args]
    out = CliRunner().invoke(main, argv)
    assert out.exit_code == 1
    assert out.output.strip().splitlines() == [f"Error: cannot write {argv[-1]}: directory {tmp_path / 'missing'} does not exist"]
    assert not (tmp_path / "missing").exists()


def test_figures_leave_the_backend_and_pyplot_alone():
    """No global backend switch (issue 14): the user's backend stays, no pyplot figure is left open."""
    import matplotlib
    import matplotlib.pyplot as plt

    from signet.io.bnet import parse_bnet
    from signet.plot import network_figure

    previous = matplotlib.get_backend()
    plt.close("all")
    try:
        matplotlib.use("svg", force=True)  # a backend signet would have replaced with Agg
        fig = network_figure(parse_bnet("A, A\nB, A & !C\nC, B"))
        assert matplotlib.get_backend() == "svg"
        assert plt.get_fignums() == []
        assert type(fig).__name__ == "Figure" and len(fig.axes) == 1
    finally:
        matplotlib.use(previous, force=True)


def test_screen_figure_marks_the_therapeutic_gain(tmp_path):
    from signet.plot import read_screen_csv, screen_figure

    model = write_small_model(tmp_path)
    table = tmp_path / "g.csv"
    res = CliRunner().invoke(main, ["screen", str(model), "-c", "TP53_mutant", "--reference", "wildtype",
                                    "--workers", "1", "--out", str(table), "-q"])
    assert res.exit_code == 0, res.output
    rows = read_screen_csv(table)
    assert all(isinstance(r["gain"], float) for r in rows)
    ax = screen_figure(rows).axes[0]
    (markers,) = ax.collections  # one diamond per bar, at the row's gain
    shown = sorted((r for r in rows if r["size"] == 1), key=lambda r: -r["score"])[::-1]
    assert [x for x, _ in markers.get_offsets()] == [r["gain"] for r in shown]
    assert "therapeutic gain" in [t.get_text() for t in ax.get_legend().get_texts()][0]


def test_screen_plot_names_the_score_it_was_given(tmp_path):
    """The axis says what the score measures (the CSV does not record the phenotype): no 'Death' by default."""
    from signet.plot import read_screen_csv, screen_figure

    model = write_small_model(tmp_path)
    table = tmp_path / "s.csv"
    res = CliRunner().invoke(main, ["screen", str(model), "-c", "TP53_mutant", "--max-size", "2", "--workers", "1",
                                    "--out", str(table), "-q"])
    assert res.exit_code == 0, res.output
    rows = read_screen_csv(table)
    default = screen_figure(rows)
    assert "Death" not in default.axes[0].get_xlabel()
    named = screen_figure(rows, score_label="loss of ClonogenicSurvival share")
    assert named.axes[0].get_xlabel().startswith("loss of ClonogenicSurvival share")
    if len(named.axes) > 1:  # the heatmap's colour bar
        assert "loss of ClonogenicSurvival share" in named.axes[-1].get_ylabel()
    out = tmp_path / "s.png"
    res = CliRunner().invoke(main, ["plot", "screen", str(table), "-o", str(out), "--score-label", "loss of X"])
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 0
