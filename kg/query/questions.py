"""Named questions: ``.rq`` files with a comment header, their parameters, and query text.

A question is a ``.rq`` file in ``kg/query/named`` whose comment header names and describes it::

    # name: entity
    # description: everything known about one entity
    # param: name - label of the entity (case-insensitive)

A parameter appears in the query as the SPARQL variable ``$name``, so every ``.rq`` file is
valid SPARQL on its own; :func:`bind_params` replaces it with an escaped string literal, so a
value can never change the shape of the query. A new named question is one ``.rq`` file there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.errors import QueryError

QUERIES_PACKAGE = "kg.query.named"


_HEADER = re.compile(r"^#\s*(name|description|param)\s*:\s*(.*?)\s*$")


_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


_PARAM = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:[-:]\s*(.*))?")


_QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


@dataclass(frozen=True)
class NamedQuery:
    """A shipped question: its name, one-line description, parameters and SPARQL text."""

    name: str
    description: str
    params: tuple[tuple[str, str], ...]  # (name, description)
    text: str


def parse_header(text: str, origin: str = "query") -> NamedQuery:
    """Read the ``# name:``/``# description:``/``# param:`` comment header of a ``.rq`` text."""
    name = description = None
    params: list[tuple[str, str]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER.match(stripped)
        if m is None:
            continue
        key, value = m.groups()
        if key == "name":
            name = value
        elif key == "description":
            description = value
        else:
            pm = _PARAM.fullmatch(value)
            if pm is None:
                raise QueryError(f"{origin}: bad '# param:' line {value!r}")
            params.append((pm.group(1), pm.group(2) or ""))
    if not name or not _NAME.fullmatch(name):
        raise QueryError(f"{origin}: missing or invalid '# name:' header")
    return NamedQuery(name=name, description=description or "", params=tuple(params), text=text)


def named_queries() -> dict[str, NamedQuery]:
    """Every question shipped in ``kg/query/named``, by name (sorted)."""
    found: dict[str, NamedQuery] = {}
    for entry in sorted(resources.files(QUERIES_PACKAGE).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            q = parse_header(entry.read_text("utf-8"), entry.name)
            if q.name in found:
                raise QueryError(f"{entry.name}: question name {q.name!r} is used twice")
            found[q.name] = q
    return dict(sorted(found.items()))


def list_queries() -> str:
    """One line per named question, for ``kg query --list``."""
    queries = named_queries()
    width = max(len(n) for n in queries)
    lines = []
    for q in queries.values():
        params = "".join(f" --param {p}=..." for p, _ in q.params)
        lines.append(f"{q.name:<{width}}  {q.description}{params}")
    return "\n".join(lines)


def sparql_literal(value: str) -> str:
    """``value`` as a quoted SPARQL string literal, with every special character escaped."""
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def bind_params(text: str, params: Mapping[str, str]) -> str:
    """Replace each ``$name`` variable with the escaped literal of ``params[name]``.

    Substitution is token-wise on the query text outside comments and string literals, so a
    value is only ever a literal, never SPARQL.
    """
    if not params:
        return text
    for key in params:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise QueryError(f"invalid parameter name {key!r}")
    token = re.compile(
        r"""(?P<skip>\#[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>)"""
        r"""|\$(?P<var>[A-Za-z_][A-Za-z0-9_]*)"""
    )

    def sub(m: re.Match[str]) -> str:
        var = m.group("var")
        if var is not None and var in params:
            return sparql_literal(params[var])
        return m.group(0)

    return token.sub(sub, text)


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """``["name=Russia"]`` -> ``{"name": "Russia"}``; a pair without ``=`` is an error."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {pair!r}: expected NAME=VALUE")
        out[key.strip()] = value
    return out


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # too long or NUL: SPARQL text, not a path
        return False


def resolve_query(query: str, params: Mapping[str, str] | None = None) -> str:
    """SPARQL text for ``query``: a named question, a ``.rq`` file, or SPARQL text as given."""
    params = dict(params or {})
    queries = named_queries()
    if query in queries:
        q = queries[query]
        declared = {p for p, _ in q.params}
        missing = sorted(declared - params.keys())
        if missing:
            raise QueryError(
                f"question {q.name!r} needs " + " ".join(f"--param {p}=VALUE" for p in missing)
            )
        unknown = sorted(params.keys() - declared)
        if unknown:
            raise QueryError(f"question {q.name!r} takes no parameter {unknown[0]!r}")
        return bind_params(q.text, params)
    if "\n" not in query and (query.endswith(".rq") or _is_file(query)):
        path = Path(query)
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise QueryError(f"{path}: cannot read query file ({exc.strerror or exc})") from None
        return bind_params(text, params)
    if _NAME.fullmatch(query.strip()):
        raise QueryError(f"unknown named question {query.strip()!r} (see: kg query --list)")
    if not _QUERY_FORM.search(query):
        raise QueryError("not a named question, a .rq file or a SPARQL query")
    return bind_params(query, params)


def query_origin(query: str) -> str:
    """What error messages call the query: the ``.rq`` file, the question's name, or ``query``."""
    if query in named_queries():
        return f"{query}.rq"
    if "\n" not in query and (query.endswith(".rq") or _is_file(query)):
        return query
    return "query"
