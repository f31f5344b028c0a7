"""A news stream of real article texts, about 1 article in 100 reporting a takedown.

News that reports nothing: the Lee corpus, 300 articles of the Australian Broadcasting
Corporation (2001-2002), one per line in gensim's wheel (``gensim/test/test_data/
lee_background.cor``; the ``bench`` extra: ``pip install '.[bench]'``). Article ``k`` of the
stream is Lee article ``k % 300`` with one sentence in six or so (which ones depend on
``k``) replaced by sentences of other Lee articles (which ones depend on ``k`` too): the same
length and mix of words as the real article, yet two copies of one article differ in two
sentences of about ten or more, so they share well under 90% of their word shingles and the
duplicate check (near duplicates from 0.9) keeps every one. Its first sentence's first
words are its title.

Every hundredth article (``k % 100 == 99``) reports a takedown: alternately a seed article
of ``corpus/`` (its title, a Lee article as first paragraph, then the seed's body) or a takedown paragraph
written here from templates (platform, counts, state, and now and then a denial), then a Lee
article. Nothing comes from the dev sets. Deterministic.

``write_stream(folder, n)`` writes ``n`` ``.txt`` files; ``stream_texts(n)`` gives the texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAKEDOWN_EVERY = 100
PLATFORMS = ("Facebook", "Twitter", "YouTube", "TikTok", "Meta")
STATES = ("Iran", "Russia", "China", "Egypt", "Saudi Arabia", "Venezuela", "Thailand", "Honduras")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


@lru_cache(maxsize=1)
def lee_articles() -> tuple[str, ...]:
    """The Lee corpus's 300 articles (one line each, spaces normalised)."""
    data = resources.files("gensim").joinpath("test/test_data/lee_background.cor")
    lines = data.read_text("utf-8", errors="replace").splitlines()
    return tuple(" ".join(line.split()) for line in lines if line.strip())


@lru_cache(maxsize=1)
def _sentences() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_SENTENCE.split(a)) for a in lee_articles())


@lru_cache(maxsize=1)
def _seeds() -> tuple[str, ...]:
    return tuple(p.read_text("utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))


def _title(text: str) -> str:
    return " ".join(text.split()[:9]).rstrip(".,;:")


@lru_cache(maxsize=1)
def _flat() -> tuple[tuple[int, str], ...]:
    """(article, sentence) of every sentence of the Lee corpus."""
    return tuple((i, s) for i, sents in enumerate(_sentences()) for s in sents)


def _varied(k: int, i: int) -> str:
    """Lee article ``i`` with sentence ``k``-chosen replaced by one of another article."""
    sents = list(_sentences()[i])
    flat = _flat()
    r = k // len(_sentences())
    for m in range(1 + len(sents) // 6):  # one sentence in six or so: long articles too differ
        pos = (r + m * 5) % len(sents)
        n = (k * 7919 + r + m * 104729) % len(flat)
        while flat[n][0] == i:
            n = (n + 1) % len(flat)
        sents[pos] = flat[n][1]
    return " ".join(sents)


def _takedown_paragraph(k: int) -> str:
    platform = PLATFORMS[k % len(PLATFORMS)]
    state = STATES[(k // 7) % len(STATES)]
    accounts, pages = 20 + (k * 7) % 480, 3 + (k * 3) % 60
    text = (
        f"{platform} said on {DAYS[k % len(DAYS)]} it had removed {accounts} accounts and {pages} pages "
        f"linked to {state} for coordinated inauthentic behaviour. The network posted about local "
        f"politics and posed as independent news outlets, the company said."
    )
    if k % 3 == 0:
        text += f" {state}'s foreign ministry rejected the accusations as baseless."
    return text


def stream_text(k: int) -> str:
    """The text of article ``k`` of the stream (a ``.txt`` article: title line, paragraphs)."""
    lee = lee_articles()
    i = k % len(lee)
    if k % TAKEDOWN_EVERY == TAKEDOWN_EVERY - 1:
        other = _varied(k, (k // TAKEDOWN_EVERY) % len(lee))  # a different Lee article each time
        if (k // TAKEDOWN_EVERY) % 2 == 0:
            seeds = _seeds()
            seed = seeds[(k // (2 * TAKEDOWN_EVERY)) % len(seeds)]
            title, _, rest = seed.partition("\n")  # the news before the seed's body: some seeds end
            return f"{title}\n\n{other}\n\n{rest.strip()}\n"  # in a footer that ingest cuts off
        body = _takedown_paragraph(k // TAKEDOWN_EVERY)
        return f"{_title(body)}\n\n{body}\n\n{other}\n"
    text = _varied(k, i)
    return f"{_title(text)}\n\n{text}\n"


def stream_texts(n: int, start: int = 0) -> Iterator[str]:
    for k in range(start, start + n):
        yield stream_text(k)


def is_takedown(k: int) -> bool:
    return k % TAKEDOWN_EVERY == TAKEDOWN_EVERY - 1


#: Sentences of a short article (``short_text``): a news brief.
SHORT_SENTENCES = 3


def short_text(k: int) -> str:
    """Article ``k`` of the short stream: ``SHORT_SENTENCES`` sentences of a Lee article (which
    ones depend on ``k``) as a news brief, or every hundredth a takedown paragraph from the
    templates (now and then with a denial). Many briefs repeat: a duplicate of an article
    without facts changes nothing, so the build's duplicate check never compares them."""
    if is_takedown(k):
        body = _takedown_paragraph(k // TAKEDOWN_EVERY)
        return f"{_title(body)}\n\n{body}\n"
    sents = _sentences()[k % len(_sentences())]
    start = (k // len(_sentences())) % max(1, len(sents) - SHORT_SENTENCES + 1)
    text = " ".join(sents[start : start + SHORT_SENTENCES])
    return f"{_title(text)}\n\n{text}\n"


def write_stream(folder: Path, n: int, short: bool = False, per_folder: int = 0) -> Path:
    """``n`` articles as ``folder/NNNNNNN.txt`` (kept if the folder already holds them); with
    ``short``, the briefs of :func:`short_text`; with ``per_folder``, in subfolders of that many
    files (``folder/NNNN/NNNNNNN.txt``: a million files in one folder list slowly)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / ".complete"
    if stamp.exists() and stamp.read_text() == str(n):
        return folder
    texts = (short_text(k) for k in range(n)) if short else stream_texts(n)
    for k, text in enumerate(texts):
        where = folder / f"{k // per_folder:04d}" if per_folder else folder
        if per_folder and k % per_folder == 0:
            where.mkdir(exist_ok=True)
        (where / f"{k:07d}.txt").write_text(text, "utf-8")
    stamp.write_text(str(n))
    return folder
