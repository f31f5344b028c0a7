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
from pathlib import Path

from kg.atomic import atomic_write, sha256_file

#: beside the page, in a hidden folder of build state (not an output file)
STAMP = Path(".kg") / "graph.html.key"


def render_key(turtle: Path) -> str:
    """Hash of the Turtle and of the code that renders it: kg's sources, data files, page
    script and styles, and the versions of the packages that write the page (the build memo's
    ``code_fingerprint``), so a new page script is never hidden behind an old page."""
    from kg.build_memo import code_fingerprint

    return hashlib.sha256(f"{sha256_file(turtle)}\0{code_fingerprint()}".encode()).hexdigest()


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
