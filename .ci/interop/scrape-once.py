#!/usr/bin/env python3
"""Fails when a Prometheus config scrapes one metrics registry twice, or names a target whose
registry is unknown here, or when docker-compose sets a pipeline variable it does not read.

Several endpoints can serve one registry (the pipeline's :9464/metrics and
:8888/monitoring/metrics; a demo service's own port and its METRICS_PORT); scraping two of
them doubles every `sum by` in Grafana. REGISTRIES below says which endpoint is which
registry; extend it when the deployment gains a target.

usage: scrape-once.py PROMETHEUS_YML [COMPOSE_YML PIPELINE_YAML]
"""
import re
import sys

REGISTRIES = {
    ("telemetry-pipeline:9464", "/metrics"): "telemetry-pipeline",
    ("telemetry-pipeline:8888", "/monitoring/metrics"): "telemetry-pipeline",
    ("telemetry-demo:8080", "/metrics"): "api-gateway",
    ("telemetry-demo:8080", "/monitoring/metrics"): "api-gateway",
    ("telemetry-demo:9090", "/metrics"): "api-gateway",
    ("telemetry-demo:8081", "/metrics"): "auth-service",
    ("telemetry-demo:9091", "/metrics"): "auth-service",
    ("telemetry-demo:8082", "/metrics"): "user-service",
    ("telemetry-demo:9092", "/metrics"): "user-service",
}


def scrape_targets(text):
    """(job, target, metrics_path) of every static target; the file's shape is promtool-checked."""
    jobs = re.split(r"^\s*-\s*job_name:\s*", text, flags=re.M)[1:]
    out = []
    for job in jobs:
        name = job.split("\n", 1)[0].strip().strip("\"'")
        path = re.search(r"^\s*metrics_path:\s*(\S+)", job, flags=re.M)
        path = path.group(1).strip("\"'") if path else "/metrics"
        for group in re.findall(r"targets:\s*\[([^\]]*)\]", job):
            for target in re.findall(r"[\"']([^\"']+)[\"']", group):
                out.append((name, target, path))
    return out


def main():
    problems = []
    seen = {}
    targets = scrape_targets(open(sys.argv[1]).read())
    if not targets:
        problems.append("no scrape targets found")
    for job, target, path in targets:
        registry = REGISTRIES.get((target, path))
        if registry is None:
            problems.append(f"job {job}: {target}{path} is not a known registry (add it to REGISTRIES)")
        elif registry in seen:
            problems.append(f"registry {registry} scraped twice: job {seen[registry]} and job {job} ({target}{path})")
        else:
            seen[registry] = job
    if len(sys.argv) > 3:
        compose, pipeline = open(sys.argv[2]).read(), open(sys.argv[3]).read()
        block = compose.split("telemetry-pipeline:\n", 1)[1].split("\n  telemetry-demo:", 1)[0]
        for var in re.findall(r"^\s+([A-Z][A-Z0-9_]*):\s", block, flags=re.M):
            if "${env:" + var not in pipeline:
                problems.append(f"compose sets {var} for the pipeline, whose config never reads it")
    for p in problems:
        print("scrape-once:", p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"scrape-once: {len(targets)} targets, each registry once: {sorted(seen)}")


main()
