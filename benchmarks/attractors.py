"""Benchmark: signet's attractor engines against pyboolnet, mpbn, biodivine-aeon and biobalm.

Same questions, same models, one run:

* ``mts``   minimal trap spaces (mp attractors): signet, mpbn, pyboolnet (compute_trap_spaces)
* ``async`` asynchronous attractors (count and sizes): signet, biodivine-aeon, biobalm
* ``fixed`` fixed points: signet, biodivine-aeon (symbolic), mpbn
* ``count`` the number of fixed points, not listed: signet (:func:`signet.dynamics.count_fixed_points`,
  what ``signet attractors --fixed-points --count`` calls), biodivine-aeon (the cardinality of
  its symbolic fixed-point set)
* ``first`` seconds until ``signet attractors MODEL --update async --json-lines`` prints its
  first attractor (a new process, start-up included, byte code compiled beforehand as an
  installed program has it; signet only)
* ``first-in`` seconds until :func:`signet.dynamics.iter_attractors` yields its first
  asynchronous attractor in the benchmark's own (warm) process: ``first`` without start-up

Models (``--sets``): ``pbn`` the PyBoolNet repository, ``bbm`` every Biodivine model, ``balm``
the biobalm analysis set (BBM models with every input fixed to true) over 100 nodes, whose
asynchronous attractor counts recorded by biobalm are printed beside signet's (``ref``) and
checked; all from ``shared/benchmarks/models`` beside the repository.  Every call runs in a
new process forked from the benchmark after all tools are imported, which first answers the
same question on a tiny unrelated model (``WARM_UP``, untimed): libraries are initialised as
in a running program, while nothing about the benchmarked model is cached.  A call that
exceeds ``--timeout`` seconds is killed and counted as a timeout; calls under
``REPEAT_BELOW`` seconds (``REPEAT_FIRST_BELOW`` for the first attractor, whose 1 s target sits
at that bound) run up to ``--repeat`` times and the median is reported (the machine is shared
and noisy).  Times cover the computation only: each tool first reads the file into
its own network object, untimed (signet: ``BooleanNetwork``; mpbn: ``MPBooleanNetwork``; AEON
and biobalm: AEON's ``BooleanNetwork``; pyboolnet: its prime implicants, which signet computes
inside its timed call); the timed part starts from that object, so it includes AEON's
symbolic encoding (``AsynchronousGraph``) and biobalm's succession diagram construction as it
includes signet's percolation and prime implicants.  Listing the answer is part of the
computation (biobalm: the attractor sets, whose sizes are the answer).  On a model with level
bits (``X_b1 .. X_bm``) signet is asked the peers' question, the Boolean network's attractors,
with those nodes renamed (:func:`boolean_names`, untimed), not the multi-valued model's.  Answers are compared
(counts and spaces, sizes for async); a disagreement is printed.  Above ``COUNT_ONLY`` fixed
points AEON only counts them in a ``fixed`` row: such a time is marked ``(count)`` and left out
of the ratio, and the row then also asks signet for the count (``signet-count``, the ``count``
question's call), compared with AEON's count and time (``count-ratio``): a count against a
count, signet's listing against the peers that list.  The ``count`` rows compare counts with
counts on their own.

The summary gives, per question and per model size (up to 100 nodes, over 100), the
geometric mean and median of signet's time over the fastest peer's that finished, and the
timeouts of every tool.

Usage::

    python benchmarks/attractors.py [--sets pbn,bbm,balm] [--min-nodes N] [--max-nodes N]
        [--timeout 60] [--limit N] [--only mts,async,fixed,count,first,first-in] [--tools signet,aeon,...]
        [--repeat 3] [--models bbm/060,balm/002,...] [--by-size] [--stop-after SECONDS]
"""

from __future__ import annotations

import argparse
import csv
import glob
import logging
import math
import multiprocessing
import os
import signal
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmark this checkout, whatever is installed
MODELS = ROOT.parent / "shared" / "benchmarks" / "models"
BALM = MODELS / "balm_analysis"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:]*")
#: above this many fixed points AEON reports the count only; such rows are not compared
COUNT_ONLY = 100_000
#: calls faster than this are repeated (``--repeat``) and their median time is reported
REPEAT_BELOW = 1.0
#: the same for the first-attractor questions, whose target (1 s) sits at that bound
REPEAT_FIRST_BELOW = 5.0


