"""Every parse configuration (``kg.extract.PARSE_MODES``) gives the same facts.

On the seed corpus, and on every sentence of the extraction tables of ``test_extract.py``
and of any ``test_extract*``/``test_takedown*``/``test_denial*``/``test_attribution*`` module (found by shape,
so rows and tables added there are covered too), alone and between paragraphs of unrelated
news that the filtered mode does not parse.
"""

from __future__ import annotations

import importlib
import re
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

# Unrelated news paragraphs of our own: no platform, state, count or denial word. The last
# carries words a rule reads only beside others (an office and titles, kept before a denial
# word of the article; a network noun, kept right after a removal; "take" without "down").
FILLER = (
    "The bus company met on Tuesday evening to discuss the new timetable, which "
    "residents had criticised for months. Several residents asked for later buses.",
    "Rain is expected over the weekend, with temperatures dropping to eight degrees. "
    "Gardeners welcomed the forecast after a dry summer.",
    "\u201cWe are looking forward to the final,\u201d the coach told reporters after training. "
    "The match starts at seven.",
    "The mayor's office said the new parking scheme would take a year to build, council "
    "officials told reporters. It was opposed by the chief executive of the bank.",
)


#: test modules whose tables are extraction cases (rule modules added later are picked up too)
TABLE_MODULES = ("test_extract*.py", "test_takedown*.py", "test_denial*.py", "test_attribution*.py")


def _modules() -> list[ModuleType]:
    here = Path(__file__).resolve().parent
    names = sorted({p.stem for pattern in TABLE_MODULES for p in here.glob(pattern)})
    return [test_extract] + [importlib.import_module(n) for n in names if n not in ("test_extract", __name__)]


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
        n = len(FILLER)
        body = "\n\n".join([FILLER[i % n], text, FILLER[(i + 1) % n]]) if padded else text
        articles.append(parse_article(body, file=f"case{i}.txt"))
    facts = _all_modes(nlp, articles)
    full = facts["full"]
    for mode, got in facts.items():
        diff = [TEXTS[i] for i, (a, b) in enumerate(zip(full, got, strict=True)) if a != b]
        assert diff == [], f"{mode} differs from full on: {diff[:3]}"
    assert sum(len(f.takedowns) + len(f.denials) for f in full) > 100  # the cases do yield facts


def test_every_negation_the_parser_marks_has_its_word_in_the_pre_pass(nlp, corpus_dir: Path) -> None:
    """A negated involvement ("did not use") keeps its paragraph only beside a negation word of
    ``kg/data/prefilter.jsonl``: every token the parser marks as a negation (or "never") in the
    tables and the seeds is one of them."""
    from kg.extract.prefilter import _beside, class_words, settings

    row = settings().needs["involvement_verb"]
    beside = re.compile(_beside(nlp, row, class_words()).replace("\x00", r"\s*"))
    articles, _ = ingest(corpus_files(corpus_dir))
    texts = TEXTS + [p.text for a in articles for p in a.paragraphs]
    missed, seen = [], 0
    for doc in nlp.pipe(texts):
        for t in doc:
            if t.dep_ == "neg" or t.lower_ == "never":
                seen += 1
                if not beside.search(doc.text.lower().replace("\u2019", "'")):
                    missed.append((t.text, doc.text))
    assert missed == [] and seen > 20


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


def test_ner_run_after_the_parsed_test_gives_the_docs_one_pipe_gives(nlp) -> None:
    """The gated mode parses without NER and what follows it, then runs those on the Docs it
    keeps (``kg.extract.run._finish``): the same Docs, names and trees as one ``nlp.pipe``."""
    from kg.extract.model import SPANS_KEY
    from kg.extract.run import _finish, _from_ner

    later = _from_ner(nlp)
    assert later == ("ner", "cib_gazetteer", "cib_serial_comma")
    texts = [*FILLER, "Twitter said 10,000 accounts linked to the governments of Egypt, Saudi Arabia, "
             "Honduras, and Indonesia were removed. Moscow denied it."]
    docs = list(nlp.pipe(texts, disable=list(later)))
    assert all(not doc.ents for doc in docs)
    done = _finish(nlp, later, docs)
    for text, doc in zip(texts, docs, strict=True):
        one = nlp(text)
        doc = done[id(doc)]
        assert doc.to_json() == one.to_json()
        assert [(s.start, s.end, s.label_, s.id_) for s in doc.spans[SPANS_KEY]] == [
            (s.start, s.end, s.label_, s.id_) for s in one.spans[SPANS_KEY]]
