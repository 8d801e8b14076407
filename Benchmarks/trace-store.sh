#!/usr/bin/env bash
# Trace-store benchmark of the telemetry-pipeline release binary, in one run:
#   1. ingest without a store: OTLP/HTTP protobuf through batch, spanmetrics, errors and health
#      to the prometheus exporter (the floor), for SECONDS;
#   2. the same with a `tracestore` exporter of STORE_BYTES beside it, every request carrying
#      fresh trace IDs, for SECONDS: the store fills, then evicts the oldest traces as it goes;
#   3. Jaeger query API latencies against that store (trace-store/query.py): lookups by trace
#      ID and searches, p50/p99;
#   and the store's size: spans, its estimate of their bytes, and the pipeline's RSS.
#
#   Benchmarks/trace-store.sh [SECONDS]       (default 20)
#
# Environment: BIN, CLIENTS (default 3), PY as in pipeline-ingest.sh; STORE_BYTES, the store's
# max_bytes (default 640 MiB, which holds about 1.1 million of these spans: ~596 B each with
# the search index).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$root/.ci/interop/lib/common.sh"  # free_port, stop_pids
seconds="${1:-20}"
clients="${CLIENTS:-3}"
store_bytes="${STORE_BYTES:-671088640}"
BIN="${BIN:-$(cd "$root" && swift build -c release --show-bin-path)}"
PY="${PY:-${JAEGER_PY:-}}"
if [ -z "$PY" ]; then
  eval "$("$root/../shared/conformance/setup-peers.sh")"
  PY="$JAEGER_PY"
fi
pipeline="$BIN/telemetry-pipeline"
[ -x "$pipeline" ] || { echo "no $pipeline; build it with: swift build -c release --product telemetry-pipeline" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() { stop_pids; }
trap cleanup EXIT

mkdir "$work/bodies"
"$PY" "$here/pipeline-ingest/make_bodies.py" --out "$work/bodies" --bodies 16 --spans-per-body 1000

metric() {  # sum of a metric's samples (those matching an optional label filter), 0 when absent
  curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" | awk -v name="$1" '$1 ~ "^"name"({|$)" { sum += $NF } END { printf "%.0f\n", sum }'
}

sent() {
  curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" | awk '/^pipeline_exporter_sent_spans_total\{exporter="prometheus"\}/ { s += $NF } END { printf "%.0f\n", s }'
}

# run NAME none|store FLAGS: starts a pipeline, loads it for SECONDS, writes its spans/s to $work/NAME.rate
run() {
  OTLP_PORT=$(free_port); PROM_PORT=$(free_port); MON_PORT=$(free_port)
  local store_exporter="" store_list=""
  if [ "$2" = store ]; then
    store_exporter="  tracestore: {max_bytes: $store_bytes, retention: 1h}"
    store_list=", tracestore"
  fi
  cat >"$work/$1.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
processors:
  batch: {send_batch_size: 8192, timeout: 200ms}
  spanmetrics: {}
  errors: {}
  health: {window: 60s}
exporters:
  prometheus: {endpoint: "127.0.0.1:$PROM_PORT"}
$store_exporter
service:
  pipelines:
    traces: {receivers: [otlp], processors: [batch, spanmetrics, errors, health], exporters: [prometheus$store_list]}
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML
  "$pipeline" --config "$work/$1.yaml" >"$work/$1.log" 2>&1 &
  PID=$!
  pids+=($PID)
  for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$MON_PORT/ready" >/dev/null 2>&1 && break; sleep 0.1; done
  local before after started ended
  # Spans delivered to the prometheus exporter: every span once, whether a store is beside it or not.
  before=$(sent)
  started=$(date +%s.%N)
  local load=()
  for _ in $(seq "$clients"); do
    "$PY" "$here/pipeline-ingest/replay.py" --port "$OTLP_PORT" --bodies "$work/bodies" --seconds "$seconds" $3 >>"$work/$1.load" &
    load+=($!)
  done
  wait "${load[@]}"
  sleep 0.5  # the batch processor's last flush
  ended=$(date +%s.%N)
  after=$(sent)
  rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$PID/status")
  rate=$(python3 -c "print(round(($after - $before) / ($ended - $started)))")
  echo "$1: $((after - before)) spans in $(python3 -c "print(round($ended - $started, 1))") s: $rate spans/s, RSS $rss MB" >&2
  echo "$rate" >"$work/$1.rate"
}

run without none ""
kill "$PID"; wait "$PID" 2>/dev/null || true
run with store --fresh-trace-ids
floor=$(cat "$work/without.rate"); stored_rate=$(cat "$work/with.rate")
spans=$(metric telemetry_tracestore_spans); traces=$(metric telemetry_tracestore_traces); bytes=$(metric telemetry_tracestore_bytes)
rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$PID/status")
queries=$("$PY" "$here/trace-store/query.py" --port "$MON_PORT")
python3 - "$floor" "$stored_rate" "$spans" "$traces" "$bytes" "$rss" "$queries" <<'PY'
import json, sys
floor, rate, spans, traces, size, rss, queries = sys.argv[1:]
floor, rate, spans, traces, size, rss = map(int, (floor, rate, spans, traces, size, rss))
q = json.loads(queries)
print(f"ingest without store  {floor:>9,} spans/s")
print(f"ingest with store     {rate:>9,} spans/s ({rate / floor:.0%} of the floor)")
print(f"stored                {spans:>9,} spans in {traces:,} traces; estimate {size / 2**20:,.0f} MiB ({size / spans:.0f} B/span); RSS {rss:,} MB")
print(f"lookup by trace ID    p50 {q['lookup_ms']['p50']:.2f} ms, p99 {q['lookup_ms']['p99']:.2f} ms ({q['lookup_ms']['n']} lookups, {q['spans_per_lookup']:.1f} spans each)")
print(f"search                p50 {q['search_ms']['p50']:.2f} ms, p99 {q['search_ms']['p99']:.2f} ms ({q['search_ms']['n']} searches, limit 20)")
for kind, p99 in q["search_p99_ms_by_kind"].items():
    print(f"  {kind:<22} p99 {p99:.2f} ms")
PY