def bnet_rules(path: str) -> dict[str, str]:
    rules: dict[str, str] = {}
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or "," not in line:
            continue
        target, rule = (x.strip() for x in line.split(",", 1))
        if target.lower() == "targets" and rule.lower() == "factors":
            continue
        rules[target] = rule
    used = set()
    for rule in rules.values():
        used |= {m for m in _NAME.findall(rule) if m.lower() not in ("true", "false")}
    for name in sorted(used - set(rules)):
        rules[name] = name
    return rules


def _key(space: dict) -> tuple:
    return tuple(sorted((n, str(v)) for n, v in space.items()))


# ---- one function per (tool, question); each returns (seconds, answer) ---------------
def signet_run(path: str, question: str):
    import clingo  # noqa: F401  (imports are not timed)
    import scipy.sparse.csgraph  # noqa: F401
    import biodivine_aeon  # noqa: F401

    from signet import circuits, percolation, primes  # noqa: F401 (untimed imports)
    from signet.dynamics import candidates, compiled, explicit, subnetworks, succession, symbolic, trapspaces  # noqa: F401
    from signet.dynamics import attractors, count_fixed_points, fixed_points, minimal_trap_spaces
    from signet.io import read_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = read_model(path, metadata=False)
    if question == "async":  # listed by attractors(), which reads level bits as multi-valued nodes
        net = boolean_names(net)
    t = time.perf_counter()
    if question == "mts":
        answer = sorted(_key(s) for s in minimal_trap_spaces(net))
    elif question == "async":
        answer = sorted(a.states for a in attractors(net, "async").attractors)
    elif question == "count":
        answer = count_fixed_points(net)
    else:
        answer = sorted(_key(p) for p in fixed_points(net))
    return time.perf_counter() - t, answer


def boolean_names(net):
    """``net`` with its level bits renamed (``X_b1`` -> ``X_b1_bool``), untimed: the peers answer
    the Boolean network, every state, while :func:`signet.dynamics.attractors` reads nodes
    ``X_b1 .. X_bm`` as the levels of a multi-valued node and keeps only the attractors over
    admissible states (:mod:`signet.levels`), another question (bbm/170: 7 attractors of the
    multi-valued model, 9 of the Boolean network).  Renamed, it answers the peers' question
    with the same engines (``fixed_points``, ``minimal_trap_spaces`` and ``count_fixed_points``
    answer the Boolean network's question either way, keyed by the original names)."""
    from signet.levels import network_level_groups

    groups = network_level_groups(net)
    if not groups:
        return net
    return net.rename({bit: f"{bit}_bool" for bits in groups.values() for bit in bits})


def mpbn_run(path: str, question: str):
    import mpbn

    net = mpbn.MPBooleanNetwork(bnet_rules(path))
    t = time.perf_counter()
    if question == "mts":
        answer = sorted(_key(a) for a in net.attractors())
    else:
        answer = sorted(_key(a) for a in net.fixedpoints())
    return time.perf_counter() - t, answer


def pyboolnet_run(path: str, question: str):
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.trap_spaces import compute_trap_spaces

    rules = bnet_rules(path)
    if any(r.strip() in ("0", "1") for r in rules.values()):
        raise RuntimeError("pyboolnet's bnet2primes does not accept constant nodes")
    primes = bnet2primes("".join(f"{t}, {r}\n" for t, r in rules.items()))
    t = time.perf_counter()
    spaces = compute_trap_spaces(primes, "min", max_output=10**7)  # the default 10000 truncates silently
    nodes = sorted(primes)
    answer = sorted(_key({n: s.get(n, "*") for n in nodes}) for s in spaces)
    return time.perf_counter() - t, answer


