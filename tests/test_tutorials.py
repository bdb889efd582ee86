"""Execute the tutorials in docs/tutorials/*.md and compare every shown output.

The conventions are in the project notes (tutorial conventions) and, for readers,
summarised here:

* a fence whose info string has ``file=NAME`` (e.g. ```` ```text file=model.bnet ````)
  writes its content to ``NAME`` in the tutorial's working directory;
* a ```` ```console ```` fence holds commands (lines starting with ``$ ``; a trailing
  backslash, or a next line starting with the prompt ``> ``, continues a command, e.g. a
  multi-line quoted string) each followed by its expected combined
  stdout+stderr.  Lines are compared after stripping trailing whitespace (trailing empty
  lines are ignored); a line ``...`` matches zero or more lines, and ``...`` inside a line
  matches any text within that line; a non-zero exit status
  fails unless the expected output ends with ``[exit N]`` giving that status;
* a ```` ```pycon ```` fence is a doctest (ELLIPSIS, NORMALIZE_WHITESPACE); all pycon
  fences of one tutorial share their globals; the working directory is the tutorial's;
* any other fence is display only;
* every image ``![alt](img/NAME.png)`` must have been written by the tutorial to
  ``img/NAME.png`` in its working directory, be a valid PNG, and have the pixel size of
  the committed copy in ``docs/tutorials/img/``.

Each tutorial runs top to bottom in a fresh temporary directory holding a copy of the
repository's ``networks/``, an empty ``img/`` and, as ``models/``, a link to the public
model corpus ``../shared/benchmarks/models``.

Command line (for tutorial writers)::

    python tests/test_tutorials.py docs/tutorials/01-first-model.md          # run, show diffs
    python tests/test_tutorials.py --update-outputs docs/tutorials/01-*.md   # paste real outputs
    python tests/test_tutorials.py --update-images                           # refresh docs/tutorials/img/

``--update-outputs`` rewrites the expected output of every console command that differs,
except outputs containing ``...`` lines (those are reported, to be edited by hand);
pycon blocks are never rewritten.
"""

from __future__ import annotations

import difflib
import doctest
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "docs" / "tutorials"
COMMAND_TIMEOUT = 600  # seconds, per shell command

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
IMAGE = re.compile(r"!\[[^\]]*\]\((?P<path>img/[^)\s]+)\)")
EXIT = re.compile(r"^\[exit (\d+)\]$")


# --------------------------------------------------------------------------- parsing
@dataclass
class Block:
    """One fenced block of a tutorial."""

    kind: str  # "file", "console", "pycon" or "display"
    text: str
    line: int  # 1-based line of the first content line
    content_lines: tuple[int, int] = (0, 0)  # [start, end) 0-based indices in the file
    filename: str | None = None


@dataclass
class Command:
    """A ``$ `` command of a console block and its expected output."""

    command: str
    expected: list[str]
    line: int
    exit_status: int = 0
    output_lines: tuple[int, int] = (0, 0)  # [start, end) 0-based indices in the file


def parse_blocks(text: str) -> list[Block]:
    """The fenced blocks of a Markdown text, in order."""
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, indent = match["fence"], len(match["indent"])
        info = match["info"].strip()
        start = i + 1
        j = start
        close = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        body = [line[indent:] if line[:indent].strip() == "" else line.lstrip() for line in lines[start:j]]
        words = info.split()
        language = words[0] if words else ""
        attributes = dict(word.split("=", 1) for word in words[1:] if "=" in word)
        if "file" in attributes:
            kind = "file"
        elif language == "console":
            kind = "console"
        elif language == "pycon":
            kind = "pycon"
        else:
            kind = "display"
        blocks.append(Block(kind, "\n".join(body), start + 1, (start, j), attributes.get("file")))
        i = j + 1
    return blocks


def parse_console(block: Block) -> list[Command]:
    """The commands of a console block with their expected outputs."""
    lines = block.text.split("\n")
    first = block.content_lines[0]
    commands: list[Command] = []
    i = 0
    while i < len(lines) and not lines[i].startswith("$ "):
        if lines[i].strip():
            raise ValueError(f"line {block.line + i}: console block text before the first '$ ' command")
        i += 1
    while i < len(lines):
        line_no = block.line + i
        parts = [lines[i][2:]]
        while i + 1 < len(lines) and (parts[-1].endswith("\\") or lines[i + 1].startswith("> ")):
            i += 1
            parts.append(lines[i][2:] if lines[i].startswith("> ") else lines[i])
        i += 1
        start = i
        while i < len(lines) and not lines[i].startswith("$ "):
            i += 1
        expected = [line.rstrip() for line in lines[start:i]]
        while expected and not expected[-1]:
            expected.pop()
        status = 0
        if expected and EXIT.match(expected[-1]):
            status = int(EXIT.match(expected[-1]).group(1))
            expected.pop()
        commands.append(Command("\n".join(parts), expected, line_no, status, (first + start, first + i)))
    return commands


