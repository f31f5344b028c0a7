"""``kg eval GOLD --merge MERGE.jsonl``: pair recall and precision of cross-article merges."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import GoldError
from kg.evaluation.merge import MergeEvent, evaluate_merges, format_merge_report, read_merge_gold

runner = CliRunner()


def td(platform: str, accounts: int | None, event: str | None = None, evidence: str = "") -> dict[str, Any]:
    row: dict[str, Any] = {"platform": platform, "accounts": accounts, "evidence": evidence}
    if event is not None:
        row["event"] = event
    return row


GOLD = [
    {"file": "a.txt", "takedowns": [td("Twitter", 936), td("Twitter", 200_000)]},
    {"file": "b.txt", "takedowns": [td("Twitter", 936)]},
    {"file": "c.txt", "takedowns": [td("Twitter", 936)]},
    {"file": "d.txt", "takedowns": [td("Twitter", 200_000)]},
    {"file": "e.txt", "takedowns": [td("Twitter", 40)]},
]
MERGE = [
    MergeEvent("E1", "Twitter", "936", (("a.txt", 0, False), ("b.txt", 0, False), ("c.txt", 0, True))),
    MergeEvent("E2", "Twitter", "200k", (("a.txt", 1, False), ("d.txt", 0, False))),
]


def test_pairs_are_scored_through_the_per_article_pairing() -> None:
    # Predicted records come in another order than the gold ones: pairing, not position, maps them.
    pred = [
        {"file": "a.txt", "takedowns": [td("Twitter", 200_000, "X2"), td("Twitter", 936, "X1")]},
        {"file": "b.txt", "takedowns": [td("Twitter", 936, "X1")]},
        {"file": "c.txt", "takedowns": [td("Twitter", 936, "X1")]},  # optional member: a correct merge
        {"file": "d.txt", "takedowns": [td("Twitter", 200_000, "X3")]},  # E2 missed
        {"file": "e.txt", "takedowns": [td("Twitter", 40, "X3")]},  # merged with d: false
    ]
    report = evaluate_merges(GOLD, MERGE, pred)
    assert (report.required, report.found) == (2, 1)
    assert (report.merged, report.correct) == (4, 3)
    assert report.recall == 0.5 and report.precision == 0.75
    missed = [d for d in report.differences if d.kind == "missed"]
    false = [d for d in report.differences if d.kind == "false"]
    assert [(d.a.split("#")[0], d.b.split("#")[0]) for d in missed] == [("a.txt", "d.txt")]
    assert [(d.a.split("#")[0], d.b.split("#")[0]) for d in false] == [("d.txt", "e.txt")]
    assert [d.why for d in missed] == ["not merged"] and report.unextracted == 0
    text = format_merge_report(report)
    assert "P 0.750  R 0.500" in text and "missed merges (1)" in text and "false merges (1)" in text


def test_a_merge_of_one_articles_records_is_false() -> None:
    pred = [{"file": "a.txt", "takedowns": [td("Twitter", 936, "X"), td("Twitter", 200_000, "X")]}]
    report = evaluate_merges(GOLD, MERGE, pred)
    assert report.merged == 1 and report.correct == 0
    assert [d.why for d in report.differences if d.kind == "false"] == ["one article"]


def test_one_articles_parts_of_a_listed_takedown_are_neither_false_nor_a_pair() -> None:
    """An article that tells one announcement in parts (core accounts, then amplifiers) while
    another gives its total: the gold lists both parts in the event, so putting them together
    is no false merge; their merge with the total is what counts."""
    gold = [
        {"file": "p.txt", "takedowns": [td("Twitter", 23_750), td("Twitter", 150_000)]},
        {"file": "q.txt", "takedowns": [td("Twitter", 173_750)]},
    ]
    members = (("p.txt", 0, False), ("p.txt", 1, False), ("q.txt", 0, False))
    merge = [MergeEvent("E1", "Twitter", "parts", members)]
    pred = [
        {"file": "p.txt", "takedowns": [td("Twitter", 23_750, "X"), td("Twitter", 150_000, "X")]},
        {"file": "q.txt", "takedowns": [td("Twitter", 173_750, "X")]},
    ]
    report = evaluate_merges(gold, merge, pred)
    assert (report.required, report.found, report.merged, report.correct) == (2, 2, 2, 2)
    assert report.precision == 1.0 and report.recall == 1.0
    # an article's two records the gold keeps in different events are still a false merge
    apart = [MergeEvent("E1", "Twitter", "a", (("p.txt", 0, False), ("q.txt", 0, False)))]
    report = evaluate_merges(gold, apart, pred)
    false = [d.why for d in report.differences if d.kind == "false"]
    assert false == ["one article", "not one takedown in the gold"]


def test_predictions_without_event_ids_are_an_error() -> None:
    with pytest.raises(GoldError, match="no 'event' ids"):
        evaluate_merges(GOLD, MERGE, [{"file": "a.txt", "takedowns": [td("Twitter", 936)]}])


def test_malformed_merge_gold_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "merge.jsonl"
    path.write_text('{"event": "E1", "members": [{"file": "a.txt", "i": 0}]}\n{"event": "E2"}\n')
    with pytest.raises(GoldError, match=r"merge.jsonl:2: .*members"):
        list(read_merge_gold(path))
    path.write_text("{not json\n")
    with pytest.raises(GoldError, match=r"merge.jsonl:1: invalid JSON"):
        list(read_merge_gold(path))


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_cli_scores_merges_of_a_build(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.jsonl", GOLD)
    merge = _write(
        tmp_path / "merge.jsonl",
        [{"event": m.event, "platform": m.platform, "what": m.what,
          "members": [{"file": f, "i": i, "optional_member": o} for f, i, o in m.members]} for m in MERGE],
    )
    pred = _write(
        tmp_path / "events.jsonl",
        [
            {"file": g["file"], "takedowns": [dict(t, event=f"{g['file']}{i}") for i, t in enumerate(tds)]}
            for g in GOLD
            for tds in [g["takedowns"]]
        ],
    )
    result = runner.invoke(app, ["eval", str(gold), "--pred", str(pred), "--merge", str(merge), "-q"])
    assert result.exit_code == 0, result.output
    assert "merge pairs  P 1.000  R 0.000" in result.output
    as_json = runner.invoke(app, ["eval", str(gold), "--pred", str(pred), "--merge", str(merge), "--json"])
    assert json.loads(as_json.output)["merge"]["pairs"]["missed"] == 2
    missing = tmp_path / "none.jsonl"
    bad = runner.invoke(app, ["eval", str(gold), "--pred", str(pred), "--merge", str(missing)])
    assert bad.exit_code == 2 and "none.jsonl: cannot read" in bad.output and "Traceback" not in bad.output


def test_a_missed_pair_says_which_member_was_never_extracted() -> None:
    """d.txt's 200,000 accounts were not extracted: no merge could have found the pair."""
    pred = [
        {"file": "a.txt", "takedowns": [td("Twitter", 936, "X1"), td("Twitter", 200_000, "X2")]},
        {"file": "b.txt", "takedowns": [td("Twitter", 936, "X1")]},
        {"file": "d.txt", "takedowns": []},
    ]
    report = evaluate_merges(GOLD, MERGE, pred)
    (missed,) = [d for d in report.differences if d.kind == "missed"]
    assert missed.why == "no extracted record for d.txt#0"
    assert report.unextracted == 1 and report.as_dict()["pairs"]["missed_no_record"] == 1
    assert "of the 1 missed, 1 lack an extracted record" in format_merge_report(report)