def aeon_run(path: str, question: str):
    import biodivine_aeon as ba

    lines = ["targets, factors"]
    for target, rule in bnet_rules(path).items():
        lines.append(f"{target}, {({'0': 'false', '1': 'true'}).get(rule, rule)}")
    bn = ba.BooleanNetwork.from_bnet("\n".join(lines) + "\n", repair_graph=True)
    t = time.perf_counter()
    graph = ba.AsynchronousGraph(bn)
    if question == "async":
        answer = sorted(int(a.vertices().cardinality()) for a in ba.Attractors.attractors(graph))
        return time.perf_counter() - t, answer
    fixed = ba.FixedPoints.symbolic(graph).vertices()
    count = int(fixed.cardinality())
    if question == "count" or count > COUNT_ONLY:  # AEON only counts: not the question signet and mpbn answer (a list)
        return time.perf_counter() - t, count
    # listing the fixed points is part of the answer (signet's and mpbn's times include it)
    answer = sorted(_key({k: int(bool(v)) for k, v in m.to_named_dict().items()}) for m in fixed.items())
    return time.perf_counter() - t, answer


def biobalm_run(path: str, question: str):
    import biobalm
    import biodivine_aeon as ba

    lines = ["targets, factors"]
    for target, rule in bnet_rules(path).items():
        lines.append(f"{target}, {({'0': 'false', '1': 'true'}).get(rule, rule)}")
    bn = ba.BooleanNetwork.from_bnet("\n".join(lines) + "\n", repair_graph=True)
    t = time.perf_counter()
    sd = biobalm.SuccessionDiagram(bn)
    sd.build()
    sizes = [int(s.cardinality()) for sets in sd.expanded_attractor_sets().values() for s in sets]
    return time.perf_counter() - t, sorted(sizes)


#: seconds after which the CLI process of ``first`` ends itself (``--timeout``)
FIRST_TIMEOUT = 60.0


def _cpu_of_child(pid: int) -> float:
    """CPU seconds used so far by the one child of process ``pid`` (the CLI under ``timeout``),
    read from ``/proc`` (Linux; ``nan`` elsewhere)."""
    try:
        child = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()[0]
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, IndexError, ValueError):
        return float("nan")


def signet_first(path: str, question: str):
    """Seconds until the CLI prints the first attractor (``--json-lines``), in a new process,
    and the CPU seconds that process had used by then (0 when nothing was printed).  The CPU
    time does not depend on the machine's load or on ``nice``, the wall time does: both are
    printed."""
    import subprocess

    t = time.perf_counter()
    proc = subprocess.Popen(  # ``timeout``: a killed benchmark call leaves no CLI process behind
        ["timeout", f"{FIRST_TIMEOUT:g}", sys.executable, "-c", "from signet.cli import main; main()", "attractors",
         path, "--update", "async", "--json-lines", "--limit", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=FIRST_ENV, text=True,
    )
    try:
        for line in proc.stdout:  # type: ignore[union-attr]
            if '"kind"' in line:
                return time.perf_counter() - t, max(_cpu_of_child(proc.pid), 1e-6)
        return time.perf_counter() - t, 0
    finally:
        proc.terminate()  # ``timeout`` passes it on to the CLI
        proc.wait()


#: the environment of the CLI processes of ``first`` (set by :func:`first_environment`)
FIRST_ENV: dict[str, str] = {}


def first_environment() -> dict[str, str]:
    """The CLI's environment for ``first``: this checkout first on the path, and its byte code
    compiled beforehand, as an installed program has it (pip compiles on install).  Where
    ``PYTHONDONTWRITEBYTECODE`` is set (as on the shared machine), every start would compile
    signet's sources again (0.05-0.2 s): the byte code then goes to a temporary
    ``PYTHONPYCACHEPREFIX``, written once here, untimed."""
    import subprocess
    import tempfile

    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if env.pop("PYTHONDONTWRITEBYTECODE", None) is not None or sys.flags.dont_write_bytecode:
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="signet-pyc-")
    # compiled by the interpreter the CLI runs in, with its cache location
    compile_all = f"import compileall; compileall.compile_dir({str(ROOT / 'signet')!r}, quiet=1)"
    subprocess.run([sys.executable, "-c", compile_all], env=env, check=True)
    return env


