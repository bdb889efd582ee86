"""docs/notebook.ipynb runs top to bottom in a real Jupyter kernel (issue 14, items 5 and 7):
no cell fails, results show as signet's HTML tables and DataFrames, a figure shows inline
as a PNG, and the kernel's matplotlib backend is still Jupyter's inline one."""

from __future__ import annotations

import os
from pathlib import Path


REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "docs" / "notebook.ipynb"


def test_notebook_executes_with_tables_and_inline_figures():
    import nbclient
    import nbformat

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        "commit the notebook without outputs (they are made here)"
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env_path) if p)  # the kernel runs this signet
    try:
        client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                         resources={"metadata": {"path": str(NOTEBOOK.parent)}})
        client.execute()  # raises CellExecutionError naming the cell if any cell fails
    finally:
        os.environ["PYTHONPATH"] = env_path
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    signet_tables = [h for h in html if h.startswith('<table class="signet">')]
    captions = " ".join(signet_tables)
    assert "attractors (mp" in captions and "score = gain of the Death share" in captions
    assert "goal Death=1 in all reachable attractors" in captions
    assert any("dataframe" in h for h in html)  # pandas' own HTML for to_pandas()
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 1
    last = notebook.cells[-1].outputs[0]["data"]["text/plain"]
    assert "inline" in last, last
    assert any("mpbn round trip equivalent: True" in o.get("text", "") for o in outputs)
