"""The ``kg`` command: a thin typer layer over the library.

Commands parse arguments and call library functions; every ``KGError`` becomes a one-line
message on stderr and the error's exit code, never a traceback.

One module because the command line is one table: each command is a short function that
registers on the one typer ``app``, reads its options and calls one library function (imported
inside it, so ``kg --help`` imports none of the stages); splitting the table would scatter the
options a user reads together in ``kg --help``.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

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
#: What ``kg build`` writes by default, which ``kg eval GOLD`` scores when given nothing else.
DEFAULT_EVENTS = Path("out") / "events.jsonl"


class _StderrLines(logging.Handler):
    """The library's warnings (logger ``kg``), one line each on the current stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(" ".join(record.getMessage().split()), err=True)


def _warnings_to_stderr() -> None:
    log = logging.getLogger("kg")
    if not any(isinstance(h, _StderrLines) for h in log.handlers):
        log.addHandler(_StderrLines(logging.WARNING))
        log.propagate = False


def handle_errors(func: F) -> F:
    """Turn library errors into one line on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _warnings_to_stderr()
        try:
            return func(*args, **kwargs)
        except KGError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("error: interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _on_terminal() -> bool:
    """Whether a progress bar may be drawn: both streams are a terminal (not a pipe or a file)."""
    return sys.stderr.isatty() and sys.stdout.isatty()


class _BuildProgress:
    """The build's progress bar on stderr (rich): files done, articles read, articles a second
    and the facts found so far. Made at the first file, so an error before (a locked --out)
    stays one line; redrawn a few times a second, whatever the rate of articles."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Any = None
        self.task: Any = None
        self.articles = self.takedowns = self.denials = 0
        self.start = 0.0
        self.last = 0.0

    def _open(self) -> None:
        import time

        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
            TextColumn("{task.fields[stats]}"), TimeElapsedColumn(),
            console=Console(stderr=True), transient=False,
        )
        self.bar.start()
        self.task = self.bar.add_task("extracting", total=self.total, stats="")
        self.start = self.last = time.perf_counter()

    def files(self, done: int, _total: int) -> None:
        if self.bar is None:
            self._open()
        self.bar.update(self.task, completed=done)

    def facts(self, facts: Any) -> None:
        import time

        if self.bar is None:
            self._open()
        self.articles += 1
        self.takedowns += len(facts.takedowns)
        self.denials += len(facts.denials)
        now = time.perf_counter()
        if now - self.last >= 0.2:
            self.last = now
            self._stats(now)

    def _stats(self, now: float) -> None:
        rate = self.articles / max(now - self.start, 1e-9)
        self.bar.update(self.task, stats=f"{self.articles:,} articles, {rate:,.0f}/s, "
                        f"{self.takedowns:,} takedowns, {self.denials:,} denials")

    def close(self) -> None:
        if self.bar is not None:
            import time

            self._stats(time.perf_counter())
            self.bar.stop()


ModelOpt = Annotated[
    str | None,
    typer.Option("--model", help="spaCy pipeline to load (default: en_core_web_sm if installed)."),
]


