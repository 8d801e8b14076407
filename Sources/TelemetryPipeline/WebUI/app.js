// The pipeline's web UI: services, trace search, the trace waterfall, dependencies and error
// groups, read from the monitoring endpoint (Jaeger's query API under /api, the health
// dashboard, the Prometheus exposition and the error routes). No build step, no libraries.
// Every piece of incoming data reaches the page as text nodes, never as markup.

const page = document.getElementById("page");
let refreshTimer = null;

/** Builds an element: h("td", {class: "num"}, "12 ms"). Strings become text nodes. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const svgNS = "http://www.w3.org/2000/svg";
function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(svgNS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) element.append(child instanceof Node ? child : String(child));
  return element;
}

async function getJSON(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body?.errors?.[0]?.msg ?? body?.error?.message ?? body?.error ?? response.statusText;
    throw new Error(`${response.status}: ${message}`);
  }
  return body;
}

function show(...children) {
  page.replaceChildren(...children);
}

function failure(error) {
  return h("p", { class: "error-text", role: "alert" }, String(error.message ?? error));
}

const formatMicros = (micros) =>
  micros >= 1e6 ? `${(micros / 1e6).toFixed(2)} s` : micros >= 1e3 ? `${(micros / 1e3).toFixed(1)} ms` : `${micros} µs`;
const formatTime = (micros) => new Date(micros / 1000).toLocaleString();
const percent = (ratio) => `${(100 * ratio).toFixed(1)}%`;

// --- Services: live health, rates from the weighted span-metrics counters ---

/** Parses Prometheus text into [{name, labels, value}]. */
function parseExposition(text) {
  const samples = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = line.match(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/);
    if (!match) continue;
    const labels = {};
    for (const pair of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2].replace(/\\(.)/g, "$1");
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Per service: SERVER calls, failed calls and duration buckets, summed over span names. */
function serverTotals(samples) {
  const services = {};
  const entry = (name) => (services[name] ??= { calls: 0, errors: 0, buckets: {} });
  for (const { name, labels, value } of samples) {
    if (labels.span_kind !== "SPAN_KIND_SERVER" || !labels.service_name) continue;
    if (name === "traces_span_metrics_calls_total") {
      entry(labels.service_name).calls += value;
      if (labels.status_code === "STATUS_CODE_ERROR") entry(labels.service_name).errors += value;
    } else if (name === "traces_span_metrics_duration_seconds_bucket") {
      const buckets = entry(labels.service_name).buckets;
      buckets[labels.le] = (buckets[labels.le] ?? 0) + value;
    }
  }
  return services;
}

/** A quantile from cumulative histogram buckets, as Prometheus' histogram_quantile does. */
function quantile(q, buckets) {
  const bounds = Object.keys(buckets).map((le) => [le === "+Inf" ? Infinity : Number(le), buckets[le]]).sort((a, b) => a[0] - b[0]);
  const total = bounds.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let [previousBound, previousCount] = [0, 0];
  for (const [bound, count] of bounds) {
    if (count >= rank) {
      if (bound === Infinity) return previousBound;
      return previousBound + ((bound - previousBound) * (rank - previousCount)) / Math.max(count - previousCount, 1e-12);
    }
    [previousBound, previousCount] = [bound, count];
  }
  return null;
}

function difference(now, before) {
  const result = {};
  for (const [service, totals] of Object.entries(now)) {
    const old = before?.[service] ?? { calls: 0, errors: 0, buckets: {} };
    const buckets = {};
    for (const [le, count] of Object.entries(totals.buckets)) buckets[le] = Math.max(0, count - (old.buckets[le] ?? 0));
    result[service] = { calls: Math.max(0, totals.calls - old.calls), errors: Math.max(0, totals.errors - old.errors), buckets };
  }
  return result;
}

async function overview() {
  const table = h("tbody");
  const alerts = h("ul");
  const status = h("p", { class: "muted" }, "Loading…");
  show(
    h("h1", {}, "Services"),
    status,
    h("table", { id: "services" },
      h("thead", {}, h("tr", {},
        h("th", {}, "service"), h("th", {}, "health"), h("th", { class: "num" }, "requests/s"), h("th", { class: "num" }, "error %"),
        h("th", { class: "num" }, "p50"), h("th", { class: "num" }, "p99"), h("th", {}, "circuit breakers"))),
      table),
    h("h2", {}, "Alerts"),
    alerts,
  );
  let previous = null;
  const refresh = async () => {
    try {
      const [dashboard, exposition] = await Promise.all([getJSON("/monitoring/health/dashboard"), fetch("/metrics").then((r) => r.text())]);
      const taken = { at: performance.now(), totals: serverTotals(parseExposition(exposition)) };
      const seconds = previous ? (taken.at - previous.at) / 1000 : 0;
      const recent = previous ? difference(taken.totals, previous.totals) : taken.totals;
      previous = taken;
      const names = new Set([...Object.keys(dashboard.services ?? {}), ...Object.keys(taken.totals)]);
      table.replaceChildren(...[...names].sort().map((name) => {
        const health = dashboard.services?.[name];
        const counts = recent[name] ?? { calls: 0, errors: 0, buckets: {} };
        const overall = taken.totals[name];
        // Rates over the last refresh; percentiles over it too, or since start on the first load.
        const p50 = quantile(0.5, counts.calls > 0 ? counts.buckets : overall?.buckets ?? {});
        const p99 = quantile(0.99, counts.calls > 0 ? counts.buckets : overall?.buckets ?? {});
        const breakers = (health?.circuit_breakers ?? []).map((b) => h("span", { class: `badge ${b.state.toLowerCase()}` }, `${b.name}: ${b.state}${b.stale ? " (stale)" : ""}`));
        return h("tr", { "data-service": name },
          h("td", {}, h("a", { href: `#/search?service=${encodeURIComponent(name)}` }, name)),
          h("td", {}, health ? h("span", { class: `badge ${health.status}` }, health.status) : "–"),
          h("td", { class: "num" }, seconds > 0 ? (counts.calls / seconds).toFixed(1) : "–"),
          h("td", { class: "num" }, counts.calls > 0 ? percent(counts.errors / counts.calls) : health?.error_rate ?? "–"),
          h("td", { class: "num" }, p50 === null ? "–" : formatMicros(Math.round(p50 * 1e6))),
          h("td", { class: "num" }, p99 === null ? health?.p99_response_time ?? "–" : formatMicros(Math.round(p99 * 1e6))),
          h("td", {}, breakers.length ? breakers : h("span", { class: `badge ${(health?.circuit_breaker ?? "").toLowerCase()}` }, health?.circuit_breaker ?? "–")));
      }));
      alerts.replaceChildren(...(dashboard.alerts ?? []).map((a) => h("li", {}, h("span", { class: `badge ${a.level}` }, a.level), ` ${a.service}: ${a.message} (${a.duration})`)));
      if (!alerts.children.length) alerts.append(h("li", { class: "muted" }, "none"));
      status.textContent = `${dashboard.gateway?.name ?? "pipeline"} ${dashboard.gateway?.version ?? ""}, up ${dashboard.gateway?.uptime ?? "?"}; rates are sampling-adjusted estimates, refreshed every 2 s.`;
    } catch (error) {
      status.replaceChildren(failure(error));
    }
  };
  await refresh();
  refreshTimer = setInterval(refresh, 2000);
}

// --- Trace search ---

/** `key=value key2="a b"` (logfmt, as the Jaeger UI takes it) to a JSON object. */
function parseTags(text) {
  const tags = {};
  for (const match of text.matchAll(/([^\s=]+)=("([^"]*)"|\S*)/g)) tags[match[1]] = match[3] ?? match[2];
  return tags;
}

async function search(params) {
  const form = h("form", { class: "search" });
  const service = h("select", { name: "service", required: true });
  const operation = h("select", { name: "operation" }, h("option", { value: "" }, "all operations"));
  const fields = {
    tags: h("input", { name: "tags", placeholder: "error=true http.route=/users", value: params.get("tags") ?? "" }),
    minDuration: h("input", { name: "minDuration", placeholder: "e.g. 100ms", value: params.get("minDuration") ?? "" }),
    maxDuration: h("input", { name: "maxDuration", placeholder: "e.g. 2s", value: params.get("maxDuration") ?? "" }),
    lookback: h("select", { name: "lookback" }, ...["15m", "1h", "6h", "24h"].map((v) => h("option", { value: v, selected: (params.get("lookback") ?? "1h") === v }, `last ${v}`))),
    limit: h("input", { name: "limit", type: "number", min: 1, max: 1500, value: params.get("limit") ?? "20" }),
  };
  form.append(
    h("label", {}, "Service", service), h("label", {}, "Operation", operation), h("label", {}, "Tags", fields.tags),
    h("label", {}, "Min duration", fields.minDuration), h("label", {}, "Max duration", fields.maxDuration),
    h("label", {}, "Lookback", fields.lookback), h("label", {}, "Limit", fields.limit), h("button", { type: "submit", id: "find" }, "Find traces"));
  const results = h("section", { class: "results" });
  show(h("h1", {}, "Traces"), form, results);

  const loadOperations = async () => {
    const names = service.value ? (await getJSON(`/api/services/${encodeURIComponent(service.value)}/operations`)).data ?? [] : [];
    operation.replaceChildren(h("option", { value: "" }, "all operations"), ...names.map((n) => h("option", { value: n, selected: params.get("operation") === n }, n)));
  };
  try {
    const services = (await getJSON("/api/services")).data ?? [];
    service.replaceChildren(...services.map((name) => h("option", { value: name, selected: params.get("service") === name }, name)));
    await loadOperations();
  } catch (error) {
    results.replaceChildren(failure(error));
  }
  service.addEventListener("change", loadOperations);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    query.set("service", service.value);
    if (operation.value) query.set("operation", operation.value);
    for (const [name, input] of Object.entries(fields)) if (input.value) query.set(name, input.value);
    location.hash = `#/search?${query}`;
  });
  if (params.get("service")) await showResults(params, results);
}

