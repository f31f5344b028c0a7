"""Scoring extracted events against gold annotations (``kg eval``).

Fact types: takedown (records per article and platform), count (each filled count field of a
takedown), attribution (each state of a takedown), denial (records per article and state).
Predicted and gold records of one (article, platform) — or (article, state) for denials — are
paired by similarity, so two networks need two records. Gold items marked ``optional`` are
neither required nor penalised: a prediction paired with one is ignored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.records import COUNT_FIELDS

FACT_TYPES = ("takedown", "count", "attribution", "denial")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Difference:
    """A missed (``kind='missed'``) or spurious fact, for the report."""

    kind: str
    fact: str
    file: str
    what: str
    evidence: str


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in FACT_TYPES})
    differences: list[Difference] = field(default_factory=list)
    files: int = 0
    ignored_files: tuple[str, ...] = ()

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.scores.values()) / len(self.scores)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "macro_f1": round(self.macro_f1, 4),
            "scores": {
                k: {
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                }
                for k, s in self.scores.items()
            },
            "missed": [d.__dict__ for d in self.differences if d.kind == "missed"],
            "spurious": [d.__dict__ for d in self.differences if d.kind == "spurious"],
            "ignored_files": list(self.ignored_files),
        }


def _norm(s: Any) -> str:
    return " ".join(str(s or "").lower().split())


def _states(t: dict[str, Any]) -> set[str]:
    return {_norm(s) for s in t.get("attributed_to") or []}


def _td_similarity(g: dict[str, Any], p: dict[str, Any]) -> float:
    score = 0.1
    for f in COUNT_FIELDS:
        if g.get(f) is not None and g.get(f) == p.get(f):
            score += 3
        elif g.get(f) is not None and p.get(f) is not None:
            score -= 1
    gs, ps = _states(g), _states(p)
    if gs or ps:
        score += 2 * len(gs & ps) / len(gs | ps)
    if _norm(g.get("evidence")) and _norm(g.get("evidence")) == _norm(p.get("evidence")):
        score += 1
    return score


def _dn_similarity(g: dict[str, Any], p: dict[str, Any]) -> float:
    score = 0.1
    if _norm(g.get("speaker")) and _norm(g.get("speaker")) == _norm(p.get("speaker")):
        score += 2
    gc = {_norm(x) for x in str(g.get("denies_claim_of") or "").split(",")}
    pc = {_norm(x) for x in str(p.get("denies_claim_of") or "").split(",")}
    if gc & pc - {""}:
        score += 1
    if _norm(g.get("evidence")) == _norm(p.get("evidence")):
        score += 1
    return score


def _pair(
    gold: list[dict[str, Any]], pred: list[dict[str, Any]], sim: Any
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Greedy best-first pairing: (pairs, unpaired gold, unpaired pred)."""
    cands = sorted(
        ((sim(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return (
        pairs,
        [i for i in range(len(gold)) if i not in used_g],
        [i for i in range(len(pred)) if i not in used_p],
    )


def _short(s: Any, n: int = 140) -> str:
    text = " ".join(str(s or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


Rows = list[dict[str, Any]]


def _groups(gold: Rows, pred: Rows, key: str) -> list[tuple[str, Rows, Rows]]:
    """Gold and predicted records of one article grouped by ``key`` (platform or state)."""
    groups: dict[str, tuple[Rows, Rows]] = defaultdict(lambda: ([], []))
    for g in gold:
        groups[_norm(g.get(key))][0].append(g)
    for p in pred:
        groups[_norm(p.get(key))][1].append(p)
    return [(k, *groups[k]) for k in sorted(groups)]


def _score_takedowns(
    report: Report, file: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> None:
    sc = report.scores
    for platform, gs, ps in _groups(gold, pred, "platform"):
        pairs, lone_g, lone_p = _pair(gs, ps, _td_similarity)
        for gi, pi in pairs:
            g, p = gs[gi], ps[pi]
            if g.get("optional"):
                continue
            sc["takedown"].tp += 1
            _score_fields(report, file, platform, g, p)
        for gi in lone_g:
            g = gs[gi]
            if g.get("optional"):
                continue
            sc["takedown"].fn += 1
            report.differences.append(
                Difference("missed", "takedown", file, platform, _short(g.get("evidence")))
            )
            _score_fields(report, file, platform, g, {})
        for pi in lone_p:
            p = ps[pi]
            sc["takedown"].fp += 1
            report.differences.append(
                Difference("spurious", "takedown", file, platform, _short(p.get("evidence")))
            )
            _score_fields(report, file, platform, {}, p)


def _score_fields(report: Report, file: str, platform: str, g: dict[str, Any], p: dict[str, Any]) -> None:
    sc = report.scores
    ev = _short(g.get("evidence") or p.get("evidence"))
    for f in COUNT_FIELDS:
        gv, pv = g.get(f), p.get(f)
        if gv is not None and gv == pv:
            sc["count"].tp += 1
            continue
        if pv is not None:
            sc["count"].fp += 1
            report.differences.append(Difference("spurious", "count", file, f"{platform} {f}={pv}", ev))
        if gv is not None:
            sc["count"].fn += 1
            report.differences.append(Difference("missed", "count", file, f"{platform} {f}={gv}", ev))
    gs, ps = _states(g), _states(p)
    sc["attribution"].tp += len(gs & ps)
    for s in sorted(ps - gs):
        sc["attribution"].fp += 1
        report.differences.append(Difference("spurious", "attribution", file, f"{platform} -> {s}", ev))
    for s in sorted(gs - ps):
        sc["attribution"].fn += 1
        report.differences.append(Difference("missed", "attribution", file, f"{platform} -> {s}", ev))


def _score_denials(report: Report, file: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> None:
    sc = report.scores["denial"]
    for state, gs, ps in _groups(gold, pred, "state"):
        pairs, lone_g, lone_p = _pair(gs, ps, _dn_similarity)
        sc.tp += sum(1 for gi, _ in pairs if not gs[gi].get("optional"))
        for gi in lone_g:
            if not gs[gi].get("optional"):
                sc.fn += 1
                report.differences.append(
                    Difference(
                        "missed",
                        "denial",
                        file,
                        f"{state} ({gs[gi].get('speaker')})",
                        _short(gs[gi].get("evidence")),
                    )
                )
        for pi in lone_p:
            sc.fp += 1
            report.differences.append(
                Difference(
                    "spurious",
                    "denial",
                    file,
                    f"{state} ({ps[pi].get('speaker')})",
                    _short(ps[pi].get("evidence")),
                )
            )


def evaluate(gold: Iterable[dict[str, Any]], pred: Iterable[dict[str, Any]]) -> Report:
    """Score ``pred`` records against ``gold`` records (both events-JSONL dicts)."""
    report = Report()
    preds = {r["file"]: r for r in pred}
    seen: set[str] = set()
    for g in gold:
        file = g["file"]
        seen.add(file)
        report.files += 1
        p = preds.get(file, {})
        _score_takedowns(report, file, g.get("takedowns") or [], p.get("takedowns") or [])
        _score_denials(report, file, g.get("denials") or [], p.get("denials") or [])
    report.ignored_files = tuple(sorted(set(preds) - seen))
    return report


def format_report(report: Report, show_differences: bool = True) -> str:
    lines = [f"{'fact':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for name, s in report.scores.items():
        lines.append(
            f"{name:<12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}"
        )
    lines.append(f"macro_f1 {report.macro_f1:.4f} over {report.files} articles")
    if report.ignored_files:
        lines.append(f"({len(report.ignored_files)} predicted articles have no gold record and were ignored)")
    if show_differences:
        for kind in ("missed", "spurious"):
            diffs = [d for d in report.differences if d.kind == kind]
            if diffs:
                lines.append(f"\n{kind} ({len(diffs)}):")
                for d in diffs:
                    lines.append(f"  [{d.fact}] {d.file}: {d.what}  «{d.evidence}»")
    return "\n".join(lines)
