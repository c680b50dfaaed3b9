"""notebooks/claims.ipynb runs from top to bottom; its cells assert what they compute."""
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "claims.ipynb"


def test_claims_notebook_executes(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    for verdict_line in ("[", "Wakhjir"):
        assert verdict_line in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3  # histogram and two profiles
    assert (tmp_path / "notebook_figures" / "wakhan_highway_profile.png").is_file()