def images(text: str) -> list[str]:
    """Relative paths of the images a tutorial shows."""
    return sorted({m["path"] for m in IMAGE.finditer(text)})


# --------------------------------------------------------------------------- comparing
def output_matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines match ``expected`` lines, where a ``...`` line matches zero or more lines."""
    expected = [line.rstrip() for line in expected]
    actual = [line.rstrip() for line in actual]
    while actual and not actual[-1]:
        actual.pop()
    while expected and not expected[-1]:
        expected.pop()
    # reachable[j]: expected[:i] can match actual[:j]
    reachable = [True] + [False] * len(actual)
    for pattern in expected:
        if pattern == "...":
            for j in range(1, len(actual) + 1):
                reachable[j] = reachable[j] or reachable[j - 1]
        else:
            reachable = [False] + [reachable[j] and _line_matches(pattern, actual[j]) for j in range(len(actual))]
    return reachable[len(actual)]


def _line_matches(pattern: str, line: str) -> bool:
    """Exact match, except that ``...`` inside a line matches any text (like doctest's ELLIPSIS)."""
    if "..." not in pattern:
        return pattern == line
    regex = ".*".join(re.escape(part) for part in pattern.split("..."))
    return re.fullmatch(regex, line, re.DOTALL) is not None


def _diff(expected: list[str], actual: list[str]) -> str:
    return "\n".join(difflib.unified_diff(expected, actual, "expected", "actual", lineterm="", n=3))


# --------------------------------------------------------------------------- running
@dataclass
class Failure:
    """A shown output that differs from the real one."""

    where: str
    message: str


@dataclass
class Run:
    """The result of running one tutorial."""

    path: Path
    workdir: Path
    failures: list[Failure] = field(default_factory=list)
    # console outputs that differ: (start, end) line indices in the file -> (expected, actual)
    mismatches: dict[tuple[int, int], tuple[list[str], list[str]]] = field(default_factory=dict)

    def report(self) -> str:
        return "\n\n".join(f"{f.where}: {f.message}" for f in self.failures)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env.update({"COLUMNS": "80", "TERM": "dumb", "NO_COLOR": "1", "MPLBACKEND": "Agg",
                "PYTHONHASHSEED": "0", "PYTHONWARNINGS": "ignore", "LC_ALL": "C.UTF-8"})
    env.pop("FORCE_COLOR", None)
    return env


def _run_console(block: Block, run: Run, env: dict[str, str], label: str) -> None:
    for command in parse_console(block):
        where = f"{label}:{command.line}"
        try:
            proc = subprocess.run(["bash", "-c", command.command], cwd=run.workdir, env=env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            run.failures.append(Failure(where, f"$ {command.command}\ntimed out after {COMMAND_TIMEOUT} s"))
            continue
        actual = [line.rstrip() for line in proc.stdout.split("\n")]
        while actual and not actual[-1]:
            actual.pop()
        problems = []
        if proc.returncode != command.exit_status:
            problems.append(f"exit status {proc.returncode}, expected {command.exit_status}")
        if not output_matches(command.expected, actual):
            problems.append("output differs:\n" + _diff(command.expected, actual))
        if problems:
            run.failures.append(Failure(where, f"$ {command.command}\n" + "\n".join(problems)))
            run.mismatches[command.output_lines] = (
                command.expected, actual + ([f"[exit {proc.returncode}]"] if proc.returncode else []))


def _run_pycon(block: Block, run: Run, globs: dict, label: str) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block.text, globs, label, str(run.path), block.line - 1)
    test.globs = globs  # DocTest copies its globals; share one namespace per tutorial
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    runner = doctest.DocTestRunner(optionflags=flags)
    messages: list[str] = []
    old = os.getcwd()
    os.chdir(run.workdir)
    try:
        runner.run(test, out=messages.append, clear_globs=False)
    finally:
        os.chdir(old)
    if messages:
        run.failures.append(Failure(f"{label}:{block.line}", "python block failed:\n" + "".join(messages)))


def _png_size(path: Path) -> tuple[int, int] | None:
    data = path.read_bytes()[:24]
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _check_images(text: str, run: Run, label: str, image_dir: Path) -> None:
    for relative in images(text):
        produced = run.workdir / relative
        if not produced.is_file():
            run.failures.append(Failure(label, f"image {relative} is shown but no command wrote it"))
            continue
        size = _png_size(produced)
        if size is None:
            run.failures.append(Failure(label, f"image {relative} written by the tutorial is not a valid PNG"))
            continue
        committed = image_dir / Path(relative).relative_to("img")
        if not committed.is_file():
            run.failures.append(Failure(label, f"image {relative} is not committed as {committed} "
                                               "(python tests/test_tutorials.py --update-images)"))
        elif _png_size(committed) != size:
            run.failures.append(Failure(label, f"image {relative}: produced {size[0]}x{size[1]} pixels, committed "
                                               f"copy {_png_size(committed)} (python tests/test_tutorials.py "
                                               "--update-images)"))


#: the public model corpus (../shared/benchmarks/models), linked as ``models/`` (read-only use)
CORPUS = ROOT.parent / "shared" / "benchmarks" / "models"


def run_tutorial(path: Path, workdir: Path, *, networks: Path | None = ROOT / "networks",
                 image_dir: Path | None = None, corpus: Path | None = CORPUS) -> Run:
    """Run every block of the tutorial ``path`` in ``workdir``; collect the differences.

    The working directory holds a copy of ``networks/`` and, as ``models/``, a link to
    the public model corpus (tutorials only read it)."""
    text = path.read_text(encoding="utf-8")
    try:
        label = str(path.relative_to(ROOT))
    except ValueError:
        label = path.name
    workdir.mkdir(parents=True, exist_ok=True)
    if networks is not None:
        shutil.copytree(networks, workdir / "networks")
    if corpus is not None and corpus.is_dir():
        (workdir / "models").symlink_to(corpus, target_is_directory=True)
    (workdir / "img").mkdir(exist_ok=True)  # figures go to img/NAME.png
    run = Run(path, workdir)
    env = _environment()
    globs: dict = {"__name__": "__tutorial__"}
    for block in parse_blocks(text):
        if block.kind == "file":
            target = workdir / block.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text + "\n", encoding="utf-8")
        elif block.kind == "console":
            _run_console(block, run, env, label)
        elif block.kind == "pycon":
            _run_pycon(block, run, globs, label)
    _check_images(text, run, label, image_dir if image_dir is not None else path.parent / "img")
    return run


