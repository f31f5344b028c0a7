"""The SPARQL endpoint ``kg serve`` shows users, in front of the Oxigraph server.

Reads (``/query``, a GET of ``/store``) pass on to Oxigraph on its private loopback port; a
query that federates (``SERVICE``, decided on the parsed query by :mod:`kg.query.guard`) and
every write (``/update``, PUT/POST/DELETE of ``/store``) get 403, unless the store was asked
for writable (then a write with another site's ``Origin`` is still refused). ``/`` is a
minimal query page of our own: inline script and style, no request leaves the machine.
"""

from __future__ import annotations

import http.server
import urllib.error
import urllib.parse
import urllib.request

from kg.errors import QueryError

#: Largest query or update body the endpoint reads (a query is text a person writes).
MAX_QUERY_BYTES = 1 << 20

QUERY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kg serve: SPARQL</title>
<link rel="icon" href="data:,">
<style>body{font:14px system-ui,sans-serif;margin:1.5em;max-width:70em}
textarea{width:100%;height:12em;font:13px monospace}table{border-collapse:collapse;margin-top:1em}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
#status{margin-left:1em;color:#555}</style></head>
<body><h1>SPARQL</h1>
<p>Queries go to <code>/query</code> on this machine only (read-only; <code>SERVICE</code> is refused).</p>
<textarea id="q" spellcheck="false">PREFIX cib: <https://w3id.org/cib-kg/ontology#>
SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20</textarea>
<div><button id="run" type="button">Run</button><span id="status"></span></div>
<div id="out"></div>
<script>
"use strict";
const q = document.getElementById("q"), out = document.getElementById("out"),
      status = document.getElementById("status");
async function run() {
  status.textContent = "running...";
  out.textContent = "";
  try {
    const answer = await fetch("query", {method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json"},
      body: new URLSearchParams({query: q.value})});
    const text = await answer.text();
    if (!answer.ok) { status.textContent = "HTTP " + answer.status + ": " + text; return; }
    const data = JSON.parse(text);
    if ("boolean" in data) { status.textContent = String(data.boolean); return; }
    const vars = data.head.vars, table = document.createElement("table"),
          head = table.insertRow();
    for (const v of vars) {
      const th = document.createElement("th"); th.textContent = v; head.appendChild(th);
    }
    for (const row of data.results.bindings) {
      const tr = table.insertRow();
      for (const v of vars) tr.insertCell().textContent = row[v] ? row[v].value : "";
    }
    out.appendChild(table);
    status.textContent = data.results.bindings.length + " row(s)";
  } catch (e) { status.textContent = String(e); }
}
document.getElementById("run").addEventListener("click", run);
</script></body></html>
"""


def _query_text(method: str, content_type: str, body: bytes, query: str) -> str | None:
    """The SPARQL text of a protocol request (GET ?query=, POST form or direct), or None."""
    if method == "GET":
        values = urllib.parse.parse_qs(query).get("query")
        return values[0] if values else None
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/sparql-query":
        return body.decode("utf-8", "replace")
    if kind == "application/x-www-form-urlencoded":
        values = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("query")
        return values[0] if values else None
    return None


class EndpointHandler(http.server.BaseHTTPRequestHandler):
    """The SPARQL endpoint users see: reads pass on to Oxigraph, ``SERVICE`` and writes do not."""

    upstream: str  # http://127.0.0.1:PORT of the Oxigraph server
    writable: bool = False
    server_version = "kg-serve"

    def _refuse(self, code: int, why: str) -> None:
        data = (why + "\n").encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_QUERY_BYTES:
            self._refuse(413, f"request body over {MAX_QUERY_BYTES} bytes, or no valid Content-Length")
            return None
        return self.rfile.read(length) if length else b""

    def _same_origin(self) -> bool:
        origin = self.headers.get("Origin")
        if origin is None:
            return True
        host = self.headers.get("Host", "")
        return origin in (f"http://{host}", f"https://{host}")

    def _handle(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        path, method = parts.path, self.command
        if path == "/" and method in ("GET", "HEAD"):
            data = QUERY_PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Security-Policy",
                             "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                             "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'")
            self.end_headers()
            if method == "GET":
                self.wfile.write(data)
            return
        body = b""
        if method in ("POST", "PUT", "DELETE"):
            got = self._body()
            if got is None:
                return
            body = got
        if path == "/query" and method in ("GET", "POST"):
            text = _query_text(method, self.headers.get("Content-Type", ""), body, parts.query)
            if text is None:
                self._refuse(400, "no query (send ?query=, a form field query, or application/sparql-query)")
                return
            try:
                from kg.query.guard import check_service

                check_service(text, allow=False)
            except QueryError as exc:
                self._refuse(403, str(exc).replace("(use --allow-service to allow outbound requests)",
                                                   "(kg serve never sends a query to another server)"))
                return
        elif path == "/store" and method in ("GET", "HEAD"):
            pass
        elif path in ("/update", "/store") and method in ("POST", "PUT", "DELETE"):
            if not self.writable:
                self._refuse(403, "read-only endpoint: kg serve --writable accepts updates")
                return
            if not self._same_origin():
                self._refuse(403, "write refused: it comes from another site's page (Origin)")
                return
        else:
            code = 404 if method in ("GET", "HEAD", "POST") else 405
            self._refuse(code, "not a SPARQL service of kg serve")
            return
        self._forward(method, body)

    def _forward(self, method: str, body: bytes) -> None:
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() in ("accept", "content-type", "accept-encoding")}
        data = body if method in ("POST", "PUT") else None
        request = urllib.request.Request(self.upstream + self.path, data=data, headers=headers, method=method)
        try:
            response = urllib.request.urlopen(request, timeout=None)
        except urllib.error.HTTPError as exc:
            response = exc
        except (urllib.error.URLError, OSError) as exc:
            self._refuse(502, f"the SPARQL server did not answer ({getattr(exc, 'reason', exc)})")
            return
        with response:
            self.send_response(response.status if hasattr(response, "status") else response.code)
            for name in ("Content-Type", "Content-Length", "Content-Encoding"):
                value = response.headers.get(name)
                if value is not None:
                    self.send_header(name, value)
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if method != "HEAD":
                while chunk := response.read(1 << 16):
                    self.wfile.write(chunk)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _handle  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's signature
        pass
