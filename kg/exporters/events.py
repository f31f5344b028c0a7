"""Events JSONL: one record per article, the format of the gold annotations.

Writing and reading live together so that ``kg eval`` compares exactly what ``kg build``
writes; extra keys (offsets, wording, rule) are ignored by readers that do not know them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import GoldError
from kg.records import COUNT_FIELDS, ArticleFacts, Corpus, Denial, Takedown

#: A record's key -> its event's key: a takedown's key in the merge
#: (``kg.resolve.merge.source_key``), a denial's :func:`denial_key`.
EventIds = dict[tuple[str, ...] | tuple[str, int, int, str, str, str, str], str]


def denial_key(d: Denial) -> tuple[str, ...]:
    """A denial record's identity: where it is said, by whom, what (one sentence may hold two)."""
    ev = d.evidence
    return ("denial", ev.article_id, str(ev.start), str(ev.end), ev.rule, d.state, d.speaker or "", d.quote)


def record_event_ids(corpus: Corpus) -> EventIds:
    """Every takedown and denial record's event key (the graph's ``cib:eventId``), for
    events.jsonl's ``event``: the key that joins the two files."""
    from kg.resolve import event_ids

    ids: EventIds = dict(event_ids(corpus))
    for event in corpus.denials:
        for source in event.sources:
            ids[denial_key(source)] = event.key
    return ids


def _takedown(t: Takedown, event_ids: EventIds | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"platform": t.platform, "network": t.network}
    for name in COUNT_FIELDS:
        row[name] = getattr(t.counts, name)
    row["date"] = t.date.isoformat() if t.date else None
    row["attributed_to"] = list(t.attributed_to)
    row["actors"] = list(t.actors)
    row["wording"] = {a.state: a.wording for a in t.attributions}
    row["evidence"] = t.evidence.sentence
    row["evidence_offsets"] = [t.evidence.start, t.evidence.end]
    row["rule"] = t.evidence.rule
    if event_ids is not None:  # the graph's Takedown this record was merged into
        from kg.resolve.merge import source_key

        row["event"] = event_ids.get(source_key(t))
    return row


def _denial(d: Denial, event_ids: EventIds | None = None) -> dict[str, Any]:
    row = {
        "state": d.state,
        "speaker": d.speaker,
        "denies_claim_of": ", ".join(d.denies_claim_of),
        "quote_or_claim": d.quote,
        "date": d.date.isoformat() if d.date else None,
        "evidence": d.evidence.sentence,
        "evidence_offsets": [d.evidence.start, d.evidence.end],
        "rule": d.evidence.rule,
    }
    if event_ids is not None:  # the graph's Denial this record was merged into
        row["event"] = event_ids.get(denial_key(d))
    return row


def to_record(facts: ArticleFacts, event_ids: EventIds | None = None) -> dict[str, Any]:
    a = facts.article
    return {
        "file": a.file,
        "article_id": a.id,
        "title": a.title,
        "published": a.published.isoformat() if a.published else None,
        "takedowns": [_takedown(t, event_ids) for t in facts.takedowns],
        "denials": [_denial(d, event_ids) for d in facts.denials],
    }


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False)


def write_events(facts: Iterable[ArticleFacts], path: Path, event_ids: EventIds | None = None) -> int:
    """Write atomically; returns the number of records. With ``event_ids``
    (:func:`record_event_ids`) each takedown and denial says which merged event (the graph's
    ``Takedown`` or ``Denial``, whose ``cib:eventId`` is the same string) it belongs to."""
    from kg.util.atomic import atomic_write

    ordered = sorted(facts, key=lambda f: (f.article.file, f.article.id))
    lines = [dumps(to_record(f, event_ids)) for f in ordered]
    atomic_write(path, "".join(line + "\n" for line in lines))
    return len(lines)


def read_jsonl_rows(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, value) of each non-blank line of a JSONL file the user gave; an unreadable
    file or a malformed line is a ``GoldError`` naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GoldError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise GoldError(f"{path}: not UTF-8 text") from None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}:{n}: invalid JSON ({exc.msg})") from None


def read_events(path: Path) -> Iterator[dict[str, Any]]:
    """Records of an events/gold file; a malformed line is an error naming file and line."""
    for n, row in read_jsonl_rows(path):
        if not isinstance(row, dict) or "file" not in row:
            raise GoldError(f"{path}:{n}: record has no 'file' key")
        for key in ("takedowns", "denials"):
            if not isinstance(row.get(key, []), list):
                raise GoldError(f"{path}:{n}: '{key}' must be a list")
        yield row
