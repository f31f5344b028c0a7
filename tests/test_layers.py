"""The package layout is a contract: stages in layers, no import circles, heavy libraries in
their rooms (``[tool.importlinter]`` in pyproject.toml), and rooms small enough to read."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"
#: The stage packages the README's architecture section draws, in flow order.
STAGES = (
    "ingest", "extract", "resolve", "rdf", "explorer", "exporters", "query", "stores", "build", "evaluation",
    "live",
)
#: Past this many lines a module says in its docstring why it is one module.
LONG_MODULE = 500


def test_import_contracts_kept() -> None:
    lint = shutil.which("lint-imports")
    if lint is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "Contracts: 6 kept" in result.stdout, result.stdout


def test_contract_catches_a_climb(tmp_path: Path) -> None:
    """The contract is not vacuous: a copy of the package where extraction imports the build
    (a lower stage climbing up) and two modules import each other is refused."""
    lint = shutil.which("lint-imports")
    if lint is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    shutil.copytree(KG, tmp_path / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / "kg" / "extract" / "when.py", "a", encoding="utf-8") as fh:
        fh.write("\nimport kg.build.cache  # noqa: E402\nimport kg.extract.run  # noqa: E402\n")
    env = {"PATH": str(Path(lint).parent), "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([lint], cwd=tmp_path, capture_output=True, text=True, check=False, env=env)
    assert result.returncode != 0
    assert "a package imports only the packages below it BROKEN" in " ".join(result.stdout.split())
    assert "No import circles, at any depth of the package tree BROKEN" in " ".join(result.stdout.split())


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_says_what_it_takes_gives_and_may_import(stage: str) -> None:
    doc = ast.get_docstring(ast.parse((KG / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert doc, f"kg/{stage}/__init__.py has no docstring"
    for word in ("Takes", "Gives", "May import"):
        assert word in doc, f"kg/{stage}/__init__.py's docstring does not say what it {word.lower()}"


def test_top_level_holds_only_the_entry_points() -> None:
    """Everything else lives in a stage's package (or the shared util, lexicon and data)."""
    modules = sorted(p.name for p in KG.glob("*.py"))
    assert modules == ["__init__.py", "cli.py", "errors.py", "records.py"]


def test_long_modules_say_why() -> None:
    long = []
    for path in sorted(KG.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > LONG_MODULE:
            doc = ast.get_docstring(ast.parse(text)) or ""
            if "One module because" not in doc:
                long.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert not long, "long modules without a reason in their docstring: " + ", ".join(long)


def test_public_entry_points_keep_working_and_import_lightly() -> None:
    """``from kg.build import build`` and ``from kg.extract import extract_article`` work; importing
    the build or the extract package alone does not import spaCy (a build's main process never
    does: its workers parse)."""
    import sys

    code = (
        "import sys\n"
        "from kg.build import BuildResult, build\n"
        "import kg.extract, kg.extract.model, kg.cli\n"
        "assert 'spacy' not in sys.modules, 'spacy imported'\n"
        "from kg.extract import extract_article, extract_articles\n"
        "assert 'spacy' in sys.modules and callable(build) and callable(extract_article)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
