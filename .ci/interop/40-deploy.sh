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
promtool check rules rules/*.yml
(cd tests && promtool test rules *.yml)
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["panels"], "dashboard has no panels"; print("grafana dashboard:", len(d["panels"]), "panels")' "$ROOT/deploy/grafana/dashboards/services.json"
