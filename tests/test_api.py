"""The top-level API: small, documented, lazily imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import signet

HEAVY = ("numpy", "scipy", "sympy", "networkx", "clingo", "biodivine_aeon", "libsbml", "matplotlib", "dask", "yaml",
         "numba", "llvmlite")


def test_import_signet_loads_nothing_heavy():
    code = "import sys, signet; print(','.join(m for m in %r if m in sys.modules))" % (HEAVY,)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == ""


def test_every_public_name_resolves_to_its_module_object():
    from signet import dynamics, errors, io, model, screen

    homes = {"dynamics": dynamics, "io": io, "model": model, "screen": screen, "errors": errors}
    for name in signet.__all__:
        if name == "__version__":
            continue
        value = getattr(signet, name)
        module, attribute = signet._ALIASES.get(name, (signet._API.get(name), name))
        assert value is getattr(homes[module.split(".")[1]], attribute), name
        assert value.__doc__, name
    # modules that share a name with their main function stay modules
    assert signet.screen.__name__ == "signet.screen" and callable(signet.screen.screen)
    assert signet.validate.__name__ == "signet.validate" and callable(signet.validate.validate)
    assert "attractors" in dir(signet) and "screen" in dir(signet)
    try:
        signet.no_such_name
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("unknown names must raise AttributeError")


def test_help_documents_the_notebook_api():
    """help(signet) names the top-level API and the notebook helpers (issue 14, item 5)."""
    import pydoc

    text = pydoc.render_doc(signet, renderer=pydoc.plaintext)
    for name in ("read_model", "signet.read", "attractors", "minimal_interventions", "to_pandas", "to_mpbn",
                 "to_networkx", "to_aeon", "to_pyboolnet_primes", "with_overrides"):
        assert name in text, name
