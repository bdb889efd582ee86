"""Screens under hostile conditions: paths from model content, outputs over inputs, foreign or
damaged checkpoints, spreadsheet formulas, a full disk, signals and killed parents.

Every case asserts what the user sees (exit status 1, one line on stderr, no traceback)
and what is left on disk (inputs untouched, checkpoints intact and resumable).  Commands
run as subprocesses (``signet ...``) where exit status, signals and files matter.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from signet.annotations import Annotations, Drug, NodeInfo
from signet.io.bnet import parse_bnet
from signet.screen import ScreenStoreError, screen
from signet.screen.core import default_db_path
from signet.screen.store import ScreenStore

from conftest import NETWORKS
from test_screen_support import write_small_model

RR = NETWORKS / "radioresistance.bnet"


def signet(*args, cwd=None):
    """Run a ``signet`` command in this process (click's runner): status, stdout, stderr."""
    from types import SimpleNamespace

    from click.testing import CliRunner

    from signet.cli import main

    before = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(before)
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def signet_process(*args, cwd=None, preexec_fn=None, timeout=300):
    """Run the ``signet`` command of this checkout in a new process."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.run(
        [sys.executable, "-c", "from signet.cli import main; main()", *map(str, args)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, preexec_fn=preexec_fn,
    )


def one_line_error(result, *fragments):
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- names derived from model content ----------------------------------------------------------
@pytest.mark.parametrize("name", ["../../../escape", "/tmp/absolute", "a/b\\c", "..", "", ".hidden", "nul\x00byte"])
def test_default_checkpoint_name_stays_in_the_current_folder(name):
    path = default_db_path(parse_bnet("A, A\n", name=name), None)
    assert os.sep not in path and "/" not in path and "\\" not in path and "\x00" not in path
    assert ".." not in path and not path.startswith(".")
    assert path.endswith(".screen.sqlite")


def test_sbml_model_name_cannot_place_the_checkpoint_elsewhere(tmp_path):
    from signet.io import write_model

    model = write_small_model(tmp_path)
    sbml = tmp_path / "evil.sbml"
    write_model(parse_bnet(model.read_text(), name="../../outside"), sbml)
    text = sbml.read_text()
    assert 'name="../../outside"' in text  # the name travels in the file
    sbml.write_text(text)
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    (work / "evil.yaml").write_text((tmp_path / "small.yaml").read_text())
    os.replace(sbml, work / "evil.sbml")
    result = signet("screen", "evil.sbml", "--workers", "1", "-q", "--json", cwd=work)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["db"] == "outside.screen.sqlite"
    assert (work / "outside.screen.sqlite").exists()
    assert not (tmp_path / "outside.screen.sqlite").exists() and not (tmp_path.parent / "outside.screen.sqlite").exists()


# -- outputs over inputs -------------------------------------------------------------------------
def test_out_or_db_over_the_model_is_refused_and_the_model_kept(tmp_path):
    model = write_small_model(tmp_path)
    meta = model.with_suffix(".yaml")
    before = digest(model), digest(meta)
    link = tmp_path / "link.csv"
    os.link(model, link)
    cases = [
        (["--out", model], "--out", "is the model"),
        (["--out", link], "--out", "is the model"),  # a hard link of it
        (["--out", meta], "--out", "is the model's metadata"),
        (["--db", model], "--db", "is the model"),
        (["--db", tmp_path / "x.csv", "--out", tmp_path / "x.csv"], "--db", "is --out"),
    ]
    for extra, option, what in cases:
        result = signet("screen", model, "--workers", "1", "-q", *extra)
        one_line_error(result, option, what, "nothing was written")
    assert (digest(model), digest(meta)) == before
    assert not list(tmp_path.glob("*.sqlite")) and not (tmp_path / "x.csv").exists()


# -- foreign and damaged checkpoints -------------------------------------------------------------
def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE people (name TEXT, age INTEGER)")
        con.execute("INSERT INTO people VALUES ('ada', 36)")
    con.close()


@pytest.mark.parametrize("kind", ["foreign sqlite", "text", "signet-like tables without fingerprint"])
def test_a_db_that_is_not_a_checkpoint_is_refused_untouched(tmp_path, kind):
    model = write_small_model(tmp_path)
    db = tmp_path / "other.sqlite"
    if kind == "foreign sqlite":
        _foreign_sqlite(db)
    elif kind == "text":
        db.write_text("name,age\nada,36\n")
    else:
        with sqlite3.connect(db) as con:
            con.executescript(
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "CREATE TABLE analyses (key TEXT PRIMARY KEY, result TEXT NOT NULL);"
                "CREATE TABLE rows (context TEXT NOT NULL, intervention TEXT NOT NULL, size INTEGER NOT NULL,"
                " analysis TEXT NOT NULL, PRIMARY KEY (context, intervention));"
            )
        con.close()
    before = digest(db)
    for fresh in ([], ["--fresh"]):  # --fresh never discards somebody else's file
        result = signet("screen", model, "--db", db, "--workers", "1", "-q", *fresh)
        one_line_error(result, str(db), "not a signet checkpoint", "choose another --db")
        assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite", "small.bnet", "small.yaml"]


def _checkpoint(tmp_path: Path) -> tuple[Path, Path]:
    model = write_small_model(tmp_path)
    db = tmp_path / "c.sqlite"
    result = signet("screen", model, "--context", "all", "--db", db, "--workers", "1", "-q", "--json")
    assert result.returncode == 0, result.stderr
    return model, db


def test_a_damaged_checkpoint_is_refused_untouched_then_started_over_with_fresh(tmp_path):
    model, db = _checkpoint(tmp_path)
    expected = json.loads(signet("screen", model, "--context", "all", "--db", tmp_path / "ok.sqlite",
                                 "--workers", "1", "-q", "--json").stdout)["rows"]
    data = bytearray(db.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 512] = os.urandom(512)  # mid-file damage, header intact
    data[4096 : 4096 + 64] = b"\xff" * 64  # and a page header
    db.write_bytes(bytes(data))
    before = digest(db)
    result = signet("screen", model, "--context", "all", "--db", db, "--workers", "1", "-q", "--json")
    one_line_error(result, str(db), "damaged", "--fresh")
    assert digest(db) == before
    again = signet("screen", model, "--context", "all", "--db", db, "--workers", "1", "-q", "--json", "--fresh")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["rows"] == expected


def test_a_checkpoint_with_an_unreadable_result_is_refused(tmp_path):
    model, db = _checkpoint(tmp_path)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE analyses SET result = '{\"values\": [' WHERE rowid = 1")
    con.close()
    before = digest(db)
    result = signet("screen", model, "--context", "all", "--db", db, "--workers", "1", "-q")
    one_line_error(result, "damaged", "not valid JSON", "--fresh")
    assert digest(db) == before


def test_store_api_raises_signet_errors(tmp_path):
    db = tmp_path / "foreign.sqlite"
    _foreign_sqlite(db)
    with pytest.raises(ScreenStoreError, match="not a signet checkpoint"):
        ScreenStore(db, {"model": "x"}, fresh=True)
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    with pytest.raises(ScreenStoreError, match="not a regular file"):
        ScreenStore(folder, {"model": "x"})
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")  # nothing to lose: becomes a checkpoint
    with ScreenStore(empty, {"model": "x"}) as store:
        assert store.count() == 0


# -- spreadsheet formulas ------------------------------------------------------------------------
def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(tmp_path):
    import csv

    evil = Drug("=HYPERLINK(\"http://x\",\"click\")", "inhibit")
    ann = Annotations(
        phenotypes={"Death": "Death"}, treatment={"RT": 1}, baseline={"RT": 0},
        nodes={"AKT": NodeInfo(drugs=(evil, Drug("@SUM(A1)", "activate"))), "MDM2": NodeInfo(drugs=(Drug("+1", "inhibit"),))},
    )
    net = parse_bnet("RT, RT\nATM, RT\nMDM2, !ATM | AKT\nTP53, ATM & !MDM2\nAKT, AKT\nDeath, TP53\n", annotations=ann)
    result = screen(net, workers=1, targets=["MDM2", "AKT"])
    out = tmp_path / "r.csv"
    result.write_csv(out)
    rows = list(csv.DictReader(out.open(newline="")))
    agents = [r["agents"] for r in rows if r["agents"]]
    assert agents and all(a.startswith("'") for a in agents), agents
    for row in rows:
        for key, cell in row.items():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (key, cell)
            if cell.startswith("-"):
                float(cell)  # only numbers (a negative score) start with '-'
    assert any(float(r["score"]) < 0 for r in rows)


def test_outputs_in_a_missing_folder_are_refused_before_any_work(tmp_path):
    model = write_small_model(tmp_path)
    for option in ("--out", "--db"):
        result = signet("screen", model, "--workers", "1", "-q", option, tmp_path / "no" / "such" / "r.csv")
        one_line_error(result, option, "no/such", "does not exist", "nothing was computed")


# -- a full disk ---------------------------------------------------------------------------------
def test_a_full_disk_ends_in_one_line_and_a_checkpoint_that_resumes(tmp_path):
    import resource

    def small_disk():  # files may not grow beyond 1 MB: as a disk that fills up
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))

    db = tmp_path / "c.sqlite"
    # every single in every context: 3 135 rows, a checkpoint of about 2.5 MB
    # the treatment held (RT=1): the one-phase fast path, so the three screens take seconds
    args = ["screen", RR, "--context", "all", "--treatment", "RT=1", "--workers", "1", "-q", "--json", "--metric", "share"]
    full = signet_process(*args, "--db", db, preexec_fn=small_disk)
    one_line_error(full, str(db), "cannot save finished rows", "run the same command again to resume")
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = con.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
    con.close()
    resumed = signet(*args, "--db", db)
    assert resumed.returncode == 0, resumed.stderr
    fresh = signet(*args, "--db", tmp_path / "fresh.sqlite")
    got, want = json.loads(resumed.stdout), json.loads(fresh.stdout)
    assert got["rows"] == want["rows"]
    assert got["stats"]["already_done"] == saved


# -- signals and a killed parent ---------------------------------------------------------------------
def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie has exited


def _start_long_screen(tmp_path: Path) -> tuple[subprocess.Popen, Path, set[int]]:
    """A two-worker screen that runs for minutes; returns once its workers are busy and rows are saved."""
    db = tmp_path / "long.sqlite"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    # Ctrl-C as in an interactive terminal: a shell starts background jobs (such as a CI script
    # run with `&`) with SIGINT ignored, which a child inherits and Python then leaves ignored
    launch = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); from signet.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", launch, "screen", str(RR), "--context", "all", "--treatment", "RT=1",
         "--max-size", "3", "--targets", ",".join(["ATM", "MDM2", "AKT", "XIAP", "BCL2", "PRKDC", "CHEK1",
                                                    "CHEK2", "PARP1", "GPX4", "SLC7A11", "NFE2L2", "TP53"]),
         "--workers", "2", "-q", "--db", str(db)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) >= 2 and db.exists() and _rows(db) > 0:
            break
        time.sleep(0.2)
    assert proc.poll() is None and len(workers) >= 2, proc.stderr.read() if proc.poll() is not None else workers
    return proc, db, workers


def _rows(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as con:
            return con.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("how", ["SIGINT to the process group", "SIGTERM to the screen"])
def test_a_signal_stops_the_screen_within_two_seconds_with_rows_saved(tmp_path, how):
    proc, db, workers = _start_long_screen(tmp_path)
    sent = time.monotonic()
    if how.startswith("SIGINT"):
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    else:
        os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    elapsed = time.monotonic() - sent
    stderr = proc.stderr.read()
    assert elapsed < 2, elapsed
    assert proc.returncode == 130 and stderr.strip() == "interrupted", (proc.returncode, stderr)
    assert not any(_alive(w) for w in workers)
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*) FROM rows").fetchone()[0] > 0
        orphans = con.execute("SELECT COUNT(*) FROM rows WHERE analysis NOT IN (SELECT key FROM analyses)")
        assert orphans.fetchone()[0] == 0
    con.close()


def test_no_worker_survives_a_killed_parent_for_two_seconds(tmp_path):
    proc, _, workers = _start_long_screen(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)  # only the screen: its workers must notice
    killed = time.monotonic()
    proc.wait()
    while time.monotonic() - killed < 2 and any(_alive(w) for w in workers):
        time.sleep(0.02)
    survivors = [w for w in workers if _alive(w)]
    for w in survivors:  # clean up before failing
        os.kill(w, signal.SIGKILL)
    assert not survivors, f"workers alive {time.monotonic() - killed:.1f} s after the parent died"


def test_a_killed_worker_ends_the_screen_in_one_line_with_an_intact_checkpoint(tmp_path):
    proc, db, workers = _start_long_screen(tmp_path)
    os.kill(min(workers), signal.SIGKILL)  # the out-of-memory killer, say
    try:
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    stderr = proc.stderr.read().strip()
    assert proc.returncode == 1 and len(stderr.splitlines()) == 1, stderr
    assert "a worker process died (killed by signal 9)" in stderr and "run the same command again to resume" in stderr
    assert str(db) in stderr and "Traceback" not in stderr
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.02)
    assert not any(_alive(w) for w in workers)
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*) FROM rows").fetchone()[0] > 0
    con.close()


def test_a_checkpoint_read_back_writes_the_same_checkpoint(tmp_path):
    """read_checkpoint is what add_rows and set_parameters write: a checkpoint read and written into a fresh file
    reads back the same (rows sorted, only the analyses the rows use); a file that is not a checkpoint is refused
    with the file's name."""
    from signet.screen.store import ScreenStore, ScreenStoreError, read_checkpoint

    fingerprint = {"model": "m", "update": "mp"}
    first, second = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    with ScreenStore(first, fingerprint) as store:
        store.add_rows([("wt", "B=0", 1, "k2"), ("wt", "", 0, "k1")], {"k1": {"x": 1}, "k2": {"x": 2}, "k3": {"x": 3}})
        store.set_parameters({"runs": 7})
    got = read_checkpoint(first)
    assert got["rows"] == [["wt", "", 0, "k1"], ["wt", "B=0", 1, "k2"]]
    assert got["analyses"] == {"k1": '{"x": 1}', "k2": '{"x": 2}'}
    assert json.loads(got["fingerprint"]) == fingerprint and json.loads(got["parameters"]) == {"runs": 7}
    with ScreenStore(second, json.loads(got["fingerprint"])) as store:
        store.add_rows([tuple(r) for r in got["rows"]], got["analyses"])
        store.set_parameters(json.loads(got["parameters"]))
    assert read_checkpoint(second) == got
    (tmp_path / "c.sqlite").write_text("not a database")
    for bad in (tmp_path / "c.sqlite", tmp_path / "missing.sqlite"):
        with pytest.raises(ScreenStoreError, match=bad.name):
            read_checkpoint(bad)
