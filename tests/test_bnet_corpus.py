"""Every .bnet file of the public corpus parses, round-trips, and matches BBM's own counts."""

from __future__ import annotations

import csv
import functools
import json
import warnings
from pathlib import Path

import pytest

from conftest import CORPUS
from signet.errors import SignetWarning
from signet.io.bnet import generate_bnet, parse_bnet, read_bnet

BNET_FILES = sorted(CORPUS.rglob("*.bnet"))


@functools.lru_cache(maxsize=None)
def _read(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignetWarning)
        return read_bnet(path)


def test_corpus_is_there():
    assert len(BNET_FILES) >= 540


@pytest.mark.parametrize("path", BNET_FILES, ids=[str(p.relative_to(CORPUS)) for p in BNET_FILES])
def test_parses_and_round_trips(path):
    net = _read(path)
    assert len(net) > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignetWarning)
        again = parse_bnet(generate_bnet(net))
    assert again.nodes == net.nodes
    assert again.is_equivalent(net)


def _bbm_rows():
    with open(CORPUS / "bbm" / "summary.csv", newline="") as handle:
        return {row["ID"].strip(): row for row in csv.DictReader(handle, skipinitialspace=True)}


BBM_DIRS = sorted(p.parent for p in (CORPUS / "bbm").glob("*/model.bnet"))


@pytest.mark.parametrize("folder", BBM_DIRS, ids=[p.name[:3] for p in BBM_DIRS])
def test_info_counts_agree_with_bbm_summary(folder):
    """BBM counts 'variables' as defined nodes, and regulations of its AEON model.

    Two documented differences come from the .bnet text itself: an input declared in
    BBM's model but used by no rule is absent from the .bnet (metadata 'input-names'
    tells which), and BBM's regulatory graph may declare regulations that no rule
    mentions (then its count is larger) and drops self-regulations that have no effect.
    """
    row = _bbm_rows()[folder.name[:3]]
    meta = json.loads((folder / "metadata.json").read_text())
    net = _read(folder / "model.bnet")
    defined = len(net) - len(net.implicit_inputs)
    assert defined == int(row["variables"])
    absent_inputs = [name for name in meta["input-names"] if name not in net]
    assert len(net.inputs) == int(row["inputs"]) - len(absent_inputs)
    assert sorted(net.inputs) == sorted(n for n in meta["input-names"] if n in net)
    edges = net.edges()
    counted = [e for e in edges if not (e[0] == e[1] and e[2] == "0")]
    if len(counted) != int(row["regulations"]):
        # only allowed when BBM declares regulations that the rules do not contain
        assert len(counted) < int(row["regulations"])


def test_bbm_regulation_counts_mostly_equal():
    rows = _bbm_rows()
    equal = 0
    for folder in BBM_DIRS:
        net = _read(folder / "model.bnet")
        counted = [e for e in net.edges() if not (e[0] == e[1] and e[2] == "0")]
        equal += len(counted) == int(rows[folder.name[:3]]["regulations"])
    assert equal >= 0.9 * len(BBM_DIRS)