@app.command()
@handle_errors
def build(
    corpus: Annotated[
        str, typer.Argument(help="Folder of articles, or an fsspec URL (file://, s3://, ftp://...).")
    ] = "corpus",
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    model: ModelOpt = None,
    no_html: Annotated[bool, typer.Option("--no-html", help="Skip graph.html.")] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Processes that parse articles (default: one per 1.5 MB "
                     "of corpus, up to the CPUs; output is the same)."),
    ] = None,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="Reuse facts of unchanged articles from the cache.")
    ] = True,
    cache_dir: Annotated[
        Path | None, typer.Option("--cache-dir", help="Cache folder (default: OUT/.cache).")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 2) if any file or line is skipped.")
    ] = False,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Parse on a Dask cluster: a scheduler address (tcp://host:8786) or local:N worker "
            "processes. Needs cib-kg[dask]; the corpus path must be readable by every worker.",
        ),
    ] = None,
    split_graph: Annotated[
        bool, typer.Option("--split-graph", help="Also write OUT/graph-parts/part-NNNNN.nt per partition.")
    ] = False,
    partition_size: Annotated[
        int | None, typer.Option("--partition-size", min=1, help="Files per cluster task / graph part (16).")
    ] = None,
    follow_outside_links: Annotated[
        bool,
        typer.Option(
            "--follow-outside-links", help="Read files reached through links that lead out of the corpus."
        ),
    ] = False,
    parse: Annotated[
        str | None,
        typer.Option(
            "--parse",
            help="What is parsed: 'gated' (default; articles that can hold a fact, by the data "
            "files' words, then only their paragraphs with a name or trigger word; same facts), "
            "'filtered' (no article gate: those paragraphs of every article) or 'full' (every "
            "paragraph). Env: KG_PARSE.",
        ),
    ] = None,
) -> None:
    """Build graph.ttl, graph.html and events.jsonl from a corpus folder."""
    from kg.build.pipeline import build as run_build
    from kg.ingest import as_corpus, corpus_files

    where = as_corpus(corpus)
    total = len(corpus_files(where))
    bar = _BuildProgress(total) if total >= PROGRESS_MIN_ARTICLES and _on_terminal() else None
    try:
        result = run_build(
            where, out, model=model, progress=bar.files if bar else None, html=not no_html, jobs=jobs,
            cache=cache, cache_dir=cache_dir, strict=strict, cluster=cluster, split_graph=split_graph,
            partition_size=partition_size, follow_outside_links=follow_outside_links, parse=parse,
            on_facts=bar.facts if bar else None,
        )
    finally:
        if bar is not None:
            bar.close()
    for note in result.notes:
        typer.echo(note, err=True)
    for s in result.skipped:
        typer.echo(f"skipped: {s.reason}", err=True)
    typer.echo(
        f"{result.articles} articles, {result.takedowns} takedowns, {result.denials} denials, "
        f"{result.entities} entities, {result.triples} triples "
        f"in {result.seconds:.1f}s (model load {result.model_seconds:.1f}s; "
        f"{result.with_facts} with facts, {result.articles - result.with_facts} without, "
        + (f"{result.duplicates} duplicates, " if result.duplicates else "")
        + f"{result.extracted - result.gated} parsed, "
        + (f"{result.gated} passed over by the article gate, " if result.gated else "")
        + f"{result.cached} from cache)"
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
    from kg.exporters.events import dumps, to_record
    from kg.extract import extract_articles
    from kg.extract.model import load_pipeline
    from kg.ingest import ingest

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
        counts = (
            ", ".join(
                f"{k}={t[k]}"
                for k in ("accounts", "pages", "groups", "instagram_accounts", "channels", "combined_count")
                if t[k] is not None
            )
            or "no exact count"
        )
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
    pred: Annotated[
        Path | None,
        typer.Option("--pred", help="Predicted events JSONL (default: out/events.jsonl, unless CORPUS)."),
    ] = None,
    merge: Annotated[
        Path | None,
        typer.Option("--merge", help="Merge gold JSONL: also score the merges into events."),
    ] = None,
    merge_gold_records: Annotated[
        bool,
        typer.Option(
            "--merge-gold-records",
            help="With CORPUS_DIR and --merge: merge the gold records themselves (the merge alone).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Scores only, no fact lists.")] = False,
    model: ModelOpt = None,
) -> None:
    """Precision, recall and F1 per fact type against gold annotations."""
    from kg.errors import GoldError
    from kg.evaluation.scores import evaluate, format_report
    from kg.exporters.events import read_events, to_record

    if merge_gold_records and (corpus is None or merge is None):
        raise typer.BadParameter("--merge-gold-records needs a CORPUS_DIR and --merge")
    if pred is not None and corpus is not None:
        raise typer.BadParameter("give either --pred EVENTS.jsonl or a CORPUS_DIR, not both")
    if pred is None and corpus is None:
        pred = DEFAULT_EVENTS
        if not pred.is_file():
            raise GoldError(f"{pred}: no such file (run `kg build` first, or give --pred or a CORPUS_DIR)")
    gold_rows = list(read_events(gold))
    if merge_gold_records:
        from kg.evaluation.merge import gold_facts
        from kg.ingest import ingest_corpus
        from kg.resolve import event_ids, resolve

        assert corpus is not None
        articles, _ = ingest_corpus(corpus, copies=True)  # a near duplicate's gold is its own
        facts, absent = gold_facts(gold_rows, articles)
        for file in absent:
            typer.echo(f"not read from the corpus (missing or a duplicate): {file}", err=True)
        pred_rows = [to_record(f, event_ids(resolve(facts))) for f in facts]
    elif pred is not None:
        pred_rows = list(read_events(pred))
    else:
        from kg.build.pipeline import extract_corpus

        assert corpus is not None
        facts, skipped = extract_corpus(corpus, model)
        for s in skipped:
            typer.echo(f"skipped: {s.reason}", err=True)
        ids = None
        if merge is not None:
            from kg.resolve import event_ids, resolve

            ids = event_ids(resolve(facts))
        pred_rows = [to_record(f, ids) for f in facts]
    report = evaluate(gold_rows, pred_rows)
    merge_report = None
    if merge is not None:
        from kg.evaluation.merge import evaluate_merges, format_merge_report, read_merge_gold

        merge_report = evaluate_merges(gold_rows, read_merge_gold(merge), pred_rows)
    if as_json:
        out = {} if merge_gold_records else report.as_dict()  # gold against itself: no fact scores
        if merge_report is not None:
            out["merge"] = merge_report.as_dict()
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        if not merge_gold_records:
            typer.echo(format_report(report, show_differences=not quiet))
        if merge_report is not None:
            typer.echo("\n" + format_merge_report(merge_report, show_differences=not quiet))


