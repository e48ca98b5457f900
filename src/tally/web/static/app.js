// The tally workspace: reads the JSON API, never writes HTML from text (all text goes
// through textContent), so article sentences cannot inject markup. Where the analyst is
// (view, filters, page, selected document and claim) lives in the URL's hash, so that a
// link can be shared, a reload keeps the place and back/forward walk the history.
"use strict";

const PAGE = 50;  // rows per page of every list

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

async function api(path, options) {
  return answerOf(fetch(path, options));
}

// The body of a fetched answer; an error answer throws its message.
async function answerOf(fetched) {
  const r = await fetched;
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

// --- where we are -------------------------------------------------------------------------

function here() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [view, q] = raw.split("?");
  return { view: view || "disagreements", params: new URLSearchParams(q || "") };
}

function href(view, params) {
  const q = new URLSearchParams(params || {}).toString();
  return `#/${view}${q ? "?" + q : ""}`;
}

function go(view, params) {
  const target = href(view, params);
  // a new history entry, which hashchange renders; the same place twice is one entry
  if (location.hash !== target) location.hash = target;
}

function formParams(form) {
  const q = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (String(v).trim()) q.set(k, String(v).trim());
  return q;
}

// The form shows the filters of the URL (a reload or a shared link restores them).
function fillForm(form, params) {
  for (const field of form.elements) {
    if (!field.name) continue;
    field.value = params.get(field.name) ?? field.defaultValue ?? "";
  }
}

// The API's query: the filters of the URL with the page's offset and size.
function apiQuery(params, extra) {
  const q = new URLSearchParams(params);
  q.delete("offset");
  for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
  return q;
}

