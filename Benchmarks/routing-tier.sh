#!/usr/bin/env bash
# Throughput of the routing tier (deploy/scaling.md): one telemetry-pipeline release binary
# receiving OTLP/HTTP and routing every span by trace ID to three backend instances over
# OTLP/gRPC (the loadbalancing exporter), beside the floor in the same run: the same instance
# and load with the receiver feeding nothing but a local exporter.
#
#   Benchmarks/routing-tier.sh [SECONDS]        (default 20)
#   BACKENDS=count Benchmarks/routing-tier.sh    backends that only decode and count
#
# Environment: BIN (release folder), CLIENTS (replaying processes, default 3), SPANS (spans
# per request body, default 1000), PY (a Python with opentelemetry-proto).
#
# The backends run the backend tier's processing (spanmetrics, errors, health, breakers and
# tail sampling, as pipelines/scaling-backend.yaml, with local exporters), or with
# BACKENDS=count only decode and count. Either way what the routing tier sends is checked to arrive:
# the script fails if the backends did not receive every span routed. CPU comes from
# /proc/PID/stat for each process: the figure to size a tier with is spans per CPU-second.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
seconds="${1:-20}"
clients="${CLIENTS:-3}"
spans="${SPANS:-1000}"
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
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# sum_metric PORT REGEX: sum of the samples of series whose line matches REGEX.
sum_metric() { curl -fsS "http://127.0.0.1:$1/metrics" | awk -v re="$2" '$0 ~ re { s += $NF } END { printf "%.0f\n", s }'; }

# start NAME YAML: runs a pipeline, waits for /ready on the monitoring port in YAML; sets PID.
start() {
  echo "$2" >"$work/$1.yaml"
  "$pipeline" --config "$work/$1.yaml" >"$work/$1.log" 2>&1 &
  PID=$!
  pids+=("$PID")
  local mon; mon=$(grep -o 'monitoring: {endpoint: "127.0.0.1:[0-9]*' "$work/$1.yaml" | grep -o '[0-9]*$')
  for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$mon/ready" >/dev/null 2>&1 && return 0; sleep 0.1; done
  cat "$work/$1.log"; echo "$1 never became ready" >&2; exit 1
}

mkdir "$work/bodies"
"$PY" "$here/pipeline-ingest/make_bodies.py" --out "$work/bodies" --bodies 16 --spans-per-body "$spans" --error-ratio 0.05

# measure NAME OTLP_PORT MON_PORT DELIVERED_REGEX: replays for SECONDS after a warm-up and
# prints accepted and delivered spans/s and the CPU of every process in $watch.
measure() {
  local name=$1 port=$2 mon=$3 delivered=$4
  for _ in $(seq "$clients"); do "$PY" "$here/pipeline-ingest/replay.py" --port "$port" --bodies "$work/bodies" --seconds 3 >/dev/null & done
  wait_clients=$(jobs -p | tail -n "$clients"); sleep 3.5
  local a0 d0 t0 t1 a1 d1; a0=$(sum_metric "$mon" '^pipeline_receiver_accepted_spans_total'); d0=$(sum_metric "$mon" "$delivered")
  declare -A ticks0; for p in "${watch[@]}"; do ticks0[$p]=$(cpu_ticks "${watch_pid[$p]}"); done
  t0=$(date +%s.%N)
  local client_pids=()
  for _ in $(seq "$clients"); do "$PY" "$here/pipeline-ingest/replay.py" --port "$port" --bodies "$work/bodies" --seconds "$seconds" >/dev/null & client_pids+=($!); done
  for pid in "${client_pids[@]}"; do wait "$pid"; done
  t1=$(date +%s.%N)
  a1=$(sum_metric "$mon" '^pipeline_receiver_accepted_spans_total')
  sleep 2
  d1=$(sum_metric "$mon" "$delivered")
  local cpu_line=""
  for p in "${watch[@]}"; do cpu_line+="$p=$(( $(cpu_ticks "${watch_pid[$p]}") - ${ticks0[$p]} )) "; done
  python3 - "$name" "$t0" "$t1" "$a0" "$a1" "$d0" "$d1" "$hz" $cpu_line <<'PY'
import sys
name, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
a0, a1, d0, d1, hz = (int(x) for x in sys.argv[4:9])
elapsed = t1 - t0
print(f"{name}: window {elapsed:.1f} s; accepted {(a1 - a0) / elapsed:,.0f} spans/s; delivered {(d1 - d0) / elapsed:,.0f} spans/s")
# Spans per CPU-second of each tier: the routing instance's, and the backends' together
# (each backend handles its share; together they handle every span).
tiers = {}
for item in sys.argv[9:]:
    process, ticks = item.split("=")
    tier = "backends" if process.startswith("backend") else process
    tiers.setdefault(tier, []).append(int(ticks) / hz)
for tier, cpus in tiers.items():
    cpu = sum(cpus)
    per = (a1 - a0) / cpu if cpu else 0
    detail = f" ({len(cpus)} instances: " + ", ".join(f"{c / elapsed * 100:.0f}%" for c in cpus) + ")" if len(cpus) > 1 else ""
    print(f"  {tier:<9} CPU {cpu / elapsed * 100:4.0f}% of one core{detail}, {per:,.0f} spans per CPU-second")
PY
}

