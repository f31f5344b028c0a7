"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def nlp():
    from kg.extract.model import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return ROOT / "corpus"


@pytest.fixture(scope="session")
def seeds_gold() -> Path:
    return DATA / "seeds_gold.jsonl"


@pytest.fixture(scope="session")
def generated_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build (graph.ttl, events.jsonl, graph.html) of 110 articles generated from our own
    templates (bench/corpus_gen.py: names, figures and dates varied; no real article text).
    Built once per session; tests must not write into it."""
    import importlib
    import sys

    from kg.build.pipeline import build

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        corpus_gen = importlib.import_module("corpus_gen")
    finally:
        sys.path.remove(str(ROOT / "bench"))
    root = tmp_path_factory.mktemp("generated")
    corpus_gen.write_corpus(root / "corpus", 110, seed=3)
    build(root / "corpus", root / "out", html=True)
    return root / "out"


def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """In CI (CI=true) a skipped test is a failure: every real tool must be installed there."""
    import os

    if call.excinfo is not None and call.excinfo.typename == "Skipped" and os.environ.get("CI") == "true":
        reason = str(call.excinfo.value)
        from _pytest.reports import TestReport

        report = TestReport.from_item_and_call(item, call)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every tool must be present: {reason}"
        return report
    return None


@pytest.fixture
def ftp_root(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real FTP server (pyftpdlib) on loopback serving a fresh folder: ``(folder, "ftp://...")``.

    FTP stands for every remote filesystem fsspec reaches (s3://, gcs://, sftp://...): nothing
    in kg knows the protocol, and the files are not on a local path the readers could open.
    """
    import threading

    pytest.importorskip("pyftpdlib")
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import ThreadedFTPServer

    folder = tmp_path / "ftp"
    folder.mkdir()
    authorizer = DummyAuthorizer()
    authorizer.add_anonymous(str(folder))
    handler = type("Handler", (FTPHandler,), {"authorizer": authorizer, "banner": "kg test"})
    import logging

    logging.getLogger("pyftpdlib").setLevel(logging.WARNING)
    server = ThreadedFTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"timeout": 0.2}, daemon=True)
    thread.start()
    try:
        yield folder, f"ftp://127.0.0.1:{server.address[1]}"
    finally:
        server.close_all()
        thread.join(timeout=5)
