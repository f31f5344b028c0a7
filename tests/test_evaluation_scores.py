"""Scoring: pairing per (article, platform), optional gold items, counts and states."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from kg.errors import GoldError
from kg.evaluation.scores import evaluate
from kg.exporters.events import read_events


def td(platform: str, states: list[str], optional: bool = False, **counts: int) -> dict:
    row = {"platform": platform, "attributed_to": states, "evidence": f"{platform} {states} {counts}"}
    row.update(counts)
    if optional:
        row["optional"] = True
    return row


def rec(file: str, takedowns: list[dict], denials: list[dict] | None = None) -> dict:
    return {"file": file, "takedowns": takedowns, "denials": denials or []}


def test_gold_against_itself_is_perfect(seeds_gold: Path) -> None:
    gold = list(read_events(seeds_gold))
    report = evaluate(gold, copy.deepcopy(gold))
    assert report.macro_f1 == 1.0
    assert all(s.fp == s.fn == 0 for s in report.scores.values())


def test_two_networks_need_two_records() -> None:
    gold = [rec("a", [td("Twitter", ["Egypt"], accounts=300), td("Twitter", ["Saudi Arabia"], accounts=150)])]
    pred = [rec("a", [td("Twitter", ["Egypt", "Saudi Arabia"], accounts=300)])]
    r = evaluate(gold, pred)
    assert (r.scores["takedown"].tp, r.scores["takedown"].fn) == (1, 1)
    assert (r.scores["count"].tp, r.scores["count"].fn) == (1, 1)
    assert (r.scores["attribution"].tp, r.scores["attribution"].fp, r.scores["attribution"].fn) == (1, 1, 1)


def test_optional_gold_is_neither_required_nor_penalised() -> None:
    gold = [rec("a", [td("Facebook", ["China"], accounts=5), td("Facebook", [], optional=True)])]
    assert evaluate(gold, [rec("a", [td("Facebook", ["China"], accounts=5)])]).macro_f1 == 1.0
    both = [rec("a", [td("Facebook", ["China"], accounts=5), td("Facebook", [])])]
    assert evaluate(gold, both).macro_f1 == 1.0


def test_spurious_and_wrong_counts() -> None:
    gold = [rec("a", [td("Reddit", ["Iran"], accounts=143)])]
    pred = [rec("a", [td("Reddit", ["Iran"], accounts=140), td("YouTube", [], channels=3)])]
    r = evaluate(gold, pred)
    assert r.scores["takedown"].fp == 1
    assert (r.scores["count"].tp, r.scores["count"].fp, r.scores["count"].fn) == (0, 2, 1)
    kinds = {(d.kind, d.fact) for d in r.differences}
    assert ("spurious", "takedown") in kinds and ("missed", "count") in kinds


def test_denials_pair_by_state() -> None:
    gold = [rec("a", [], [{"state": "Thailand", "speaker": "A"}, {"state": "Thailand", "speaker": "B"}])]
    pred = [rec("a", [], [{"state": "Thailand", "speaker": "A"}, {"state": "China", "speaker": "C"}])]
    s = evaluate(gold, pred).scores["denial"]
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)


def test_missing_prediction_record_is_all_missed() -> None:
    gold = [rec("a", [td("Twitter", ["Iran"], accounts=3)])]
    r = evaluate(gold, [])
    assert r.scores["takedown"].fn == 1 and r.scores["takedown"].precision == 1.0


def test_malformed_gold_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(rec("a", [])) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"gold\.jsonl:2: invalid JSON"):
        list(read_events(path))
