"""The live page: one HTML document, its script updating the pictures in place on each save."""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; connect-src 'self'; img-src data:;
  style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sysdesign watch</title>
<style>
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
         color: #1f2328; }
  header { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid #d1d9e0;
           padding: 8px 16px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
  h1 { font-size: 18px; margin: 0; }
  #status { color: #59636e; }
  main { padding: 12px 16px; }
  section { margin-bottom: 20px; }
  h2 { font-size: 15px; margin: 8px 0; }
  #errors { display: none; background: #fff0f0; border: 1px solid #cf222e; border-radius: 6px;
            padding: 8px 12px; color: #82071e; font-family: ui-monospace, monospace;
            white-space: pre-wrap; }
  body.invalid #errors { display: block; }
  body.invalid .views { opacity: 0.45; }
  #overview img { max-width: 100%; height: auto; }
  .scroll { overflow: auto; border: 1px solid #d1d9e0; border-radius: 6px; max-height: 80vh; }
  #full img { display: block; transform-origin: 0 0; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 4px 8px; border-bottom: 1px solid #d1d9e0;
           vertical-align: top; }
  .error { color: #cf222e; font-weight: 600; } .warning { color: #9a6700; font-weight: 600; }
  .info { color: #59636e; }
</style>
</head>
<body>
<header>
  <h1 id="title">loading…</h1>
  <label>Stage <select id="stage"></select></label>
  <label>Journey <select id="client"></select></label>
  <label>Zoom <input id="zoom" type="range" min="25" max="200" value="100"></label>
  <span id="status"></span>
</header>
<main>
  <pre id="errors"></pre>
  <div class="views">
    <section id="overview"><h2>Overview</h2><img alt="overview"></section>
    <section id="findings"><h2>Findings</h2><table><tbody></tbody></table></section>
    <section id="journey"><h2>Journey</h2><div class="scroll"><img alt="journey"></div></section>
    <section id="full"><h2>Full view</h2><div class="scroll"><img alt="full view"></div></section>
  </div>
</main>
<script>
"use strict";
let stage = null;
let client = null;
let journeys = [];
const $ = (s) => document.querySelector(s);

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value;
  if (cls) el.className = cls;
  return el;
}

function showJourney() {
  const pick = journeys.find((j) => j.client === client) || journeys[0];
  $("#journey img").src = pick ? pick.svg : "";
  $("#journey").hidden = !pick;
}

function render(s) {
  document.body.dataset.version = s.version;
  const bad = !s.ok || s.errors.length > 0;
  document.body.classList.toggle("invalid", bad);
  $("#errors").textContent = (s.errors || []).join("\\n");
  $("#status").textContent = (bad ? "problems in the file" : "up to date") +
    " · save " + s.version + " · " + new Date().toLocaleTimeString();
  if (!s.ok) return;  // keep the last good pictures, dimmed, beside the errors
  $("#title").textContent = s.title;
  const select = $("#stage");
  select.replaceChildren(...s.stages.map((st) => {
    const o = text("option", st.index ? "stage " + st.index + ": " + st.title : st.title);
    o.value = st.index;
    o.selected = st.index === s.stage;
    return o;
  }));
  stage = s.stage;
  if (s.views.overview) $("#overview img").src = s.views.overview;
  if (s.views.full) $("#full img").src = s.views.full;
  journeys = s.journeys;
  const clients = $("#client");
  if (!journeys.some((j) => j.client === client)) {
    client = journeys.length ? journeys[0].client : null;
  }
  clients.replaceChildren(...journeys.map((j) => {
    const o = text("option", j.client);
    o.value = j.client;
    o.selected = j.client === client;
    return o;
  }));
  showJourney();
  const rows = s.findings.map((f) => {
    const tr = document.createElement("tr");
    tr.append(text("td", f.code, f.severity), text("td", f.severity, f.severity),
              text("td", f.title + ": " + f.message), text("td", f.components.join(", ")));
    return tr;
  });
  if (!rows.length) rows.push(text("tr", "no open findings"));
  $("#findings tbody").replaceChildren(...rows);
}

async function refresh() {
  const query = stage === null ? "" : "?stage=" + stage;
  const response = await fetch("/state" + query, { cache: "no-store" });
  render(await response.json());
}

$("#stage").addEventListener("change", (e) => { stage = Number(e.target.value); refresh(); });
$("#client").addEventListener("change", (e) => { client = e.target.value; showJourney(); });
$("#zoom").addEventListener("input", (e) => {
  $("#full img").style.transform = "scale(" + e.target.value / 100 + ")";
});
const events = new EventSource("/events");
events.onmessage = () => refresh();
</script>
</body>
</html>
"""
