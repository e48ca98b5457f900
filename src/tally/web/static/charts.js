// The workspace's charts: the timeline, the map and each figure group's values, drawn by
// the vendored vega-embed from the Vega-Lite specs the server builds (report/charts.py,
// which the static report shares), and the evidence of what the analyst chose on them.
// Loaded before app.js, whose helpers (el, api, href, go, docLink…) it uses when called.
"use strict";

// Vega's expressions are interpreted, not compiled: the page's Content-Security-Policy
// allows no eval. The export menu stays (PNG/SVG of what is shown); nothing links out.
const EMBED = {
  renderer: "svg", ast: true, expr: vegaInterpreter.expressionInterpreter,
  actions: { export: true, source: false, compiled: false, editor: false },
  tooltip: { theme: "light" },
};

async function drawChart(box, spec, options) {
  const result = await vegaEmbed(box, spec, { ...EMBED, ...(options || {}) });
  return result.view;
}

// Each chart's width follows its box, less room for the legends at its right.
function fitWidth(spec, box, legend) {
  const width = Math.max(320, box.clientWidth - legend);
  for (const part of spec.vconcat || [spec]) part.width = width;
  return spec;
}

// What the URL chooses: ["claim", id], or null (CHOSEN_KINDS and chartFilters: early.js).
function chosenOf(params) {
  for (const kind of CHOSEN_KINDS) if (params.get(kind)) return [kind, params.get(kind)];
  return null;
}

// Going to an item keeps the filters and chooses only it.
function choose(view, params, kind, id) {
  const q = chartFilters(params);
  q.set(kind, id);
  go(view, q);
}

// --- the evidence of one chosen item ------------------------------------------------------

const KIND_TITLES = { claim: "Claim", group: "Figure group", event: "Event",
                      disagreement: "Disagreement" };

function claimEvidence(c) {
  return el("li", { class: "evidence-claim", "data-claim": c.id },
    el("strong", {}, `${c.metric} ${c.value.text}`), c.stance === "denied" ? " (denied)" : "",
    " by ", sourceLink(c.source_name), ` (${c.source.side}) `, docLink(c.doc, c.id),
    el("div", { class: "sentence" }, c.evidence.sentence));
}

// The claims of the item with their sentences, then the disagreements, figure groups and
// events they are part of; every claim links to its sentence in its document.
function evidencePanel(ev) {
  const claims = ev.claims;
  const title = ev.kind === "claim" && claims[0]
    ? `${claims[0].metric} ${claims[0].value.text} by ${claims[0].source_name || "unattributed"}`
    : `${plural(claims.length, "claim")}`;
  return el("div", { class: "evidence", "data-kind": ev.kind, "data-id": ev.id },
    el("h3", {}, `${KIND_TITLES[ev.kind]}: ${title} `,
      el("a", { class: "permalink", href: href(ev.kind, { id: ev.id }) }, "its own page")),
    ev.disagreements.length
      ? el("section", { class: "evidence-disagreements" },
        el("h4", {}, `In ${plural(ev.disagreements.length, "disagreement")}`),
        ev.disagreements.map(disagreementCard))
      : el("p", { class: "muted" }, "Part of no disagreement."),
    el("section", { class: "evidence-claims" }, el("h4", {}, "The sentences"),
      el("ul", {}, claims.map(claimEvidence))),
    ev.groups.length ? el("section", {}, el("h4", {}, "Figure groups"),
      ev.groups.map(groupCard)) : null,
    ev.events.length ? el("section", {}, el("h4", {}, "Events"), ev.events.map(eventCard))
      : null);
}

async function fetchEvidence(kind, id) {
  return api(`/api/evidence?${new URLSearchParams({ [kind]: id })}`);
}

// An item on a page of its own (#/claim?id=…, #/group?id=…, #/event?id=…,
// #/disagreement?id=…), with links to it on the timeline and the map.
async function loadItem(kind, params) {
  const box = document.getElementById("item-view");
  const id = params.get("id");
  try {
    const ev = await fetchEvidence(kind, id || "");
    const metric = (ev.claims[0] || {}).metric;
    const at = (view) => href(view, { ...(metric ? { metric } : {}), [kind]: id });
    box.replaceChildren(
      el("p", {}, el("a", { href: at("timeline"), class: "on-timeline" }, "on the timeline"),
        " · ", el("a", { href: at("map"), class: "on-map" }, "on the map")),
      evidencePanel(ev));
    await drawGroupCharts(box, ev.groups);
  } catch (e) {
    box.replaceChildren(el("p", { class: "error" }, e.message));
  }
}

// --- the timeline and the map --------------------------------------------------------------

