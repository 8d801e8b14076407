#!/usr/bin/env bash
# Soak test of the telemetry-pipeline release binary: steady OTLP/HTTP load for MINUTES through
# the default pipeline's processors, forwarded by an `otlphttp` exporter to a second pipeline
# instance acting as the backend; a malformed body every 15 s and one 60 s backend outage.
# Every 5 s it samples the pipeline's RSS, open descriptors and queue lengths into a CSV, then
# plots them and judges: RSS growth after warm-up < 5 %, descriptors flat, 0 spans lost.
#
#   Benchmarks/soak.sh [MINUTES]          (default 30)
#
# Environment:
#   BIN      folder holding the release telemetry-pipeline (default: swift build -c release --show-bin-path)
#   RATE     offered spans/s (default 60000), as 1000-span requests from CLIENTS processes (default 3)
#   WARMUP   minutes excluded from the RSS judgement (default 5, at most a third of the run)
#   OUTAGE_AT seconds into the run the backend goes down for 60 s (default a third of the run,
#            and never inside the warm-up or the minute after it, which the judgement measures)
#   OUT      folder for soak.csv, soak.png, summary.txt and the logs (default Benchmarks/soak/results)
#   PY       a Python with opentelemetry-proto (default $JAEGER_PY, else the conformance peers' venv)
#   PLOT_PY  a Python with matplotlib (default: a venv made under /tmp on first use)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$root/.ci/interop/lib/common.sh"
minutes="${1:-30}"
rate="${RATE:-60000}"
clients="${CLIENTS:-3}"
warmup="${WARMUP:-5}"
out="${OUT:-$here/soak/results}"
BIN="${BIN:-$(cd "$root" && swift build -c release --show-bin-path)}"
PY="${PY:-${JAEGER_PY:-}}"
if [ -z "$PY" ]; then
  eval "$("$root/../shared/conformance/setup-peers.sh")"
  PY="$JAEGER_PY"
fi
pipeline="$BIN/telemetry-pipeline"
[ -x "$pipeline" ] || { echo "no $pipeline; build it with: swift build -c release --product telemetry-pipeline" >&2; exit 1; }
mkdir -p "$out"
work="$(mktemp -d)"
pids=()
cleanup() { stop_pids; }
trap cleanup EXIT

OTLP_PORT=$(free_port); PROM_PORT=$(free_port); MON_PORT=$(free_port)
BACKEND_PORT=$(free_port); BACKEND_PROM=$(free_port); BACKEND_MON=$(free_port)

# The default pipeline's processors, plus an exporter so there is a backend to lose.
cat >"$work/pipeline.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
processors:
  memory_limiter: {check_interval: 1s, limit_mib: 512}
  batch: {send_batch_size: 8192, timeout: 200ms}
  spanmetrics: {}
  errors: {}
  health: {window: 60s, degraded_error_ratio: 0.05, unhealthy_error_ratio: 0.25, degraded_latency_p99: 1s}
  circuit_breakers: {}
exporters:
  prometheus: {endpoint: "127.0.0.1:$PROM_PORT"}
  # 5000 requests of about 1000 spans hold the 60 s outage at 60 000 spans/s.
  otlphttp: {endpoint: "http://127.0.0.1:$BACKEND_PORT", sending_queue: {queue_size: 5000}}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, batch, spanmetrics, errors, health, circuit_breakers]
      exporters: [prometheus, otlphttp]
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML
cat >"$work/backend.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$BACKEND_PORT"}}}
exporters:
  prometheus: {endpoint: "127.0.0.1:$BACKEND_PROM"}
service:
  pipelines:
    traces: {receivers: [otlp], exporters: [prometheus]}
  monitoring: {endpoint: "127.0.0.1:$BACKEND_MON"}
YAML

counter() {  # counter PORT NAME [LABEL_PATTERN]: sum of a metric's samples, 0 when absent or unreachable
  { curl -fsS --max-time 5 "http://127.0.0.1:$1/metrics" 2>/dev/null || true; } |
    awk -v name="$2" -v label="${3:-}" '$1 ~ "^"name"({|$)" && $1 ~ label { sum += $NF } END { printf "%.0f\n", sum }'
}
start_backend() {
  "$pipeline" --config "$work/backend.yaml" >>"$out/backend.log" 2>&1 &
  BACKEND_PID=$!
  pids+=($BACKEND_PID)
  wait_for "http://127.0.0.1:$BACKEND_MON/ready" 100
}
# The backend's counter restarts with it. Its first life is counted from the pipeline's side:
# while the backend is down, the exporter's acknowledged-spans counter cannot move, so reading
# it just before the restart is exact (reading the backend before killing it would race the
# requests in flight). Spans the backend took but whose answer the kill cut off are sent again
# and counted twice: at-least-once, reported as duplicates.
delivered_before_restart=0
delivered() { echo $(( delivered_before_restart + $(counter "$BACKEND_PROM" pipeline_receiver_accepted_spans_total) )); }
exporter_sent() { counter "$PROM_PORT" pipeline_exporter_sent_spans_total 'otlphttp'; }

mkdir "$work/bodies"
"$PY" "$here/pipeline-ingest/make_bodies.py" --out "$work/bodies" --bodies 16 --spans-per-body 1000 --error-ratio 0.05
: >"$out/backend.log"
start_backend
"$pipeline" --config "$work/pipeline.yaml" >"$out/pipeline.log" 2>&1 &
PID=$!
pids+=($PID)
wait_for "http://127.0.0.1:$MON_PORT/ready" 200

