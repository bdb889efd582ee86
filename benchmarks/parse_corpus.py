"""Parse the whole shared corpus of .bnet files with signet and with pyboolnet, side by side.

Usage: python benchmarks/parse_corpus.py [--repeat 3]

signet: read_bnet (parse + build the network; implicit inputs added).
pyboolnet: file_exchange.bnet2primes (parse + prime implicants through its bundled
BNetToPrime binary), each file in a subprocess-free call; failures are counted.
Both tools are timed on the same files in one run; medians of --repeat runs are shown.
Not a test: the machine is shared and noisy, so read the ratio, not the seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "benchmarks" / "models"
#: seconds pyboolnet gets per file before it counts as a failure (some files make it hang);
#: a timed-out file adds this much to pyboolnet's time
PER_FILE_TIMEOUT = 10


def run_signet(files: list[Path]) -> tuple[float, int, list[str]]:
    from signet.errors import SignetWarning
    from signet.io.bnet import read_bnet

    failures = []
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignetWarning)
        for f in files:
            try:
                read_bnet(f)
            except Exception as exc:  # noqa: BLE001 - counted and shown
                failures.append(f"{f.relative_to(CORPUS)}: {exc}")
    return time.perf_counter() - start, len(files) - len(failures), failures


_CHILD = """
import io, logging, sys, time
from contextlib import redirect_stderr, redirect_stdout
logging.disable(logging.CRITICAL)
sink = io.StringIO()
with redirect_stdout(sink), redirect_stderr(sink):
    from pyboolnet.file_exchange import bnet2primes
start = time.perf_counter()
try:
    with redirect_stdout(sink), redirect_stderr(sink):
        primes = bnet2primes(sys.argv[1])
    status = "ok" if primes else "empty result"
except BaseException as exc:  # pyboolnet may sys.exit
    status = type(exc).__name__ + ": " + str(exc)[:80]
print(time.perf_counter() - start)
print(status)
"""


def run_pyboolnet(files: list[Path]) -> tuple[float, int, list[str]]:
    """bnet2primes per file, in a child process (its binary can hang: the whole process group
    is killed after PER_FILE_TIMEOUT); the time is bnet2primes' own, measured in the child."""
    import os
    import signal
    import subprocess

    failures = []
    total = 0.0
    for f in files:
        child = subprocess.Popen([sys.executable, "-c", _CHILD, str(f)], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        try:
            out, _ = child.communicate(timeout=PER_FILE_TIMEOUT + 5)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            total += PER_FILE_TIMEOUT
            failures.append(f"{f.relative_to(CORPUS)}: no answer within {PER_FILE_TIMEOUT} s")
            continue
        lines = out.splitlines()
        if len(lines) < 2:
            failures.append(f"{f.relative_to(CORPUS)}: crashed (exit {child.returncode})")
            continue
        total += float(lines[0])
        if lines[1] != "ok":
            failures.append(f"{f.relative_to(CORPUS)}: {lines[1]}")
    return total, len(files) - len(failures), failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(CORPUS.rglob("*.bnet"))
    print(f"{len(files)} .bnet files under {CORPUS}")
    rows = {}
    for name, func in (("signet", run_signet), ("pyboolnet", run_pyboolnet)):
        times = []
        for _ in range(args.repeat):
            elapsed, ok, failures = func(files)
            times.append(elapsed)
        rows[name] = (statistics.median(times), ok, failures)
        print(f"{name:<10} median {rows[name][0]:7.2f} s  {len(files) / rows[name][0]:8.1f} files/s  "
              f"parsed {ok}/{len(files)}  failed {len(failures)}")
    ratio = rows["signet"][0] / rows["pyboolnet"][0]
    print(f"ratio signet/pyboolnet time: {ratio:.3g} (pyboolnet also computes prime implicants; a file that times out counts {PER_FILE_TIMEOUT} s)")
    for name in rows:
        if rows[name][2]:
            print(f"\n{name} failures (first 10 of {len(rows[name][2])}):")
            for line in rows[name][2][:10]:
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
