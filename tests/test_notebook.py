"""The walkthrough notebook runs top to bottom (executed with nbclient, as CI does)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.notebook, pytest.mark.model]

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "walkthrough.ipynb"


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o["output_type"] == "stream")


def test_walkthrough_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib")
    pytest.importorskip("ipykernel")

    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the notebook's output folder lands here
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails

    code = [c for c in nb.cells if c.cell_type == "code"]
    printed = "\n".join(_text(c) for c in code)
    assert "5 articles -> 9 takedowns, 4 denials" in printed
    assert "== takedowns-by-state" in printed
    assert "Russia          4  Facebook, Twitter" in printed
    assert "QueryError: query:1:19: not valid SPARQL" in printed
    assert "platform -> state links (takedowns)" in printed
    assert "years: 2018, undated" in printed  # the takedowns-per-year chart's data
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2  # the network drawings and the takedowns-per-year chart
    assert not any(o["output_type"] == "error" for c in code for o in c.outputs)
    assert list(tmp_path.glob("cib-kg-walkthrough-*/graph.ttl"))
    assert list(tmp_path.glob("cib-kg-walkthrough-*/takedowns.png"))