def test_cli_scores_the_merge_alone_on_the_gold_records(tmp_path: Path) -> None:
    """--merge-gold-records merges the gold takedowns themselves: a.txt and b.txt give 936
    accounts (one takedown), c.txt has no date line but its text dates it next to b.txt, and
    agrees on the state (not f.txt's, years later); d.txt is another removal; g.txt republishes
    a.txt on the next day (a near duplicate, read with its own gold). A gold file the corpus
    lacks is named."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {
        "a.txt": "Twitter removes accounts\n2019-08-19\nTwitter removed 936 accounts tied to China.\n",
        "b.txt": "China responds\n2019-08-20\nChina denied running the 936 accounts.\n",
        "c.txt": "State media attacks Twitter\nIn a photo taken on Aug 21, 2019, protesters gather.\n",
        "d.txt": "Twitter removes accounts in Iran\n2020-06-01\nTwitter removed 40 accounts tied to Iran.\n",
        "f.txt": "Twitter removes accounts\n2021-03-01\nTwitter removed 50 accounts tied to China.\n",
        "g.txt": "Twitter removes accounts\n2019-08-20\nTwitter removed 936 accounts tied to China.\n",
    }
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")

    def row(file: str, accounts: int | None, state: str) -> dict[str, Any]:
        return {"file": file, "takedowns": [dict(td("Twitter", accounts), attributed_to=[state])]}

    gold_rows = [row("a.txt", 936, "China"), row("b.txt", 936, "China"), row("c.txt", None, "China"),
                 row("d.txt", 40, "Iran"), row("e.txt", 40, "Iran"), row("f.txt", 50, "China"),
                 row("g.txt", 936, "China")]
    gold = _write(tmp_path / "gold.jsonl", gold_rows)
    members = [{"file": f, "i": 0} for f in ("a.txt", "b.txt", "c.txt", "g.txt")]
    merge = _write(tmp_path / "merge.jsonl", [{"event": "E1", "platform": "Twitter", "members": members}])
    args = ["eval", str(gold), str(corpus), "--merge", str(merge), "--merge-gold-records"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"merge"}  # gold scored against itself has no fact scores
    assert out["merge"]["pairs"]["recall"] == 1.0 and out["merge"]["pairs"]["false"] == 0
    assert out["merge"]["pairs"]["required"] == 6
    assert "not read from the corpus (missing or a duplicate): e.txt" in result.stderr
    assert "g.txt" not in result.stderr
    bad = runner.invoke(app, ["eval", str(gold), "--merge", str(merge), "--merge-gold-records"])
    assert bad.exit_code != 0 and "needs a CORPUS_DIR and --merge" in bad.output
