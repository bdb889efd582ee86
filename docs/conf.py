"""Sphinx configuration for the signet documentation (MyST Markdown).

Build with ``sphinx-build -W --keep-going -b html docs docs/_build/html``; the build must
finish without warnings (``tests/test_docs_build.py`` checks it).  No extension needs the
network: intersphinx is deliberately not used.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import signet  # noqa: E402

project = "signet"
author = "signet developers"
copyright = "2024, signet developers"
release = signet.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "numpydoc",
    "sphinx_click",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_scripts", "Thumbs.db", ".DS_Store"]

# MyST: `#` headings get anchors so that [text](file.md#heading) links resolve.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]

# autodoc / numpydoc
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # the signatures carry them; numpydoc lists the parameters
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()
numpydoc_xref_param_type = False

# fences with an info string such as ``text file=model.bnet`` are plain text
highlight_language = "text"
pygments_style = "sphinx"

html_theme = "alabaster"
html_title = f"signet {release}"
html_theme_options = {
    "description": "Boolean signalling-network models of cancer radioresistance",
    "fixed_sidebar": True,
}


def _module_sections_as_rubrics(app, what, name, obj, options, lines):
    """Render numpydoc-style headings in *module* docstrings as rubrics.

    numpydoc rewrites the sections of functions and classes but leaves module docstrings
    alone, so an ``Examples`` heading there would become a document section, and two
    modules on one page would both define the label ``examples``.
    """
    if what != "module":
        return
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        underline = lines[i + 1] if i + 1 < len(lines) else ""
        if (line.strip() and underline.strip() and set(underline.strip()) <= set("-=~^")
                and len(underline.strip()) >= len(line.strip())
                and not line.startswith(" ")):
            out += [f".. rubric:: {line.strip()}", ""]
            i += 2
            continue
        out.append(line)
        i += 1
    lines[:] = out


def setup(app):
    app.connect("autodoc-process-docstring", _module_sections_as_rubrics)