def signet_first_in_process(path: str, question: str):
    """Seconds until :func:`signet.dynamics.iter_attractors` yields its first asynchronous
    attractor (space and size known), in the warm benchmark process (start-up excluded), and
    the CPU seconds it took (0 when there is none)."""
    from signet.dynamics import iter_attractors
    from signet.io import read_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = read_model(path, metadata=False)
    t, c = time.perf_counter(), time.process_time()
    first = next(iter(iter_attractors(net, "async")), None)
    return time.perf_counter() - t, (max(time.process_time() - c, 1e-6) if first is not None else 0)


def _signet_count_beside(workers: dict, path: str, question: str, answers: dict,
                         times: dict, args: argparse.Namespace) -> tuple[list[str], bool]:
    """On a ``fixed`` row where a peer only counted, signet's count in the same row: the cells
    ``signet-count`` and ``count-ratio`` (signet's count time over the counting peer's), and
    whether the counts agree; elsewhere no cells."""
    counts = {t: a for t, a in answers.items() if t != "signet" and isinstance(a, int)}
    if question != "fixed" or not counts or "signet" not in workers:
        return [], True
    result = workers["signet"].run(signet_run, (path, "count"), args.timeout, args.repeat)
    if not isinstance(result, tuple):
        return ["signet-count=" + ("T/O" if result == "timeout" else "ERR"), "count-ratio=-"], True
    fastest = min(times[t] for t in counts)
    agree = all(a == result[1] for a in counts.values())
    if not agree:
        print(f"  signet counts {result[1]}, peers {counts}")
    ratio = max(result[0], 1e-4) / max(fastest, 1e-4)
    return [f"signet-count={result[0]:.3f}", f"count-ratio={ratio:.2f}"], agree


TOOLS = {
    "mts": {"signet": signet_run, "mpbn": mpbn_run, "pyboolnet": pyboolnet_run},
    "async": {"signet": signet_run, "aeon": aeon_run, "biobalm": biobalm_run},
    "fixed": {"signet": signet_run, "aeon": aeon_run, "mpbn": mpbn_run},
    "count": {"signet": signet_run, "aeon": aeon_run},
    "first": {"signet": signet_first},
    "first-in": {"signet": signet_first_in_process},
}


def preload() -> None:
    """Import every tool once in this process: each call then runs in a fresh fork of it,
    with warm imports and cold caches (no tool keeps answers or tables from an earlier call)."""
    import biodivine_aeon  # noqa: F401
    import biobalm  # noqa: F401
    import clingo  # noqa: F401
    import mpbn  # noqa: F401
    import scipy.sparse.csgraph  # noqa: F401

    from signet import circuits, percolation, primes  # noqa: F401
    from signet.dynamics import candidates, compiled, explicit, subnetworks, succession, symbolic, trapspaces  # noqa: F401
    from signet.io import read_model  # noqa: F401

    try:
        import pyboolnet.file_exchange  # noqa: F401
        import pyboolnet.trap_spaces  # noqa: F401
    except Exception:  # pyboolnet reports missing graphviz tools on import; the calls say what fails
        pass
    logging.disable(logging.INFO)  # pyboolnet's import turns on INFO logging, which AEON then fills


#: a tiny model every call first answers, untimed, in its fresh process: the process is then
#: warm (libraries initialised) while nothing about the benchmarked model is cached
WARM_UP = "A, !B & C\nB, A\nC, C | A\nD, !D | B\n"


def warm_then(func, warm_path: str, path: str, question: str):
    func(warm_path, question)
    return func(path, question)