@app.command()
@handle_errors
def query(
    graph: Annotated[Path | None, typer.Argument(metavar="GRAPH", help="Graph file (Turtle).")] = None,
    question: Annotated[
        str | None,
        typer.Argument(metavar="QUERY", help="A named question (see --list), a .rq file or SPARQL text."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, json or tsv.")] = "table",
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="NAME=VALUE for a question's parameter (repeatable)."),
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named questions.")] = False,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout", min=0,
            help="Stop the query after SECONDS (0 = no limit; default 60 for named questions, "
            "none for your own SPARQL).",
        ),
    ] = None,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service", help="Let SERVICE <url> send requests to other servers (off by default)."
        ),
    ] = False,
) -> None:
    """Ask the graph a question in SPARQL; results as a table, CSV, JSON or TSV."""
    from kg.query.engine import FORMATS, ask_file, format_result
    from kg.query.guard import DEFAULT_NAMED_TIMEOUT
    from kg.query.questions import list_queries, named_queries, parse_params

    if list_:
        typer.echo(list_queries())
        return
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    if graph is None or question is None:
        raise typer.BadParameter("give GRAPH and QUERY (or --list)")
    params = parse_params(param or [])
    if timeout is None:
        timeout = DEFAULT_NAMED_TIMEOUT if question in named_queries() else 0
    result, prefixes = ask_file(graph, question, params, timeout=timeout, allow_service=allow_service)
    typer.echo(format_result(result, fmt, prefixes))


@app.command()
@handle_errors
def stats(
    graph: Annotated[Path, typer.Argument(metavar="GRAPH", help="Graph file (Turtle).")],
    top: Annotated[int, typer.Option("--top", min=1, help="Nodes per centrality ranking.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Also draw takedowns per year by state and platform (.png or .svg)."),
    ] = None,
) -> None:
    """Counts by class and predicate, centralities, components and platform-state links."""
    from kg.query.stats import PLOT_FORMATS, compute_stats, format_stats, write_plot
    from kg.rdf.graph import load_graph

    if plot is not None and plot.suffix.lower() not in PLOT_FORMATS:  # before loading a big graph
        raise typer.BadParameter(f"--plot FILE must end in .png or .svg, not {plot.name!r}")
    rdf = load_graph(graph)
    typer.echo(format_stats(compute_stats(rdf, top=top), "json" if as_json else "text"))
    if plot is not None:
        typer.echo(f"wrote {write_plot(rdf, plot)}", err=True)


