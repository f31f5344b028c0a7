"""Scoring cross-article merges against a merge gold (``kg eval GOLD --merge MERGE.jsonl``).

A merge gold lists each takedown that two or more articles report, one JSON object a line::

    {"event": "E01", "platform": "Twitter", "what": "...",
     "members": [{"file": "a.txt", "i": 0, "optional_member": false}, ...]}

where ``i`` indexes that file's ``takedowns`` list in the gold events file. Predicted records
(``events.jsonl`` from ``kg build``) say which event the graph merged them into (``event``).
Predicted records are paired with gold records per article and platform exactly as the fact
scores pair them, so a merge is judged on the gold records it stands for. Pairs are of records
of two articles: recall is over the pairs whose two members are both required, precision over
every pair the graph merges (a merge the gold does not list is false; optional members count
as neither missed nor false). Two records of one article are no article pair: merging them is
false, unless the gold lists both in one event (an article telling one announcement in parts,
"23,750 core accounts and 150,000 amplifiers", that another reports as one total), where it
counts as neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from kg.errors import GoldError
from kg.evaluation.scores import _groups, _pair, _short, _td_similarity
from kg.exporters.events import read_jsonl_rows
from kg.records import Article, ArticleFacts, Attribution, Counts, Evidence, Takedown

Member = tuple[str, int]  # (file, index in that file's gold takedowns)


@dataclass(frozen=True)
class MergeEvent:
    """One takedown of the merge gold and the gold records that report it."""

    event: str
    platform: str
    what: str
    members: tuple[tuple[str, int, bool], ...]  # (file, i, optional_member)


@dataclass(frozen=True)
class PairDiff:
    """A missed or false merge of two records, for the report."""

    kind: str  # "missed" | "false"
    platform: str
    a: str
    b: str
    why: str  # false: why not; missed: a member with no extracted record, or "not merged"


@dataclass
class MergeReport:
    """``merged`` pairs the graph merged, ``correct`` of them listed in the gold (optional
    members included), ``required`` listed pairs of two required members, ``found`` of those merged."""

    merged: int = 0
    correct: int = 0
    required: int = 0
    found: int = 0
    differences: list[PairDiff] = field(default_factory=list)
    events: int = 0
    unextracted: int = 0  # missed pairs a member of which has no extracted record (no merge can find them)

    @property
    def precision(self) -> float:
        return self.correct / self.merged if self.merged else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "pairs": {
                "merged": self.merged,
                "false": self.merged - self.correct,
                "required": self.required,
                "missed": self.required - self.found,
                "missed_no_record": self.unextracted,
                "precision": round(self.precision, 4),
                "recall": round(self.recall, 4),
                "f1": round(self.f1, 4),
            },
            "missed": [d.__dict__ for d in self.differences if d.kind == "missed"],
            "false": [d.__dict__ for d in self.differences if d.kind == "false"],
        }


def read_merge_gold(path: Path) -> Iterator[MergeEvent]:
    """Events of a merge gold file; a malformed line is an error naming file and line."""
    for n, row in read_jsonl_rows(path):
        members = row.get("members") if isinstance(row, dict) else None
        if not isinstance(members, list) or not all(
            isinstance(m, dict) and isinstance(m.get("file"), str) and isinstance(m.get("i"), int)
            for m in members
        ):
            raise GoldError(f"{path}:{n}: a merge event needs 'members' with 'file' and 'i'")
        yield MergeEvent(
            event=str(row.get("event") or f"line {n}"),
            platform=str(row.get("platform") or ""),
            what=str(row.get("what") or ""),
            members=tuple((m["file"], m["i"], bool(m.get("optional_member"))) for m in members),
        )


def _pair_records(
    gold_rows: Iterable[dict[str, Any]], pred_rows: Iterable[dict[str, Any]]
) -> dict[Member, Member]:
    """Predicted (file, index) -> gold (file, index), paired per article and platform."""
    preds = {r["file"]: r for r in pred_rows}
    out: dict[Member, Member] = {}
    for g in gold_rows:
        file = g["file"]
        gold = [dict(t, _i=i) for i, t in enumerate(g.get("takedowns") or [])]
        pred = [dict(t, _i=i) for i, t in enumerate(preds.get(file, {}).get("takedowns") or [])]
        for _, gs, ps in _groups(gold, pred, "platform"):
            pairs, _, _ = _pair(gs, ps, _td_similarity)
            for gi, pi in pairs:
                out[(file, ps[pi]["_i"])] = (file, gs[gi]["_i"])
    return out


def _evidence(rows: list[dict[str, Any]]) -> dict[Member, str]:
    return {
        (r["file"], i): _short(t.get("evidence"), 90)
        for r in rows
        for i, t in enumerate(r.get("takedowns") or [])
    }


def _label(m: Member, evidence: dict[Member, str]) -> str:
    return f"{m[0]}#{m[1]} «{evidence.get(m, '')}»"


def evaluate_merges(
    gold_rows: Iterable[dict[str, Any]], merge_gold: Iterable[MergeEvent], pred_rows: Iterable[dict[str, Any]]
) -> MergeReport:
    """Pair recall and precision of the predicted merges (``event`` ids in ``pred_rows``)."""
    gold_rows, pred_rows = list(gold_rows), list(pred_rows)
    records = [t for p in pred_rows for t in p.get("takedowns") or []]
    if records and not any("event" in t for t in records):
        raise GoldError("predictions have no 'event' ids: score the events.jsonl a kg build writes")
    report = MergeReport()
    gold_ev, pred_ev = _evidence(gold_rows), _evidence(pred_rows)
    listed: set[frozenset[Member]] = set()
    parts: set[frozenset[Member]] = set()  # two records of one article in one gold event
    required: dict[frozenset[Member], str] = {}
    for ev in merge_gold:
        report.events += 1
        for (fa, ia, oa), (fb, ib, ob) in combinations(ev.members, 2):
            if fa == fb:
                parts.add(frozenset({(fa, ia), (fb, ib)}))
                continue
            pair = frozenset({(fa, ia), (fb, ib)})
            listed.add(pair)
            if not oa and not ob:
                required[pair] = ev.platform
    to_gold = _pair_records(gold_rows, pred_rows)
    by_event: dict[str, list[Member]] = defaultdict(list)
    platform_of: dict[Member, str] = {}
    for p in pred_rows:
        for i, t in enumerate(p.get("takedowns") or []):
            if t.get("event"):
                by_event[str(t["event"])].append((p["file"], i))
                platform_of[(p["file"], i)] = str(t.get("platform") or "")
    merged: set[frozenset[Member]] = set()
    for key in sorted(by_event):
        for a, b in combinations(sorted(by_event[key]), 2):
            ga, gb = to_gold.get(a), to_gold.get(b)
            pair = frozenset({ga, gb}) if ga is not None and gb is not None else None
            if a[0] == b[0] and pair in parts:
                continue  # parts of one takedown, as the gold says: not an article pair
            report.merged += 1
            if pair is not None and len(pair) == 2 and a[0] != b[0] and pair in listed:
                report.correct += 1
                merged.add(pair)
                continue
            why = "one article" if a[0] == b[0] else "not one takedown in the gold"
            if ga is None or gb is None:
                why = "a record with no gold record"
            report.differences.append(
                PairDiff("false", platform_of[a], _label(a, pred_ev), _label(b, pred_ev), why)
            )
    report.required = len(required)
    extracted = set(to_gold.values())
    for pair in sorted(required, key=lambda p: sorted(p)):
        if pair in merged:
            report.found += 1
            continue
        a, b = sorted(pair)
        absent = [f"{m[0]}#{m[1]}" for m in (a, b) if m not in extracted]
        why = f"no extracted record for {' and '.join(absent)}" if absent else "not merged"
        report.unextracted += bool(absent)
        report.differences.append(
            PairDiff("missed", required[pair], _label(a, gold_ev), _label(b, gold_ev), why)
        )
    return report


def format_merge_report(report: MergeReport, show_differences: bool = True) -> str:
    r = report
    lines = [
        f"merge pairs  P {r.precision:.3f}  R {r.recall:.3f}  F1 {r.f1:.3f}",
        f"{r.found} of {r.required} required pairs merged; {r.merged} pairs merged, "
        f"{r.merged - r.correct} false; {r.events} gold events; of the {r.required - r.found} missed, "
        f"{r.unextracted} lack an extracted record",
    ]
    if show_differences:
        for kind, title in (("missed", "missed merges"), ("false", "false merges")):
            diffs = [d for d in report.differences if d.kind == kind]
            if diffs:
                lines.append(f"\n{title} ({len(diffs)}):")
                for d in diffs:
                    lines.append(f"  {d.platform}: {d.a}\n      + {d.b}" + (f"  ({d.why})" if d.why else ""))
    return "\n".join(lines)


COUNT_KINDS = ("accounts", "pages", "groups", "instagram_accounts", "channels", "combined_count")


def gold_facts(
    gold_rows: Iterable[dict[str, Any]], articles: Iterable[Article]
) -> tuple[list[ArticleFacts], list[str]]:
    """The gold takedowns as facts of their articles: the merge's input with extraction taken
    out (``kg eval GOLD CORPUS --merge M --merge-gold-records`` scores the merge alone).

    Each article gives its id, title and dates (the gold's ``published`` if set, else its date
    line; the estimated date when it has none), so the records merge as extracted ones would.
    Also returns the gold files the corpus did not give (missing, or skipped as exact
    duplicates): their records are left out, as a build leaves them out. (A near duplicate, which
    a build keeps as a copy of its original's records, comes with ``articles`` and its own gold.)
    """
    by_file = {a.file: a for a in articles}
    out, absent = [], []
    for row in gold_rows:
        file = str(row.get("file"))
        article = by_file.get(file)
        if article is None:
            absent.append(file)
            continue
        try:
            published = date.fromisoformat(row["published"]) if row.get("published") else article.published
            tds = tuple(_gold_takedown(article, i, t) for i, t in enumerate(row.get("takedowns") or []))
        except (KeyError, TypeError, ValueError) as exc:
            raise GoldError(f"{file}: a gold takedown that cannot be read ({exc})") from None
        estimated = None if published else article.meta.estimated
        meta = replace(article.meta, published=published, estimated=estimated)
        out.append(ArticleFacts(article=meta, takedowns=tds, denials=()))
    return out, absent


def _gold_takedown(article: Article, i: int, t: dict[str, Any]) -> Takedown:
    """One gold takedown as a record; offsets are its place in the list (the canonical order)."""
    ev = Evidence(article.id, article.file, str(t.get("evidence") or ""), i, i + 1, "gold", 1.0)
    counts = Counts(**{k: int(t[k]) for k in COUNT_KINDS if t.get(k) is not None})
    states = [str(s) for s in t.get("attributed_to") or []]
    return Takedown(
        platform=str(t["platform"]),
        network=str(t.get("network") or ""),
        counts=counts,
        date=date.fromisoformat(t["date"]) if t.get("date") else None,
        attributions=tuple(Attribution(s, "linked to", None, ev) for s in states),
        actors=tuple(str(a) for a in t.get("actors") or []),
        evidence=ev,
    )
