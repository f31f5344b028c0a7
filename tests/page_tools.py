"""Reading graph.html's parts in tests: the page around its data, the data, the node positions.

A rebuild's page keeps the last page's layout (``kg.explorer.reuse``), so it equals a cold build's
page in everything but where the nodes drawn before sit; tests compare these parts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

DATA = re.compile(r'(<script id="cib-data" type="application/json">)(.*?)(</script>)', re.S)


def page_parts(page: Path) -> tuple[str, Any, dict[str, tuple[float, float]]]:
    """(the page outside its data, its data without node positions, the node positions)."""
    text = page.read_text("utf-8")
    match = DATA.search(text)
    assert match is not None, f"{page}: no page data"
    data = json.loads(match.group(2))
    positions = {}
    for node in data["nodes"]:
        if "x" in node:
            positions[node["id"]] = (node.pop("x"), node.pop("y"))
    return text[: match.start(2)] + text[match.end(2):], data, positions