@app.command()
@handle_errors
def viz(
    graph: Annotated[Path, typer.Argument(metavar="GRAPH", help="Graph file (Turtle).")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="HTML page (or folder) to write (default: GRAPH with .html, beside it)."
        ),
    ] = None,
) -> None:
    """Write a self-contained interactive HTML page of the graph (opens offline)."""
    from kg.errors import GraphError
    from kg.explorer.page import viz_file
    from kg.util.atomic import write_problem

    target = viz_target(graph, out)
    try:
        written = viz_file(graph, target)
    except OSError as exc:  # the page's writer; reading the graph raises GraphError itself
        raise GraphError(f"{target}: cannot write the page: {write_problem(target, exc)}") from None
    typer.echo(f"wrote {written}")


def viz_target(graph: Path, out: Path | None) -> Path:
    """Where ``kg viz`` writes: ``out``, ``out/<stem>.html`` for a folder, else beside the graph."""
    name = graph.with_suffix(".html").name
    if out is None:
        return graph.parent / name
    return out / name if out.is_dir() else out


@app.command()
@handle_errors
def validate(
    graph: Annotated[Path, typer.Argument(metavar="GRAPH", help="Graph file (Turtle).")],
) -> None:
    """Check a graph against the SHACL shapes: exit 0 if it conforms, 1 if not, 2 if unreadable."""
    from kg.errors import ValidationFailed
    from kg.rdf.validate import format_report
    from kg.rdf.validate import validate as run_validate

    report = run_validate(graph)
    typer.echo(format_report(report))
    if not report.conforms:
        raise ValidationFailed(f"{graph}: {len(report.violations)} SHACL violation(s)")


@app.command()
@handle_errors
def export(
    graph: Annotated[Path, typer.Argument(metavar="GRAPH", help="Graph file (Turtle).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="nt, jsonld, trig, graphml or cypher.")] = "nt",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Write the graph as N-Triples, JSON-LD, TriG (a graph per article), GraphML or Cypher."""
    from kg.exporters.formats import check_format, serialize
    from kg.exporters.formats import export as run_export
    from kg.rdf.graph import load_graph

    check_format(fmt)  # before loading: a typo in --format should not wait for a big graph
    rdf = load_graph(graph)
    if out is None:
        typer.echo(serialize(rdf, fmt), nl=False)
    else:
        typer.echo(f"wrote {run_export(rdf, fmt, out)}")


@app.command()
@handle_errors
def push(
    graph: Annotated[
        Path, typer.Argument(metavar="GRAPH", help="Graph file (Turtle, N-Triples) or a folder of .nt parts.")
    ],
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            "-e",
            help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph), "
            "http://host:3030/ds/data (Fuseki), "
            "http://host:7200/repositories/ID/rdf-graphs/service (GraphDB).",
        ),
    ],
    graph_iri: Annotated[
        str | None, typer.Option("--graph", "-g", help="Named graph IRI (default: the default graph).")
    ] = None,
    append: Annotated[
        bool, typer.Option("--append", help="POST (add to the graph) instead of PUT (replace it).")
    ] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds per request.")] = 120.0,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", "-u",
            help="Log in as USER; the password comes from KG_PUSH_PASSWORD, ~/.netrc or a prompt.",
        ),
    ] = None,
    auth: Annotated[
        str, typer.Option("--auth", help="Login scheme: auto (as the server asks), basic or digest.")
    ] = "auto",
) -> None:
    """Load the graph into a SPARQL server with the Graph Store Protocol (replacing that graph)."""
    from kg.stores.push import AUTH_SCHEMES, Login, find_login
    from kg.stores.push import push as run_push

    if auth not in AUTH_SCHEMES:
        from kg.errors import InputError

        raise InputError(f"--auth must be one of {', '.join(AUTH_SCHEMES)}, not {auth!r}")
    login = find_login(endpoint, user)
    if login is None and user is not None:
        import getpass

        login = Login(user, getpass.getpass(f"password for {user}: "))  # not echoed
    result = run_push(
        graph, endpoint, graph_iri=graph_iri, timeout=timeout, replace=not append, login=login, auth=auth
    )
    typer.echo(
        f"pushed {result.bytes} bytes ({len(result.files)} file(s)) to {result.url}: HTTP {result.status}"
    )


