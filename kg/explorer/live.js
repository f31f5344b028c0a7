"use strict";
// The live graph (kg serve --watch): when the page is served, ask the server beside it for
// version.json (same origin only) every two seconds; once the number changes, offer a reload.
// Opened from a file, or served by a plain `kg serve` (no version.json), it asks nothing more.
(function () {
  if (!/^https?:$/.test(window.location.protocol)) return;
  const url = new URL("version.json", window.location.href);
  let seen = null;
  function offer() {
    const bar = document.createElement("div");
    bar.id = "live-notice";
    bar.setAttribute("role", "status");
    bar.style.cssText = "position:fixed;top:8px;right:8px;z-index:1000;background:#fffbe6;" +
      "border:1px solid #e0c36a;padding:6px 10px;font:13px system-ui,sans-serif";
    bar.textContent = "The graph has been updated. ";
    const reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "Reload";
    reload.addEventListener("click", function () { window.location.reload(); });
    bar.appendChild(reload);
    document.body.appendChild(bar);
  }
  async function look() {
    try {
      const answer = await fetch(url, {cache: "no-store", credentials: "same-origin"});
      if (!answer.ok) return false;
      const version = (await answer.json()).version;
      if (version === undefined) return false;  // a plain `kg serve`: no live graph
      if (seen === null) seen = version;
      else if (version !== seen) { offer(); return false; }
    } catch (e) { /* the server is restarting: look again */ }
    return true;
  }
  async function loop() { if (await look()) window.setTimeout(loop, 2000); }
  loop();
})();
