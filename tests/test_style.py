"""The code base stays ruff-clean (the linter is part of the test suite, so CI enforces it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [ruff, "check", "kg", "tests", "bench", "notebooks"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_runtime_downloads() -> None:
    """No model hub, CDN or `spacy download` in the package: everything runs offline."""
    bad = ("spacy download", "from_pretrained", "huggingface", "cdn_resources=\"remote\"", "unpkg.com")
    for path in (ROOT / "kg").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in bad:
            assert needle not in text, f"{path.relative_to(ROOT)} mentions {needle!r}"
    assert sys.version_info >= (3, 11)