echo "== floor: receiver only (otlp/http → local exporter)"
fport=$(free_port); fmon=$(free_port)
start floor "receivers: {otlp: {protocols: {http: {endpoint: \"127.0.0.1:$fport\"}}}}
exporters: {prometheus: {endpoint: \"127.0.0.1:$(free_port)\"}}
service:
  pipelines: {traces: {receivers: [otlp], exporters: [prometheus]}}
  monitoring: {endpoint: \"127.0.0.1:$fmon\"}"
declare -A watch_pid=([routing]=$PID); watch=(routing)
measure floor "$fport" "$fmon" '^pipeline_exporter_sent_spans_total'
kill "$PID"; wait "$PID" 2>/dev/null || true

echo "== routing tier: otlp/http → batch → loadbalancing (traceID, otlp/gRPC) → 3 backends"
backends=(); watch=()
for n in 1 2 3; do
  bport=$(free_port); bmon=$(free_port)
  if [ "${BACKENDS:-full}" = full ]; then
    # The backend tier of pipelines/scaling-backend.yaml, its exporters local.
    processing="processors:
  spanmetrics: {}
  errors: {}
  health: {}
  circuit_breakers: {}
  tail_sampling:
    decision_wait: 10s
    num_traces: 100000
    policies:
      - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      - {name: slow, type: latency, latency: {threshold_ms: 500}}
      - {name: some-of-the-rest, type: probabilistic, probabilistic: {sampling_percentage: 10}}
exporters: {prometheus: {endpoint: \"127.0.0.1:$(free_port)\"}}
service:
  pipelines:
    traces/metrics: {receivers: [otlp], processors: [spanmetrics, errors, health, circuit_breakers], exporters: [prometheus]}
    traces/sampled: {receivers: [otlp], processors: [tail_sampling], exporters: [prometheus]}"
  else
    processing="exporters: {prometheus: {endpoint: \"127.0.0.1:$(free_port)\"}}
service:
  pipelines: {traces: {receivers: [otlp], exporters: [prometheus]}}"
  fi
  start "backend$n" "receivers: {otlp: {protocols: {grpc: {endpoint: \"127.0.0.1:$bport\", max_recv_msg_size_mib: 16}}}}
$processing
  monitoring: {endpoint: \"127.0.0.1:$bmon\"}"
  backends+=("127.0.0.1:$bport"); backend_mon[$n]=$bmon; watch_pid[backend$n]=$PID; watch+=("backend$n")
done
rport=$(free_port); rmon=$(free_port)
start routing "receivers: {otlp: {protocols: {http: {endpoint: \"127.0.0.1:$rport\"}}}}
processors: {batch: {send_batch_size: 8192, timeout: 200ms}}
exporters:
  loadbalancing:
    protocol: {otlp: {compression: none, sending_queue: {queue_size: 2000, num_consumers: ${CONSUMERS:-4}}}}
    resolver: {static: {hostnames: [${backends[0]}, ${backends[1]}, ${backends[2]}]}}
service:
  pipelines: {traces: {receivers: [otlp], processors: [batch], exporters: [loadbalancing]}}
  monitoring: {endpoint: \"127.0.0.1:$rmon\"}"
watch_pid[routing]=$PID; watch=(routing "${watch[@]}")
measure routing "$rport" "$rmon" '^pipeline_exporter_sent_spans_total[{]exporter="loadbalancing/'
routed=$(sum_metric "$rmon" '^pipeline_exporter_sent_spans_total[{]exporter="loadbalancing/')
received=0; shares=""
for n in 1 2 3; do
  got=$(sum_metric "${backend_mon[$n]}" '^pipeline_receiver_accepted_spans_total'); received=$(( received + got )); shares+="$got "
done
dropped=$(sum_metric "$rmon" '^telemetry_exporter_spans_dropped_total')
echo "routed $routed spans in all, backends received $received ($shares), dropped $dropped"
[ "$routed" = "$received" ] || { echo "the backends did not receive every routed span" >&2; exit 1; }
