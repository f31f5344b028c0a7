"""The walkthrough notebook runs top to bottom (executed with nbclient, as CI does)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.notebook, pytest.mark.model]

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "walkthrough.ipynb"


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o["output_type"] == "stream")


def test_walkthrough_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a folder outside the checkout: the notebook finds the project by itself."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib")
    pytest.importorskip("ipykernel")

    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the notebook's output folder lands here
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("CIB_KG_ROOT", raising=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3",
        resources={"metadata": {"path": str(elsewhere)}},  # the kernel's working folder
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


def test_walkthrough_says_what_to_set_when_it_cannot_find_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No bare StopIteration: a wrong CIB_KG_ROOT is named, with what to set."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib")
    pytest.importorskip("ipykernel")

    monkeypatch.setenv("CIB_KG_ROOT", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"][:1]  # the setup cell only
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(nbclient.exceptions.CellExecutionError) as err:
        client.execute()
    assert f"CIB_KG_ROOT={tmp_path} is not a cib-kg checkout" in str(err.value)
    assert "StopIteration" not in str(err.value)
