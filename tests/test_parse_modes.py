"""Every parse configuration (``kg.extract.PARSE_MODES``) gives the same facts.

On the seed corpus, and on every sentence of the extraction tables of ``test_extract.py``
and of any ``test_takedown*``/``test_denial*``/``test_attribution*`` module (found by shape,
so rows and tables added there are covered too), alone and between paragraphs of unrelated
news that the filtered mode does not parse.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest
import test_extract
from typer.testing import CliRunner

from kg.cli import app
from kg.extract import PARSE_MODES, extract_articles
from kg.extract.prefilter import load_prefilter
from kg.ingest import corpus_files, ingest, parse_article

pytestmark = pytest.mark.model

# Unrelated news paragraphs of our own: no platform, state, count or denial word.
# News about other things. (Office words such as "council" or "service" keep a paragraph: a
# denial may be spoken by one.)
FILLER = (
    "The bus company met on Tuesday evening to discuss the new timetable, which "
    "residents had criticised for months. Several residents asked for later buses.",
    "Rain is expected over the weekend, with temperatures dropping to eight degrees. "
    "Gardeners welcomed the forecast after a dry summer.",
    "\u201cWe are looking forward to the final,\u201d the coach told reporters after training. "
    "The match starts at seven.",
)


#: test modules whose tables are extraction cases (rule modules added later are picked up too)
TABLE_MODULES = ("test_extract*.py", "test_takedown*.py", "test_denial*.py", "test_attribution*.py")


def _modules() -> list[ModuleType]:
    here = Path(__file__).resolve().parent
    names = sorted({p.stem for pattern in TABLE_MODULES for p in here.glob(pattern)})
    return [test_extract] + [importlib.import_module(n) for n in names if n != "test_extract"]


def _table_texts() -> list[str]:
    """Every text of the module-level tables of those modules (str rows or (str, ...) rows)."""
    texts: list[str] = []
    for module in _modules():
        for value in vars(module).values():
            if not isinstance(value, list):
                continue
            for row in value:
                text = row if isinstance(row, str) else row[0] if isinstance(row, tuple) and row else None
                if isinstance(text, str) and text.strip():
                    texts.append(text)
    return list(dict.fromkeys(texts))


TEXTS = _table_texts()


def test_tables_found() -> None:
    assert len(TEXTS) > 100  # the tables are there and read


def _all_modes(nlp, articles):  # type: ignore[no-untyped-def]
    return {mode: list(extract_articles(articles, nlp, parse=mode)) for mode in PARSE_MODES}


def test_filler_is_not_parsed(nlp) -> None:
    keeps = load_prefilter(nlp).keeps
    assert not any(keeps(p) for p in FILLER)


@pytest.mark.parametrize("padded", [False, True], ids=["alone", "between-filler"])
def test_table_sentences_same_facts_in_every_mode(nlp, padded: bool) -> None:
    articles = []
    for i, text in enumerate(TEXTS):
        body = "\n\n".join([FILLER[i % 3], text, FILLER[(i + 1) % 3]]) if padded else text
        articles.append(parse_article(body, file=f"case{i}.txt"))
    facts = _all_modes(nlp, articles)
    full = facts["full"]
    for mode, got in facts.items():
        diff = [TEXTS[i] for i, (a, b) in enumerate(zip(full, got, strict=True)) if a != b]
        assert diff == [], f"{mode} differs from full on: {diff[:3]}"
    assert sum(len(f.takedowns) + len(f.denials) for f in full) > 100  # the cases do yield facts


def test_seeds_same_facts_in_every_mode(nlp, corpus_dir: Path) -> None:
    articles, _ = ingest(corpus_files(corpus_dir))
    facts = _all_modes(nlp, articles)
    assert all(got == facts["full"] for got in facts.values())
    assert sum(len(f.takedowns) for f in facts["full"]) > 0


def test_cli_parse_modes_write_the_same_graph(corpus_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    outs = []
    for mode in PARSE_MODES:
        out = tmp_path / mode
        r = runner.invoke(app, ["build", str(corpus_dir), "--out", str(out), "--no-html", "--parse", mode])
        assert r.exit_code == 0, r.output
        outs.append(out)
    for out in outs[1:]:
        for name in ("graph.ttl", "events.jsonl"):
            assert (out / name).read_bytes() == (outs[0] / name).read_bytes()


def test_unknown_parse_mode_is_a_one_line_error(corpus_dir: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["build", str(corpus_dir), "--out", str(tmp_path), "--parse", "fast"])
    assert r.exit_code == 2
    assert "unknown parse mode 'fast'" in r.output and "Traceback" not in r.output
