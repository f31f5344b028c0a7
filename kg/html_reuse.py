"""Keep the previous graph.html when the graph it shows has not changed.

graph.html is a function of graph.ttl (sorted, byte-identical for the same triples) and of
the code and packages that render it. A rebuild with nothing new writes the same Turtle, so
laying out and rendering the page again (most of such a rebuild) is wasted. A stamp beside
the page records the key it was made for and the page's own hash; the page is reused only
when both still match, so an edited, damaged or deleted page is always rewritten.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from kg.atomic import atomic_write, sha256_file

#: beside the page, in a hidden folder of build state (not an output file)
STAMP = Path(".kg") / "graph.html.key"
#: code the page depends on besides the graph (kg's own renderers; package versions below)
RENDER_SOURCES = ("exporters", "graph_view.py", "graph.py", "namespace.py")
RENDER_PACKAGES = ("pyvis", "networkx", "rdflib")


def render_key(turtle: Path) -> str:
    """Hash of the Turtle, of the renderer's source files and of its packages' versions."""
    import kg

    h = hashlib.sha256(sha256_file(turtle).encode())
    h.update(kg.__version__.encode())
    root = Path(__file__).resolve().parent
    for name in RENDER_SOURCES:
        path = root / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.is_file() else []
        for f in files:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    for pkg in RENDER_PACKAGES:
        try:
            h.update(f"{pkg}=={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(pkg.encode())
    return h.hexdigest()


def write_html_unless_same(
    turtle: Path, html: Path, write: Callable[[], None], state: Path, previous: Path | None = None
) -> bool:
    """Write ``html`` with ``write``, unless ``previous`` (the last published page) was made from
    the same graph and code and is intact: then it is linked (or copied) to ``html`` instead.
    The stamp lives in ``state`` (the output folder), outside the generation folders. Returns
    whether the page was written."""
    from kg.outputs import link_or_copy

    key = render_key(turtle)
    stamp = state / STAMP
    try:
        old = json.loads(stamp.read_text("utf-8"))
        if (
            previous is not None
            and old.get("key") == key
            and previous.is_file()
            and old.get("html") == sha256_file(previous)
        ):
            link_or_copy(previous, html)
            return False
    except (OSError, ValueError, AttributeError):
        pass
    stamp.unlink(missing_ok=True)  # a crash while writing must not leave a stale stamp
    write()
    stamp.parent.mkdir(exist_ok=True)
    atomic_write(stamp, json.dumps({"key": key, "html": sha256_file(html)}) + "\n")
    return True