class Worker:
    """One pool per tool; every call runs in a new process forked from this one (cold caches)."""

    def __init__(self, warm_path: str) -> None:
        self.ctx = multiprocessing.get_context("fork")
        self.pool = self._new_pool()
        self.warm_path = warm_path

    def _new_pool(self):
        # each worker leads its own process group, so that a timeout also ends the programs a
        # tool started (pyboolnet's BNetToPrime outlived its timed-out worker and loaded the
        # machine for the calls after it)
        return self.ctx.Pool(1, initializer=os.setpgrp, maxtasksperchild=1)

    def _kill(self) -> None:
        for proc in self.pool._pool:  # the worker processes of the pool (private, stable since 3.x)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.pool.terminate()

    def _once(self, func, args, timeout):
        job = self.pool.apply_async(warm_then, (func, self.warm_path, *args))
        try:
            return job.get(timeout)
        except multiprocessing.TimeoutError:
            self._kill()
            self.pool = self._new_pool()
            return "timeout"
        except Exception as exc:  # a tool that cannot read the model
            return f"error: {type(exc).__name__}: {str(exc)[:200]}"

    def run(self, func, args, timeout, repeat: int = 1):
        """``(median seconds, answer)`` over up to ``repeat`` cold runs (repeated while a run
        takes under ``REPEAT_BELOW`` seconds), or ``"timeout"`` / ``"error: ..."``."""
        first = self._once(func, args, timeout)
        if not isinstance(first, tuple):
            return first
        times = [first[0]]
        below = REPEAT_FIRST_BELOW if args[-1] in ("first", "first-in") else REPEAT_BELOW
        while len(times) < repeat and first[0] < below:
            again = self._once(func, args, timeout)
            if not isinstance(again, tuple):
                break
            times.append(again[0])
        return statistics.median(times), first[1]

    def close(self) -> None:
        self._kill()


def model_list(sets: list[str], min_nodes: int, max_nodes: int) -> list[tuple[str, str, int]]:
    """``(label, path, nodes)`` of the chosen sets, nodes counted as in the file (inputs included)."""
    out = []
    if "pbn" in sets:
        for path in sorted(glob.glob(str(MODELS / "pyboolnet" / "*" / "*.bnet"))):
            out.append((f"pbn/{Path(path).stem}", path, len(bnet_rules(path))))
    if "bbm" in sets:
        with open(MODELS / "bbm" / "summary.csv") as handle:
            for row in csv.reader(handle):
                if row[0] == "ID":
                    continue
                ident, name = row[0].strip(), row[1].strip()
                path = MODELS / "bbm" / f"{ident}_{name}" / "model.bnet"
                if path.exists():
                    out.append((f"bbm/{ident}", str(path), len(bnet_rules(str(path)))))
    if "balm" in sets:  # only the models over 100 nodes (the smaller ones are the bbm models with inputs fixed)
        for path in sorted(glob.glob(str(BALM / "bbm-bnet-inputs-true" / "*.bnet"))):
            n = len(bnet_rules(path))
            if n > 100:
                out.append((f"balm/{Path(path).stem}", path, n))
    return [m for m in out if min_nodes <= m[2] <= max_nodes]


def balm_counts() -> dict[str, int]:
    """Asynchronous attractor counts recorded by biobalm, by label ``balm/NNN``."""
    out = {}
    with open(BALM / "SD_analysis_bbm-bnet-inputs-true.csv") as handle:
        for row in csv.DictReader(handle):
            if row["attractors"]:
                out[f"balm/{row['name']}"] = int(row["attractors"])
    return out