async function showResults(params, results) {
  const query = new URLSearchParams({ service: params.get("service"), limit: params.get("limit") ?? "20", lookback: params.get("lookback") ?? "1h" });
  for (const name of ["operation", "minDuration", "maxDuration"]) if (params.get(name)) query.set(name, params.get(name));
  if (params.get("tags")) query.set("tags", JSON.stringify(parseTags(params.get("tags"))));
  results.replaceChildren(h("p", { class: "muted" }, "Searching…"));
  try {
    const traces = (await getJSON(`/api/traces?${query}`)).data ?? [];
    const summaries = traces.map(summarize).sort((a, b) => b.start - a.start);
    results.replaceChildren(
      h("p", { class: "muted", id: "result-count" }, `${summaries.length} trace${summaries.length === 1 ? "" : "s"}`),
      scatter(summaries),
      h("ul", {}, summaries.map((t) => h("li", { class: t.failed ? "failed" : null, "data-trace": t.traceID },
        h("a", { href: `#/trace/${t.traceID}` }, `${t.rootService}: ${t.rootName}`),
        " ", h("span", { class: "muted" }, `${t.spans} spans · ${t.services.size} services · ${formatMicros(t.duration)} · ${formatTime(t.start)}`),
        t.failed ? h("span", { class: "badge error" }, `${t.errors} error${t.errors === 1 ? "" : "s"}`) : null))));
  } catch (error) {
    results.replaceChildren(failure(error));
  }
}

