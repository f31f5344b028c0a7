"""Syntax errors in the user's terms: ``FILE:LINE:COL: what is wrong``, in plain words.

The parsers' own messages name grammar rules ("Expected SelectQuery, found '?'"), list every
token they would have taken, quote Python bytes (``b''^b'junk @@@``) or give positions in a
text the user never wrote (Oxigraph points at the end of the query). So a failed query is read
again here: unclosed strings and brackets and undeclared prefixes are found by a small scanner
that knows where they start; anything else keeps rdflib's position with the text found there.
RDF files are re-read with Oxigraph's parser, whose messages already say what is wrong where.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

_OPEN = {"{": "}", "(": ")", "[": "]"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_SCAN = re.compile(
    r"(?P<comment>\#[^\n]*)"
    r'|(?P<long>"""|\'\'\')'
    r"|(?P<quote>[\"'])"
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<var>[?$][\w]+)"
    r"|(?P<pname>(?<![\w.-])(?:[A-Za-z][\w.-]*)?:(?:[\w%\\-][\w.%\\:-]*)?)"
    r"|(?P<bracket>[{}()\[\]])"
)
_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<", re.I)
_RDFLIB_POSITION = re.compile(r"\s*\(at char \d+\),?\s*\(line:\d+, col:\d+\)\s*$")


def _where(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _near(text: str, offset: int) -> str:
    rest = text[offset:].split("\n", 1)[0].strip()
    return rest[:30] + ("…" if len(rest) > 30 else "")


def scan_sparql(text: str, known_prefixes: Iterable[str] = ()) -> str | None:
    """``LINE:COL: problem`` for the first lexical fault (string, bracket, prefix), or None."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(text)} | set(known_prefixes)
    stack: list[tuple[str, int]] = []
    pos = 0
    while True:
        m = _SCAN.search(text, pos)
        if m is None:
            break
        pos = m.end()
        kind = m.lastgroup
        if kind in ("long", "quote"):
            quote = m.group(kind)
            end = _string_end(text, m.end(), quote)
            if end is None:
                line, col = _where(text, m.start())
                return f"{line}:{col}: this string is never closed (missing {quote})"
            pos = end
        elif kind == "pname":
            prefix = m.group(0).split(":", 1)[0]
            before = text[: m.start()].rstrip()
            if prefix not in declared and not re.search(r"\bPREFIX$", before, re.I):
                line, col = _where(text, m.start())
                return (
                    f"{line}:{col}: unknown prefix '{prefix}:' "
                    f"(declare it: PREFIX {prefix}: <...>)"
                )
        elif kind == "bracket":
            char = m.group(0)
            if char in _OPEN:
                stack.append((char, m.start()))
                continue
            line, col = _where(text, m.start())
            if not stack:
                return f"{line}:{col}: '{char}' closes nothing"
            opener, at = stack.pop()
            if _OPEN[opener] != char:
                oline, ocol = _where(text, at)
                need = _OPEN[opener]
                return f"{line}:{col}: '{char}' found where the '{opener}' of {oline}:{ocol} needs '{need}'"
    if stack:
        opener, at = stack[-1]
        line, col = _where(text, at)
        return f"{line}:{col}: this '{opener}' is never closed (missing '{_OPEN[opener]}')"
    return None


def _string_end(text: str, start: int, quote: str) -> int | None:
    """Offset after the closing ``quote`` of a string starting at ``start``, or None."""
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if text.startswith(quote, i):
            return i + len(quote)
        if ch == "\n" and len(quote) == 1:
            return None
        i += 1
    return None


def _plain(detail: str) -> str:
    """rdflib's grammar words in plain ones."""
    if re.search(r"Expected end of text", detail):
        return "unexpected text after the end of the query"
    if re.search(r"Expected \{?(Select|Construct|Ask|Describe)?Query", detail) or "Expected Query" in detail:
        return "not valid SPARQL from here on"
    return re.sub(r"\s+", " ", _RDFLIB_POSITION.sub("", detail)).strip()[:120]


def describe_sparql(text: str, origin: str, exc: BaseException | None = None,
                    known_prefixes: Iterable[str] = ()) -> str:
    """One line ``ORIGIN:LINE:COL: problem`` for a query an engine refused.

    ``exc`` is the engine's error (rdflib's carries ``lineno``/``col``); when it has no
    position, rdflib's parser is asked for one.
    """
    found = scan_sparql(text, known_prefixes)
    if found:
        return f"{origin}:{found}"
    lineno, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    detail = " ".join(str(exc).split()) if exc is not None else ""
    if not isinstance(lineno, int) or not isinstance(col, int):
        oxigraph_words = re.search(r"expected one of ([A-Z][a-z][^,\[]*[a-z])", detail)
        if oxigraph_words and " " in oxigraph_words.group(1):
            return f"{origin}: {oxigraph_words.group(1)}"  # a sentence, e.g. an unbound variable
        try:
            from rdflib.plugins.sparql.parser import parseQuery

            parseQuery(text)
        except Exception as again:  # noqa: BLE001 - only its position is wanted
            lineno, col = getattr(again, "lineno", None), getattr(again, "col", None)
            detail = " ".join(str(again).split())
        if not isinstance(lineno, int) or not isinstance(col, int):
            detail = re.sub(r"^error at \d+:\d+: ", "", detail)
            return f"{origin}: not valid SPARQL ({detail[:150]})"
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: lineno - 1]) + col - 1
    near = _near(text, offset) if 0 < lineno <= len(lines) else ""
    at = f" at '{near}'" if near else " at the end of the query"
    return f"{origin}:{lineno}:{col}: {_plain(detail)}{at}"


def describe_rdf(path: Path, fmt: str | None, exc: BaseException) -> str:
    """One line ``FILE:LINE:COL: problem`` for an RDF file rdflib could not parse."""
    try:
        import pyoxigraph as ox
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        ox = None
    formats = {"turtle": "TURTLE", "nt": "N_TRIPLES", "ntriples": "N_TRIPLES", "trig": "TRIG",
               "nquads": "N_QUADS", "xml": "RDF_XML", "json-ld": "JSON_LD"}
    if ox is not None and (fmt or "turtle") in formats:
        try:
            for _ in ox.parse(path=str(path), format=getattr(ox.RdfFormat, formats[fmt or "turtle"])):
                pass
        except SyntaxError as again:
            message = str(again.args[0]) if again.args else str(again)
            m = re.match(
                r"Parser error (?:at line (\d+) (?:between columns (\d+) and \d+|column (\d+))"
                r"|between line (\d+) column (\d+) and line \d+ column \d+): (.*)$",
                message, re.S,
            )
            if m:
                line = m.group(1) or m.group(4)
                col = m.group(2) or m.group(3) or m.group(5)
                what = " ".join(m.group(6).split())
                return f"{path}:{line}:{col}: {what}"
            return f"{path}: {' '.join(message.split())[:200]}"
        except (OSError, ValueError):
            pass
    detail = " ".join(str(exc).split())
    m = re.search(r"at line (\d+)", detail)
    reason = re.search(r"Bad syntax \(([^)]*)\)", detail)
    if m:
        return f"{path}:{m.group(1)}: {reason.group(1) if reason else 'not valid RDF'}"
    return f"{path}: not a parseable RDF graph: {detail[:200] or type(exc).__name__}"
