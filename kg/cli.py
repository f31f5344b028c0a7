"""The ``kg`` command: a thin typer layer over the library.

Commands parse arguments and call library functions; every ``KGError`` becomes a one-line
message on stderr and the error's exit code, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from kg.errors import KGError

app = typer.Typer(
    name="kg",
    help="Build and query a knowledge graph of coordinated-inauthentic-behaviour takedowns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])
PROGRESS_MIN_ARTICLES = 20


def handle_errors(func: F) -> F:
    """Turn library errors into one line on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KGError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("error: interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


ModelOpt = Annotated[
    str | None,
    typer.Option("--model", help="spaCy pipeline to load (default: en_core_web_sm if installed)."),
]


@app.command()
@handle_errors
def build(
    corpus: Annotated[Path, typer.Argument(help="Folder of articles.")] = Path("corpus"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    model: ModelOpt = None,
    no_html: Annotated[bool, typer.Option("--no-html", help="Skip graph.html.")] = False,
) -> None:
    """Build graph.ttl, graph.html and events.jsonl from a corpus folder."""
    from kg.ingest import corpus_files
    from kg.pipeline import build as run_build

    total = len(corpus_files(corpus))
    bar: Any = None
    if total >= PROGRESS_MIN_ARTICLES:
        bar = typer.progressbar(length=total, label="extracting", file=sys.stderr)
        bar.__enter__()

    def progress(done: int, _total: int) -> None:
        if bar is not None:
            bar.update(1)

    try:
        result = run_build(corpus, out, model=model, progress=progress, html=not no_html)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for s in result.skipped:
        typer.echo(f"skipped: {s.reason}", err=True)
    typer.echo(
        f"{result.articles} articles, {result.takedowns} takedowns, {result.denials} denials, "
        f"{result.entities} entities, {result.triples} triples "
        f"in {result.seconds:.1f}s (model load {result.model_seconds:.1f}s)"
    )
    for path in result.outputs:
        typer.echo(f"wrote {path}")


@app.command()
@handle_errors
def extract(
    files: Annotated[list[Path], typer.Argument(help="Article files.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or table.")] = "table",
    model: ModelOpt = None,
) -> None:
    """Show the facts of single articles, to check one article quickly."""
    from kg.events import dumps, to_record
    from kg.extract import extract_articles
    from kg.ingest import ingest
    from kg.nlp import load_pipeline

    if fmt not in ("jsonl", "table"):
        raise typer.BadParameter("--format must be jsonl or table")
    articles, skipped = ingest(files)
    for s in skipped:
        typer.echo(f"skipped: {s.reason}", err=True)
    for facts in extract_articles(articles, load_pipeline(model)):
        record = to_record(facts)
        if fmt == "jsonl":
            typer.echo(dumps(record))
        else:
            typer.echo(_table(record))
    if skipped and not articles:
        raise typer.Exit(2)


def _table(record: dict[str, Any]) -> str:
    lines = [f"{record['file']}  published={record['published'] or '-'}"]
    if not record["takedowns"] and not record["denials"]:
        lines.append("  (no takedown or denial found)")
    for t in record["takedowns"]:
        counts = ", ".join(
            f"{k}={t[k]}" for k in ("accounts", "pages", "groups", "instagram_accounts", "channels",
                                    "combined_count") if t[k] is not None
        ) or "no exact count"
        states = ", ".join(f"{s} ({t['wording'][s]})" for s in t["attributed_to"]) or "no state"
        lines.append(f"  takedown  {t['platform']:<10} {counts:<40} -> {states}  date={t['date'] or '-'}")
        lines.append(f"            «{t['evidence'][:150]}»")
    for d in record["denials"]:
        lines.append(
            f"  denial    {d['state']:<10} speaker={d['speaker'] or '-'}  denies {d['denies_claim_of']}"
        )
        lines.append(f"            «{d['quote_or_claim'][:150]}»")
    return "\n".join(lines)


@app.command(name="eval")
@handle_errors
def eval_(
    gold: Annotated[Path, typer.Argument(help="Gold events JSONL.")],
    corpus: Annotated[
        Path | None, typer.Argument(help="Corpus folder to extract and score (instead of --pred).")
    ] = None,
    pred: Annotated[Path | None, typer.Option("--pred", help="Predicted events JSONL.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Scores only, no fact lists.")] = False,
    model: ModelOpt = None,
) -> None:
    """Precision, recall and F1 per fact type against gold annotations."""
    from kg.evaluate import evaluate, format_report
    from kg.events import read_events, to_record

    if (pred is None) == (corpus is None):
        raise typer.BadParameter("give either --pred EVENTS.jsonl or a CORPUS_DIR")
    gold_rows = list(read_events(gold))
    if pred is not None:
        pred_rows = list(read_events(pred))
    else:
        from kg.pipeline import extract_corpus

        assert corpus is not None
        facts, skipped = extract_corpus(corpus, model)
        for s in skipped:
            typer.echo(f"skipped: {s.reason}", err=True)
        pred_rows = [to_record(f) for f in facts]
    report = evaluate(gold_rows, pred_rows)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(format_report(report, show_differences=not quiet))


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