const isError = (span) => span.tags.some((t) => (t.key === "error" && (t.value === true || t.value === "true")) || (t.key === "otel.status_code" && t.value === "ERROR"));

function summarize(trace) {
  const ids = new Set(trace.spans.map((s) => s.spanID));
  const root = trace.spans.find((s) => !s.references.some((r) => r.refType === "CHILD_OF" && ids.has(r.spanID))) ?? trace.spans[0];
  const start = Math.min(...trace.spans.map((s) => s.startTime));
  const end = Math.max(...trace.spans.map((s) => s.startTime + s.duration));
  const errors = trace.spans.filter(isError).length;
  return {
    traceID: trace.traceID, start, duration: end - start, spans: trace.spans.length, errors, failed: errors > 0,
    rootName: root.operationName, rootService: trace.processes[root.processID]?.serviceName ?? "?",
    services: new Set(trace.spans.map((s) => trace.processes[s.processID]?.serviceName)),
  };
}

/** Duration against start time, one dot per trace; a click opens it. */
function scatter(summaries) {
  const width = 1000, height = 180, pad = 30;
  const svg = s("svg", { class: "scatter", viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none" });
  if (!summaries.length) return svg;
  const starts = summaries.map((t) => t.start), durations = summaries.map((t) => t.duration);
  const [t0, t1] = [Math.min(...starts), Math.max(...starts)];
  const dMax = Math.max(...durations, 1);
  svg.append(s("text", { x: 4, y: 14 }, formatMicros(dMax)), s("text", { x: 4, y: height - 6 }, "0"));
  for (const t of summaries) {
    const x = pad + ((t.start - t0) / Math.max(t1 - t0, 1)) * (width - 2 * pad);
    const y = height - pad / 2 - (t.duration / dMax) * (height - pad);
    svg.append(s("circle", { cx: x, cy: y, r: 5, class: t.failed ? "failed" : "", onclick: () => (location.hash = `#/trace/${t.traceID}`) },
      s("title", {}, `${t.rootService}: ${t.rootName} — ${formatMicros(t.duration)}`)));
  }
  return svg;
}

// --- One trace: the waterfall ---

const palette = ["#2f6fdf", "#12805c", "#9e3fdb", "#b54708", "#0e7090", "#c11574", "#4e5ba6", "#667085"];

async function traceView(traceID) {
  show(h("p", { class: "muted" }, "Loading…"));
  let trace;
  try {
    trace = (await getJSON(`/api/traces/${encodeURIComponent(traceID)}`)).data[0];
  } catch (error) {
    show(h("h1", {}, `Trace ${traceID}`), failure(error));
    return;
  }
  const summary = summarize(trace);
  const serviceOf = (span) => trace.processes[span.processID]?.serviceName ?? "?";
  const colors = {};
  [...summary.services].sort().forEach((name, i) => (colors[name] = palette[i % palette.length]));

  // Depth-first order with nesting depth: children under their CHILD_OF parent, by start time.
  const byID = new Map(trace.spans.map((span) => [span.spanID, span]));
  const children = new Map();
  const roots = [];
  for (const span of trace.spans) {
    const parent = span.references.find((r) => r.refType === "CHILD_OF" && byID.has(r.spanID));
    if (parent) (children.get(parent.spanID) ?? children.set(parent.spanID, []).get(parent.spanID)).push(span);
    else roots.push(span);
  }
  const ordered = [];
  const visit = (span, depth, parentService) => {
    ordered.push({ span, depth, hop: parentService !== null && parentService !== serviceOf(span) ? parentService : null });
    for (const child of (children.get(span.spanID) ?? []).sort((a, b) => a.startTime - b.startTime)) visit(child, depth + 1, serviceOf(span));
  };
  roots.sort((a, b) => a.startTime - b.startTime).forEach((root) => visit(root, 0, null));

  const waterfall = h("div", { class: "waterfall", id: "waterfall" });
  for (const { span, depth, hop } of ordered) {
    const left = ((span.startTime - summary.start) / Math.max(summary.duration, 1)) * 100;
    const width = (span.duration / Math.max(summary.duration, 1)) * 100;
    const failed = isError(span);
    const details = h("div", { class: "details", hidden: true }, spanDetails(span, trace));
    const row = h("div", { class: `span-row${failed ? " error" : ""}`, "data-depth": depth, "data-span": span.spanID, role: "button", tabindex: 0,
      onclick: () => (details.hidden = !details.hidden) },
      h("div", { class: "label", style: `padding-left: ${0.5 + depth * 1.1}rem` },
        h("span", { style: `color: ${colors[serviceOf(span)]}` }, serviceOf(span)), " ", span.operationName,
        hop ? h("span", { class: "service-hop", title: `called from ${hop}` }, `← ${hop}`) : null),
      h("div", { class: "timeline" },
        h("div", { class: "bar", style: `left: ${left}%; width: ${width}%; background: ${colors[serviceOf(span)]}` }),
        // The duration after the bar, or inside it when the bar reaches the right edge.
        left + width <= 85
          ? h("span", { class: "duration", style: `left: ${left + width}%` }, ` ${formatMicros(span.duration)}`)
          : h("span", { class: "duration inside", style: `left: ${left}%` }, ` ${formatMicros(span.duration)}`)));
    waterfall.append(row, details);
  }
  show(
    h("h1", {}, `${summary.rootService}: ${summary.rootName}`),
    h("p", { class: "muted" }, `Trace ${trace.traceID} · ${formatTime(summary.start)} · ${formatMicros(summary.duration)} · ${summary.spans} spans · `,
      `${summary.services.size} services`, summary.failed ? h("span", { class: "badge error" }, ` ${summary.errors} failed`) : null),
    waterfall,
  );
}

function spanDetails(span, trace) {
  const rows = (tags) => tags.map((t) => h("tr", {}, h("th", {}, t.key), h("td", {}, typeof t.value === "object" ? JSON.stringify(t.value) : String(t.value))));
  const process = trace.processes[span.processID];
  return [
    h("p", {}, `span ${span.spanID} · starts ${formatMicros(span.startTime - Math.min(...trace.spans.map((s) => s.startTime)))} in · ${formatMicros(span.duration)}`),
    h("h2", {}, "Attributes"), h("table", {}, rows(span.tags)),
    span.logs.length ? [h("h2", {}, "Events"), h("table", {}, span.logs.map((log) =>
      h("tr", {}, h("th", {}, formatTime(log.timestamp)), h("td", {}, log.fields.map((f) => `${f.key}=${f.value}`).join("  ")))))] : null,
    h("h2", {}, `Process: ${process?.serviceName ?? "?"}`), h("table", {}, rows(process?.tags ?? [])),
  ];
}

// --- Dependencies: services in layers by call depth, edges with call counts ---

async function dependencies() {
  show(h("h1", {}, "Dependencies"), h("p", { class: "muted" }, "Loading…"));
  let edges;
  try {
    edges = (await getJSON(`/api/dependencies?endTs=${Date.now()}&lookback=3600000`)).data ?? [];
  } catch (error) {
    show(h("h1", {}, "Dependencies"), failure(error));
    return;
  }
  const nodes = [...new Set(edges.flatMap((e) => [e.parent, e.child]))].sort();
  const depth = Object.fromEntries(nodes.map((n) => [n, 0]));
  for (let pass = 0; pass < nodes.length; pass++) for (const e of edges) if (e.parent !== e.child) depth[e.child] = Math.max(depth[e.child], Math.min(depth[e.parent] + 1, nodes.length));
  const layers = {};
  for (const n of nodes) (layers[depth[n]] ??= []).push(n);
  const position = {};
  const [boxW, boxH, gapX, gapY] = [170, 34, 90, 24];
  for (const [layer, names] of Object.entries(layers)) names.forEach((n, i) => (position[n] = { x: 20 + layer * (boxW + gapX), y: 20 + i * (boxH + gapY) }));
  const width = 40 + (Object.keys(layers).length || 1) * (boxW + gapX);
  const height = 40 + Math.max(1, ...Object.values(layers).map((l) => l.length)) * (boxH + gapY);
  const svg = s("svg", { class: "graph", id: "dependency-graph", viewBox: `0 0 ${width} ${height}`, style: `max-height: ${height}px` },
    s("defs", {}, s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }, s("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#98a2b3" }))));
  for (const e of edges) {
    const [a, b] = [position[e.parent], position[e.child]];
    svg.append(s("line", { x1: a.x + boxW, y1: a.y + boxH / 2, x2: b.x, y2: b.y + boxH / 2, "marker-end": "url(#arrow)" }),
      s("text", { x: (a.x + boxW + b.x) / 2 - 10, y: (a.y + b.y + boxH) / 2 - 4 }, String(e.callCount)));
  }
  for (const n of nodes) svg.append(s("rect", { x: position[n].x, y: position[n].y, width: boxW, height: boxH, rx: 6 }), s("text", { x: position[n].x + 8, y: position[n].y + 21 }, n));
  show(h("h1", {}, "Dependencies"), h("p", { class: "muted" }, "Calls between services in the last hour's stored traces (sampling-adjusted)."),
    edges.length ? svg : h("p", {}, "No calls between services stored."),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "caller"), h("th", {}, "callee"), h("th", { class: "num" }, "calls"))),
      h("tbody", {}, edges.map((e) => h("tr", {}, h("td", {}, e.parent), h("td", {}, e.child), h("td", { class: "num" }, String(e.callCount)))))));
}

