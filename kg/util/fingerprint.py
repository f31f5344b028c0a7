"""A hash of kg's own files, so that caches and kept pages know when the code changed.

A build's outputs and its page depend on the package's code, data, ontology, queries and
page script, and on the versions of the packages that write them; ``code_fingerprint`` hashes
all of it once per process.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

SOURCE_SUFFIXES = (".py", ".jsonl", ".tsv", ".ttl", ".rq", ".js", ".css")
#: packages whose version can change the output bytes for the same facts
OUTPUT_PACKAGES = ("rdflib", "pyvis", "networkx")


def source_files() -> list[Path]:
    """kg's files that shape a build's outputs: code, data, ontology, queries, page script."""
    import kg

    root = Path(kg.__file__).resolve().parent
    return [
        f for f in sorted(root.rglob("*"))
        if f.is_file() and f.suffix in SOURCE_SUFFIXES and "__pycache__" not in f.parts
    ]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of kg's sources and data files (resolve, graph, exporters and the page's script and
    styles, gazetteer...) and of the packages that write the outputs."""
    import kg

    root = Path(kg.__file__).resolve().parent
    h = hashlib.sha256(kg.__version__.encode())
    for f in source_files():
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    for pkg in OUTPUT_PACKAGES:
        try:
            h.update(f"{pkg}=={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(pkg.encode())
    return h.hexdigest()
