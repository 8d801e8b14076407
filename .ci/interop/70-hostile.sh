#!/usr/bin/env bash
# Hostile client against the real telemetry-pipeline: 500 000 SERVER spans that each carry a
# unique service.name, span name and raw url.path, then 10 000 distinct values for each of
# http.route, http.request.method, error.type and http.response.status_code. Everything keyed
# by that data is bounded, so the pipeline must stay up, /metrics must answer within 1 s, each
# family must hold at most its series limit plus one otel_metric_overflow series, the span
# totals must equal what was sent, and peak RSS must stay under 300 MB.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ROOT="${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
SHARED="${SHARED:-$ROOT/../shared}"
BIN="${BIN:-$(cd "$ROOT" && swift build --show-bin-path)}"
UNIQUE_SPANS="${UNIQUE_SPANS:-500000}"
DISTINCT_VALUES="${DISTINCT_VALUES:-10000}"
SERIES_LIMIT=2000      # spanmetrics aggregation_cardinality_limit, and the registry's default
MAX_SERVICES=1000      # health max_services
RSS_LIMIT_MB=300
pipeline="$BIN/telemetry-pipeline"
[ -x "$pipeline" ] || { echo "70-hostile: $pipeline not built" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() { stop_pids; rm -rf "$work"; }
trap cleanup EXIT
OTLP_PORT=$(free_port); PROM_PORT=$(free_port); MON_PORT=$(free_port)
started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started ))s"; }

cat >"$work/pipeline.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
processors:
  batch: {send_batch_size: 5000, timeout: 100ms}
  spanmetrics: {aggregation_cardinality_limit: $SERIES_LIMIT}
  errors: {}
  health: {max_services: $MAX_SERVICES, service_expiration: 15m}
  circuit_breakers: {}
exporters:
  prometheus: {endpoint: "127.0.0.1:$PROM_PORT"}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch, spanmetrics, errors, health, circuit_breakers]
      exporters: [prometheus]
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML

"$pipeline" --config "$work/pipeline.yaml" --validate
"$pipeline" --config "$work/pipeline.yaml" >"$work/pipeline.log" 2>&1 &
PID=$!
pids+=($PID)
for _ in $(seq 300); do curl -fsS --max-time 1 "http://127.0.0.1:$MON_PORT/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS --max-time 1 "http://127.0.0.1:$MON_PORT/ready" >/dev/null || { cat "$work/pipeline.log"; echo "pipeline never became ready"; exit 1; }
echo "pipeline ready after $(elapsed)"

# A scrape while the hostile load runs, to see /metrics stay responsive under it.
( sleep 20; curl -sS -o /dev/null --max-time 5 -w '%{time_total}\n' "http://127.0.0.1:$PROM_PORT/metrics" >"$work/scrape-under-load" 2>&1 || true ) &
pids+=($!)
python3 "$ROOT/.ci/interop/hostile/hostile_client.py" --port "$OTLP_PORT" \
  --unique-spans "$UNIQUE_SPANS" --distinct-values "$DISTINCT_VALUES" >"$work/sent.json"
echo "client: $(cat "$work/sent.json") (done at $(elapsed))"
sent=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["spans"])' "$work/sent.json")
expected=$(( UNIQUE_SPANS + 4 * DISTINCT_VALUES ))
[ "$sent" = "$expected" ] || { echo "client delivered $sent spans, meant to send $expected"; exit 1; }

# Bounded wait for the processors to count everything accepted.
calls_total() {
  curl -fsS --max-time 5 "http://127.0.0.1:$PROM_PORT/metrics" |
    awk '$1 ~ /^traces_span_metrics_calls_total({|$)/ { sum += $NF } END { printf "%.0f\n", sum }'
}
for _ in $(seq 240); do [ "$(calls_total)" = "$sent" ] && break; kill -0 "$PID" || break; sleep 0.5; done
echo "processed at $(elapsed)"
kill -0 "$PID" 2>/dev/null || { tail -20 "$work/pipeline.log"; echo "pipeline died"; exit 1; }
curl -fsS --max-time 1 "http://127.0.0.1:$MON_PORT/live" >/dev/null || { echo "pipeline does not answer /live"; exit 1; }

scrape_times=()
for _ in 1 2 3; do
  t=$(curl -sS -o "$work/metrics.txt" --max-time 1 -w '%{time_total}' "http://127.0.0.1:$PROM_PORT/metrics") ||
    { echo "/metrics did not answer within 1 s"; exit 1; }
  scrape_times+=("$t")
done
curl -fsS --max-time 2 "http://127.0.0.1:$MON_PORT/monitoring/health/dashboard" >"$work/dashboard.json"
# The overflow series must still be a valid exposition: promtool parses and lints it.
if command -v promtool >/dev/null && [ -f "$SHARED/conformance/check_metrics.sh" ]; then
  bash "$SHARED/conformance/check_metrics.sh" "http://127.0.0.1:$PROM_PORT/metrics"
