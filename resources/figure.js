// Threadline interactive figure: a zoomable swimlane timeline linked to a
// time-windowed relationship graph. No network, no libraries: the data is
// the JSON block #figure-data, and every text from it is set as text.
"use strict";
(function () {
  var errors = [];
  window.addEventListener("error", function (ev) { errors.push(String(ev.message)); document.body.setAttribute("data-errors", errors.join(" | ")); });

  var D = JSON.parse(document.getElementById("figure-data").textContent);
  var KIND = { "person": "#0072B2", "government body": "#D55E00", "organisation": "#009E73", "media": "#CC79A7",
    "group": "#E69F00", "country": "#56B4E9" };
  var CONTESTED = "#C0392B";
  var css = getComputedStyle(document.body);
  function v(name) { return css.getPropertyValue(name).trim(); }
  var C = { bg: v("--bg"), fg: v("--fg"), muted: v("--muted"), grid: v("--grid"), alt: v("--alt"), hl: v("--hl") };

  var actors = D.actors, events = D.events, byActor = {}, actorById = {}, eventById = {};
  actors.forEach(function (a, i) { a.row = i; a.col = a.colour || KIND[a.kind] || "#7F7F7F"; actorById[a.id] = a; byActor[a.id] = []; });
  events.forEach(function (e) { eventById[e.id] = e; e.actors.forEach(function (p) { if (byActor[p[0]]) byActor[p[0]].push(e); }); });
  var full = [D.window[0], D.window[1]];
  var view = [full[0], full[1]];
  var sel = { actors: new Set(D.highlight.actors), events: new Set(D.highlight.events) };

  // ------------------------------------------------------------ selection
  function litEvents() {
    var out = new Set(sel.events);
    sel.actors.forEach(function (id) { (byActor[id] || []).forEach(function (e) { out.add(e.id); }); });
    return out;
  }
  function litActors() {
    if (sel.actors.size) return new Set(sel.actors);
    var out = new Set();
    sel.events.forEach(function (id) { var e = eventById[id]; if (e) e.actors.forEach(function (p) { out.add(p[0]); }); });
    return out;
  }
  function selectActor(id) { sel = { actors: new Set([id]), events: new Set() }; showActor(actorById[id]); redraw(); }
  function selectEvent(id) { sel = { actors: new Set(), events: new Set([id]) }; showEvent(eventById[id]); redraw(); }
  function clearSel() { sel = { actors: new Set(), events: new Set() }; details.replaceChildren(hint); redraw(); }

  // ------------------------------------------------------------ details panel (text only)
  var details = document.getElementById("details"), hint = details.firstElementChild;
  function el(tag, text, cls) { var n = document.createElement(tag); if (text != null) n.textContent = text; if (cls) n.className = cls; return n; }
  function safeLink(url) {
    var a = el("a", url);
    if (/^https?:\/\//i.test(url)) { a.href = url; a.rel = "noopener noreferrer"; a.target = "_blank"; }
    return a;
  }
  function showEvent(e) {
    var box = [el("h2", e.title), el("p", (e.end ? e.start + " to " + e.end : e.start) + " · " + e.certainty +
      (e.type ? " · " + e.type : "") + (e.location ? " · " + e.location : ""), "meta")];
    if (e.summary) box.push(el("p", e.summary));
    var ul = el("ul");
    e.actors.forEach(function (p) {
      var a = actorById[p[0]]; if (!a) return;
      var li = el("li"), b = el("button", a.name); b.type = "button";
      b.addEventListener("click", function () { selectActor(a.id); });
      li.append(b, " (" + p[1] + ")"); ul.append(li);
    });
    box.push(el("h3", "Actors"), ul);
    if (e.sources.length) box.push(el("h3", "Sources"));
    e.sources.forEach(function (s) {
      var p = el("p", [s.publisher, s.title, s.date].filter(Boolean).join(" · "));
      box.push(p);
      if (s.quote) box.push(el("blockquote", "\u201c" + s.quote + "\u201d"));
      if (s.url) { var q = el("p"); q.append(safeLink(s.url)); box.push(q); }
    });
    details.replaceChildren.apply(details, box);
  }
  function showActor(a) {
    var evs = byActor[a.id].filter(inView);
    var box = [el("h2", a.name), el("p", a.kind + (a.role ? " · " + a.role : "") + " · " + evs.length + " events in view", "meta")];
    var ul = el("ul");
    evs.slice(0, 200).forEach(function (e) {
      var li = el("li"), b = el("button", e.title); b.type = "button";
      b.addEventListener("click", function () { selectEvent(e.id); });
      li.append(b, " \u2014 " + (e.end ? e.start + " to " + e.end : e.start)); ul.append(li);
    });
    if (evs.length > 200) ul.append(el("li", "and " + (evs.length - 200) + " more: zoom in to list them"));
    box.push(ul);
    details.replaceChildren.apply(details, box);
  }
  function inView(e) { return e.l >= view[0] && e.e <= view[1]; }

  // ------------------------------------------------------------ canvases
  function setup(canvas, cssHeight) {
    var dpr = window.devicePixelRatio || 1, w = canvas.clientWidth || 800;
    canvas.style.height = cssHeight + "px";
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(cssHeight * dpr);
    var g = canvas.getContext("2d"); g.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { g: g, w: w, h: cssHeight };
  }
  var tl = document.getElementById("timeline"), gr = document.getElementById("graph");
  var LANE = 26, AXIS = 26, MARK = 5, PAD = MARK + 3, font = "12px " + css.fontFamily;
  var gutter = 0, hits = [], nodeHits = [];

  // ------------------------------------------------------------ time axis
  var DAY = 86400, STEPS = [[100, "Y"], [50, "Y"], [20, "Y"], [10, "Y"], [5, "Y"], [2, "Y"], [1, "Y"], [6, "M"], [3, "M"], [1, "M"],
    [14, "D"], [7, "D"], [2, "D"], [1, "D"], [12, "h"], [6, "h"], [3, "h"], [1, "h"], [30, "m"], [10, "m"], [1, "m"]];
  var MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function stepSeconds(s) { return s[0] * { Y: 365.25 * DAY, M: 30.44 * DAY, D: DAY, h: 3600, m: 60 }[s[1]]; }
  function ticks(t0, t1, px) {
    var step = STEPS[0];
    for (var i = 0; i < STEPS.length; i++) { if (stepSeconds(STEPS[i]) / (t1 - t0) * px < 90) break; step = STEPS[i]; }
    var out = [], d = new Date(t0 * 1000), n = step[0], u = step[1];
    if (u === "Y" || u === "M") {
      var y = d.getUTCFullYear(), m = u === "Y" ? 0 : d.getUTCMonth() - d.getUTCMonth() % n;
      if (u === "Y") y -= y % n;
      for (var k = 0; k < 400; k++) {
        var t = Date.UTC(y, m, 1) / 1000;
        if (t > t1) break;
        if (t >= t0) out.push([t, u === "Y" ? String(y) : (m === 0 || !out.length ? MON[m] + " " + y : MON[m])]);
        if (u === "Y") y += n; else { m += n; if (m > 11) { y += Math.floor(m / 12); m %= 12; } }
      }
    } else {
      var sec = stepSeconds(step), t = Math.ceil(t0 / sec) * sec;
      for (; t <= t1 && out.length < 400; t += sec) {
        var dd = new Date(t * 1000), label = dd.getUTCDate() + " " + MON[dd.getUTCMonth()];
        if (u === "h" || u === "m") label += " " + String(dd.getUTCHours()).padStart(2, "0") + ":" + String(dd.getUTCMinutes()).padStart(2, "0");
        out.push([t, label]);
      }
    }
    return out;
  }
  function describe(t0, t1) {
    function f(t) { var d = new Date(t * 1000); return d.getUTCDate() + " " + MON[d.getUTCMonth()] + " " + d.getUTCFullYear(); }
    return f(t0) + " \u2013 " + f(t1);
  }

  // ------------------------------------------------------------ timeline
  function drawTimeline() {
    var c = setup(tl, actors.length * LANE + AXIS + 4), g = c.g;
    g.font = font; g.textBaseline = "middle";
    gutter = Math.min(Math.max.apply(null, actors.map(function (a) { return g.measureText(a.name).width; }).concat([40])) + 16, c.w * 0.3);
    var plotW = c.w - gutter - 8, top = 2, span = view[1] - view[0];
    // the window's first and last instants sit PAD inside the plot: a mark there is drawn whole
    function X(t) { return gutter + PAD + (t - view[0]) / span * (plotW - 2 * PAD); }
    g.fillStyle = C.bg; g.fillRect(0, 0, c.w, c.h);
    actors.forEach(function (a, i) {
      if (i % 2) { g.fillStyle = C.alt; g.fillRect(gutter, top + i * LANE, plotW, LANE); }
      g.fillStyle = a.col; g.fillRect(gutter, top + i * LANE + 2, 3, LANE - 4);
      g.fillStyle = sel.actors.has(a.id) ? C.hl : C.fg; g.textAlign = "right";
      g.fillText(fit(g, a.name, gutter - 14), gutter - 8, top + (i + 0.5) * LANE);
    });
    var bottom = top + actors.length * LANE;
    g.strokeStyle = C.grid; g.fillStyle = C.muted; g.textAlign = "center";
    var last = -1e9;
    ticks(view[0], view[1], plotW).forEach(function (t) {
      var x = X(t[0]); g.beginPath(); g.moveTo(x, top); g.lineTo(x, bottom); g.stroke();
      var w = g.measureText(t[1]).width;
      if (x - w / 2 > last + 8 && x + w / 2 < c.w) { g.fillText(t[1], x, bottom + 13); last = x + w / 2; }
    });
    g.save(); g.beginPath(); g.rect(gutter, 0, plotW, bottom); g.clip();
    hits = [];
    var marks = {};  // row -> [left, right] of every mark drawn in it: a title covers none
    var lit = litEvents(), dim = lit.size > 0, shown = 0, cut = 0, r = MARK;
    var visible = events.filter(inView);
    var dense = visible.length > 4000;  // thousands in view: plain marks, no outlines or titles
    visible.forEach(function (e) {
      var rows = e.actors.map(function (p) { return actorById[p[0]]; }).filter(Boolean).map(function (a) { return a.row; });
      var alpha = !dim || lit.has(e.id) ? 1 : 0.22, x0 = X(e.e), x1 = X(e.l);
      g.globalAlpha = alpha;
      if (rows.length > 1 && !dense) {
        var xs = e.shape === "point" ? (x0 + x1) / 2 : x0;
        g.strokeStyle = C.muted; g.lineWidth = 1; g.beginPath();
        g.moveTo(xs, top + (Math.min.apply(null, rows) + 0.5) * LANE); g.lineTo(xs, top + (Math.max.apply(null, rows) + 0.5) * LANE); g.stroke();
      }
      rows.forEach(function (row) {
        var a = actors[row], y = top + (row + 0.5) * LANE;
        shown++;
        var mx = (x0 + x1) / 2;
        if (e.shape === "point" && mx >= gutter && mx <= gutter + plotW && (mx - r < gutter || mx + r > gutter + plotW)) cut++;
        if (e.shape === "point") mark(g, e.certainty, (x0 + x1) / 2, y, r, a.col, dense);
        else extent(g, e, x0, x1, X(e.sl), X(e.ee), y, r, a.col);
        if (lit.has(e.id) && dim) { g.globalAlpha = 1; g.strokeStyle = C.hl; g.lineWidth = 2.5; g.beginPath();
          if (e.shape === "point") g.arc((x0 + x1) / 2, y, r + 3, 0, 7); else g.rect(x0 - 2, y - r - 2, Math.max(x1 - x0, 2) + 4, 2 * r + 4); g.stroke(); g.globalAlpha = alpha; }
        (marks[row] || (marks[row] = [])).push(e.shape === "point" ? [(x0 + x1) / 2 - r, (x0 + x1) / 2 + r] : [x0, Math.max(x1, x0 + 2)]);
        hits.push([e.shape === "point" ? (x0 + x1) / 2 - r - 2 : x0 - 2, y - r - 2, e.shape === "point" ? (x0 + x1) / 2 + r + 2 : Math.max(x1, x0 + 4) + 2, y + r + 2, e.id]);
      });
    });
    if (!dense) labels(g, visible, X, top, plotW, lit, dim, r, marks);
    g.restore(); g.globalAlpha = 1;
    document.getElementById("range").textContent = describe(view[0], view[1]) + " \u00b7 " + visible.length + " events";
    tl.dataset.drawn = String(shown); tl.dataset.cut = String(cut);  // marks the plot's edge cuts in two
  }
  function fit(g, text, w) {
    if (g.measureText(text).width <= w) return text;
    while (text.length > 1 && g.measureText(text + "\u2026").width > w) text = text.slice(0, -1);
    return text + "\u2026";
  }
  function mark(g, certainty, x, y, r, col, dense) {
    g.beginPath(); g.arc(x, y, r, 0, 7);
    if (dense) { g.fillStyle = col; g.fill(); return; }
    g.lineWidth = 1.3; g.setLineDash(certainty === "contested" ? [3, 2] : []);
    g.strokeStyle = certainty === "contested" ? CONTESTED : col;
    g.fillStyle = certainty === "claimed" || certainty === "contested" ? C.bg : col;
    var a = g.globalAlpha; if (certainty === "reported") g.globalAlpha = a * 0.5;
    g.fill(); g.globalAlpha = a; g.stroke(); g.setLineDash([]);
  }
  function extent(g, e, x0, x1, c0, c1, y, r, col) {
    var a = g.globalAlpha, contested = e.certainty === "contested";
    g.globalAlpha = a * (e.certainty === "claimed" || contested ? 0.18 : 0.3); g.fillStyle = col;
    g.fillRect(x0, y - r * 0.65, Math.max(x1 - x0, 2), r * 1.3);
    g.globalAlpha = a; g.strokeStyle = contested ? CONTESTED : col; g.lineWidth = 1; g.setLineDash(contested ? [4, 2] : [1, 2]);
    g.strokeRect(x0, y - r * 0.65, Math.max(x1 - x0, 2), r * 1.3); g.setLineDash([]);
    if (e.shape === "bar" && c1 > c0) { g.globalAlpha = a * (e.certainty === "confirmed" ? 0.9 : 0.55); g.fillRect(c0, y - r * 0.4, c1 - c0, r * 0.8); g.globalAlpha = a; }
  }
  function labels(g, visible, X, top, plotW, lit, dim, r, marks) {
    var taken = {}; g.textAlign = "left"; g.font = "11.5px " + css.fontFamily;
    visible.slice().sort(function (a, b) { return (lit.has(b.id) - lit.has(a.id)) || (b.actors.length - a.actors.length) || (a.e - b.e); })
      .forEach(function (e) {
        var rows = e.actors.map(function (p) { return actorById[p[0]]; }).filter(Boolean).map(function (a) { return a.row; }).sort(function (a, b) { return a - b; });
        var title = fit(g, e.title, plotW * 0.45), w = g.measureText(title).width, point = e.shape === "point", mid = (X(e.e) + X(e.l)) / 2;
        // after the event, else (at the window's right end) before it
        var sides = point ? [mid + r + 4, mid - r - 4 - w] : [Math.max(X(e.l), gutter) + 4, X(e.e) - 4 - w];
        for (var i = 0; i < rows.length * 2; i++) {
          var list = taken[rows[i >> 1]] || (taken[rows[i >> 1]] = []), ax = sides[i & 1];
          if (ax < gutter + 2 || ax + w > gutter + plotW - 2 || list.some(function (s) { return ax < s[1] + 6 && ax + w > s[0] - 6; })) continue;
          if ((marks[rows[i >> 1]] || []).some(function (s) { return ax < s[1] + 1 && ax + w > s[0] - 1; })) continue;
          list.push([ax, ax + w]);
          var y = top + (rows[i >> 1] + 0.5) * LANE;
          g.globalAlpha = !dim || lit.has(e.id) ? 0.85 : 0.3; g.fillStyle = C.bg; g.fillRect(ax - 2, y - 7, w + 4, 14);
          g.globalAlpha = !dim || lit.has(e.id) ? 1 : 0.4; g.fillStyle = C.fg; g.fillText(title, ax, y);
          break;
        }
      });
    g.globalAlpha = 1;
  }

  // ------------------------------------------------------------ graph (the network of the visible window)
  function drawGraph() {
    var c = setup(gr, gr.clientHeight || 460), g = c.g, pad = 60;
    g.fillStyle = C.bg; g.fillRect(0, 0, c.w, c.h);
    var counts = {}, pairs = {};
    events.forEach(function (e) {
      if (!inView(e)) return;
      var ids = e.actors.map(function (p) { return p[0]; }).filter(function (id) { return actorById[id]; }).sort(function (a, b) { return a - b; });
      ids.forEach(function (id, i) {
        counts[id] = (counts[id] || 0) + 1;
        for (var j = i + 1; j < ids.length && j < 12; j++) { var k = id + ":" + ids[j]; (pairs[k] || (pairs[k] = [id, ids[j], []]))[2].push(e.id); }
      });
    });
    var most = Math.max.apply(null, Object.values(counts).concat([1]));
    function P(a) { return [pad + a.x * (c.w - 2 * pad), 24 + a.y * (c.h - 48)]; }
    function R(id) { return 4 + 16 * Math.sqrt((counts[id] || 0) / most); }
    var lit = litEvents(), la = litActors(), dim = lit.size > 0 || la.size > 0;
    Object.values(pairs).forEach(function (p) {
      var on = !dim || p[2].some(function (id) { return lit.has(id); });
      var a = P(actorById[p[0]]), b = P(actorById[p[1]]);
      g.globalAlpha = on ? 0.55 : 0.12; g.strokeStyle = C.muted; g.lineWidth = 0.8 + 2.5 * Math.sqrt(p[2].length / most);
      g.beginPath(); g.moveTo(a[0], a[1]); g.lineTo(b[0], b[1]); g.stroke();
    });
    D.relationships.forEach(function (rel) {
      if ((rel.l != null && rel.l < view[0]) || (rel.e != null && rel.e > view[1])) return;
      if (!counts[rel.source] || !counts[rel.target]) return;
      var a = P(actorById[rel.source]), b = P(actorById[rel.target]), on = !dim || (la.has(rel.source) && la.has(rel.target));
      var dx = b[0] - a[0], dy = b[1] - a[1], len = Math.hypot(dx, dy) || 1, cx = (a[0] + b[0]) / 2 - dy / len * Math.min(len * 0.12, 28), cy = (a[1] + b[1]) / 2 + dx / len * Math.min(len * 0.12, 28);
      var tx = b[0] - cx, ty = b[1] - cy, tl2 = Math.hypot(tx, ty) || 1, rb = R(rel.target) + 2, ex = b[0] - tx / tl2 * rb, ey = b[1] - ty / tl2 * rb;
      g.globalAlpha = on ? 0.9 : 0.15; g.strokeStyle = rel.colour; g.fillStyle = rel.colour; g.lineWidth = 1.6;
      g.setLineDash(rel.certainty === "claimed" || rel.certainty === "contested" ? [5, 3] : []);
      g.beginPath(); g.moveTo(a[0], a[1]); g.quadraticCurveTo(cx, cy, ex, ey); g.stroke(); g.setLineDash([]);
      if (rel.directed) { var ux = tx / tl2, uy = ty / tl2; g.beginPath(); g.moveTo(ex, ey); g.lineTo(ex - ux * 8 - uy * 4, ey - uy * 8 + ux * 4); g.lineTo(ex - ux * 8 + uy * 4, ey - uy * 8 - ux * 4); g.fill(); }
    });
    nodeHits = [];
    var shown = actors.filter(function (a) { return counts[a.id]; }).sort(function (a, b) { return counts[a.id] - counts[b.id]; });
    shown.forEach(function (a) {
      var p = P(a), r = R(a.id), on = !dim || la.has(a.id);
      g.globalAlpha = on ? 1 : 0.25;
      if (dim && on) { g.strokeStyle = C.hl; g.lineWidth = 3; g.beginPath(); g.arc(p[0], p[1], r + 3.5, 0, 7); g.stroke(); }
      g.fillStyle = a.col; g.strokeStyle = C.bg; g.lineWidth = 1.5; g.beginPath(); g.arc(p[0], p[1], r, 0, 7); g.fill(); g.stroke();
      nodeHits.push([p[0], p[1], r + 3, a.id]);
    });
    g.font = "12px " + css.fontFamily; g.textBaseline = "middle"; g.textAlign = "left";
    var discs = shown.map(function (a) { var p = P(a), r = R(a.id); return [p[0] - r, p[1] - r, p[0] + r, p[1] + r]; }), taken = [], placed = [];
    shown.slice().sort(function (a, b) { return (la.has(b.id) - la.has(a.id)) || (counts[b.id] - counts[a.id]); }).forEach(function (a) {
      var p = P(a), r = R(a.id), w = g.measureText(a.name).width, spots = [[p[0] + r + 4, p[1]], [p[0] - r - 4 - w, p[1]], [p[0] - w / 2, p[1] - r - 10], [p[0] - w / 2, p[1] + r + 10]];
      for (var i = 0; i < spots.length; i++) {
        var x = spots[i][0], y = spots[i][1], box = [x - 2, y - 8, x + w + 2, y + 8];
        if (box[0] < 0 || box[2] > c.w || box[1] < 0 || box[3] > c.h) continue;
        if (discs.some(function (t) { return box[0] < t[2] && box[2] > t[0] && box[1] < t[3] && box[3] > t[1]; })) continue;
        // a word space between names: two side by side must not read as one
        if (taken.some(function (t) { return box[0] < t[2] + 6 && box[2] > t[0] - 6 && box[1] < t[3] && box[3] > t[1]; })) continue;
        // unambiguous, as in the PNG: every other node clearly farther from the name than its own
        var need = Math.max(2 * (boxDist(p[0], p[1], box) - r), 10);  // NAME_RATIO, NAME_CLEARANCE of gui/figure/graph.py
        if (shown.some(function (o) { if (o === a) return false; var q = P(o); return boxDist(q[0], q[1], box) - R(o.id) < need; })) continue;
        taken.push(box); placed.push([a.id].concat(box));
        g.globalAlpha = 0.85; g.fillStyle = C.bg; g.fillRect(box[0], box[1], box[2] - box[0], box[3] - box[1]);
        g.globalAlpha = !dim || la.has(a.id) ? 1 : 0.4; g.fillStyle = C.fg; g.fillText(a.name, x, y);
        break;
      }
    });
    g.globalAlpha = 1;
    gr.dataset.nodes = String(shown.length);
    // where each node and name went, for a test to check that every name is beside its own node
    gr.dataset.layout = JSON.stringify({ nodes: shown.map(function (a) { var p = P(a); return [a.id, p[0], p[1], R(a.id)]; }), names: placed });
  }

  function boxDist(x, y, b) { return Math.hypot(Math.max(b[0] - x, 0, x - b[2]), Math.max(b[1] - y, 0, y - b[3])); }

  // ------------------------------------------------------------ legend
  function legend() {
    // the entries are the exporter's (store/figure_data.py legend_items, as in the PNG, SVG and PDF);
    // each symbol is drawn by the very functions that draw the figure
    var box = document.getElementById("legend"), dpr = window.devicePixelRatio || 1;
    D.legend.forEach(function (item) {
      var s = el("span"), cv = el("canvas"), W = 24, H = 14, y = H / 2;
      cv.width = W * dpr; cv.height = H * dpr; cv.style.width = W + "px"; cv.style.height = H + "px";
      cv.className = "sym"; cv.dataset.symbol = item.symbol;
      var g = cv.getContext("2d"); g.setTransform(dpr, 0, 0, dpr, 0, 0);
      var sym = item.symbol;
      if (sym === "swatch") { g.fillStyle = KIND[item.key] || "#7F7F7F"; g.fillRect(5, 2, 14, 10); }
      else if (sym === "confirmed" || sym === "reported" || sym === "claimed" || sym === "contested") mark(g, sym, W / 2, y, 5, C.muted, false);
      else if (sym === "span" || sym === "bar") {
        extent(g, { certainty: "confirmed", shape: sym }, 2, W - 2, sym === "bar" ? 2 : 0, sym === "bar" ? W - 2 : 0, y, 5, C.muted);
      } else if (sym === "link") { g.strokeStyle = C.muted; g.lineWidth = 1; g.beginPath(); g.moveTo(W / 2, 1); g.lineTo(W / 2, H - 1); g.stroke(); }
      else if (sym === "line" || sym === "dashed") {
        g.globalAlpha = sym === "line" ? 0.55 : 0.9; g.strokeStyle = C.muted; g.lineWidth = sym === "line" ? 2.5 : 1.6;
        g.setLineDash(sym === "dashed" ? [5, 3] : []); g.beginPath(); g.moveTo(1, y); g.lineTo(W - 1, y); g.stroke(); g.setLineDash([]);
      } else if (sym === "arrow") {
        g.globalAlpha = 0.9; g.strokeStyle = item.colour; g.fillStyle = item.colour; g.lineWidth = 1.6;
        g.beginPath(); g.moveTo(1, y); g.lineTo(W - 8, y); g.stroke();
        g.beginPath(); g.moveTo(W - 1, y); g.lineTo(W - 9, y - 4); g.lineTo(W - 9, y + 4); g.fill();
      } else if (sym === "ring") { g.strokeStyle = C.hl; g.lineWidth = 2.5; g.beginPath(); g.arc(W / 2, y, 5, 0, 7); g.stroke(); }
      s.append(cv, item.label); box.append(s);
    });
  }

  // ------------------------------------------------------------ interaction
  function redraw() { drawTimeline(); drawGraph(); }
  function zoom(factor, at) {
    var span = view[1] - view[0], t = at == null ? view[0] + span / 2 : at;
    var ns = Math.min(Math.max(span * factor, 60), (full[1] - full[0]) * 4);
    view = [t - (t - view[0]) / span * ns, t + (view[1] - t) / span * ns]; redraw();
  }
  function timeAt(x) { var plotW = tl.clientWidth - gutter - 8 - 2 * PAD; return view[0] + (x - gutter - PAD) / plotW * (view[1] - view[0]); }
  tl.addEventListener("wheel", function (ev) { ev.preventDefault(); var r = tl.getBoundingClientRect(); zoom(ev.deltaY > 0 ? 1.25 : 0.8, timeAt(ev.clientX - r.left)); }, { passive: false });
  var drag = null;
  tl.addEventListener("pointerdown", function (ev) { drag = { x: ev.clientX, v: view.slice(), moved: false }; tl.setPointerCapture(ev.pointerId); });
  tl.addEventListener("pointermove", function (ev) {
    if (drag) {
      var dx = ev.clientX - drag.x; if (Math.abs(dx) > 3) drag.moved = true;
      if (drag.moved) { var per = (drag.v[1] - drag.v[0]) / (tl.clientWidth - gutter - 8 - 2 * PAD); view = [drag.v[0] - dx * per, drag.v[1] - dx * per]; redraw(); }
      return;
    }
    var r = tl.getBoundingClientRect(), h = hitEvent(ev.clientX - r.left, ev.clientY - r.top);
    tip(h ? eventById[h] : null, ev);
  });
  tl.addEventListener("pointerup", function () { setTimeout(function () { drag = null; }, 0); });
  tl.addEventListener("pointerleave", function () { tip(null); });
  tl.addEventListener("click", function (ev) {
    if (drag && drag.moved) return;
    var r = tl.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top;
    if (x < gutter) { var row = Math.floor((y - 2) / LANE); if (actors[row]) selectActor(actors[row].id); return; }
    var h = hitEvent(x, y); if (h) selectEvent(h); else clearSel();
  });
  function hitEvent(x, y) { for (var i = hits.length - 1; i >= 0; i--) { var b = hits[i]; if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]) return b[4]; } return null; }
  gr.addEventListener("click", function (ev) {
    var r = gr.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top;
    for (var i = nodeHits.length - 1; i >= 0; i--) { var n = nodeHits[i]; if (Math.hypot(x - n[0], y - n[1]) <= n[2]) { selectActor(n[3]); return; } }
    clearSel();
  });
  var tipBox = document.getElementById("tip");
  function tip(e, ev) {
    if (!e) { tipBox.hidden = true; return; }
    tipBox.replaceChildren(el("b", e.title), el("br"), document.createTextNode((e.end ? e.start + " to " + e.end : e.start) + " \u00b7 " + e.certainty));
    tipBox.hidden = false; tipBox.style.left = (ev.clientX + 14) + "px"; tipBox.style.top = (ev.clientY + 14) + "px";
  }
  document.getElementById("toolbar").addEventListener("click", function (ev) {
    var act = ev.target.getAttribute && ev.target.getAttribute("data-act");
    if (act === "zoom-in") zoom(0.6); else if (act === "zoom-out") zoom(1 / 0.6);
    else if (act === "fit") { view = full.slice(); redraw(); } else if (act === "clear") clearSel();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "+" || ev.key === "=") zoom(0.6); else if (ev.key === "-") zoom(1 / 0.6);
    else if (ev.key === "Home") { view = full.slice(); redraw(); } else if (ev.key === "Escape") clearSel();
  });
  window.addEventListener("resize", redraw);

  legend();
  redraw();

  // ------------------------------------------------------------ test hook
  // #test-click=ACTOR NAME clicks the actor's node, #test-event=ID the event's
  // first mark on the timeline, as a reader would; what lit up is written into the page.
  var m = /[#&]test-click=([^&]*)/.exec(location.hash), me = /[#&]test-event=(\d+)/.exec(location.hash);
  if (m || me) {
    var out = el("pre"), result = {};
    out.id = "test-result";
    if (m) {
      var name = decodeURIComponent(m[1]), a = actors.filter(function (x) { return x.name === name; })[0];
      result = { actor: name, found: !!a };
      var hit = a && nodeHits.filter(function (n) { return n[3] === a.id; })[0];
      if (hit) clickAt(gr, hit[0], hit[1]);
    } else {
      var id = Number(me[1]), box = hits.filter(function (b) { return b[4] === id; })[0];
      result = { event: id, found: !!box };
      if (box) clickAt(tl, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2);
    }
    if (result.found) {
      result.selected_actors = Array.from(sel.actors);
      result.selected_events = Array.from(sel.events);
      result.highlighted_events = Array.from(litEvents()).sort(function (x, y) { return x - y; });
      result.highlighted_actors = Array.from(litActors()).sort(function (x, y) { return x - y; });
      result.details = details.querySelector("h2") ? details.querySelector("h2").textContent : null;
      result.detail_text = details.textContent;
      result.timeline_marks = Number(tl.dataset.drawn); result.graph_nodes = Number(gr.dataset.nodes);
    }
    result.errors = errors;
    out.textContent = JSON.stringify(result);
    document.body.append(out);
  }
  function clickAt(canvas, x, y) {
    var r = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new MouseEvent("click", { bubbles: true, clientX: r.left + x, clientY: r.top + y }));
  }
})();