# --------------------------------------------------------------------------- pytest
TUTORIAL_FILES = sorted(TUTORIALS.glob("*.md"))


@pytest.mark.parametrize("path", TUTORIAL_FILES, ids=[p.stem for p in TUTORIAL_FILES])
def test_tutorial(path: Path, tmp_path: Path) -> None:
    assert shutil.which("signet", path=_environment()["PATH"]), "the signet command is not installed"
    run = run_tutorial(path, tmp_path / "work")
    if run.failures:
        pytest.fail(f"{len(run.failures)} difference(s) in {path.name}:\n\n{run.report()}", pytrace=False)


SYNTHETIC = """# A synthetic tutorial

```text file=m.bnet
A, A
B, !A
```

Some text.

```console
$ cat m.bnet
A, A
B, !A
$ echo one; echo two; echo three; echo four
one
...
four
$ echo to-stderr >&2; exit 3
to-stderr
[exit 3]
$ echo a \\
    b
a b
$ python -c "
> print('multi')
> print('line')"
multi
line
```

```pycon
>>> x = open("m.bnet").read().split()
>>> x[:2]
['A,', 'A']
```

```pycon
>>> len(x)   # globals carry over
4
```

```python
this is display only and never runs
```
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_runner_passes_correct_tutorial(tmp_path: Path) -> None:
    run = run_tutorial(_write(tmp_path, SYNTHETIC), tmp_path / "work", networks=None)
    assert run.failures == [], run.report()


@pytest.mark.parametrize(
    "old, new, fragment",
    [
        ("B, !A\n$ echo one", "B, A\n$ echo one", "+B, !A"),  # wrong expected output
        ("one\n...\nfour", "one\n...\nfive", "-five"),  # ellipsis does not hide a wrong last line
        ("to-stderr\n[exit 3]", "to-stderr", "exit status 3, expected 0"),  # unannounced failure
        ("to-stderr\n[exit 3]", "to-stderr\n[exit 2]", "exit status 3, expected 2"),
        ("['A,', 'A']", "['A,', 'B']", "python block failed"),  # doctest mismatch
        ("    b\na b", "    b\na  b", "-a  b"),
    ],
)
def test_runner_detects_wrong_output(tmp_path: Path, old: str, new: str, fragment: str) -> None:
    assert SYNTHETIC.count(old) == 1
    run = run_tutorial(_write(tmp_path, SYNTHETIC.replace(old, new)), tmp_path / "work", networks=None)
    assert len(run.failures) == 1
    assert fragment in run.failures[0].message
    assert run.failures[0].where.startswith("t.md:")


def test_runner_checks_images(tmp_path: Path) -> None:
    import base64

    png = base64.b64decode(  # a valid 1x1 PNG
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    (tmp_path / "src.png").write_bytes(png)
    text = f"![a figure](img/fig.png)\n\n```console\n$ mkdir -p img && cp {tmp_path}/src.png img/fig.png\n```\n"
    committed = tmp_path / "committed"
    committed.mkdir()
    run = run_tutorial(_write(tmp_path, text), tmp_path / "w1", networks=None, image_dir=committed)
    assert [f.message for f in run.failures] == [
        f"image img/fig.png is not committed as {committed / 'fig.png'} (python tests/test_tutorials.py --update-images)"]
    (committed / "fig.png").write_bytes(png)
    assert run_tutorial(_write(tmp_path, text), tmp_path / "w2", networks=None, image_dir=committed).failures == []
    missing = text.replace("cp ", "true ")
    run = run_tutorial(_write(tmp_path, missing), tmp_path / "w3", networks=None, image_dir=committed)
    assert "no command wrote it" in run.failures[0].message


def test_output_matching() -> None:
    assert output_matches(["a", "...", "b"], ["a", "b"])
    assert output_matches(["a", "...", "b"], ["a", "x", "y", "b"])
    assert output_matches(["..."], [])
    assert output_matches(["a   "], ["a", ""])
    assert not output_matches(["a", "...", "b"], ["a", "x"])
    assert not output_matches(["a"], ["a", "b"])
    assert output_matches(["x.yaml:...: bad"], ["x.yaml:12:3: bad"])
    assert output_matches(["a...b...c"], ["abc"])
    assert not output_matches(["x.yaml:...: bad"], ["x.yaml:12:3: good"])
    assert not output_matches(["a...", "b"], ["a", "x", "b"])  # an inline ellipsis stays within its line
    assert not output_matches(["a", "b"], ["a"])


# --------------------------------------------------------------------------- command line
def _update_outputs(path: Path, run: Run) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    skipped = []
    for (start, end), (expected, actual) in sorted(run.mismatches.items(), reverse=True):
        if any("..." in line for line in expected):
            skipped.append(f"{path.name}:{start + 1}: output with '...' differs; edit by hand")
            continue
        while end > start and not lines[end - 1].strip():
            end -= 1
        lines[start:end] = actual
    path.write_text("\n".join(lines), encoding="utf-8")
    return skipped


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Run the tutorials like the test suite does.")
    parser.add_argument("files", nargs="*", type=Path, help="tutorials (default: all of docs/tutorials)")
    parser.add_argument("--update-outputs", action="store_true", help="paste the real console outputs")
    parser.add_argument("--update-images", action="store_true", help="copy produced images to docs/tutorials/img")
    parser.add_argument("--keep", action="store_true", help="keep the working directories")
    args = parser.parse_args(argv)
    status = 0
    for path in [p.resolve() for p in args.files] or TUTORIAL_FILES:
        workdir = Path(tempfile.mkdtemp(prefix=f"tutorial-{path.stem}-"))
        try:
            run = run_tutorial(path, workdir / "work")
            if args.update_images:
                for relative in images(path.read_text(encoding="utf-8")):
                    produced = run.workdir / relative
                    if produced.is_file():
                        target = path.parent / "img" / Path(relative).relative_to("img")
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(produced, target)
                        print(f"updated {target.relative_to(ROOT)}")
                run = run_tutorial(path, workdir / "again")
            if args.update_outputs:
                for message in _update_outputs(path, run):
                    print(message)
            print(run.report() if run.failures else f"{path.name}: ok")
            status |= bool(run.failures)
            if args.keep:
                print(f"working directory: {run.workdir}")
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
