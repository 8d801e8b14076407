#!/usr/bin/env bash
# Two tiers on loopback: routing instances running pipelines/scaling-routing.yaml send every
# trace to one of several backend instances, found by DNS (names in /etc/hosts, one loopback
# address per backend, restored on exit).
#
# Part 1, no split traces: the official Python SDK sends 10 000 traces, span after span
# alternating between two routing instances. Three backends each run tail sampling. Every
# trace must reach exactly one backend, the backends' shares must be within 15 % of even, and
# the traces they keep must be exactly those a single instance, sent every span, keeps.
#
# Part 2, membership change: one routing instance, four backends, three of them in DNS. The
# same 2 000 traces are sent before and after; in between, while 3 000 more are sent, one
# backend is stopped and then dropped from DNS, and the fourth is added. No span may be lost or
# duplicated, and the only traces changing backend must be the removed one's and the new one's.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?debug bin path}" "${ROOT:?repo root}" "${OTEL_PY:?official SDK python}"
started=$SECONDS
work="$(mktemp -d)"
here="$(cd "$(dirname "$0")" && pwd)/loadbalancing"
pids=()
cp /etc/hosts "$work/hosts.saved"
cleanup() {
  stop_pids
  cp "$work/hosts.saved" /etc/hosts
}
trap cleanup EXIT

# set_hosts NAME IP...: NAME resolves to exactly these addresses.
set_hosts() {
  local name=$1; shift
  { grep -v " $name\$" /etc/hosts || true; for ip in "$@"; do echo "$ip $name"; done; } >"$work/hosts.new"
  cat "$work/hosts.new" >/etc/hosts
}

# backend NAME IP PORT [sampling]: a backend tier instance writing every span to $work/NAME.jsonl
# and, with tail sampling, the kept ones to $work/sampled/NAME.jsonl.
backend() {
  local name=$1 ip=$2 port=$3 mode=${4:-}
  local mon; mon=$(free_port)
  mkdir -p "$work/sampled"
  {
    echo "receivers: {otlp: {protocols: {grpc: {endpoint: \"$ip:$port\"}, http: {endpoint: \"$ip:$(free_port)\"}}}}"
    if [ "$mode" = sampling ]; then
      cat <<YAML
processors:
  tail_sampling:
    decision_wait: 3s
    num_traces: 50000
    policies:
      - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      - {name: slow, type: latency, latency: {threshold_ms: 300}}
      - {name: some-of-the-rest, type: probabilistic, probabilistic: {sampling_percentage: 10}}
exporters:
  file/all: {path: "$work/$name.jsonl"}
  file/sampled: {path: "$work/sampled/$name.jsonl"}
service:
  pipelines:
    traces/all: {receivers: [otlp], exporters: [file/all]}
    traces/sampled: {receivers: [otlp], processors: [tail_sampling], exporters: [file/sampled]}
YAML
    else
      cat <<YAML
exporters:
  file/all: {path: "$work/$name.jsonl"}
service:
  pipelines:
    traces/all: {receivers: [otlp], exporters: [file/all]}
YAML
    fi
    echo "  monitoring: {endpoint: \"127.0.0.1:$mon\"}"
  } >"$work/$name.yaml"
  start_pipeline "$name" "$mon"
}

# router NAME HOSTNAME PORT: a routing tier instance on the shipped configuration. Sets
# ROUTER_HTTP and ROUTER_MON.
router() {
  ROUTER_HTTP=$(free_port); ROUTER_MON=$(free_port)
  cp "$ROOT/pipelines/scaling-routing.yaml" "$work/$1.yaml"
  OTLP_HTTP_ENDPOINT="127.0.0.1:$ROUTER_HTTP" OTLP_GRPC_ENDPOINT="127.0.0.1:$(free_port)" MONITORING_ENDPOINT="127.0.0.1:$ROUTER_MON" \
    BACKENDS_HOSTNAME="$2" BACKENDS_PORT="$3" BACKENDS_RESOLVE_INTERVAL=500ms INSTANCE_NAME="$1" \
    start_pipeline "$1" "$ROUTER_MON"
}

# spans_in FILE...: lines written so far.
spans_in() { cat "$@" 2>/dev/null | wc -l; }

# wait_spans COUNT SECONDS FILE...: until the files hold COUNT spans.
wait_spans() {
  local count=$1 seconds=$2; shift 2
  for _ in $(seq $(( seconds * 5 ))); do [ "$(spans_in "$@")" -ge "$count" ] && return 0; sleep 0.2; done
  echo "only $(spans_in "$@") of $count spans arrived in $seconds s"; return 1
}

# metric MON_PORT SERIES: a value from an instance's /metrics.
metric() { curl -fsS "http://127.0.0.1:$1/metrics" | awk -v s="$2" 'index($0, s" ") == 1 {print $2}'; }

