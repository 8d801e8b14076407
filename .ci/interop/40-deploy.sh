#!/usr/bin/env bash
# The deployment's Prometheus configuration and alert rules parse, and the rules behave as
# their unit tests say (promtool test rules).
set -euo pipefail
cd "$ROOT/deploy/prometheus"
command -v promtool >/dev/null || { echo "promtool missing" >&2; exit 1; }
# prometheus.yml names rule files by their in-container path; check it against the real ones.
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
sed "s#/etc/prometheus/rules#$PWD/rules#" prometheus.yml > "$tmp/prometheus.yml"
promtool check config "$tmp/prometheus.yml"
# No registry scraped twice, and compose's pipeline variables are ones the pipeline reads;
# then the same check must refuse a config that scrapes the pipeline's registry twice.
python3 "$ROOT/.ci/interop/scrape-once.py" prometheus.yml "$ROOT/deploy/docker-compose.yml" "$ROOT/pipelines/jaeger.yaml"
cat prometheus.yml - >"$tmp/doubled.yml" <<'YML'
  - job_name: telemetry-pipeline-self
    metrics_path: /monitoring/metrics
    static_configs:
      - targets: ["telemetry-pipeline:8888"]
YML
if python3 "$ROOT/.ci/interop/scrape-once.py" "$tmp/doubled.yml" 2>"$tmp/doubled.err"; then
  echo "scrape-once.py accepted a config scraping the pipeline twice" >&2; exit 1
fi
grep -q "scraped twice" "$tmp/doubled.err"
promtool check rules rules/*.yml
(cd tests && promtool test rules *.yml)
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["panels"], "dashboard has no panels"; print("grafana dashboard:", len(d["panels"]), "panels")' "$ROOT/deploy/grafana/dashboards/services.json"
