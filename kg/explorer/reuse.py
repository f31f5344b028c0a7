"""Keep the previous graph.html when the graph it shows has not changed, and its layout when
only a little has.

graph.html is a function of graph.ttl (sorted, byte-identical for the same triples) and of
the code and packages that render it. A rebuild with nothing new writes the same Turtle, so
laying out and rendering the page again (most of such a rebuild) is wasted. A stamp beside
the page records the key it was made for and the page's own hash; the page is reused only
when both still match, so an edited, damaged or deleted page is always rewritten.

When the graph did change, the new page is laid out from the last one's layout, kept in
``OUT/.kg/layout.json`` (node id -> position): nodes already drawn stay where they were and
only new nodes are placed (``kg.explorer.layout.layout_positions``). The file is untrusted
input like any other: a bounded read of a regular file (never through a link), strict JSON
of the one expected shape with finite coordinates, else it is ignored and the page gets a
fresh layout. It never holds code (no pickle) and at worst moves nodes.

``OUT/.kg/evidence.json`` keeps the evidence each fact's card showed, by a hash of what the
choice reads (``kg.explorer.view.EvidenceMemo``) and under the code fingerprint: a rebuild's
page chooses sentences only for facts whose sentences, names or figures changed, and is
the same page as without it. It is checked the same way, entry by entry (strings, a float,
marks as [start, end, kind]); anything else and the whole file is ignored. Like a cache
entry, a forged but well-formed entry can only put wrong (escaped) text on its own card.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.util.atomic import atomic_write, sha256_file

#: beside the page, in a hidden folder of build state (not an output file)
STAMP = Path(".kg") / "graph.html.key"
#: the last page's node positions: ``{"format": 1, "positions": {node id: [x, y]}}``
LAYOUT = Path(".kg") / "layout.json"
LAYOUT_FORMAT = 1
#: Largest layout file read (about 60 bytes a node: room for a million nodes).
MAX_LAYOUT_BYTES = 64 * 1024 * 1024
#: Coordinates beyond this are not a layout this code wrote.
MAX_COORDINATE = 1e9
#: the last page's evidence: ``{"format": 1, "code": fingerprint, "evidence": {key: [...]}}``
EVIDENCE = Path(".kg") / "evidence.json"
MAX_EVIDENCE_BYTES = 256 * 1024 * 1024
_EVIDENCE_KEYS = {"text", "where", "confidence", "marks"}


def render_key(turtle: Path) -> str:
    """Hash of the Turtle and of the code that renders it: kg's sources, data files, page
    script and styles, and the versions of the packages that write the page (the build memo's
    ``code_fingerprint``), so a new page script is never hidden behind an old page."""
    from kg.util.fingerprint import code_fingerprint

    return hashlib.sha256(f"{sha256_file(turtle)}\0{code_fingerprint()}".encode()).hexdigest()


def write_html_unless_same(
    turtle: Path, html: Path, write: Callable[[], None], state: Path, previous: Path | None = None
) -> bool:
    """Write ``html`` with ``write``, unless ``previous`` (the last published page) was made from
    the same graph and code and is intact: then it is linked (or copied) to ``html`` instead.
    The stamp lives in ``state`` (the output folder), outside the generation folders. Returns
    whether the page was written."""
    from kg.util.atomic import link_or_copy

    key = render_key(turtle)
    stamp = state / STAMP
    try:
        old = _read_json(stamp, 1 << 20)  # bounded, never through a link, FIFO or device
        if (
            previous is not None
            and old.get("key") == key
            and previous.is_file()
            and old.get("html") == sha256_file(previous)
        ):
            link_or_copy(previous, html)
            return False
    except (OSError, ValueError, AttributeError, RecursionError):
        pass
    stamp.unlink(missing_ok=True)  # a crash while writing must not leave a stale stamp
    write()
    stamp.parent.mkdir(exist_ok=True)
    atomic_write(stamp, json.dumps({"key": key, "html": sha256_file(html)}) + "\n")
    return True


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a coordinate")


def _coordinate(value: Any) -> float:
    if type(value) not in (int, float) or not math.isfinite(value) or abs(value) > MAX_COORDINATE:
        raise ValueError("not a finite coordinate")
    return float(value)


def _read_json(path: Path, limit: int) -> Any:
    """JSON of a regular file of at most ``limit`` bytes, opened without following a link or
    blocking; ``ValueError`` (or ``OSError``) for anything else, NaN and Infinity included."""
    from kg.ingest.encodings import read_unlinked_file

    return json.loads(read_unlinked_file(path, limit).decode("utf-8"), parse_constant=_no_constant)


def load_layout(state: Path) -> dict[str, tuple[float, float]] | None:
    """The node positions of the last page made in output folder ``state``, or None when
    there are none or the file is not exactly a layout this code writes (then it is ignored)."""
    try:
        data = _read_json(state / LAYOUT, MAX_LAYOUT_BYTES)
        if not isinstance(data, dict) or set(data) != {"format", "positions"}:
            return None
        positions = data["positions"]
        if type(data["format"]) is not int or data["format"] != LAYOUT_FORMAT:
            return None
        if not isinstance(positions, dict):
            return None
        out: dict[str, tuple[float, float]] = {}
        for node, point in positions.items():
            if not isinstance(point, list) or len(point) != 2:
                return None
            out[node] = (_coordinate(point[0]), _coordinate(point[1]))
        return out
    except (OSError, ValueError, RecursionError):  # UnicodeDecodeError and JSON errors are ValueErrors
        return None


def save_layout(state: Path, positions: dict[str, tuple[float, float]]) -> None:
    """Keep this page's positions for the next build's page (a failed write only costs a new layout)."""
    data = {"format": LAYOUT_FORMAT, "positions": {k: [x, y] for k, (x, y) in sorted(positions.items())}}
    try:
        atomic_write(state / LAYOUT, json.dumps(data, separators=(",", ":"), check_circular=False) + "\n",
                     durable=False)
    except OSError:
        pass


def _evidence_item(item: Any) -> bool:
    if not isinstance(item, dict) or set(item) != _EVIDENCE_KEYS:
        return False
    if not (type(item["text"]) is type(item["where"]) is str and type(item["confidence"]) is float):
        return False
    marks = item["marks"]
    return isinstance(marks, list) and all(
        isinstance(m, list) and len(m) == 3 and type(m[0]) is int and type(m[1]) is int and type(m[2]) is str
        for m in marks
    )


def load_evidence(state: Path, code: str) -> dict[str, list[dict[str, Any]]] | None:
    """The evidence the last page in ``state`` chose, if written by this ``code`` (the build
    memo's code fingerprint) and exactly of the shape :func:`save_evidence` writes; else None."""
    try:
        data = _read_json(state / EVIDENCE, MAX_EVIDENCE_BYTES)
        if not isinstance(data, dict) or set(data) != {"format", "code", "evidence"}:
            return None
        if type(data["format"]) is not int or data["format"] != 1 or data["code"] != code:
            return None
        entries = data["evidence"]
        if not isinstance(entries, dict):
            return None
        for chosen in entries.values():
            if not isinstance(chosen, list) or not all(_evidence_item(e) for e in chosen):
                return None
        return entries
    except (OSError, ValueError, RecursionError):
        return None


def save_evidence(state: Path, code: str, entries: dict[str, list[dict[str, Any]]]) -> None:
    """Keep this page's evidence for the next build's page (a failed write costs only time)."""
    data = {"format": 1, "code": code, "evidence": dict(sorted(entries.items()))}
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False)
        atomic_write(state / EVIDENCE, text + "\n", durable=False)
    except OSError:
        pass