seconds=$(( minutes * 60 ))
per_client=$(python3 -c "print($rate / 1000 / $clients)")
client_pids=()
for i in $(seq "$clients"); do
  "$PY" "$here/pipeline-ingest/replay.py" --port "$OTLP_PORT" --bodies "$work/bodies" --seconds "$seconds" --rate "$per_client" \
    >"$work/client-$i.out" &
  client_pids+=($!)
done

# sample NAME LABEL_PATTERN: sum of one self-metric's samples in the last scrape ($metrics).
sample() { awk -v name="$1" -v label="$2" '$1 ~ "^"name"({|$)" && $1 ~ label { sum += $NF } END { printf "%.0f", sum }' <<<"$metrics"; }
outage_for=60
outage_at=${OUTAGE_AT:-$(( seconds / 3 ))}
(( outage_at < (warmup + 1) * 60 && (warmup + 1) * 60 + outage_for < seconds )) && outage_at=$(( (warmup + 1) * 60 ))
bad_sent=0; bad_answered_400=0; bad_answered_503=0
echo "elapsed_s,rss_kb,fds,threads,pipeline_queue_spans,exporter_queue_spans,accepted,delivered,refused,dropped,sending_queue_requests" >"$out/soak.csv"
started=$SECONDS
next_bad=15
while (( SECONDS - started < seconds )); do
  elapsed=$(( SECONDS - started ))
  if (( elapsed >= outage_at && elapsed < outage_at + outage_for )) && [ -n "${BACKEND_PID:-}" ]; then
    delivered_before_restart=$(exporter_sent)  # refined at the restart, once it cannot move
    kill "$BACKEND_PID"; wait "$BACKEND_PID" 2>/dev/null || true; BACKEND_PID=""
    echo "backend down at ${elapsed}s"
  elif (( elapsed >= outage_at + outage_for )) && [ -z "${BACKEND_PID:-}" ]; then
    delivered_before_restart=$(exporter_sent)
    start_backend
    echo "backend up at ${elapsed}s"
  fi
  if (( elapsed >= next_bad )); then
    status=$(head -c 4096 /dev/urandom | curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X POST \
      -H 'Content-Type: application/x-protobuf' --data-binary @- "http://127.0.0.1:$OTLP_PORT/v1/traces" || true)
    # 400 names what is wrong; 503 is the memory limiter refusing before the body is read.
    bad_sent=$(( bad_sent + 1 ))
    case "$status" in
      400) bad_answered_400=$(( bad_answered_400 + 1 )) ;;
      503) bad_answered_503=$(( bad_answered_503 + 1 )) ;;
      *) echo "malformed body at ${elapsed}s answered $status" ;;
    esac
    next_bad=$(( next_bad + 15 ))
  fi
  metrics="$(curl -fsS --max-time 5 "http://127.0.0.1:$PROM_PORT/metrics" 2>/dev/null || true)"
  echo "$elapsed,$(awk '/VmRSS/ { print $2 }' "/proc/$PID/status"),$(ls "/proc/$PID/fd" | wc -l),$(awk '/Threads/ { print $2 }' "/proc/$PID/status"),$(sample pipeline_queue_size 'pipeline/'),$(sample pipeline_queue_size 'exporter/'),$(sample pipeline_receiver_accepted_spans_total ''),$(delivered),$(sample pipeline_receiver_refused_spans_total ''),$(sample pipeline_queue_dropped_spans_total 'exporter/'),$(sample telemetry_exporter_queue_size '')" >>"$out/soak.csv"
  sleep 5
done
for pid in "${client_pids[@]}"; do wait "$pid" || true; done

# Spans dropped after acceptance and not counted as failed: a full pipeline queue refuses (503,
# never accepted), so these are the exporter's span queue and its full sending queue.
exporter_dropped() {
  echo $(( $(counter "$PROM_PORT" pipeline_queue_dropped_spans_total exporter/) + $(counter "$PROM_PORT" telemetry_exporter_spans_dropped_total queue_full) ))
}

# Drain: every accepted span is delivered or counted as failed or dropped, within two minutes.
accepted=$(counter "$PROM_PORT" pipeline_receiver_accepted_spans_total)
for _ in $(seq 120); do
  settled=$(( $(delivered) + $(counter "$PROM_PORT" pipeline_exporter_send_failed_spans_total) + $(exporter_dropped) ))
  (( settled >= accepted )) && break
  sleep 1
done
delivered_total=$(delivered)
failed=$(counter "$PROM_PORT" pipeline_exporter_send_failed_spans_total)
dropped=$(exporter_dropped)
refused=$(counter "$PROM_PORT" pipeline_receiver_refused_spans_total)
requests=$(cat "$work"/client-*.out | awk -F'[= ]' '{ r += $2; f += $4 } END { print r " requests, " f " refused or failed" }')

if [ -z "${PLOT_PY:-}" ]; then
  PLOT_PY=/tmp/telemetry-soak-venv/bin/python
  [ -x "$PLOT_PY" ] || { python3 -m venv /tmp/telemetry-soak-venv && "$PLOT_PY" -m pip install -q matplotlib; }
fi
"$PLOT_PY" "$here/soak/plot.py" "$out/soak.csv" "$out/soak.png" --warmup-minutes "$warmup" --outage "$outage_at,$outage_for" \
  --accepted "$accepted" --delivered "$delivered_total" --failed "$failed" --dropped "$dropped" --refused "$refused" \
  --requests "$requests" --bad "$bad_sent,$bad_answered_400,$bad_answered_503" --sent-by-exporter "$(exporter_sent)" | tee "$out/summary.txt"
