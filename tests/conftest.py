"""Shared fixtures: where the public model corpus and the bundled networks are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: ../shared/benchmarks/models beside the repository (CI lays shared/ next to the clone)
CORPUS = REPO.parent / "shared" / "benchmarks" / "models"
NETWORKS = REPO / "networks"


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert CORPUS.is_dir(), f"model corpus not found at {CORPUS}"
    return CORPUS


@pytest.fixture(scope="session")
def networks_dir() -> Path:
    return NETWORKS