@app.command()
@handle_errors
def serve(
    out: Annotated[Path, typer.Argument(metavar="OUT", help="Output folder of `kg build`.")] = Path("out"),
    port: Annotated[
        str, typer.Option("--port", "-p", help="SPARQL endpoint port (0: any free port).")
    ] = "7878",
    page_port: Annotated[
        str, typer.Option("--page-port", help="Explorer page port (0: any free port).")
    ] = "8000",
    bind: Annotated[
        str, typer.Option("--bind", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    writable: Annotated[
        bool, typer.Option("--writable", help="Accept SPARQL updates and writes (read-only by default).")
    ] = False,
    watch_corpus: Annotated[
        Path | None,
        typer.Option("--watch", metavar="CORPUS", help="Build OUT from this corpus folder and keep it "
                     "(and the endpoint) current as files are added, changed or removed."),
    ] = None,
    no_html: Annotated[bool, typer.Option("--no-html", help="With --watch: skip graph.html.")] = False,
) -> None:
    """Serve OUT/graph.ttl at a local read-only SPARQL endpoint (Oxigraph), OUT/graph.html beside it;
    Ctrl-C stops."""
    from kg.stores.serve import Addresses, parse_port
    from kg.stores.serve import serve as run_serve

    def ready(where: Addresses) -> None:
        typer.echo(f"SPARQL endpoint: {where.sparql}  (query UI: {where.ui})")
        if where.has_page:
            typer.echo(f"explorer:        {where.page}")
        else:
            typer.echo(f"outputs:         {where.page}  (no graph.html: kg viz {out / 'graph.ttl'})")
        typer.echo("press Ctrl-C to stop")

    if watch_corpus is not None:
        from kg.live.serve import serve_watch

        serve_watch(watch_corpus, out, sparql_port=parse_port(port, "--port"),
                    page_port=parse_port(page_port, "--page-port"), bind=bind, ready=ready,
                    on_update=_echo_update, html=not no_html)
        typer.echo("stopped")
        return
    run_serve(out, sparql_port=parse_port(port, "--port"), page_port=parse_port(page_port, "--page-port"),
              bind=bind, ready=ready, writable=writable)
    typer.echo("stopped")


def _echo_update(update: Any) -> None:
    """One line per published update of a live graph (``kg watch``, ``kg serve --watch``)."""
    typer.echo(
        f"update {update.version}: {update.articles} articles, {update.takedowns} takedowns, "
        f"{update.denials} denials, {update.triples} triples (+{update.added} -{update.removed}; "
        f"{update.parsed} parsed) in {update.seconds:.2f}s ("
        + ", ".join(f"{name} {seconds:.2f}s" for name, seconds in update.steps) + ")"
    )


@app.command()
@handle_errors
def watch(
    corpus: Annotated[Path, typer.Argument(help="Folder of articles to follow.")] = Path("corpus"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    model: ModelOpt = None,
    no_html: Annotated[bool, typer.Option("--no-html", help="Skip graph.html.")] = False,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="Reuse facts of unchanged articles from OUT/.cache.")
    ] = True,
    poll: Annotated[
        bool, typer.Option("--poll", help="Look for changes every 0.25 s instead of file events.")
    ] = False,
) -> None:
    """Build OUT from CORPUS, then keep it current as files are added, changed or removed
    (one process holds the model; each update is published as one set). Ctrl-C stops."""
    from kg.live.loop import watch as run_watch
    from kg.live.watcher import mode

    def ready() -> None:
        typer.echo(f"watching {corpus} ({mode(poll or None)}); press Ctrl-C to stop")

    run_watch(corpus, out, model=model, html=not no_html, cache=cache, poll=poll or None,
              on_update=_echo_update, on_ready=ready)
    typer.echo("stopped")


def main() -> None:  # pragma: no cover - console entry point
    """The ``kg`` command. It ends as :func:`exit_now` does, not by tearing the interpreter down."""
    try:
        app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    exit_now(code)


def exit_now(code: object = 0) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, without freeing the heap object by object.

    After a build of a thousand articles, the interpreter's teardown (every fact, triple and
    page record deallocated in turn) took 0.25 s, a twentieth of a rebuild; the memory goes
    back to the system at once anyway (mypy ends the same way). Exit handlers still run (a Dask
    cluster's, logging's), and both streams are flushed: a reader that closed the pipe early
    gets the exit code 1, not a traceback. Every thread of ours is a daemon, done or abandoned.
    """
    import atexit
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message on stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream
            status = status or 1
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()