else
  echo "promtool or $SHARED/conformance missing: exposition not linted"
fi
hwm_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$PID/status")
rss_kb=$(awk '/VmRSS/ { print $2 }' "/proc/$PID/status")
echo "/metrics scrape times: ${scrape_times[*]} s (under load: $(cat "$work/scrape-under-load" 2>/dev/null || echo n/a) s)"

python3 - "$work/metrics.txt" "$work/dashboard.json" "$sent" "$SERIES_LIMIT" "$MAX_SERVICES" "$hwm_kb" "$rss_kb" "$RSS_LIMIT_MB" <<'PY'
import json, re, sys
metrics_path, dashboard_path = sys.argv[1], sys.argv[2]
sent, series_limit, max_services = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
hwm_kb, rss_kb, rss_limit_mb = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
types, series, overflow, values = {}, {}, {}, {}
for line in open(metrics_path):
    line = line.rstrip("\n")
    if line.startswith("# TYPE "):
        _, _, name, kind = line.split(" ")
        types[name] = kind
        continue
    if not line or line.startswith("#"):
        continue
    match = line_re.match(line)
    if not match:
        sys.exit(f"unparsable exposition line: {line[:200]}")
    name, labels, value = match.group(1), dict(label_re.findall(match.group(2) or "")), float(match.group(3))
    family = name
    if name not in types:
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix) and name[: -len(suffix)] in types:
                family = name[: -len(suffix)]
    if family != name and not name.endswith("_count"):
        continue  # one histogram series = its _count line
    if labels.get("otel_metric_overflow") == "true":
        if len(labels) != 1:
            sys.exit(f"{family}: overflow series carries other labels: {labels}")
        overflow[family] = overflow.get(family, 0) + 1
    else:
        series[family] = series.get(family, 0) + 1
    values.setdefault(family, []).append((labels, value))

failures = []
limits = {"service_health_status": max_services}
for family in sorted(types):
    limit = limits.get(family, series_limit)
    labelled, folded = series.get(family, 0), overflow.get(family, 0)
    if labelled > limit or folded > 1:
        failures.append(f"{family}: {labelled} series + {folded} overflow exceeds {limit} + 1")
    if labelled >= 100 or folded:
        print(f"{family}: {labelled} series (limit {limit}) + {folded} overflow")

def total(family):
    return sum(value for _, value in values.get(family, []))

calls, http = total("traces_span_metrics_calls_total"), total("http_requests_total")
print(f"traces_span_metrics_calls_total sum {calls:.0f}, http_requests_total sum {http:.0f}, sent {sent}")
if calls != sent:
    failures.append(f"calls total {calls} != sent {sent}")
if http != sent:
    failures.append(f"http_requests_total total {http} != sent {sent}")
for family in ("traces_span_metrics_calls_total", "http_requests_total", "traces_span_metrics_duration_seconds"):
    if overflow.get(family) != 1:
        failures.append(f"{family}: expected an overflow series after the hostile load")
folded = {labels.get("metric"): value for labels, value in values.get("pipeline_metric_series_overflow_total", [])}
print("pipeline_metric_series_overflow_total:", json.dumps(folded, sort_keys=True))
if not folded.get("traces_span_metrics_calls_total"):
    failures.append("pipeline_metric_series_overflow_total does not count the folded calls")
methods = {labels.get("method") for labels, _ in values.get("http_requests_total", []) if "method" in labels}
if not methods <= {"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE", "_OTHER"}:
    failures.append(f"non-standard method labels: {sorted(methods)[:5]}")
raw = [labels for family in values for labels, _ in values[family] if any(v.startswith("/raw-") for v in labels.values())]
if raw:
    failures.append(f"a raw url.path became a label: {raw[0]}")
dashboard = json.load(open(dashboard_path))
services = dashboard.get("services", {})
overflow_entries = [name for name, entry in services.items() if entry.get("overflow")]
print(f"dashboard: {len(services)} services, overflow entries {overflow_entries}")
if len(services) > max_services + 1 or len(overflow_entries) != 1:
    failures.append(f"dashboard holds {len(services)} services, overflow entries {overflow_entries}")
print(f"peak RSS {hwm_kb / 1024:.0f} MB (VmHWM), now {rss_kb / 1024:.0f} MB, limit {rss_limit_mb} MB")
if hwm_kb > rss_limit_mb * 1024:
    failures.append(f"peak RSS {hwm_kb / 1024:.0f} MB over {rss_limit_mb} MB")
if failures:
    print("\n".join(failures))
    sys.exit(1)
PY

kill -TERM "$PID"
rc=0; wait "$PID" || rc=$?
[ "$rc" = 0 ] || { echo "pipeline exited $rc on SIGTERM"; exit 1; }
echo "hostile client: ok ($(elapsed))"
