// The tally workspace: reads the JSON API, never writes HTML from text (all text goes
// through textContent), so article sentences cannot inject markup.
"use strict";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

async function api(path, options) {
  const r = await fetch(path, options);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function query(form) {
  const q = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (String(v).trim()) q.set(k, String(v).trim());
  return q.toString();
}

function valueText(low, high) {
  if (low === null && high === null) return "?";
  if (high === null) return `${low} or more`;
  if (low === null) return `up to ${high}`;
  return low === high ? `${low}` : `${low}–${high}`;
}

// A link to a document; with a sentence, the document opens on it.
function docLink(id, sentence) {
  return el("a", { class: "doc", onclick: () => openDocument(id, sentence) }, id);
}

async function loadSummary() {
  const s = await api("/api/summary");
  const kinds = Object.entries(s.disagreements).map(([k, n]) => `${n} ${k}`).join(", ");
  document.getElementById("summary").textContent =
    `${s.documents} documents · ${s.claims} claims (${s.denied} denials) · ` +
    `${s.figure_groups} figure groups · disagreements: ${kinds || "none"}`;
}

async function loadDisagreements() {
  const box = document.getElementById("disagreements-list");
  const data = await api("/api/disagreements?" + query(document.getElementById("f-disagreements")));
  box.replaceChildren(el("p", { class: "muted" }, `${data.total} disagreements`));
  for (const r of data.items) {
    box.append(el("div", { class: "card disagreement", "data-kind": r.kind },
      el("span", { class: `kind ${r.kind}` }, r.kind), el("strong", {}, r.why), " ",
      r.doc ? docLink(r.doc) : el("span", { class: "muted" }, "across documents"),
      el("ul", {}, r.claims.map(c => el("li", {},
        el("strong", {}, `${c.metric} ${valueText(c.low, c.high)}`), " ",
        el("span", { class: c.stance }, c.stance), ` by ${c.speaker_or_org} `,
        docLink(c.doc, c.sentence),
        el("div", { class: "sentence" }, c.sentence || ""))))));
  }
}

// Every source's value on one scale: a solid bar to the low end, a lighter one to the
// high end, an arrow for "at least"; copies of another outlet's figure are pale.
function valueBars(values) {
  const top = Math.max(0, ...values.flatMap(v => [v.value.low, v.value.high].filter(x => x !== null)));
  if (!top) return null;
  return el("div", { class: "bars" }, values.map(v => {
    const low = v.value.low ?? 0, high = v.value.high ?? low;
    return el("div", { class: "bar-row" },
      el("span", { class: "bar-label" }, `${v.source || "unattributed"}: ${v.value.text}`),
      el("span", { class: "bar-track" },
        el("span", { class: "bar-reach", style: `width:${(100 * Math.max(high, low)) / top}%` }),
        el("span", { class: v.copy_of ? "bar-solid copy" : "bar-solid", style: `width:${(100 * low) / top}%` }),
        v.value.high === null
          ? el("span", { class: "bar-open", style: `left:calc(${(100 * low) / top}% + 2px)` }, "→")
          : null));
  }));
}

async function loadFigures() {
  const box = document.getElementById("figures-list");
  const q = query(document.getElementById("f-figures"));
  document.getElementById("figures-csv").href = `/api/figures?format=csv&${q}`;
  const data = await api("/api/figures?" + q);
  box.replaceChildren(el("p", { class: "muted" }, `${data.total} figure groups`));
  for (const g of data.items) {
    const where = g.place ? (g.place.text || g.place.country || "") : "";
    const when = g.period && g.period.text ? g.period.text : "";
    box.append(el("div", { class: "card group" },
      el("strong", {}, `${g.metric}${g.victim ? ", " + g.victim : ""}` +
        `${g.perpetrator ? ", by " + g.perpetrator : ""}: ${valueText(g.min, g.max)}`),
      el("div", { class: "muted" }, [where, when,
        `${g.independent_sources} independent source(s)`].filter(Boolean).join(" · ")),
      g.values.length > 1 ? valueBars(g.values) : null,
      el("ul", {}, g.values.map(v => el("li", {},
        el("strong", {}, v.value.text), ` ${v.source || "unattributed"} (${v.side}) `,
        docLink(v.doc, v.sentence), v.copy_of ? el("span", { class: "muted" }, ` copied from ${copiedFrom(g, v)}`) : null,
        el("div", { class: "sentence" }, v.sentence || ""))))));
  }
}

// copy_of names the original's claim id; an analyst reads its document
function copiedFrom(g, v) {
  const original = g.values.find(o => o.id === v.copy_of);
  return original ? original.doc : v.copy_of;
}

// An incident: where and when, each metric's range and best estimate, its sources.
async function loadEvents() {
  const box = document.getElementById("events-list");
  const error = document.getElementById("events-error");
  const q = query(document.getElementById("f-events"));
  document.getElementById("events-csv").href = `/api/events?format=csv&${q}`;
  try {
    const data = await api("/api/events?" + q);
    error.hidden = true;
    box.replaceChildren(el("p", { class: "muted" }, `${data.total} events` +
      (data.left_out_undated ? ` (${data.left_out_undated} undated left out)` : "")));
    for (const e of data.items) {
      const where = [e.place, e.admin1, e.country].filter(Boolean).join(", ");
      box.append(el("div", { class: "card event" },
        el("strong", {}, `${e.date || "undated"}${where ? " · " + where : ""}`),
        el("ul", {}, Object.entries(e.metrics).map(([m, f]) => el("li", { class: "figures" },
          `${m}: ${valueText(f.lowest, f.open_ended && f.lowest === f.highest ? null : f.highest)}` +
          ` (best estimate ${f.best}, ${f.sources} source${f.sources === 1 ? "" : "s"})`))),
        el("div", { class: "muted" }, [e.sources.join(", "),
          e.perpetrators.length ? "by " + e.perpetrators.join(", ") : null,
          e.disagreement_kinds.length ? "disagreements: " + e.disagreement_kinds.join(", ")
            : null].filter(Boolean).join(" · ")),
        el("div", {}, e.docs.flatMap(d => [docLink(d), " "]))));
    }
  } catch (err) {
    error.textContent = err.message;
    error.hidden = false;
    box.replaceChildren();
  }
}

async function loadClaims() {
  const error = document.getElementById("claims-error");
  const body = document.querySelector("#claims-table tbody");
  const q = query(document.getElementById("f-claims"));
  document.getElementById("claims-csv").href = `/api/claims?format=csv&${q}`;
  try {
    const data = await api("/api/claims?" + q);
    error.hidden = true;
    body.replaceChildren(...data.items.map(c => el("tr", {},
      el("td", {}, docLink(c.doc, c.evidence.sentence)), el("td", {}, c.metric),
      el("td", {}, c.value.text),
      el("td", {}, c.victim.group), el("td", {}, c.perpetrator.actor || ""),
      el("td", {}, c.source_name || c.source.speaker || c.source.org || ""), el("td", {}, c.source.side),
      el("td", { class: c.stance }, c.stance),
      el("td", {}, c.place.text || c.place.country || ""),
      el("td", {}, c.period.text || ""))));
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
    body.replaceChildren();
  }
}

async function loadDocuments() {
  const data = await api("/api/documents");
  document.getElementById("documents-list").replaceChildren(...data.items.map(d =>
    el("li", {}, docLink(d.id), el("span", { class: "muted" },
      ` ${d.date || "undated"} · ${d.claims} claims`))));
}

// The text with every claim's evidence marked, spans merged where they overlap.
function markedText(text, claims) {
  const spans = claims.map(c => [c.evidence.start, c.evidence.end])
    .filter(([s, e]) => s !== null && e !== null && e > s).sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [s, e] of spans) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const parts = [];
  let at = 0;
  for (const [s, e] of merged) {
    parts.push(text.slice(at, s), el("mark", {}, text.slice(s, e)));
    at = e;
  }
  parts.push(text.slice(at));
  return parts;
}