// One chart view: the spec is fetched and drawn again only when the filters change;
// choosing an item moves the black ring (the spec's `chosen` signal) and shows its evidence.
const shownCharts = {};  // view -> {filters, view (Vega's), drawn, left_out}

async function chartView(name, params, legend) {
  const box = document.getElementById(`${name}-chart`);
  const note = document.getElementById(`${name}-note`);
  const panel = document.getElementById(`${name}-evidence`);
  const error = document.getElementById(`${name}-error`);
  const filters = chartFilters(params).toString();
  let shown = shownCharts[name];
  try {
    if (!shown || shown.filters !== filters || !box.isConnected || !box.firstChild) {
      box.replaceChildren(el("p", { class: "muted" }, "drawing…"));
      delete box.dataset.drawMs;
      const early = takeEarlyChart(name, filters);
      const data = early ? await answerOf(early) : await api(`/api/charts/${name}?${filters}`);
      if (error) error.hidden = true;
      if (!data.drawn) {
        box.replaceChildren(emptyNote(name === "map" ? "placed figures" : "dated figures",
          name, chartFilters(params)));
        shown = shownCharts[name] = { filters, view: null };
      } else {
        const started = performance.now();
        box.replaceChildren();
        const view = await drawChart(box, fitWidth(data.spec, box, legend),
          { renderer: data.renderer });  // a canvas past 2,000 marks (web/visual.py)
        box.dataset.drawMs = String(Math.round(performance.now() - started));
        box.dataset.drawn = String(data.drawn);
        view.addEventListener("click", (event, item) => {
          const d = item && item.datum;
          if (!d) return;
          if (name === "map" && d.what) choose(name, here().params, d.what === "event" ? "event" : "group", d.id);
          else if (d.metric && d.id) choose(name, here().params, "claim", d.id);
          else if (d.group) choose(name, here().params, "group", d.group);
        });
        shown = shownCharts[name] = { filters, view };
      }
      note.textContent = data.drawn
        ? `${plural(data.drawn, name === "map" ? "place" : "figure")} drawn` +
          (data.left_out ? `; ${data.left_out} left out (${name === "map"
            ? "no known place or no figure" : "no figure or no day"})` : "") +
          ". Hover for the value as written and its source; click for its evidence."
        : "";
    }
  } catch (e) {
    if (error) { error.textContent = e.message; error.hidden = false; }
    box.replaceChildren();
    shownCharts[name] = null;
    return;
  }
  const chosen = chosenOf(params);
  if (!chosen) {
    panel.replaceChildren(el("p", { class: "muted" },
      "Choose a mark to see its sentences, sources and disagreements."));
    await ring(shown.view, []);
    return;
  }
  try {
    const ev = await fetchEvidence(...chosen);
    const members = [ev.id, ...ev.claims.map(c => c.id), ...ev.groups.map(g => g.id),
                     ...ev.events.map(e => e.id)];
    await ring(shown.view, chosen[0] === "claim" || name === "map"
      ? (name === "map" ? [ev.id, ...ev.events.map(e => e.id), ...ev.groups.map(g => g.id)]
        : [ev.id]) : members);
    panel.replaceChildren(evidencePanel(ev));
    await drawGroupCharts(panel, ev.groups);
  } catch (e) {
    panel.replaceChildren(el("p", { class: "error" }, e.message));
  }
}

// Rings these ids in a drawn view: the dataflow runs again only if they changed (a third
// of a second at 10,000 figures).
async function ring(view, ids) {
  if (!view || JSON.stringify(view.signal("chosen")) === JSON.stringify(ids)) return;
  await view.signal("chosen", ids).runAsync();
}

async function loadTimeline(params) { await chartView("timeline", params, 260); }
async function loadMap(params) { await chartView("map", params, 240); }

// --- each figure group's values -------------------------------------------------------------

// The chart boxes of group cards under `root`, drawn from the specs the server builds.
async function drawGroupCharts(root, groups) {
  const boxes = [...root.querySelectorAll(".group-chart:not([data-drawn])")];
  if (!boxes.length) return;
  const specs = await api("/api/charts/groups?" + new URLSearchParams(
    { ids: [...new Set(boxes.map(b => b.dataset.group))].join(",") }));
  const byId = new Map(specs.items.map(s => [s.id, s.spec]));
  for (const box of boxes) {
    const spec = byId.get(box.dataset.group);
    if (!spec) continue;
    box.dataset.drawn = "1";
    const view = await drawChart(box, fitWidth(spec, box, 220), { actions: false });
    view.addEventListener("click", (event, item) => {
      const d = item && item.datum;
      if (d && d.id && d.doc) go("document", { id: d.doc, claim: d.id });
    });
  }
}
