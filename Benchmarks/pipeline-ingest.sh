#!/usr/bin/env bash
# Sustained-ingest benchmark of the telemetry-pipeline release binary: OTLP/HTTP protobuf (or
# OTLP/gRPC) in, through batch, spanmetrics, errors and health, to the prometheus exporter.
#
#   Benchmarks/pipeline-ingest.sh [SECONDS]                 (default 30)
#   PROTOCOL=grpc Benchmarks/pipeline-ingest.sh [SECONDS]   the OTLP/gRPC receiver instead
#
# Environment:
#   PROTOCOL  http (default) or grpc
#   BIN       folder holding the release telemetry-pipeline and, for grpc, telemetry-grpc-load
#             (default: swift build -c release --show-bin-path)
#   CLIENTS   concurrent client connections (default 4)
#   STREAMS   grpc only: concurrent calls per connection (default 4)
#   SPANS     spans per request body (default 1000); ERROR_RATIO share of failing traces (default 0.05)
#   PY        a Python with opentelemetry-proto (default $JAEGER_PY, else the conformance peers' venv)
#   EXPORT    1: also export through an otlphttp exporter (in-memory sending queue) to a local sink
#             that answers 200 at once (pipeline-ingest/sink.py)
#   STORAGE   a directory: as EXPORT, with the sending queue in a file_storage extension, so every
#             request is journaled and synced before it is answered; compare with EXPORT=1 in the
#             same session to see the journal's cost
#
# Clients replay pre-encoded request bodies (gateway → three services, HTTP attributes, 5%
# failing traces with exception events) over keep-alive connections, so the load generator
# costs little CPU next to the pipeline; over gRPC the same bodies are the Export messages,
# sent by telemetry-grpc-load (Swift: a Python gRPC client would be the bottleneck). Spans/s come from the pipeline's own counters
# (accepted by the receiver, delivered to the prometheus exporter) over the measured window;
# CPU from /proc/PID/stat (utime+stime); peak RSS from VmHWM in /proc/PID/status.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
seconds="${1:-30}"
clients="${CLIENTS:-4}"
spans="${SPANS:-1000}"
protocol="${PROTOCOL:-http}"
streams="${STREAMS:-4}"
error_ratio="${ERROR_RATIO:-0.05}"
BIN="${BIN:-$(cd "$root" && swift build -c release --show-bin-path)}"
PY="${PY:-${JAEGER_PY:-}}"
if [ -z "$PY" ]; then
  eval "$("$root/../shared/conformance/setup-peers.sh")"
  PY="$JAEGER_PY"
fi
pipeline="$BIN/telemetry-pipeline"
[ -x "$pipeline" ] || { echo "no $pipeline; build it with: swift build -c release --product telemetry-pipeline" >&2; exit 1; }
case "$protocol" in
  http) ;;
  grpc) [ -x "$BIN/telemetry-grpc-load" ] || { echo "no $BIN/telemetry-grpc-load; build it with: swift build -c release --product telemetry-grpc-load" >&2; exit 1; } ;;
  *) echo "PROTOCOL must be http or grpc" >&2; exit 1 ;;
esac

work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
OTLP_PORT=$(free_port); PROM_PORT=$(free_port); MON_PORT=$(free_port)

storage_extension=""; storage_service=""; storage_exporter=""; storage_list=""
if [ -n "${STORAGE:-}" ] || [ "${EXPORT:-}" = 1 ]; then
  python3 "$here/pipeline-ingest/sink.py" "$work/sink.port" &
  pids+=($!)
  for _ in $(seq 50); do [ -s "$work/sink.port" ] && break; sleep 0.1; done
  queue="{}"
  if [ -n "${STORAGE:-}" ]; then
    mkdir -p "$STORAGE"
    storage_extension="extensions: {file_storage: {directory: \"$STORAGE\"}}"
    storage_service="  extensions: [file_storage]"
    queue="{storage: file_storage}"
  fi
  storage_exporter="  otlphttp: {endpoint: \"http://127.0.0.1:$(cat "$work/sink.port")\", sending_queue: $queue}"
  storage_list=", otlphttp"
fi