// --- Error groups ---

async function errors() {
  show(h("h1", {}, "Errors"), h("p", { class: "muted" }, "Loading…"));
  try {
    const details = await getJSON("/monitoring/errors/details?limit=100");
    const groups = details.groups ?? [];
    show(h("h1", {}, "Errors"), h("p", { class: "muted" }, `${details.total_groups ?? groups.length} groups, sampling-adjusted counts`),
      h("table", { id: "error-groups" },
        h("thead", {}, h("tr", {}, h("th", {}, "service"), h("th", {}, "type"), h("th", {}, "severity"), h("th", {}, "message"), h("th", { class: "num" }, "count"), h("th", {}, "last seen"), h("th", {}, "example traces"))),
        h("tbody", {}, groups.map((g) => h("tr", {},
          h("td", {}, g.service), h("td", {}, g.type), h("td", {}, h("span", { class: `badge ${g.severity === "critical" || g.severity === "high" ? "error" : ""}` }, g.severity)),
          h("td", {}, g.message), h("td", { class: "num" }, Math.round(g.count)), h("td", {}, g.last_seen),
          h("td", {}, (g.samples ?? []).filter((x) => x.trace_id).slice(0, 3).map((x) => [h("a", { href: `#/trace/${x.trace_id}` }, x.trace_id.slice(0, 8)), " "])))))));
  } catch (error) {
    show(h("h1", {}, "Errors"), failure(error));
  }
}

// --- Routing ---

async function route() {
  clearInterval(refreshTimer);
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query ?? "");
  const parts = (path || "/").split("/").filter(Boolean);
  const name = parts[0] ?? "overview";
  for (const link of document.querySelectorAll("nav a")) link.classList.toggle("active", link.dataset.page === (name === "trace" ? "search" : name));
  if (name === "search") await search(params);
  else if (name === "trace" && parts[1]) await traceView(parts[1]);
  else if (name === "dependencies") await dependencies();
  else if (name === "errors") await errors();
  else await overview();
}

window.addEventListener("hashchange", route);
route();