echo "== part 1: 2 routing instances, 3 backends with tail sampling, 10 000 traces"
port=$(free_port)
set_hosts lb-backends.interop.test 127.0.0.21 127.0.0.22 127.0.0.23
backend_pids=()
for n in 21 22 23; do backend "b$n" "127.0.0.$n" "$port" sampling; backend_pids+=("$started_pid"); done
backend reference 127.0.0.1 "$(free_port)" sampling
reference_pid=$started_pid
reference_http=$(grep -o 'http: {endpoint: "[^"]*"' "$work/reference.yaml" | grep -o '127[^"]*')
router_pids=()
router r1 lb-backends.interop.test "$port"; r1_http=$ROUTER_HTTP; router_pids+=("$started_pid")
router r2 lb-backends.interop.test "$port"; r2_http=$ROUTER_HTTP; router_pids+=("$started_pid")
send_started=$SECONDS
"$OTEL_PY" "$here/send_traces.py" --endpoints "127.0.0.1:$r1_http,127.0.0.1:$r2_http" --reference "$reference_http" \
  --traces 10000 --seed 1 --phase one | tee "$work/sent1.json"
echo "sent in $(( SECONDS - send_started ))s"
wait_spans 40000 60 "$work"/b2?.jsonl
wait_spans 40000 30 "$work/reference.jsonl"
# Past decision_wait, every trace is decided; a graceful stop writes out the rest.
sleep 4
for pid in "${router_pids[@]}" "${backend_pids[@]}" "$reference_pid"; do stop_pipeline "$pid"; done
python3 "$here/check_placement.py" split 40000 "$work"/b2?.jsonl
python3 "$here/check_placement.py" sampled "$work/sampled/reference.jsonl" "$work"/sampled/b2?.jsonl

echo "== part 2: a backend removed and another added while traces flow"
port=$(free_port)
set_hosts lb-members.interop.test 127.0.0.31 127.0.0.32 127.0.0.33
declare -A member_pid
for n in 31 32 33 34; do backend "b$n" "127.0.0.$n" "$port"; member_pid[$n]=$started_pid; done
router r3 lb-members.interop.test "$port"
r3_pid=$started_pid
for _ in $(seq 50); do [ "$(metric "$ROUTER_MON" 'pipeline_loadbalancer_backends{exporter="loadbalancing"}')" = 3 ] && break; sleep 0.2; done
[ "$(metric "$ROUTER_MON" 'pipeline_loadbalancer_backends{exporter="loadbalancing"}')" = 3 ] || { echo "FAIL: the router never resolved 3 backends"; exit 1; }
members="$work/b31.jsonl $work/b32.jsonl $work/b33.jsonl $work/b34.jsonl"
"$OTEL_PY" "$here/send_traces.py" --endpoints "127.0.0.1:$ROUTER_HTTP" --traces 2000 --seed 11 --phase one >/dev/null
# shellcheck disable=SC2086
wait_spans 8000 30 $members
"$OTEL_PY" "$here/send_traces.py" --endpoints "127.0.0.1:$ROUTER_HTTP" --traces 3000 --seed 12 --phase two --seconds 8 >"$work/sent2.json" &
sender=$!
sleep 2
echo "stopping b32, then dropping it from DNS"
stop_pipeline "${member_pid[32]}"
sleep 2
set_hosts lb-members.interop.test 127.0.0.31 127.0.0.33
sleep 2
echo "adding b34 to DNS"
set_hosts lb-members.interop.test 127.0.0.31 127.0.0.33 127.0.0.34
wait "$sender"
# Three backends were added at start, the fourth now.
added='pipeline_loadbalancer_membership_changes_total{exporter="loadbalancing",change="added"}'
for _ in $(seq 50); do [ "$(metric "$ROUTER_MON" "$added")" = 4 ] && break; sleep 0.2; done
[ "$(metric "$ROUTER_MON" "$added")" = 4 ] || { echo "FAIL: the router never added b34"; exit 1; }
"$OTEL_PY" "$here/send_traces.py" --endpoints "127.0.0.1:$ROUTER_HTTP" --traces 2000 --seed 11 --phase three >/dev/null
# shellcheck disable=SC2086
wait_spans 28000 60 $members
curl -fsS "http://127.0.0.1:$ROUTER_MON/metrics" | grep -E '^pipeline_loadbalancer_(backends|membership|rerouted|resolutions)' || true
stop_pipeline "$r3_pid"
for n in 31 33 34; do stop_pipeline "${member_pid[$n]}"; done
# shellcheck disable=SC2086
python3 "$here/check_placement.py" moves 28000 b32 b34 $members
echo "loadbalancing check passed in $(( SECONDS - started ))s"
