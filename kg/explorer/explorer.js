// The explorer's own code (inlined in graph.html; its hash is in the page's CSP).
// Article text only ever reaches the DOM through textContent and DOM-built <mark> spans.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cib-data").textContent);
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgeById = {}, adj = {}, rawEdge = {};
  DATA.edges.forEach(function (e) {
    edgeById[e.id] = e;
    (adj[e.from] = adj[e.from] || []).push(e);
    (adj[e.to] = adj[e.to] || []).push(e);
    rawEdge[e.from + "\u0001" + e.pred + "\u0001" + e.to] = e;
  });
  var NARY = {takedown: 1, claim: 1, denial: 1, article: 1};
  var container = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var details = document.getElementById("details");
  var status = document.getElementById("status");
  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  window.network = network;
  window.cibNodes = nodes;
  window.cibEdges = edges;
  window.cibReady = false;
  window.cibBusy = true;

  var fState = document.getElementById("filter-state");
  var fPlatform = document.getElementById("filter-platform");
  var fYear = document.getElementById("filter-year");
  var fLevel = document.getElementById("level");
  var fLabels = document.getElementById("edge-labels");
  var search = document.getElementById("search");
  // A graph without takedown or denial records (a CONSTRUCT result, say) has no story to tell:
  // it opens on all of its facts instead of an empty canvas.
  var START = DATA.takedowns.length || DATA.denials.length ? "story" : "facts";
  fLevel.value = START;
  var view = fresh();
  var pairs = {};  // key -> {from, to, tds, counts, networks}
  var pinned = null;  // {type: "node"|"pair", id}

  function fresh() { return {pairs: {}, states: {}, open: {}, reveal: {}, allStates: false, allPlatforms: false}; }
  var STORY_STATES = DATA.storyStates, STORY_PLATFORMS = DATA.storyPlatforms, STORY_DENIERS = DATA.storyDeniers;
  var OTHER_S = "cib:other-states", OTHER_P = "cib:other-platforms";
  // Groups ("N other states", "(no state named)") are not states: drawn as dashed grey boxes
  // (GROUP_STYLE), below the states with a gap (columns()).
  byId[OTHER_S] = {id: OTHER_S, kind: "state", shape: "box", color: "#eeeeee", size: 16, synthetic: true,
                   label: "other states", fullLabel: "other states", states: [], platforms: [], years: [],
                   card: {kind: "group", title: "Other states", fields: [], sections: [], evidence: []}};
  byId[OTHER_P] = {id: OTHER_P, kind: "platform", shape: "box", color: "#eeeeee", size: 16, synthetic: true,
                   label: "other platforms", fullLabel: "other platforms", states: [], platforms: [], years: [],
                   card: {kind: "group", title: "Other platforms", fields: [], sections: [], evidence: []}};
  function top(records, field, limit, all, chosenName, nameField) {
    var tally = {}, keep = {};
    records.forEach(function (t) { t[field].forEach(function (x) { tally[x] = (tally[x] || 0) + 1; }); });
    var ids = Object.keys(tally).sort(function (a, b) {
      return tally[b] - tally[a] || (byId[a].fullLabel < byId[b].fullLabel ? -1 : 1);
    });
    var cut = all || ids.length <= limit + 1 ? ids.length : limit;
    ids.forEach(function (id, i) {
      if (i < cut || view.states[id] || view.reveal[id] || byId[id].fullLabel === chosenName) { keep[id] = true; }
    });
    var rest = ids.filter(function (id) { return !keep[id]; });
    var group = field === "states" ? byId[OTHER_S] : byId[OTHER_P];
    group.label = rest.length + " other " + field;
    group.card.title = rest.length + " other " + field;
    group.card.fields = [["Takedowns", String(rest.reduce(function (a, id) { return a + tally[id]; }, 0))]];
    group.card.sections = [["Click to show them", rest.map(function (id) { return byId[id].fullLabel + " (" + tally[id] + ")"; })]];
    return keep;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function has(list, value) { return (list || []).map(String).indexOf(String(value)) >= 0; }

  // ------------------------------------------------------------------ filters
  function fill(select, values) {
    values.forEach(function (v) { var o = el("option", null, v); o.value = String(v); select.appendChild(o); });
  }
  fill(fState, DATA.facets.states);
  fill(fPlatform, DATA.facets.platforms);
  fill(fYear, DATA.facets.years);

  function recordPasses(r, skipYear) {
    var s = fState.value, p = fPlatform.value, y = fYear.value;
    return (!s || has(r.stateNames, s)) && (!p || has(r.platformNames, p)) &&
      (skipYear || !y || String(r.year) === y);
  }
  function chosen(id, select) { return !select.value || (byId[id] && byId[id].fullLabel === select.value); }
  function nodePasses(n) {
    var s = fState.value, p = fPlatform.value, y = fYear.value;
    if (!n) { return false; }
    return (!s || has(n.states, s)) && (!p || has(n.platforms, p)) && (!y || has(n.years, y));
  }

  // ------------------------------------------------------------------ what is drawn
  function countsText(counts) {
    return Object.keys(counts).map(function (k) { return fmt(counts[k]) + " " + k; }).join(", ");
  }
  // Figures always say what they count: "41 takedowns \u00b7 9,934 accounts".
  function pairLabel(p) {
    var t = p.tds.length + (p.tds.length === 1 ? " takedown" : " takedowns");
    return p.counts.accounts ? t + " \u00b7 " + fmt(p.counts.accounts) + " accounts" : t;
  }

  function compute() {
    var want = {}, wantE = {}, anchor = {}, onDemand = {};
    var level = fLevel.value;
    function addNode(id, from) {
      if (!byId[id] || want[id]) { return; }
      want[id] = true;
      if (from) { anchor[id] = from; }
    }
    function addEdge(spec) { if (!wantE[spec.id]) { wantE[spec.id] = spec; } }
    function addRaw(e) { addEdge({id: e.id, from: e.from, to: e.to, label: e.counts ? e.pred + " \u00b7 " + e.counts : e.pred}); }
    var tds = DATA.takedowns.filter(function (t) { return recordPasses(t); });
    var dens = DATA.denials.filter(function (d) { return recordPasses(d); });
    pairs = {};
    if (level === "facts") {
      DATA.nodes.forEach(function (n) { if (nodePasses(n) && !n.synthetic) { want[n.id] = true; } });
      DATA.edges.forEach(function (e) { if (want[e.from] && want[e.to]) { addRaw(e); } });
      return {want: want, wantE: wantE, anchor: anchor, fixed: {}};
    }
    // The first view is the size of the question: the busiest states and platforms, the rest
    // gathered in one "other" node each, opened by a click.
    var keepS = top(tds, "states", STORY_STATES, view.allStates || level === "networks", fState.value, "stateNames");
    var keepP = top(tds, "platforms", STORY_PLATFORMS, view.allPlatforms || level === "networks", fPlatform.value,
                    "platformNames");
    tds.forEach(function (t) {
      var ps = {}, ss = {};
      // A filter keeps the takedown; of its states and platforms only the chosen one is drawn.
      t.platforms.forEach(function (p) { if (chosen(p, fPlatform)) { ps[keepP[p] ? p : OTHER_P] = true; } });
      t.states.forEach(function (s) { if (chosen(s, fState)) { ss[keepS[s] ? s : OTHER_S] = true; } });
      Object.keys(ps).forEach(function (p) {
        Object.keys(ss).forEach(function (s) {
          var key = p + "\u0001" + s;
          var pair = pairs[key] = pairs[key] || {key: key, from: p, to: s, tds: [], counts: {}};
          pair.tds.push(t);
          Object.keys(t.counts).forEach(function (k) { pair.counts[k] = (pair.counts[k] || 0) + t.counts[k]; });
        });
      });
    });
    var shownNetworks = {}, deniers = {}, denialStates = {};
    Object.keys(pairs).sort().forEach(function (key) {
      var pair = pairs[key];
      addNode(pair.from);
      addNode(pair.to);
      var open = level === "networks" || view.pairs[key] || view.states[pair.to];
      if (byId[pair.to].synthetic && pair.to !== "cib:unattributed" || pair.from === OTHER_P) { open = false; }
      if (!open) {
        var w = 1 + Math.min(9, Math.log(1 + pair.tds.length) * 2 + Math.log(1 + (pair.counts.accounts || 0)) / 2);
        addEdge({id: "agg\u0001" + key, from: pair.from, to: pair.to, label: pairLabel(pair), width: w, weight: pair.tds.length,
                 pair: key, color: {color: "#6b7f99"}});
        return;
      }
      pair.tds.forEach(function (t) {
        t.networks.forEach(function (n) {
          addNode(n, pair.from);
          shownNetworks[n] = true;
          var removed = rawEdge[pair.from + "\u0001removed\u0001" + n];
          if (removed) { addRaw(removed); }
          else { addEdge({id: "rm\u0001" + pair.from + "\u0001" + n, from: pair.from, to: n, label: "removed"}); }
          var attr = rawEdge[n + "\u0001attributedTo\u0001" + pair.to];
          if (attr) { addRaw(attr); }
          else if (!byId[pair.to].synthetic) {
            addEdge({id: "at\u0001" + n + "\u0001" + pair.to, from: n, to: pair.to, label: "claimed attribution", dashes: true});
          }
        });
      });
    });
    var denierTally = {};
    dens.forEach(function (d) {
      (d.speakers.length ? d.speakers : d.claims).forEach(function (x) {
        d.states.forEach(function (s) { var k = s + "\u0001" + x; denierTally[k] = (denierTally[k] || 0) + 1; });
      });
    });
    var denierRank = {};
    Object.keys(denierTally).sort(function (a, b) { return denierTally[b] - denierTally[a] || (a < b ? -1 : 1); })
      .forEach(function (k) {
        var s = k.split("\u0001")[0];
        denierRank[k] = denierRank[s] = (denierRank[s] || 0) + 1;
      });
    dens.forEach(function (d) {
      var who0 = (d.speakers.length ? d.speakers : d.claims);
      d.states.forEach(function (s) {
        if ((!keepS[s] && !view.states[s]) || !chosen(s, fState)) { return; }
        var many = level === "networks" || view.states[s];
        who0 = who0.filter(function (x) { return many || denierRank[s + "\u0001" + x] <= STORY_DENIERS; });
        addNode(s);
        denialStates[s] = true;
        who0.forEach(function (x) {
          deniers[x] = deniers[x] || {};
          deniers[x][s] = true;
          addNode(x, s);
          var id = "den\u0001" + s + "\u0001" + x;
          var prev = wantE[id];
          var n = prev ? prev.n + 1 : 1;
          wantE[id] = {id: id, from: s, to: x, n: n, label: n > 1 ? "denied \u00d7" + n : "denied", color: {color: "#c2418f"}};
        });
        d.networks.forEach(function (net) {
          if (!shownNetworks[net]) { return; }
          var who = d.speakers.length ? d.speakers : [s];
          who.forEach(function (x) {
            addEdge({id: "dn\u0001" + x + "\u0001" + net, from: x, to: net, label: "denied", dashes: true, color: {color: "#c2418f"}});
          });
        });
      });
    });
    Object.keys(view.reveal).forEach(function (id) {
      var near = (adj[id] || []).map(function (e) { return e.from === id ? e.to : e.from; })
        .filter(function (o) { return want[o]; }).sort()[0];
      addNode(id, near);
    });
    // Nodes opened on demand bring in their neighbours: takedowns, claims, denials, articles...
    Object.keys(view.open).sort().forEach(function (id) {
      if (!want[id]) { return; }
      (adj[id] || []).forEach(function (e) {
        var other = e.from === id ? e.to : e.from;
        if (!want[other] && !nodePasses(byId[other])) { return; }
        if (!want[other]) { onDemand[other] = true; }
        addNode(other, id);
        addRaw(e);
      });
    });
    Object.keys(onDemand).forEach(function (id) {
      (adj[id] || []).forEach(function (e) { if (want[e.from] && want[e.to]) { addRaw(e); } });
    });
    return {want: want, wantE: wantE, anchor: anchor, fixed: columns(shownNetworks, deniers, denialStates)};
  }

  // The story reads left to right: platforms, the networks they removed, the states named, who denied.
  function columns(shownNetworks, deniers, denialStates) {
    var pos = {}, weight = {}, idx = {};
    var plats = {}, states = {};
    Object.keys(pairs).forEach(function (k) {
      var p = pairs[k];
      plats[p.from] = true; states[p.to] = true;
      weight[p.from] = (weight[p.from] || 0) + p.tds.length;
    });
    Object.keys(denialStates).forEach(function (s) { states[s] = true; });
    function byLabel(a, b) { return byId[a].fullLabel < byId[b].fullLabel ? -1 : byId[a].fullLabel > byId[b].fullLabel ? 1 : 0; }
    var P = Object.keys(plats).sort(function (a, b) { return (weight[b] || 0) - (weight[a] || 0) || byLabel(a, b); });
    P.forEach(function (p, i) { idx[p] = i; });
    function bary(id, links) {
      var s = 0, w = 0;
      links.forEach(function (l) { if (idx[l[0]] !== undefined) { s += idx[l[0]] * l[1]; w += l[1]; } });
      return w ? s / w : 1e6;
    }
    var links = {};
    Object.keys(pairs).forEach(function (k) {
      var p = pairs[k];
      (links[p.to] = links[p.to] || []).push([p.from, p.tds.length]);
      p.tds.forEach(function (t) {
        t.networks.forEach(function (n) { if (shownNetworks[n]) { (links[n] = links[n] || []).push([p.from, 1]); } });
      });
    });
    function order(ids) {
      var b = {};
      ids.forEach(function (id) { b[id] = bary(id, links[id] || []); });
      return ids.sort(function (x, y) { return b[x] - b[y] || byLabel(x, y); });
    }
    var N = order(Object.keys(shownNetworks));
    var S = order(Object.keys(states));
    S.forEach(function (s, i) { idx[s] = i; });
    Object.keys(deniers).forEach(function (x) {
      links[x] = Object.keys(deniers[x]).map(function (s) { return [s, 1]; });
    });
    var D = order(Object.keys(deniers));
    // Groups go last in their column, a gap below the real platforms and states.
    function realFirst(ids) {
      return ids.filter(function (id) { return !byId[id].synthetic; })
        .concat(ids.filter(function (id) { return byId[id].synthetic; }));
    }
    P = realFirst(P);
    S = realFirst(S);
    var spans = [P.length * 90, N.length * 56, S.length * 90, D.length * 70];
    var tall = Math.max.apply(null, spans.concat([1]));
    var col = Math.max(420, tall * 0.55);
    var gap = N.length ? col : 0;
    // Spread short columns over the canvas's height, so a small story is not a thin strip.
    var box = container.getBoundingClientRect();
    var width = (N.length ? 2 : 1) * col + (D.length ? col : 0);
    var target = Math.max(tall, 0.8 * width * (box.height || 600) / (box.width || 1000));
    function place(ids, x, step) {
      var stepUsed = ids.length > 1 ? Math.max(step, Math.min(target / ids.length, step * 2.5)) : step;
      ids.forEach(function (id, i) {
        var stagger = ids.length > 12 ? (i % 2 ? 80 : -80) : 0;
        pos[id] = {x: x + stagger, y: (i - (ids.length - 1) / 2) * stepUsed};
      });
    }
    place(P, -col, 90);
    place(N, 0, 56);
    place(S, gap, 90);
    place(D, gap + col, 70);
    function apart(ids) {
      var real = ids.filter(function (id) { return !byId[id].synthetic; });
      var low = real.length ? Math.max.apply(null, real.map(function (id) { return pos[id].y; })) : -90;
      ids.filter(function (id) { return byId[id].synthetic; }).forEach(function (id, i) {
        pos[id] = {x: pos[id].x, y: low + GROUP_GAP + i * 70};
      });
    }
    apart(P);
    apart(S);
    return pos;
  }

  var GROUP_GAP = 150;
  var GROUP_STYLE = {shape: "box", color: {background: "#f4f4f4", border: "#888888"}, borderWidth: 1.5,
                     shapeProperties: {borderDashes: [5, 4]}, font: {size: 14, color: "#555555"}};
  function nodeSpec(id, pos, fixed) {
    var n = byId[id];
    var spec = {id: id, label: n.label, shape: n.shape, color: n.color, size: n.size, kind: n.kind,
                fullLabel: n.fullLabel, font: n.kind === "platform" || n.kind === "state" ? {size: 17, bold: true} : undefined};
    if (n.synthetic) {
      Object.keys(GROUP_STYLE).forEach(function (k) { spec[k] = GROUP_STYLE[k]; });
      spec.group_ = true;
    }
    spec.fixed = Boolean(fixed);
    if (pos) { spec.x = pos.x; spec.y = pos.y; }
    return spec;
  }

  // Where new nodes go. Story and network views: the columns; nodes brought in on demand sit
  // on a ring around the node they came from (placed in order, so a ring can grow off a node
  // placed in the same pass). All facts: the layout computed beforehand (kg.exporters.html).
  function placeNew(ids, c, current) {
    var placed = {}, rings = {}, pending = ids.slice(), facts = fLevel.value === "facts";
    function posOf(id) {
      if (placed[id]) { return placed[id]; }
      if (current[id] && network.body.nodes[id]) { return network.getPosition(id); }
      return null;
    }
    function ring(anchorId) {
      var a = posOf(anchorId);
      if (!a) { return null; }
      var k = rings[anchorId] = (rings[anchorId] || 0) + 1;
      var r = 190 + 22 * k, angle = 0.6 + k * 2.39996;
      return {x: a.x + r * Math.cos(angle), y: a.y + r * Math.sin(angle)};
    }
    var progress = true;
    while (pending.length && progress) {
      progress = false;
      pending = pending.filter(function (id) {
        var n = byId[id];
        var pos = c.fixed[id] || (facts && n.x !== undefined ? {x: n.x, y: n.y} : null) ||
          (c.anchor[id] ? ring(c.anchor[id]) : null);
        if (!pos && !c.anchor[id] && n.x !== undefined) { pos = {x: n.x, y: n.y}; }
        if (!pos) { return true; }
        placed[id] = pos;
        progress = true;
        return false;
      });
    }
    pending.forEach(function (id, i) { placed[id] = {x: 600 + 60 * (i % 10), y: -300 + 60 * Math.floor(i / 10)}; });
    return placed;
  }

  var firstDone = false;
  function finish() {
    window.cibBusy = false;
    if (!firstDone) {
      firstDone = true;
      window.cibReady = true;
      window.cibReadyAt = performance.now();
      document.body.setAttribute("data-ready", "1");
    }
  }
  var settleTimer = null;
  function settle() {
    network.fit({animation: false});
    declutter();
    finish();
  }

  // No label over another in the story and network views: node labels stay, and an edge label
  // that would overlap a node, its label or a heavier edge's label is left out (the edge's
  // card, opened by a click, has its figures). Boxes are in canvas units, as vis draws them.
  var hiddenLabels = {};
  function declutter() {
    hiddenLabels = {};
    if (fLevel.value === "facts" || !fLabels.checked) { return; }
    network.redraw();  // label sizes are measured when drawn
    var body = network.body, placed = [];
    function hit(b) {
      for (var i = 0; i < placed.length; i++) {
        var o = placed[i];
        if (b.left < o.right && o.left < b.right && b.top < o.bottom && o.top < b.bottom) { return true; }
      }
      return false;
    }
    nodes.getIds().forEach(function (id) {
      var n = body.nodes[id];
      if (n && n.shape && n.shape.boundingBox) {
        var bb = n.shape.boundingBox;
        placed.push({left: bb.left, right: bb.right, top: bb.top, bottom: bb.bottom});
      }
    });
    var list = edges.get().filter(function (e) { return e.label; });
    list.sort(function (a, b) { return (b.weight || 0) - (a.weight || 0) || (a.id < b.id ? -1 : 1); });
    var hide = [];
    list.forEach(function (e) {
      var be = body.edges[e.id];
      var sz = be && be.labelModule && be.labelModule.size;
      if (!sz || !sz.width) { return; }
      var b = {left: sz.left - 3, right: sz.left + sz.width + 3, top: sz.top - 2, bottom: sz.top + sz.height + 2};
      if (hit(b)) {
        var bare = {};
        Object.keys(e).forEach(function (k) { if (k !== "label") { bare[k] = e[k]; } });
        hide.push(bare);
        hiddenLabels[e.id] = true;
      } else { placed.push(b); }
    });
    if (hide.length) {  // re-added without a label (vis keeps a label an update blanks)
      edges.remove(hide.map(function (e) { return e.id; }));
      edges.add(hide);
      network.redraw();
    }
  }
  window.cibLabelBoxes = function () {
    // Every drawn label's box (canvas units): what the no-overlap test reads.
    var out = [];
    network.redraw();
    nodes.getIds().forEach(function (id) {
      var n = network.body.nodes[id], sz = n && n.labelModule && n.labelModule.size;
      if (n && n.options.label && sz && sz.width) { out.push({id: id, left: sz.left, top: sz.top, width: sz.width, height: sz.height}); }
    });
    edges.get().forEach(function (e) {
      var be = network.body.edges[e.id], sz = be && be.labelModule && be.labelModule.size;
      if (e.label && be && be.options.label && sz && sz.width) { out.push({id: e.id, left: sz.left, top: sz.top, width: sz.width, height: sz.height}); }
    });
    return out;
  };
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({physics: {enabled: false}});
    if (settleTimer) { clearTimeout(settleTimer); settleTimer = null; }
    settle();
  });

  function render() {
    window.cibBusy = true;
    hideTooltip();
    var c = compute();
    var current = {};
    nodes.getIds().forEach(function (id) { current[id] = true; });
    var gone = Object.keys(current).filter(function (id) { return !c.want[id]; });
    if (gone.length) { nodes.remove(gone); }
    var added = [], moved = [], free = 0;
    var fresh = Object.keys(c.want).sort().filter(function (id) { return !current[id]; });
    var spots = placeNew(fresh, c, current);
    Object.keys(c.want).sort().forEach(function (id) {
      var fixed = c.fixed[id];
      if (!fixed) { free += 1; }
      if (!current[id]) { added.push(nodeSpec(id, spots[id], fixed)); }
      else if (fixed) { moved.push({id: id, x: fixed.x, y: fixed.y, fixed: true, label: byId[id].label}); }
      else { moved.push({id: id, fixed: false}); }
    });
    if (moved.length) { nodes.update(moved); }
    if (added.length) { nodes.add(added); }
    var showLabels = fLabels.checked;
    var list = Object.keys(c.wantE).sort().map(function (id) {
      var e = c.wantE[id], spec = {id: id, from: e.from, to: e.to, fullLabel: e.label};
      if (showLabels) { spec.label = e.label; }
      ["width", "dashes", "color", "pair", "weight"].forEach(function (k) { if (e[k] !== undefined) { spec[k] = e[k]; } });
      return spec;
    });
    edges.clear();
    edges.add(list);
    var level = fLevel.options[fLevel.selectedIndex].text;
    status.textContent = nodes.length + " nodes, " + edges.length + " edges shown (" + level +
      ") of " + DATA.nodes.filter(function (n) { return !n.synthetic; }).length + " nodes";
    if (pinned && pinned.type === "node" && !c.want[pinned.id]) { clearDetails(); }
    if (pinned && pinned.type === "pair" && !pairs[pinned.id]) { clearDetails(); }
    drawChart();
    var physics = fLevel.value === "facts" && free > 0 && nodes.length <= DATA.physicsMax && added.length > 0;
    if (physics) {
      network.setOptions({physics: {enabled: true}});
      network.stabilize(firstDone ? 300 : DATA.iterations);
      settleTimer = setTimeout(function () { network.setOptions({physics: {enabled: false}}); settle(); }, 8000);
    } else {
      network.setOptions({physics: {enabled: false}});
      settle();
    }
  }

  // ------------------------------------------------------------------ cards
  function marked(text, marks) {
    var span = el("span", "text");
    var at = 0;
    (marks || []).forEach(function (m) {
      if (m[0] < at) { return; }
      span.appendChild(document.createTextNode(text.slice(at, m[0])));
      var mk = el("mark", "m-" + m[2], text.slice(m[0], m[1]));
      mk.title = m[2];
      span.appendChild(mk);
      at = m[1];
    });
    span.appendChild(document.createTextNode(text.slice(at)));
    return span;
  }
  function row(target, key, value) {
    var r = el("div", "row");
    r.appendChild(el("span", "key", key + ":"));
    r.appendChild(document.createTextNode(" " + value));
    target.appendChild(r);
  }
  function renderCard(target, card, compact) {
    target.textContent = "";
    var head = el("div", "head");
    head.appendChild(el("span", "kind", card.kind + ": "));
    head.appendChild(document.createTextNode(card.title));
    target.appendChild(head);
    card.fields.forEach(function (f) { row(target, f[0], f[1]); });
    if (card.evidence && card.evidence.length) {
      target.appendChild(el("div", "sec", "Evidence (" + card.evidence.length + "):"));
      var shown = compact ? card.evidence.slice(0, 2) : card.evidence;
      shown.forEach(function (e) {
        var box = el("div", "ev");
        box.appendChild(document.createTextNode("\u201c"));
        box.appendChild(marked(e.text, e.marks));
        box.appendChild(document.createTextNode("\u201d"));
        box.appendChild(el("span", "conf", "(" + Number(e.confidence).toFixed(2) + ")"));
        if (e.where && !compact) { box.appendChild(el("div", "where", e.where)); }
        target.appendChild(box);
      });
    }
    if (compact) { return; }
    (card.sections || []).forEach(function (s) {
      target.appendChild(el("div", "sec", s[0] + ":"));
      s[1].forEach(function (item) { target.appendChild(el("div", "item", "\u2022 " + item)); });
    });
  }
  function clearDetails() {
    pinned = null;
    details.textContent = "";
    details.appendChild(el("div", "hint", "Click a platform\u2013state edge or a state to open its networks; " +
      "double-click a node for its takedowns, claims, denials and articles. Click a node for its card."));
  }
  function button(target, text, onClick) {
    var b = el("button", null, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    target.appendChild(b);
    return b;
  }
  function showNode(id) {
    var n = byId[id];
    if (!n) { return; }
    pinned = {type: "node", id: id};
    var box = el("div", "info");
    box.setAttribute("data-node", id);
    renderCard(box, n.card, false);
    if (n.kind === "state") {
      button(box, view.states[id] ? "Close networks" : "Open networks", function () { toggleState(id); });
    }
    if (profileOf(id)) {
      button(box, "Open the " + n.kind + " view (tables, timeline, CSV)", function () { openProfile(id); });
    }
    if (!NARY[n.kind] || fLevel.value !== "facts") {
      button(box, view.open[id] ? "Hide facts" : "Show facts (takedowns, claims, denials, articles)", function () {
        toggleOpen(id);
      });
    }
    details.textContent = "";
    details.appendChild(box);
  }
  function showPair(key) {
    var p = pairs[key];
    if (!p) { return; }
    pinned = {type: "pair", id: key};
    var box = el("div", "info");
    box.setAttribute("data-pair", key);
    var years = {}, nets = {};
    p.tds.forEach(function (t) { if (t.year) { years[t.year] = 1; } t.networks.forEach(function (n) { nets[n] = 1; }); });
    renderCard(box, {kind: "platform \u2192 state", title: byId[p.from].fullLabel + " \u2192 " + byId[p.to].fullLabel,
      fields: [["Takedowns", String(p.tds.length)], ["Removed", countsText(p.counts) || "no exact figure"],
               ["Years", Object.keys(years).sort().join(", ") || "unknown"]],
      sections: [["Networks", Object.keys(nets).sort().map(function (n) { return byId[n] ? byId[n].fullLabel : n; })]],
      evidence: []}, false);
    button(box, view.pairs[key] ? "Close networks" : "Open networks", function () { togglePair(key); });
    details.textContent = "";
    details.appendChild(box);
  }
  function refreshPinned() {
    if (!pinned) { return; }
    if (pinned.type === "node") { showNode(pinned.id); } else { showPair(pinned.id); }
  }
  function togglePair(key) {
    if (view.pairs[key]) { delete view.pairs[key]; } else { view.pairs[key] = true; }
    render(); refreshPinned();
  }
  function toggleState(id) {
    if (view.states[id]) { delete view.states[id]; } else { view.states[id] = true; }
    render(); refreshPinned();
  }
  function toggleOpen(id) {
    if (view.open[id]) { delete view.open[id]; } else { view.open[id] = true; }
    render(); refreshPinned();
  }


  // ------------------------------------------------------------------ state and platform views
  // A state's (or a platform's) own page: its takedowns as a table by date, its denials with
  // speaker and quote, a small timeline, and each table exported as CSV (made in the page).
  var profileBox = document.getElementById("profile");
  var profileId = null;
  function profileOf(id) {
    var n = byId[id];
    if (!n || (n.kind !== "state" && n.kind !== "platform") || id === OTHER_S || id === OTHER_P) { return null; }
    var field = n.kind === "state" ? "states" : "platforms";
    return {
      node: n, field: field,
      tds: DATA.takedowns.filter(function (t) { return has(t[field], id); }).sort(byWhen),
      dens: DATA.denials.filter(function (d) { return has(d[field], id); }).sort(byWhen)
    };
  }
  // The date that places a record in time (its chart date: the reported date, else the first
  // report, else the text date of its undated articles) and which that is (kg.rdf.dating).
  function whenOf(r) { return r.when || ""; }
  function byWhen(a, b) {
    var x = whenOf(a) || "9999", y = whenOf(b) || "9999";
    return x < y ? -1 : x > y ? 1 : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }
  function placedBy(r) { return r.dateUsed || "undated"; }
  var DATE_KINDS = ["reported date", "first report", "text date", "undated"];
  // "33 by reported date, 61 by first report, 28 by text date, 48 undated" (kinds with none left out)
  function kindsText(records) {
    var n = {};
    records.forEach(function (r) { var k = placedBy(r); n[k] = (n[k] || 0) + 1; });
    return DATE_KINDS.filter(function (k) { return n[k]; }).map(function (k) {
      return n[k] + (k === "undated" ? " undated" : " by " + k);
    }).join(", ");
  }
  function sourcesText(r) {
    return r.sources.map(function (s) { return (s[0] ? s[0] + " " : "") + s[1] + (s[2] && s[2] !== s[1] ? " (" + s[2] + ")" : ""); }).join("; ");
  }
  function names(ids) {
    return ids.map(function (x) { return byId[x] ? byId[x].fullLabel : x; }).join(", ");
  }
  // [column, key of a record's counts (kg.explorer.reader.COUNT_LABELS)]
  var COUNT_COLUMNS = [["accounts", "accounts"], ["pages", "pages"], ["groups", "groups"],
                       ["Instagram accounts", "Instagram accounts"], ["channels", "channels"],
                       ["assets (combined)", "assets (combined)"]];
  function takedownTable(p) {
    var other = p.field === "states" ? "Platform" : "State(s)";
    var head = ["Date", "Placed by", other, "Network"].concat(COUNT_COLUMNS.map(function (c) { return c[0]; }))
      .concat(["Sources", "Event id"]);
    var rows = p.tds.map(function (t) {
      var who = p.field === "states" ? t.platformNames.join(", ") : (t.stateNames.length ? t.stateNames.join(", ") : "(no state named)");
      var counts = COUNT_COLUMNS.map(function (c) {
        var v = t.counts[c[1]];
        return v === undefined ? "" : String(v);
      });
      return [whenOf(t), placedBy(t), who, (t.networkNames || []).join(", ")].concat(counts).concat([sourcesText(t), t.event]);
    });
    return {head: head, rows: rows};
  }
  function denialTable(p) {
    var head = ["Date", "Placed by"].concat(p.field === "states" ? [] : ["State"])
      .concat(["Speaker", "Denies claims of", "Quote", "Sources", "Event id"]);
    var rows = p.dens.map(function (d) {
      var row = [whenOf(d), placedBy(d)];
      if (p.field !== "states") { row.push(d.stateNames.join(", ")); }
      return row.concat([d.speakerNames.join(", ") || "(no speaker named)", d.platformNames.join(", "), d.quote,
                         sourcesText(d), d.event]);
    });
    return {head: head, rows: rows};
  }
  // CSV for spreadsheets: every cell quoted where needed, and a cell a spreadsheet would read as a
  // formula (starting with = + - @, or a tab or carriage return) starts with an apostrophe.
  function csvCell(v) {
    var text = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }
    return /[",\r\n]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }
  function toCsv(table) {
    return [table.head].concat(table.rows).map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  function download(name, text) {
    var blob = new Blob([text], {type: "text/csv;charset=utf-8"});
    var url = URL.createObjectURL(blob);
    var a = el("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 2000);
  }
  function fileSlug(text) { return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "table"; }
  function tableEl(table, name) {
    var t = el("table", "grid");
    t.setAttribute("data-table", name);
    var tr = el("tr");
    table.head.forEach(function (h) { tr.appendChild(el("th", null, h)); });
    var thead = el("thead");
    thead.appendChild(tr);
    t.appendChild(thead);
    var tbody = el("tbody");
    table.rows.forEach(function (r) {
      var row = el("tr");
      r.forEach(function (c) { row.appendChild(el("td", null, c)); });
      tbody.appendChild(row);
    });
    t.appendChild(tbody);
    return t;
  }
  function undatedCount(p) {
    return p.tds.concat(p.dens).filter(function (r) { return !r.year; }).length;
  }
  function timeline(p) {
    var years = {};
    p.tds.forEach(function (t) { if (t.year) { (years[t.year] = years[t.year] || [0, 0])[0] += 1; } });
    p.dens.forEach(function (d) { if (d.year) { (years[d.year] = years[d.year] || [0, 0])[1] += 1; } });
    var ys = Object.keys(years).map(Number).sort(function (a, b) { return a - b; });
    var box = el("div", "timeline");
    if (!ys.length) { box.appendChild(el("div", "hint", "No dated takedowns or denials.")); return box; }
    var all = [];
    for (var y = ys[0]; y <= ys[ys.length - 1]; y++) { all.push(y); }
    var W = Math.min(760, 40 + all.length * 44), H = 96, bottom = 16, max = 1;
    all.forEach(function (y) { if (years[y]) { max = Math.max(max, years[y][0], years[y][1]); } });
    var root = svg("svg", {width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img"});
    var step = (W - 30) / all.length, scale = (H - bottom - 8) / max;
    all.forEach(function (y, i) {
      var x = 24 + i * step, v = years[y] || [0, 0];
      [["takedowns", v[0], "#6b7f99", 0], ["denials", v[1], "#c2418f", 1]].forEach(function (b) {
        if (!b[1]) { return; }
        var h = b[1] * scale;
        var r = svg("rect", {x: x + b[3] * (step / 2 - 2), y: H - bottom - h, width: Math.max(2, step / 2 - 4), height: h,
                             fill: b[2], "class": "tl-" + b[0], "data-year": y, "data-count": b[1]});
        var tip = svg("title", {});
        tip.textContent = y + ": " + b[1] + " " + (b[1] === 1 ? b[0].slice(0, -1) : b[0]);
        r.appendChild(tip);
        root.appendChild(r);
      });
      var label = svg("text", {x: x + step / 2 - 2, y: H - 3, "text-anchor": "middle", "class": "axis"});
      label.textContent = all.length > 10 ? "'" + String(y).slice(2) : String(y);
      root.appendChild(label);
    });
    box.appendChild(root);
    var key = el("div", "tl-key");
    key.appendChild(el("span", "tl-t", "\u25a0 takedowns"));
    key.appendChild(el("span", "tl-d", "\u25a0 denials"));
    key.appendChild(el("span", null, "by year of the reported date, else of the first report, else of the text date" +
      (undatedCount(p) ? "; " + undatedCount(p) + " undated not drawn" : "")));
    box.appendChild(key);
    return box;
  }
  function section(target, title, table, name, fileName) {
    var head = el("div", "p-head");
    head.appendChild(el("h3", null, title + " (" + table.rows.length + ")"));
    if (table.rows.length) {
      var b = button(head, "Export CSV", function () { download(fileName, toCsv(table)); });
      b.setAttribute("data-export", name);
    }
    target.appendChild(head);
    if (table.rows.length) { target.appendChild(tableEl(table, name)); }
    else { target.appendChild(el("div", "hint", "None in this graph.")); }
  }
  function openProfile(id) {
    var p = profileOf(id);
    if (!p) { return; }
    profileId = id;
    hideTooltip();
    profileBox.textContent = "";
    profileBox.setAttribute("data-node", id);
    var top = el("div", "p-top");
    top.appendChild(el("h2", null, p.node.fullLabel));
    top.appendChild(el("span", "kind", p.node.kind === "state" ? "state" : "platform"));
    button(top, "Back to the graph", closeProfile).setAttribute("data-close", "1");
    profileBox.appendChild(top);
    var tdTable = takedownTable(p), denTable = denialTable(p);
    var counts = {};
    p.tds.forEach(function (t) { Object.keys(t.counts).forEach(function (k) { counts[k] = (counts[k] || 0) + t.counts[k]; }); });
    profileBox.appendChild(el("div", "p-sum", p.tds.length + (p.tds.length === 1 ? " takedown" : " takedowns") +
      (countsText(counts) ? " (" + countsText(counts) + ")" : "") + " \u00b7 " + p.dens.length +
      (p.dens.length === 1 ? " denial" : " denials") +
      (p.tds.length ? " \u00b7 takedowns dated: " + kindsText(p.tds) : "")));
    profileBox.appendChild(timeline(p));
    var slug = fileSlug(p.node.fullLabel);
    var other = p.field === "states" ? "platform" : "state";
    section(profileBox, "Takedowns, by date, with " + other + ", figures and sources", tdTable, "takedowns",
            slug + "-takedowns.csv");
    section(profileBox, p.field === "states" ? "Denials by " + p.node.fullLabel : "Denials of " + p.node.fullLabel + "'s claims",
            denTable, "denials", slug + "-denials.csv");
    profileBox.hidden = false;
    profileBox.scrollTop = 0;
  }
  function closeProfile() {
    profileId = null;
    profileBox.hidden = true;
    profileBox.textContent = "";
  }
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && profileId) { closeProfile(); } });

  // ------------------------------------------------------------------ interaction
  network.on("hoverNode", function (params) {
    var n = byId[params.node];
    if (!n) { return; }
    renderCard(tooltip, n.card, true);
    tooltip.setAttribute("data-node", params.node);
    var rect = container.getBoundingClientRect();
    tooltip.style.display = "block";
    var x = rect.left + window.scrollX + params.pointer.DOM.x + 14;
    var y = rect.top + window.scrollY + params.pointer.DOM.y + 14;
    tooltip.style.left = Math.max(0, Math.min(x, window.innerWidth - tooltip.offsetWidth - 8)) + "px";
    tooltip.style.top = Math.max(0, Math.min(y, window.innerHeight - tooltip.offsetHeight - 8)) + "px";
  });
  function hideTooltip() { tooltip.style.display = "none"; }
  network.on("blurNode", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);
  container.addEventListener("mouseleave", hideTooltip);
  var clickTimer = null;
  network.on("click", function (params) {
    hideTooltip();
    if (params.nodes.length > 0) {
      var id = params.nodes[0];
      if (id === OTHER_S || id === OTHER_P) {
        if (id === OTHER_S) { view.allStates = true; } else { view.allPlatforms = true; }
        render();
        return;
      }
      if (byId[id] && byId[id].kind === "state" && fLevel.value === "story" && !view.states[id]) {
        view.states[id] = true;
        render();
      }
      showNode(id);
      return;
    }
    if (params.edges.length > 0) {
      var e = edges.get(params.edges[0]);
      var ends = e && e.pair ? e.pair.split("\u0001") : [];
      if (ends[0] === OTHER_P || ends[1] === OTHER_S) {
        if (ends[0] === OTHER_P) { view.allPlatforms = true; }
        if (ends[1] === OTHER_S) { view.allStates = true; }
        render();
        return;
      }
      if (e && e.pair) { view.pairs[e.pair] = true; showPair(e.pair); render(); showPair(e.pair); }
    }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length > 0) { toggleOpen(params.nodes[0]); showNode(params.nodes[0]); }
  });
  [fState, fPlatform, fYear, fLevel, fLabels].forEach(function (sel) { sel.addEventListener("change", render); });
  document.getElementById("fit").addEventListener("click", function () { network.fit({animation: false}); });

  // Search: exact name first, then the first name containing the text; the node is revealed and opened.
  var names = document.getElementById("node-names");
  var sorted = DATA.nodes.filter(function (n) { return !n.synthetic; }).sort(function (a, b) {
    return a.fullLabel < b.fullLabel ? -1 : a.fullLabel > b.fullLabel ? 1 : 0;
  });
  if (sorted.length <= 5000) {
    sorted.forEach(function (n) { var o = el("option"); o.value = n.fullLabel; names.appendChild(o); });
  }
  function find(text) {
    // An exact name first, and among exact names a state's or a platform's (a network that
    // the text names only by its state, "Iran", is not what a search for "Iran" means).
    var q = text.trim().toLowerCase();
    if (!q) { return null; }
    var exact = null, own = null, partial = null;
    sorted.forEach(function (n) {
      var name = String(n.fullLabel).toLowerCase();
      if (exact === null && name === q) { exact = n; }
      if (own === null && name === q && (n.kind === "state" || n.kind === "platform")) { own = n; }
      if (partial === null && name.indexOf(q) >= 0) { partial = n; }
    });
    return own || exact || partial;
  }
  function focusSearch() {
    var hit = find(search.value);
    if (!hit) { status.textContent = "no node matches \u201c" + search.value + "\u201d"; return; }
    if (!nodePasses(hit)) { fState.value = ""; fPlatform.value = ""; fYear.value = ""; }
    view.reveal[hit.id] = true;
    // A state or a platform opens its own view (tables and timeline), not every fact at once.
    var own = profileOf(hit.id);
    if (!own) { view.open[hit.id] = true; }
    render();
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: 1.2, animation: false});
    showNode(hit.id);
    status.textContent = "found: " + hit.fullLabel;
    if (own) { openProfile(hit.id); }
  }
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { focusSearch(); } });
  search.addEventListener("change", focusSearch);
  function reset() {
    closeProfile();
    fState.value = ""; fPlatform.value = ""; fYear.value = ""; search.value = "";
    fLevel.value = START; fLabels.checked = true; chartBy.value = "state";
    view = fresh();
    network.unselectAll();
    clearDetails();
    render();
    network.fit({animation: false});
  }
  document.getElementById("reset").addEventListener("click", reset);

  // ------------------------------------------------------------------ chart: takedowns per year
  var SVG = "http://www.w3.org/2000/svg";
  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"];
  var chart = document.getElementById("chart");
  var chartLegend = document.getElementById("chart-legend");
  var chartNote = document.getElementById("chart-note");
  var chartBy = document.getElementById("chart-by");
  chartBy.addEventListener("change", drawChart);
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  function chartFilter(year, group) {
    var sel = chartBy.value === "state" ? fState : fPlatform;
    var same = fYear.value === String(year) && (group === null || sel.value === group);
    fYear.value = same ? "" : String(year);
    if (group !== null) { sel.value = same ? "" : group; }
    render();
  }
  function drawChart() {
    var byState = chartBy.value === "state";
    var tds = DATA.takedowns.filter(function (t) { return recordPasses(t, true); });
    var totals = {}, years = {}, cells = {}, undated = 0, kinds = {};
    tds.forEach(function (t) {
      kinds[placedBy(t)] = (kinds[placedBy(t)] || 0) + 1;
      if (!t.year) { undated += 1; return; }
      years[t.year] = 1;
      var groups = byState ? t.stateNames : t.platformNames;
      (groups.length ? groups : ["(none named)"]).forEach(function (g) { totals[g] = (totals[g] || 0) + 1; });
    });
    var top = Object.keys(totals).sort(function (a, b) { return totals[b] - totals[a] || (a < b ? -1 : 1); });
    var shown = top.slice(0, PALETTE.length - 1);
    var colour = {};
    shown.forEach(function (g, i) { colour[g] = PALETTE[i]; });
    var other = top.length > shown.length;
    tds.forEach(function (t) {
      if (!t.year) { return; }
      var groups = byState ? t.stateNames : t.platformNames;
      (groups.length ? groups : ["(none named)"]).forEach(function (g) {
        var k = colour[g] ? g : "other";
        var key = t.year + "\u0001" + k;
        cells[key] = (cells[key] || 0) + 1;
      });
    });
    var ys = Object.keys(years).map(Number).sort(function (a, b) { return a - b; });
    chart.textContent = "";
    chartLegend.textContent = "";
    var W = 356, H = 130, left = 24, bottom = 16, top0 = 6;
    var root = svg("svg", {width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img"});
    chart.appendChild(root);
    var max = 1;
    ys.forEach(function (y) {
      var s = 0;
      Object.keys(cells).forEach(function (k) { if (k.split("\u0001")[0] === String(y)) { s += cells[k]; } });
      max = Math.max(max, s);
    });
    // the undated takedowns: one dashed bar of their own, after a gap, not a year; it does not set
    // the scale (capped at the tallest year, its count written on it)
    var gap = undated ? 1 : 0;
    if (undated && !ys.length) { max = undated; }
    var bw = ys.length + gap ? Math.min(36, (W - left - 4) / (ys.length + 2 * gap)) : 0;
    var scale = (H - bottom - top0) / max;
    var axisMax = svg("text", {x: left - 4, y: top0 + 8, "text-anchor": "end", "class": "axis"});
    axisMax.textContent = String(max);
    root.appendChild(axisMax);
    root.appendChild(svg("line", {x1: left, x2: W, y1: H - bottom, y2: H - bottom, stroke: "#999"}));
    var groups = shown.concat(other ? ["other"] : []);
    ys.forEach(function (y, i) {
      var x = left + i * bw + 2, base = H - bottom;
      groups.forEach(function (g) {
        var n = cells[y + "\u0001" + g] || 0;
        if (!n) { return; }
        var h = n * scale;
        var selected = fYear.value === String(y) && ((byState ? fState : fPlatform).value === g);
        var rect = svg("rect", {x: x, y: base - h, width: Math.max(2, bw - 4), height: h,
                                fill: g === "other" ? "#bbb" : colour[g], "class": "bar" + (selected ? " sel" : ""),
                                "data-year": y, "data-group": g, "data-count": n});
        var tip = svg("title", {});
        tip.textContent = y + " \u00b7 " + g + ": " + n + (n === 1 ? " takedown" : " takedowns");
        rect.appendChild(tip);
        rect.addEventListener("click", function () { chartFilter(y, g === "other" || g === "(none named)" ? null : g); });
        root.appendChild(rect);
        base -= h;
      });
      if (ys.length <= 14 || i % 2 === 0) {
        var label = svg("text", {x: x + (bw - 4) / 2, y: H - 4, "text-anchor": "middle",
                                 "class": "axis" + (fYear.value === String(y) ? " sel-year" : ""), "data-year": y});
        label.textContent = ys.length > 8 ? "'" + String(y).slice(2) : String(y);
        label.addEventListener("click", function () { chartFilter(y, null); });
        root.appendChild(label);
      }
    });
    if (undated) {
      var ux = left + (ys.length + 1) * bw + 2, uh = Math.min(undated, max) * scale;
      var ubar = svg("rect", {x: ux, y: H - bottom - uh, width: Math.max(2, bw - 4), height: uh, fill: "#fff",
                              stroke: "#888", "stroke-dasharray": "3 2", "class": "bar undated", "data-year": "undated",
                              "data-count": undated});
      var utip = svg("title", {});
      utip.textContent = undated + (undated === 1 ? " takedown" : " takedowns") + " with no date of any kind";
      ubar.appendChild(utip);
      root.appendChild(ubar);
      var ulabel = svg("text", {x: ux + (bw - 4) / 2, y: H - 4, "text-anchor": "middle", "class": "axis undated"});
      ulabel.textContent = "n.d.";
      root.appendChild(ulabel);
      var ucount = svg("text", {x: ux + (bw - 4) / 2, y: H - bottom - uh + 11, "text-anchor": "middle",
                                "class": "axis undated count"});
      ucount.textContent = String(undated);
      root.appendChild(ucount);
    }
    groups.forEach(function (g) {
      var item = el("span", null);
      var sw = el("i");
      sw.style.background = g === "other" ? "#bbb" : colour[g];
      item.appendChild(sw);
      item.appendChild(document.createTextNode(g));
      item.setAttribute("data-group", g);
      if (g !== "other" && g !== "(none named)") {
        item.addEventListener("click", function () {
          var sel = byState ? fState : fPlatform;
          sel.value = sel.value === g ? "" : g;
          render();
        });
      }
      chartLegend.appendChild(item);
    });
    chartNote.setAttribute("data-reported", String(kinds["reported date"] || 0));
    chartNote.setAttribute("data-first", String(kinds["first report"] || 0));
    chartNote.setAttribute("data-text", String(kinds["text date"] || 0));
    chartNote.setAttribute("data-undated", String(undated));
    chartNote.textContent = tds.length ? "Year of each takedown's reported date, else of its first report, else of " +
      "the date its text gives: " + kindsText(tds) + (undated ? " (the dashed n.d. bar)" : "") + ". " +
      "Click a bar to filter by its year and " + (byState ? "state" : "platform") + ", a year to filter by year."
      : "No takedowns match the filters.";
  }

  window.cibFocus = function (text) { search.value = text; focusSearch(); };
  window.cib = {
    render: render, reset: reset, pairs: function () { return pairs; }, view: function () { return view; },
    togglePair: togglePair, toggleOpen: toggleOpen, toggleState: toggleState,
    openProfile: openProfile, closeProfile: closeProfile, csvCell: csvCell, hiddenLabels: function () { return hiddenLabels; }
  };
  clearDetails();
  render();
})();