cat >"$work/pipeline.yaml" <<YAML
$storage_extension
receivers:
  otlp: {protocols: {$protocol: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
processors:
  batch: {send_batch_size: 8192, timeout: 200ms}
  spanmetrics: {}
  errors: {}
  health: {window: 60s}
exporters:
  prometheus: {endpoint: "127.0.0.1:$PROM_PORT"}
$storage_exporter
service:
$storage_service
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch, spanmetrics, errors, health]
      exporters: [prometheus$storage_list]
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML

mkdir "$work/bodies"
"$PY" "$here/pipeline-ingest/make_bodies.py" --out "$work/bodies" --bodies 16 --spans-per-body "$spans" --error-ratio "$error_ratio"

"$pipeline" --config "$work/pipeline.yaml" >"$work/pipeline.log" 2>&1 &
PID=$!
pids+=($PID)
for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$MON_PORT/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$MON_PORT/ready" >/dev/null || { cat "$work/pipeline.log"; echo "pipeline never became ready" >&2; exit 1; }

counter() {  # sum of a self-metric's samples, 0 when absent
  curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" | awk -v name="$1" '$1 ~ "^"name"({|$)" { sum += $NF } END { printf "%.0f\n", sum }'
}
prometheus_sent() {  # spans the prometheus exporter received: the pipeline's throughput
  curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" | awk '/^pipeline_exporter_sent_spans_total\{exporter="prometheus"\}/ { s += $NF } END { printf "%.0f\n", s }'
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
hz=$(getconf CLK_TCK)
# One load process: CLIENTS Python processes (one connection each) for HTTP, or one
# telemetry-grpc-load with CLIENTS connections of STREAMS concurrent calls for gRPC.
replay() {  # replay SECONDS
  if [ "$protocol" = grpc ]; then
    "$BIN/telemetry-grpc-load" --target "127.0.0.1:$OTLP_PORT" --bodies "$work/bodies" --seconds "$1" --clients "$clients" --streams "$streams"
  else
    "$PY" "$here/pipeline-ingest/replay.py" --port "$OTLP_PORT" --bodies "$work/bodies" --seconds "$1"
  fi
}
[ "$protocol" = grpc ] && processes=1 || processes="$clients"

# Warm-up: connections, lazily created series, allocator pools.
for _ in $(seq "$processes"); do replay 3 >/dev/null & done
sleep 3.5

accepted0=$(counter pipeline_receiver_accepted_spans_total)
exported0=$(prometheus_sent)
ticks0=$(cpu_ticks); t0=$(date +%s.%N)
client_pids=()
for i in $(seq "$processes"); do
  replay "$seconds" >"$work/client-$i.out" &
  client_pids+=($!)
done
for pid in "${client_pids[@]}"; do wait "$pid"; done
t1=$(date +%s.%N); ticks1=$(cpu_ticks)
accepted1=$(counter pipeline_receiver_accepted_spans_total)
# Let the processors finish what was accepted, then read what reached the exporter.
sleep 1
exported1=$(prometheus_sent)
refused=$(counter pipeline_receiver_refused_spans_total)
dropped=$(counter pipeline_queue_dropped_spans_total)
hwm_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$PID/status")
rss_kb=$(awk '/VmRSS/ { print $2 }' "/proc/$PID/status")
requests=$(cat "$work"/client-*.out | awk -F'[= ]' '{ r += $2; f += $4 } END { print r " requests, " f " refused" }')
calls=$(counter traces_span_metrics_calls_total)

echo "receiver          OTLP/${protocol^^}"
python3 - "$t0" "$t1" "$ticks0" "$ticks1" "$hz" "$accepted0" "$accepted1" "$exported0" "$exported1" "$hwm_kb" "$rss_kb" "$clients" "$spans" "$refused" "$dropped" "$calls" "$requests" <<'PY'
import sys
t0, t1, c0, c1, hz = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
a0, a1, e0, e1 = (int(x) for x in sys.argv[6:10])
hwm, rss, clients, spans = int(sys.argv[10]), int(sys.argv[11]), sys.argv[12], sys.argv[13]
refused, dropped, calls, requests = sys.argv[14], sys.argv[15], sys.argv[16], sys.argv[17]
elapsed = t1 - t0
cpu = (c1 - c0) / hz
print(f"window            {elapsed:.1f} s, {clients} clients, {spans} spans per request ({requests})")
print(f"accepted          {(a1 - a0) / elapsed:,.0f} spans/s  ({a1 - a0:,} spans)")
print(f"through pipeline  {(e1 - e0) / elapsed:,.0f} spans/s  (delivered to the prometheus exporter)")
print(f"pipeline CPU      {cpu / elapsed * 100:.0f}% of one core ({cpu:.1f} s), {(a1 - a0) / max(cpu, 1e-9):,.0f} spans per CPU-second")
print(f"peak RSS          {hwm / 1024:.0f} MB (VmHWM); now {rss / 1024:.0f} MB")
print(f"refused / dropped {refused} / {dropped} spans; spanmetrics calls total {calls}")
PY
if [ -n "$storage_list" ]; then
  curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" | grep -E '^(pipeline_exporter_sent_spans_total|telemetry_exporter_spans_dropped_total)\{exporter="otlphttp"' | grep -v ' 0$' || true
fi
if [ -n "${STORAGE:-}" ]; then
  commits=$(counter pipeline_journal_commits_total); records=$(counter pipeline_journal_committed_records_total)
  commit_seconds=$(curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" | awk '/^pipeline_journal_commit_seconds_total/ { print $NF }')
  python3 -c "import sys; c, r, s = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3] or 0); print(f'journal           {c:,} group commits (write + fdatasync) for {r:,} requests since start: {r / max(c, 1):.1f} requests per sync, {s / max(c, 1) * 1000:.2f} ms per commit')" "$commits" "$records" "$commit_seconds"
  echo "journal           $(counter pipeline_journal_bytes) bytes held at the end; $(du -sh "$STORAGE" | cut -f1) on disk"
fi