function offsetOf(params) {
  const n = parseInt(params.get("offset") || "0", 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

// "rows 51–100 of 312" with links to the pages before and after.
function pager(view, params, total, offset, shown) {
  const at = (n) => { const p = new URLSearchParams(params); p.set("offset", n); return href(view, p); };
  const first = total ? offset + 1 : 0, last = offset + shown;
  return el("p", { class: "pager" },
    offset > 0 ? el("a", { href: at(Math.max(0, offset - PAGE)), class: "prev" }, "← previous") : null,
    el("span", { class: "count" }, `rows ${first}–${last} of ${total}`),
    last < total ? el("a", { href: at(offset + PAGE), class: "next" }, "next →") : null);
}

// An empty answer says so, and names the filters that produced it.
function emptyNote(what, view, params) {
  const used = [...params].filter(([k]) => k !== "offset");
  return el("div", { class: "empty" },
    el("strong", {}, `No ${what} match.`), " ",
    used.length ? ["Filters: ", used.map(([k, v]) => el("code", {}, `${k}=${v}`)),
      " ", el("a", { href: href(view) }, "clear filters")] : `There are no ${what} stored yet.`);
}

// --- documents by title -------------------------------------------------------------------

let documentIndex = null;  // id -> {title, date, source}: links name documents by title
let indexLoading = null;  // the request for it, shared by whoever asks while it runs

async function documentsById() {
  if (documentIndex) return documentIndex;
  indexLoading = indexLoading || api("/api/documents?limit=1000000")
    .then(data => (documentIndex = new Map(data.items.map(d => [d.id, d]))))
    .finally(() => { indexLoading = null; });
  return indexLoading;
}

function docLabel(id) {
  const d = documentIndex && documentIndex.get(id);
  if (!d) return id;
  return `${d.title || d.id}${d.date ? " (" + d.date + ")" : ""}`;
}

// A link to a document; with a claim id, the document opens on that claim.
function docLink(id, claim, label) {
  const params = { id };
  if (claim) params.claim = claim;
  const link = el("a", { class: "doc", href: href("document", params), title: id,
    "data-doc": id }, label || docLabel(id));
  if (!label && !documentIndex) link.dataset.untitled = "";  // titled when the index comes
  return link;
}

// Links drawn before the document index came (the page does not wait for it) get titles.
function titleLinks() {
  for (const a of document.querySelectorAll("a.doc[data-untitled]")) {
    a.textContent = docLabel(a.dataset.doc);
    delete a.dataset.untitled;
  }
}

function sourceLink(name) {
  if (!name) return "unattributed";
  return el("a", { class: "source", href: href("source", { name }) }, name);
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function valueText(low, high) {
  if (low === null && high === null) return "?";
  if (high === null) return `${low} or more`;
  if (low === null) return `up to ${high}`;
  return low === high ? `${low}` : `${low}–${high}`;
}

async function loadSummary() {
  const s = await api("/api/summary");
  const kinds = Object.entries(s.disagreements).map(([k, n]) => `${n} ${k}`).join(", ");
  document.getElementById("summary").textContent =
    `${s.documents} documents · ${s.claims} claims (${s.denied} denials) · ` +
    `${s.figure_groups} figure groups · disagreements: ${kinds || "none"}`;
}

// A list view: fetch one page, say how many there are in all, or that none match.
async function listView(view, what, endpoint, params, box, row) {
  const offset = offsetOf(params);
  const error = document.getElementById(`${view}-error`);
  const asked = location.hash;
  try {
    const data = await api(`${endpoint}?` + apiQuery(params, { offset, limit: PAGE }));
    // an answer that comes after the analyst moved on (a filter changed meanwhile) is
    // dropped: the later request's answer fills the list, whichever arrives first
    if (location.hash !== asked) return null;
    if (error) error.hidden = true;
    if (!data.total) {
      box.replaceChildren(emptyNote(what, view, params));
      return data;
    }
    const note = data.left_out_undated ? ` (${data.left_out_undated} undated left out)` : "";
    box.replaceChildren(pager(view, params, data.total, offset, data.items.length), note,
      ...data.items.map(row), pager(view, params, data.total, offset, data.items.length));
    return data;
  } catch (err) {
    if (error) { error.textContent = err.message; error.hidden = false; }
    box.replaceChildren();
    return null;
  }
}

// Links to an item's own page and to it on the timeline and the map.
function itemLinks(kind, id, metric) {
  const at = (view) => href(view, { ...(metric ? { metric } : {}), [kind]: id });
  return el("span", { class: "item-links" },
    el("a", { href: href(kind, { id }), class: "permalink" }, "details"), " · ",
    el("a", { href: at("timeline"), class: "on-timeline" }, "timeline"), " · ",
    el("a", { href: at("map"), class: "on-map" }, "map"));
}

function disagreementCard(r) {
  return el("div", { class: "card disagreement", "data-kind": r.kind, "data-id": r.id },
    el("span", { class: `kind ${r.kind}` }, r.kind), el("strong", {}, r.why), " ",
    r.doc ? docLink(r.doc) : el("span", { class: "muted" }, "across documents"), " ",
    itemLinks("disagreement", r.id, (r.claims[0] || {}).metric),
    el("ul", {}, r.claims.map(c => el("li", {},
      el("strong", {}, `${c.metric} ${valueText(c.low, c.high)}`), " ",
      el("span", { class: c.stance }, c.stance), " by ", sourceLink(c.speaker_or_org), " ",
      docLink(c.doc, c.id),
      el("div", { class: "sentence" }, c.sentence || "")))));
}

async function loadDisagreements(params) {
  await listView("disagreements", "disagreements", "/api/disagreements", params,
    document.getElementById("disagreements-list"), disagreementCard);
}

// copy_of names the original's claim id; an analyst reads its document
function copiedFrom(g, v) {
  const original = g.values.find(o => o.id === v.copy_of);
  return original ? docLabel(original.doc) : v.copy_of;
}

function groupCard(g) {
  const where = g.place ? (g.place.text || g.place.country || "") : "";
  const when = g.period && g.period.text ? g.period.text : "";
  return el("div", { class: "card group", "data-id": g.id },
    el("strong", {}, `${g.metric}${g.victim ? ", " + g.victim : ""}` +
      `${g.perpetrator ? ", by " + g.perpetrator : ""}: ${valueText(g.min, g.max)}`), " ",
    itemLinks("group", g.id, g.metric),
    el("div", { class: "muted" }, [where, when,
      `${g.independent_sources} independent source(s)`].filter(Boolean).join(" · ")),
    g.values.length > 1 ? el("div", { class: "chart group-chart", "data-group": g.id }) : null,
    el("ul", {}, g.values.map(v => el("li", {},
      el("strong", {}, v.value.text), ` ${v.source || "unattributed"} (${v.side}) `,
      docLink(v.doc, v.id), v.copy_of ? el("span", { class: "muted" }, ` copied from ${copiedFrom(g, v)}`) : null,
      el("div", { class: "sentence" }, v.sentence || "")))));
}

async function loadFigures(params) {
  document.getElementById("figures-csv").href = `/api/figures?format=csv&${apiQuery(params)}`;
  const box = document.getElementById("figures-list");
  const data = await listView("figures", "figure groups", "/api/figures", params, box, groupCard);
  if (data && data.total) await drawGroupCharts(box, data.items);
}

// An incident: where and when, each metric's range and best estimate, its sources.
function eventCard(e) {
  const where = [e.place, e.admin1, e.country].filter(Boolean).join(", ");
  return el("div", { class: "card event", "data-id": e.id },
    el("strong", {}, `${e.date || "undated"}${where ? " · " + where : ""}`), " ",
    itemLinks("event", e.id, Object.keys(e.metrics)[0]),
    el("ul", {}, Object.entries(e.metrics).map(([m, f]) => el("li", { class: "figures" },
      `${m}: ${valueText(f.lowest, f.open_ended && f.lowest === f.highest ? null : f.highest)}` +
      ` (best estimate ${f.best}, ${f.sources} source${f.sources === 1 ? "" : "s"})`))),
    el("div", { class: "muted" }, e.sources.flatMap((n, i) => [i ? ", " : "", sourceLink(n)]),
      [e.perpetrators.length ? "by " + e.perpetrators.join(", ") : null,
        e.disagreement_kinds.length ? "disagreements: " + e.disagreement_kinds.join(", ")
          : null].filter(Boolean).map(t => " · " + t)),
    el("div", { class: "docs" }, e.docs.flatMap(d => [docLink(d), " "])));
}

async function loadEvents(params) {
  document.getElementById("events-csv").href = `/api/events?format=csv&${apiQuery(params)}`;
  await listView("events", "events", "/api/events", params,
    document.getElementById("events-list"), eventCard);
}

function claimRow(c) {
  return el("tr", {},
    el("td", {}, docLink(c.doc, c.id)), el("td", {}, c.metric),
    el("td", {}, c.value.text),
    el("td", {}, c.victim.group), el("td", {}, c.perpetrator.actor || ""),
    el("td", {}, c.source_name || c.source.speaker || c.source.org || ""), el("td", {}, c.source.side),
    el("td", { class: c.stance }, c.stance),
    el("td", {}, c.place.text || c.place.country || ""),
    el("td", {}, c.period.text || ""));
}

const CLAIM_HEAD = ["document", "metric", "value", "victims", "perpetrator", "source", "side",
                    "stance", "place", "period"];

async function loadClaims(params) {
  document.getElementById("claims-csv").href = `/api/claims?format=csv&${apiQuery(params)}`;
  const box = document.getElementById("claims-list");
  await listView("claims", "claims", "/api/claims", params, box, claimRow);
  // the rows go into one table between the two page lines
  const rows = [...box.querySelectorAll(":scope > tr")];
  if (rows.length) {
    const table = el("table", { id: "claims-table" },
      el("thead", {}, el("tr", {}, CLAIM_HEAD.map(h => el("th", {}, h)))), el("tbody", {}, rows));
    box.insertBefore(table, box.querySelector(":scope > .pager:last-child"));
  }
}

function documentRow(d) {
  return el("li", {}, docLink(d.id, null, d.title || d.id), el("div", { class: "muted" },
    [d.date || "undated", d.source, d.id, plural(d.claims, "claim")].filter(Boolean).join(" · ")));
}

async function loadDocuments(params) {
  await documentsById();
  await listView("documents", "documents", "/api/documents", params,
    document.getElementById("documents-list"), documentRow);
}

// --- sources ------------------------------------------------------------------------------

function kindsText(kinds) {
  return Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ");
}

function sourceCard(s) {
  const who = [...s.speakers, ...s.orgs].filter(n => n !== s.name);
  return el("div", { class: "card source" },
    sourceLink(s.name), " ", el("span", { class: `side ${s.side.split(" ")[0]}` }, s.side),
    who.length ? el("span", { class: "muted" }, ` as ${who.join(", ")}`) : null,
    el("div", {}, `${plural(s.claims, "claim")}${s.denied ? ` (${s.denied} denied)` : ""} in ` +
      `${plural(s.docs.length, "document")} · ` +
      Object.entries(s.metrics).map(([m, n]) => `${n} ${m}`).join(", ")),
    el("div", { class: s.disagreements ? "" : "muted" }, s.disagreements
      ? `part of ${plural(s.disagreements, "disagreement")}: ${kindsText(s.disagreement_kinds)}`
      : "part of no disagreement"));
}

async function loadSources(params) {
  await listView("sources", "sources", "/api/sources", params,
    document.getElementById("sources-list"), sourceCard);
}

// One source: who it is, its claims (each linking to its sentence) and its disagreements.
async function loadSource(params) {
  const name = params.get("name");
  const view = document.getElementById("source-view");
  try {
    const s = await api("/api/sources/" + encodeURIComponent(name || ""));
    view.replaceChildren(
      el("p", {}, el("a", { href: href("sources"), class: "back" }, "← all sources")),
      el("h2", {}, s.name), sourceCard(s),
      el("h3", {}, `Claims (${s.items.length})`),
      el("table", { id: "source-claims" },
        el("thead", {}, el("tr", {}, CLAIM_HEAD.map(h => el("th", {}, h)))),
        el("tbody", {}, s.items.map(claimRow))),
      el("section", { id: "source-disagreements" },
        el("h3", {}, `Disagreements (${s.disagreement_items.length})`),
        s.disagreement_items.length ? s.disagreement_items.map(disagreementCard)
          : el("p", { class: "muted" }, "This source is part of no disagreement.")));
  } catch (e) {
    view.replaceChildren(el("p", { class: "error" }, e.message),
      el("a", { href: href("sources") }, "← all sources"));
  }
}

// --- one document -------------------------------------------------------------------------

// Where the claim's figure stands inside its sentence: the value as written, else the
// number itself; null when the sentence does not hold it as such.
function figureSpan(text, c) {
  const { start, end } = c.evidence;
  if (start === null || end === null || end <= start) return null;
  const sentence = text.slice(start, end).toLowerCase();
  for (const needle of [c.value.text, c.value.low, c.value.high]) {
    if (needle === null || needle === undefined || String(needle) === "") continue;
    const at = sentence.indexOf(String(needle).toLowerCase());
    if (at >= 0) return [start + at, start + at + String(needle).length];
  }
  return null;
}

// Spans sorted and merged where they overlap, each with the claims it holds.
function mergeSpans(spans) {
  const merged = [];
  for (const s of spans.sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) {
      last.end = Math.max(last.end, s.end);
      last.claims.push(...s.claims);
    } else merged.push({ ...s, claims: [...s.claims] });
  }
  return merged;
}

// The text with each claim's sentence marked and, inside it, the figure itself.
function markedText(text, claims) {
  const sentences = mergeSpans(claims
    .filter(c => c.evidence.start !== null && c.evidence.end > c.evidence.start)
    .map(c => ({ start: c.evidence.start, end: c.evidence.end, claims: [c.id] })));
  const figures = mergeSpans(claims.map(c => [c, figureSpan(text, c)]).filter(([, s]) => s)
    .map(([c, [start, end]]) => ({ start, end, claims: [c.id] })));
  const parts = [];
  let at = 0;
  for (const s of sentences) {
    parts.push(text.slice(at, s.start));
    const inner = [];
    let i = s.start;
    for (const f of figures.filter(f => f.start >= s.start && f.end <= s.end)) {
      inner.push(text.slice(i, f.start),
        el("mark", { class: "figure", "data-claims": f.claims.join(" ") }, text.slice(f.start, f.end)));
      i = f.end;
    }
    inner.push(text.slice(i, s.end));
    parts.push(el("mark", { class: "sentence", "data-claims": s.claims.join(" ") }, inner));
    at = s.end;
  }
  parts.push(text.slice(at));
  return parts;
}

function field(name, value) {
  if (value === null || value === undefined || value === "") return null;
  return [el("dt", {}, name), el("dd", {}, String(value))];
}

function claimCard(c) {
  const src = c.source;
  return el("div", { class: `card claim ${c.stance}`, "data-claim": c.id },
    el("a", { href: href("document", { id: c.doc, claim: c.id }), class: "claim-head" },
      `${c.metric} ${c.value.text}`, c.stance === "denied" ? " (denied)" : ""),
    el("dl", {},
      field("value", valueText(c.value.low, c.value.high)), field("qualifier", c.value.qualifier),
      field("rate", c.rate ? JSON.stringify(c.rate) : null),
      field("victims", [c.victim.group, c.victim.text && `“${c.victim.text}”`].filter(Boolean).join(" ")),
      field("perpetrator", [c.perpetrator.actor, c.perpetrator.text && `“${c.perpetrator.text}”`]
        .filter(Boolean).join(" ")),
      field("speaker", src.speaker), field("organisation", src.org), field("side", src.side),
      field("via", src.via), field("attribution", c.attribution), field("stance", c.stance),
      field("kind", c.kind),
      field("place", [c.place.text, c.place.admin1, c.place.country].filter(Boolean).join(", ")),
      field("period", [c.period.text, c.period.start && c.period.end && c.period.start !== c.period.end
        ? `${c.period.start} – ${c.period.end}` : c.period.start].filter(Boolean).join(" · "))));
}

// Marks and cards of one claim light up together; the text scrolls to the claim.
function focusClaim(view, claim) {
  for (const n of view.querySelectorAll(".focus")) n.classList.remove("focus");
  if (!claim) return;
  const marks = [...view.querySelectorAll("mark")]
    .filter(m => m.dataset.claims.split(" ").includes(claim));
  const card = view.querySelector(`.card.claim[data-claim="${CSS.escape(claim)}"]`);
  for (const n of [...marks, card].filter(Boolean)) n.classList.add("focus");
  if (marks[0]) marks[0].scrollIntoView({ block: "center" });
  if (card) card.scrollIntoView({ block: "nearest" });
}

let shownDocument = null;  // the id on screen, so that choosing a claim does not refetch it

async function loadDocument(params) {
  const id = params.get("id");
  const view = document.getElementById("document-view");
  if (!id) { view.replaceChildren(el("p", { class: "muted" }, "No document chosen.")); return; }
  if (shownDocument !== id) {
    try {
      await documentsById();
      const [d, found] = await Promise.all([api("/api/documents/" + encodeURIComponent(id)),
        api("/api/disagreements?" + new URLSearchParams({ doc: id, limit: 1000 }))]);
      view.replaceChildren(
        el("p", {}, el("a", { href: href("documents"), class: "back" }, "← all documents")),
        el("h2", {}, d.title || d.id),
        el("p", { class: "muted" }, [d.date || "undated", d.source, d.id,
          plural(d.claims.length, "claim"), d.url].filter(Boolean).join(" · ")),
        el("div", { class: "doc-split" },
          el("div", { id: "document-text" }, markedText(d.text, d.claims)),
          el("aside", { id: "document-claims" }, el("h3", {}, `Claims (${d.claims.length})`),
            d.claims.length ? d.claims.map(claimCard) : el("p", { class: "muted" }, "No claims found in this document."))),
        el("section", { id: "document-disagreements" },
          el("h3", {}, `Disagreements (${found.total})`),
          found.total ? found.items.map(disagreementCard)
            : el("p", { class: "muted" }, "No disagreement involves this document.")));
      for (const m of view.querySelectorAll("#document-text mark"))
        m.addEventListener("click", () => go("document", { id, claim: m.dataset.claims.split(" ")[0] }));
      shownDocument = id;
    } catch (e) {
      shownDocument = null;
      view.replaceChildren(el("p", { class: "error" }, e.message),
        el("a", { href: href("documents") }, "← all documents"));
      return;
    }
  }
  focusClaim(view, params.get("claim"));
}

// --- the report, inside the workspace -----------------------------------------------------

// The server renders the report as a page of its own; it is shown here in a shadow root,
// so that its styles stay in it, and the workspace's tabs stay above it.
async function loadReport() {
  const box = document.getElementById("report-view");
  if (box.shadowRoot && box.shadowRoot.childElementCount) return;
  const r = await fetch("/api/report");
  const page = new DOMParser().parseFromString(await r.text(), "text/html");
  for (const s of page.querySelectorAll("script")) s.remove();
  const root = box.shadowRoot || reportRoot(box);
  root.replaceChildren(...[...page.head.querySelectorAll("style"), ...page.body.childNodes]
    .map(n => document.importNode(n, true)));
}

// The report's contents link to its sections by "#id"; here the hash is the workspace's
// place, so such a link scrolls to its section instead of leaving the Report tab.
function reportRoot(box) {
  const root = box.attachShadow({ mode: "open" });
  root.addEventListener("click", e => {
    const a = e.target.closest('a[href^="#"]');
    const target = a && root.getElementById(a.getAttribute("href").slice(1));
    if (target) { e.preventDefault(); target.scrollIntoView(); }
  });
  return root;
}

// --- adding articles ----------------------------------------------------------------------

// The disagreements stored now, by id: what an addition brings is what was not there.
async function disagreementIds() {
  const all = await api("/api/disagreements?limit=1000000");
  return new Set(all.items.map(d => d.id));
}

// What the store answered, then each new or changed document with its claims (each
// linking to its sentence) and the disagreements that were not there before.
async function showAdded(out, body, before) {
  const problems = body.problems.map(p => `${p.input}: ${p.problem}`).join("; ");
  documentIndex = null;
  await documentsById();
  shownDocument = null;
  shownCharts.timeline = shownCharts.map = null;  // drawn again with the new figures
  document.getElementById("report-view").shadowRoot?.replaceChildren();
  const after = await api("/api/disagreements?limit=1000000");
  const fresh = after.items.filter(d => !before.has(d.id));
  const docs = await Promise.all((body.documents || []).map(id =>
    api("/api/documents/" + encodeURIComponent(id))));
  out.replaceChildren(
    el("p", { class: "added-counts" }, `${body.new} new, ${body.version} new versions, ` +
      `${body.same} already stored; ${plural(body.claims, "claim")}` +
      `${problems ? " — " + problems : ""}`),
    el("section", { class: "added-disagreements" },
      el("h3", {}, `New disagreements (${fresh.length})`),
      fresh.length ? fresh.map(disagreementCard)
        : el("p", { class: "muted" }, "These articles start no new disagreement.")),
    ...docs.map(d => el("div", { class: "card added", "data-doc": d.id },
      el("h3", {}, docLink(d.id, null, d.title || d.id)),
      el("div", { class: "muted" }, [d.date || "undated", d.source, d.id,
        plural(d.claims.length, "claim")].filter(Boolean).join(" · ")),
      d.claims.length ? el("ul", {}, d.claims.map(c => claimEvidence({ ...c,
        source_name: c.source.speaker || c.source.org }))) : null)));
  await loadSummary();
}

function authHeaders(token) {
  // The token (a server with TALLY_TOKEN) goes in a header, never into the document.
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

async function postAndShow(path, payload, token) {
  const out = document.getElementById("add-result");
  out.textContent = "extracting…";
  try {
    const before = await disagreementIds();
    const r = await fetch(path, { method: "POST", body: JSON.stringify(payload),
      headers: authHeaders(token) });
    const body = await r.json();
    if (body.error) { out.textContent = body.error; return; }
    await showAdded(out, body, before);
  } catch (e) {
    out.textContent = e.message;
  }
}

async function addDocument(event) {
  event.preventDefault();
  const item = {};
  for (const [k, v] of new FormData(event.target)) if (String(v).trim()) item[k] = String(v);
  const token = item.token;
  delete item.token;
  await postAndShow("/api/documents", item, token);
}

// Files go as they are (base64), read on the server as `tally ingest` reads files: text,
// HTML, JSON lines, CSV or an RSS/Atom feed, by their names.
function base64Of(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

async function addFiles(event) {
  event.preventDefault();
  const form = event.target;
  const files = [...form.elements.files.files];
  if (!files.length) { document.getElementById("add-result").textContent = "No file chosen."; return; }
  const payload = await Promise.all(files.map(async f =>
    ({ name: f.name, data_base64: base64Of(await f.arrayBuffer()) })));
  await postAndShow("/api/files", payload, document.querySelector("#add-form [name=token]").value);
}

async function addUrls(event) {
  event.preventDefault();
  const urls = event.target.elements.urls.value.split("\n").map(u => u.trim())
    .filter(u => u && !u.startsWith("#"));
  if (!urls.length) { document.getElementById("add-result").textContent = "No URL given."; return; }
  await postAndShow("/api/urls", { urls }, document.querySelector("#add-form [name=token]").value);
}

// --- the views ----------------------------------------------------------------------------

// view -> [the tab it belongs to, its loader]
const views = {
  disagreements: ["disagreements", loadDisagreements], events: ["events", loadEvents],
  figures: ["figures", loadFigures], claims: ["claims", loadClaims],
  documents: ["documents", loadDocuments], document: ["documents", loadDocument],
  sources: ["sources", loadSources], source: ["sources", loadSource],
  add: ["add", async () => {}], report: ["report", loadReport],
  timeline: ["timeline", loadTimeline], map: ["map", loadMap],
  claim: ["item", p => loadItem("claim", p)], group: ["item", p => loadItem("group", p)],
  event: ["item", p => loadItem("event", p)],
  disagreement: ["item", p => loadItem("disagreement", p)],
};

async function render() {
  let { view, params } = here();
  if (!views[view]) view = "disagreements";
  const [tab, load] = views[view];
  for (const b of document.querySelectorAll("nav [data-tab]"))
    b.classList.toggle("active", b.dataset.tab === tab);
  for (const s of document.querySelectorAll("section.tab")) s.hidden = s.id !== `tab-${tab}`;
  document.getElementById("documents-list").hidden = view !== "documents";
  document.getElementById("document-view").hidden = view !== "document";
  document.getElementById("sources-list").hidden = view !== "sources";
  document.getElementById("f-sources").hidden = view !== "sources";
  document.getElementById("source-view").hidden = view !== "source";
  const form = document.getElementById(`f-${view}`);
  if (form) fillForm(form, params);
  await load(params);
}

for (const [view] of Object.entries(views)) {
  const form = document.getElementById(`f-${view}`);
  if (!form) continue;
  // a changed filter is a new place: it starts at the first page, in a new history entry
  form.addEventListener("change", () => go(view, formParams(form)));
  form.addEventListener("submit", e => { e.preventDefault(); go(view, formParams(form)); });
}
document.getElementById("add-form").addEventListener("submit", addDocument);
document.getElementById("add-files").addEventListener("submit", addFiles);
document.getElementById("add-urls").addEventListener("submit", addUrls);
window.addEventListener("hashchange", render);
loadSummary();
render();
documentsById().then(titleLinks, () => {});
