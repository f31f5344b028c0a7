"""Strict RDF parsers that stand for the users' tools, run over a file; each returns the number
of triples (quads for TriG) it read and fails the test on any error or warning.

Shared by test_rdf_parsers.py and test_export.py. A tool that is not installed skips its test with
the Debian package to install (CI installs them all: raptor2-utils, serdi, librdf4j-java,
default-jdk-headless).
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
RIO_SOURCE = HERE / "rio" / "RioCheck.java"
JAVA_DIR = Path("/usr/share/java")
# What Rio's Turtle, TriG and N-Triples parsers need with datatype and language verification
# on (librdf4j-java 3.7 splits Rio into these jars; commons-io is needed by the Turtle parser).
RIO_JARS = (
    "rdf4j-rio-api.jar",
    "rdf4j-rio-turtle.jar",
    "rdf4j-rio-trig.jar",
    "rdf4j-rio-ntriples.jar",
    "rdf4j-rio-datatypes.jar",
    "rdf4j-rio-languages.jar",
    "rdf4j-model.jar",
    "rdf4j-model-api.jar",
    "rdf4j-model-vocabulary.jar",
    "rdf4j-util.jar",
    "commons-io.jar",
    "slf4j-api.jar",
    "slf4j-nop.jar",
)
TIMEOUT = 300

#: Syntax names by file suffix, as (rapper, serdi) spell them.
SYNTAX = {".ttl": "turtle", ".nt": "ntriples", ".trig": "trig"}


def syntax(path: Path) -> str:
    return SYNTAX[path.suffix]


def _require(tool: str, package: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed (Debian package {package}; CI installs it)")
    return found


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def parse_rdflib(path: Path) -> int:
    """rdflib, made strict: it only logs a warning for an IRI with a space or an ill-typed
    literal (``"12a"^^xsd:integer``), so any warning it logs while parsing fails the check."""
    from rdflib import Dataset, Graph

    collect = _Collect()
    logger = logging.getLogger("rdflib")
    logger.addHandler(collect)
    try:
        if path.suffix == ".trig":
            dataset = Dataset()
            dataset.parse(path, format="trig")
            count = len(list(dataset.quads()))
        else:
            graph = Graph()
            graph.parse(path, format={".ttl": "turtle", ".nt": "nt"}[path.suffix])
            count = len(graph)
    finally:
        logger.removeHandler(collect)
    assert not collect.messages, f"rdflib warned on {path}: {collect.messages[:3]}"
    return count


def parse_oxigraph(path: Path) -> int:
    pyoxigraph = pytest.importorskip("pyoxigraph", reason="pyoxigraph is not installed (pip: pyoxigraph)")
    fmt = {
        ".ttl": pyoxigraph.RdfFormat.TURTLE,
        ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
        ".trig": pyoxigraph.RdfFormat.TRIG,
        ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
    }[path.suffix]
    return sum(1 for _ in pyoxigraph.parse(path=str(path), format=fmt))


def parse_rapper(path: Path) -> int:
    """``rapper -c`` (count only); any Error or Warning line fails, not only a non-zero exit."""
    rapper = _require("rapper", "raptor2-utils")
    done = _run([rapper, "-i", syntax(path), "-c", str(path)])
    problems = [line for line in done.stderr.splitlines() if re.search(r"\b(Error|Warning)\b", line)]
    assert done.returncode == 0 and not problems, f"rapper rejected {path}:\n{done.stderr}"
    match = re.search(r"Parsing returned (\d+) triples?", done.stderr)
    assert match, done.stderr
    return int(match.group(1))


def parse_serdi(path: Path) -> int:
    """``serdi`` in strict mode (its default); it writes one line per statement."""
    serdi = _require("serdi", "serdi")
    out = "nquads" if path.suffix == ".trig" else "ntriples"
    done = _run([serdi, "-i", syntax(path), "-o", out, str(path)])
    assert done.returncode == 0 and not done.stderr.strip(), f"serdi rejected {path}:\n{done.stderr}"
    return sum(1 for line in done.stdout.splitlines() if line.strip())


def rio_classpath() -> str:
    missing = [jar for jar in RIO_JARS if not (JAVA_DIR / jar).is_file()]
    if missing:
        pytest.skip(f"RDF4J Rio jars missing from {JAVA_DIR}: {', '.join(missing)} (Debian librdf4j-java)")
    return ":".join(str(JAVA_DIR / jar) for jar in RIO_JARS)


def compile_rio(dest: Path) -> Callable[[Path], int]:
    """Compile RioCheck.java into ``dest`` and return a checker running it on one file."""
    javac = _require("javac", "default-jdk-headless")
    java = _require("java", "default-jdk-headless")
    classpath = rio_classpath()
    done = _run([javac, "-Xlint:all", "-Werror", "-d", str(dest), "-cp", classpath, str(RIO_SOURCE)])
    assert done.returncode == 0, f"javac failed:\n{done.stdout}{done.stderr}"

    def parse_rio(path: Path) -> int:
        run = _run([java, "-cp", f"{dest}:{classpath}", "RioCheck", str(path)])
        assert run.returncode == 0, f"RDF4J Rio rejected {path}:\n{run.stderr}"
        match = re.search(r": (\d+) statements$", run.stdout.strip())
        assert match, run.stdout
        return int(match.group(1))

    return parse_rio


def build_corpus(corpus: Path, out: Path) -> Path:
    """Run the real build (spaCy model included) and return its graph.ttl."""
    from kg.build.pipeline import build

    result = build(corpus, out, html=False)
    assert result.triples > 0
    return out / "graph.ttl"
