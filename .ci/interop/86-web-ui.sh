#!/usr/bin/env bash
# The pipeline's web UI in a real browser: Debian's headless Chromium, driven by Selenium
# through chromium-driver, loads the page the pipeline serves, reads the live services table,
# searches for a failed trace the official Python SDK sent, opens it and checks the
# waterfall's span count, nesting and error marking, then the dependency graph and the error
# groups' links to traces. Screenshots go to .build/ui-screenshots (the README's come from here).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?release bin path}" "${SHARED:?shared folder}" "${OTEL_PY:?}"
conf="$SHARED/conformance"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() { stop_pids; }
trap cleanup EXIT

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "installing chromium and chromium-driver"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
venv="${UI_VENV:-/tmp/telemetry-peers/selenium}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import selenium' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'selenium>=4.20'
fi

OTLP_PORT=$(free_port); PROM_PORT=$(free_port); MON_PORT=$(free_port)
cat >"$work/pipeline.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
processors:
  batch: {send_batch_size: 1000, timeout: 100ms}
  spanmetrics: {}
  errors: {}
  health: {window: 10m}
  circuit_breakers: {}
exporters:
  prometheus: {endpoint: "127.0.0.1:$PROM_PORT"}
  tracestore: {storage: memory, max_bytes: 67108864, retention: 1h}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [batch, spanmetrics, errors, health, circuit_breakers], exporters: [prometheus, tracestore]}
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML
start_pipeline pipeline "$MON_PORT"

"$OTEL_PY" "$conf/send_spans.py" --endpoint "http://127.0.0.1:$OTLP_PORT" --protocol otlp --traces 200 \
  --error-ratios "auth-service=0,user-service=0.1,catalog-service=0.5" --seed 31 --truth "$work/truth.json" >/dev/null

shots="$root/.build/ui-screenshots"
mkdir -p "$shots"
"$venv/bin/python" "$here/web-ui/browse.py" --base "http://127.0.0.1:$MON_PORT" --truth "$work/truth.json" --screenshots "$shots"
