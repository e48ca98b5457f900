// Loaded first, from the page's head: when the URL opens the timeline or the map, its
// chart is asked for at once, while the rest of the page and Vega's 800 kB of scripts
// load (a second of 10,000 figures' drawing time); charts.js takes the answer.
"use strict";

const CHOSEN_KINDS = ["claim", "group", "event", "disagreement"];

// The filters of a chart view: the URL's parameters less what is chosen and the page.
function chartFilters(params) {
  const q = new URLSearchParams(params);
  for (const kind of [...CHOSEN_KINDS, "offset"]) q.delete(kind);
  return q;
}

let earlyChart = (() => {
  const [view, q] = location.hash.replace(/^#\/?/, "").split("?");
  if (view !== "timeline" && view !== "map") return null;
  const filters = chartFilters(new URLSearchParams(q || "")).toString();
  return { view, filters, answer: fetch(`/api/charts/${view}?${filters}`) };
})();

// The early request, if it is the one this view needs (once: later ones are fresh).
function takeEarlyChart(view, filters) {
  const early = earlyChart;
  earlyChart = null;
  return early && early.view === view && early.filters === filters ? early.answer : null;
}
