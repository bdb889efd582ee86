"""Shared fixtures: where the public model corpus and the bundled networks are; the Hypothesis
profile of CI; and how pytest-xdist may spread the tests over workers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
#: ../shared/benchmarks/models beside the repository (CI lays shared/ next to the clone)
CORPUS = REPO.parent / "shared" / "benchmarks" / "models"
NETWORKS = REPO / "networks"

# CI (CI=true) runs on a loaded 2-core machine: no per-example deadline (a slow example is not a
# failure there) and the blob to replay a failure is printed.  The number of examples is each
# test's own (@settings), the same everywhere.  Locally: `pytest --hypothesis-profile=ci`.
settings.register_profile("ci", deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow])
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert CORPUS.is_dir(), f"model corpus not found at {CORPUS}"
    return CORPUS


@pytest.fixture(scope="session")
def networks_dir() -> Path:
    return NETWORKS


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's worker reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``pytest -n N --dist loadgroup`` (pytest-xdist), the tests of a file that share a
    module- or class-scoped fixture defined in that file (a screen, a validation, the figures of
    the model) run on one worker, so that the fixture is computed once; every other test may run
    on any worker."""
    for item in items:
        module = getattr(item, "module", None)
        info = getattr(item, "_fixtureinfo", None)
        if module is None or info is None:
            continue
        for definitions in info.name2fixturedefs.values():
            if any(d.scope in ("module", "class", "package") and d.func.__module__ == module.__name__
                   for d in definitions):
                item.add_marker(pytest.mark.xdist_group(module.__name__))
                break