def geomean(values: list[float]) -> float:
    return math.exp(statistics.fmean(math.log(x) for x in values)) if values else float("nan")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="pbn,bbm,balm", help="model sets: pbn, bbm, balm")
    parser.add_argument("--min-nodes", type=int, default=0)
    parser.add_argument("--max-nodes", type=int, default=10**9)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--limit", type=int, default=0, help="only the first N models")
    parser.add_argument("--models", default="", help="only these models, e.g. bbm/060,pbn/raf")
    parser.add_argument("--only", default="mts,async,fixed,first")
    parser.add_argument("--tools", default="", help="only these tools, e.g. signet,aeon")
    parser.add_argument("--by-size", action="store_true", help="smallest models first")
    parser.add_argument("--stop-after", type=float, default=0, metavar="SECONDS",
                        help="start no model after this many seconds (0: no limit); the summary covers those run")
    parser.add_argument("--repeat", type=int, default=3,
                        help=f"cold runs per call under {REPEAT_BELOW:g} s; the median is reported")
    args = parser.parse_args(argv)
    if not MODELS.is_dir():
        print(f"models not found: {MODELS}", file=sys.stderr)
        return 2
    global FIRST_TIMEOUT, FIRST_ENV
    FIRST_TIMEOUT = args.timeout
    questions = [q for q in args.only.split(",") if q]
    if args.tools:
        keep = set(args.tools.split(","))
        for q in TOOLS:
            TOOLS[q] = {t: f for t, f in TOOLS[q].items() if t in keep}
    questions = [q for q in questions if TOOLS[q]]
    models = model_list(args.sets.split(","), args.min_nodes, args.max_nodes)
    reference = balm_counts()
    if args.models:
        wanted = set(args.models.split(","))
        models = [m for m in models if m[0] in wanted]
    if args.by_size:
        models.sort(key=lambda m: m[2])
    if args.limit:
        models = models[: args.limit]
    preload()
    if "first" in questions:
        FIRST_ENV = first_environment()
    import tempfile

    warm = Path(tempfile.mkdtemp()) / "warm_up.bnet"
    warm.write_text(WARM_UP)
    workers = {tool: Worker(str(warm)) for q in questions for tool in TOOLS[q]}
    rows = []
    printed: list[str] = []  # the rows as printed, for the pooled summary's tally
    print(f"{len(models)} models, questions {questions}, timeout {args.timeout:g} s per call, "
          f"median of up to {args.repeat} cold runs for calls under {REPEAT_BELOW:g} s")
    print(f"{'model':<14}{'n':>4}  {'question':<6} " + "  ".join(f"{t:>10}" for t in ("signet", "peers...")))
    began = time.monotonic()
    for label, path, n in models:
        if args.stop_after and time.monotonic() - began > args.stop_after:
            print(f"stopped after {args.stop_after:g} s (--stop-after): {len(rows) // len(questions)} of "
                  f"{len(models)} models run")
            break
        for q in questions:
            results = {tool: workers[tool].run(func, (path, q), args.timeout, args.repeat) for tool, func in TOOLS[q].items()}
            times = {t: r[0] for t, r in results.items() if isinstance(r, tuple)}
            answers = {t: r[1] for t, r in results.items() if isinstance(r, tuple)}
            agree = True
            ref = answers.get("signet")
            for tool, answer in answers.items():
                if tool == "signet" or ref is None:
                    continue
                if isinstance(ref, int):  # the count question
                    same = answer == ref
                elif isinstance(answer, int):  # only a count
                    same = answer == len(ref)
                else:
                    same = answer == ref
                agree &= same
            # a peer that only counted answered another question: shown, not compared
            peers = {t: v for t, v in times.items()
                     if t != "signet" and (q == "count" or not isinstance(answers[t], int))}
            ratio = None
            if "signet" in times and peers:
                ratio = max(times["signet"], 1e-4) / max(min(peers.values()), 1e-4)
            recorded = reference.get(label)
            if q == "async" and recorded is not None:
                for tool, answer in answers.items():
                    if isinstance(answer, list) and len(answer) != recorded:
                        agree = False
                        print(f"  {tool} finds {len(answer)} attractors, biobalm recorded {recorded}")
            count_cells, same_count = _signet_count_beside(workers, path, q, answers, times, args)
            agree &= same_count
            counted = bool(count_cells) and not count_cells[0].endswith(("T/O", "ERR"))
            rows.append((label, n, q, results, times, ratio, agree, counted))
            cells = []
            for tool in TOOLS[q]:
                r = results[tool]
                if isinstance(r, tuple):
                    only_counted = isinstance(r[1], int) and q not in ("count", "first", "first-in")
                    cells.append(f"{tool}={r[0]:.3f}" + ("(count)" if only_counted else ""))
                    if q.startswith("first") and r[1]:
                        cells.append(f"cpu={r[1]:.3f}")
                else:
                    cells.append(f"{tool}={'T/O' if r == 'timeout' else 'ERR'}")
            cells.extend(count_cells)
            flag = "" if agree else "  DISAGREE"
            rtext = f"ratio={ratio:.2f}" if ratio is not None else "ratio=-"
            count = len(ref) if isinstance(ref, list) and not q.startswith("first") else ref if q == "count" and isinstance(ref, int) else ""
            extra = f"  answers={count}" if count != "" else ""
            if q == "async" and reference.get(label) is not None:
                extra += f"  ref={reference[label]}"
            printed.append(f"{label:<14}{n:>4}  {q:<6} " + "  ".join(cells) + f"  {rtext}{flag}{extra}")
            print(printed[-1], flush=True)
    for w in workers.values():
        w.close()

    print("\nsummary (ratio = signet time / fastest peer that finished; < 1 means signet is faster)")
    for q in questions:
        if q.startswith("first"):
            sel = [r for r in rows if r[2] == q]
            got = [r[4]["signet"] for r in sel if "signet" in r[4] and r[3]["signet"][1]]
            slow = [f"{r[0]}({r[4]['signet']:.2f})" for r in sel if "signet" in r[4] and r[4]["signet"] > 1.0]
            none = sum(1 for r in sel if r[3]["signet"] == "timeout")
            print(f"  {q:<8} models {len(sel)}: first attractor printed on {len(got)}, median "
                  f"{statistics.median(got) if got else float('nan'):.2f} s, max {max(got) if got else float('nan'):.2f} s; "
                  f"over 1 s: {len(slow)} {' '.join(slow[:12])}; nothing printed in time: {none}")
            if got:
                cpus = [r[3]["signet"][1] for r in sel if "signet" in r[4] and r[3]["signet"][1]]
                over = [f"{r[0]}({r[3]['signet'][1]:.2f})" for r in sel if "signet" in r[4] and r[3]["signet"][1] > 1.0]
                what = "the CLI process (start-up to the first answer)" if q == "first" else "the call"
                print(f"           CPU of {what}: median "
                      f"{statistics.median(cpus):.2f} s, max {max(cpus):.2f} s; over 1 s: {len(over)} {' '.join(over)}")
            continue
        for size, pick in (("<=100", lambda n: n <= 100), (">100", lambda n: n > 100)):
            sel = [r for r in rows if r[2] == q and pick(r[1])]
            if not sel:
                continue
            ratios = [r[5] for r in sel if r[5] is not None]
            timeouts = {t: sum(1 for r in sel if r[3][t] == "timeout") for t in TOOLS[q]}
            errors = {t: sum(1 for r in sel if isinstance(r[3][t], str) and r[3][t].startswith("error")) for t in TOOLS[q]}
            disagree = [r[0] for r in sel if not r[6]]
            sig = [r[4]["signet"] for r in sel if "signet" in r[4]]
            only = [r[0] for r in sel if "signet" in r[4] and not any(t in r[4] for t in TOOLS[q] if t != "signet")]
            missed = [r[0] for r in sel if "signet" not in r[4] and not r[7]
                      and any(t in r[4] for t in TOOLS[q] if t != "signet")]
            print(f"  {q:<6} {size:>5} nodes: models {len(sel)}, compared {len(ratios)}: geometric mean ratio "
                  f"{geomean(ratios):.2f}, median ratio {statistics.median(ratios) if ratios else float('nan'):.2f}, "
                  f"signet median {statistics.median(sig) if sig else float('nan'):.3f} s, "
                  f"timeouts {timeouts}, errors {errors}, disagreements {len(disagree)} {disagree[:8]}")
            slower = [f"{r[0]}({r[5]:.1f})" for r in sel if r[5] is not None and r[5] > 1]
            print(f"         signet slower than a peer on {len(slower)}: {' '.join(slower)}")
            print(f"         only signet finished: {len(only)} {' '.join(only[:12])}; "
                  f"a peer finished but not signet: {len(missed)} {' '.join(missed)}")
            for tool in TOOLS[q]:
                own = [r[4][tool] for r in sel if tool in r[4]]
                if own:
                    print(f"         {tool:<10} finished {len(own):4d}, median {statistics.median(own):.3f} s, "
                          f"total {sum(own):.1f} s")
    if "fixed" in questions:  # the fixed-point timeouts on equal terms (a count against a count)
        from summarize_attractors import parse_rows, summarise

        pooled: dict = {}
        parse_rows(printed, "this run", pooled)
        print("\nfixed points and counts as benchmarks/summarize_attractors.py pools them:")
        summarise({k: v for k, v in pooled.items() if k[1] in ("fixed", "count")})
    return 0


if __name__ == "__main__":
    sys.exit(main())