async function openDocument(id, sentence) {
  show("documents");
  const view = document.getElementById("document-view");
  try {
    const d = await api("/api/documents/" + encodeURIComponent(id));
    view.replaceChildren(el("h2", {}, d.title || d.id),
      el("p", { class: "muted" }, [d.date || "undated", d.source, `${d.claims.length} claims`]
        .filter(Boolean).join(" · ")),
      el("div", { id: "document-text" }, markedText(d.text, d.claims)));
    const mark = sentence && [...view.querySelectorAll("mark")]
      .find(m => m.textContent.includes(sentence.trim()));
    if (mark) {
      mark.classList.add("focus");
      mark.scrollIntoView({ block: "center" });
    }
  } catch (e) {
    view.replaceChildren(el("p", { class: "error" }, e.message));
  }
}

async function addDocument(event) {
  event.preventDefault();
  const form = event.target;
  const item = {};
  for (const [k, v] of new FormData(form)) if (String(v).trim()) item[k] = String(v);
  // The token (a server with TALLY_TOKEN) goes in a header, never into the document.
  const token = item.token;
  delete item.token;
  const out = document.getElementById("add-result");
  out.textContent = "extracting…";
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch("/api/documents", { method: "POST", body: JSON.stringify(item),
    headers });
  const body = await r.json();
  if (body.error) { out.textContent = body.error; return; }
  const problems = body.problems.map(p => `${p.input}: ${p.problem}`).join("; ");
  out.textContent = `${body.new} new, ${body.version} new versions, ${body.same} already ` +
    `stored; ${body.claims} claims${problems ? " — " + problems : ""}`;
  await loadSummary();
}

const loaders = { disagreements: loadDisagreements, events: loadEvents, figures: loadFigures,
                  claims: loadClaims,
                  documents: loadDocuments, add: async () => {} };

function show(tab) {
  for (const b of document.querySelectorAll("nav button"))
    b.classList.toggle("active", b.dataset.tab === tab);
  for (const s of document.querySelectorAll("section.tab")) s.hidden = s.id !== `tab-${tab}`;
  return loaders[tab]();
}

for (const b of document.querySelectorAll("nav button"))
  b.addEventListener("click", () => show(b.dataset.tab));
for (const [name, load] of Object.entries(loaders)) {
  const form = document.getElementById(`f-${name}`);
  if (form) {
    form.addEventListener("change", load);
    form.addEventListener("submit", e => { e.preventDefault(); load(); });
  }
}
document.getElementById("add-form").addEventListener("submit", addDocument);
loadSummary();
show("disagreements");
