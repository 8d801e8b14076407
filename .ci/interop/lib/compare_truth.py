#!/usr/bin/env python3
"""Holds the pipeline's derived metrics, as a real Prometheus scraped them, to the ground truth
that send_spans.py wrote.

  usage: compare_truth.py WORK [--error-rates] TRUTH [TRUTH ...]

WORK/scrape.jsonl holds prometheus_scrape.sh's answers to the queries below (common.sh's
check_derived_metrics asks them). Several truth files, one a workload, are summed per service.
Per service, spanmetrics' calls and error calls must equal the spans and errors sent, and
service_health_status must follow the checks' health processor (degraded from 5 % errors,
unhealthy from 25 %). With --error-rates, error_rate by type must equal the errors by HTTP
status over the service's requests. Exits 1 listing every difference.
"""
import argparse, json, sys

CALLS = "sum by (service_name) (traces_span_metrics_calls_total)"
ERRORS = 'sum by (service_name) (traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"})'
ERROR_RATE = "error_rate"
HEALTH = "service_health_status"

# send_spans.py's entry service: every trace starts with its SERVER span.
GATEWAY = "api-gateway"
TYPES = {"400": "validation", "401": "authentication", "403": "authorization", "404": "not_found",
         "429": "rate_limit", "500": "internal", "503": "service_unavailable", "504": "timeout"}


def load_truth(paths):
    truth = {}
    for path in paths:
        for svc, t in json.load(open(path))["services"].items():
            agg = truth.setdefault(svc, {"spans": 0, "errors": 0, "by_status": {}})
            agg["spans"] += t["spans"]; agg["errors"] += t["errors"]
            for code, n in t["errors_by_status"].items():
                agg["by_status"][code] = agg["by_status"].get(code, 0) + n
    return truth


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("work")
    p.add_argument("truth", nargs="+")
    p.add_argument("--error-rates", action="store_true", help="also compare error_rate by type")
    a = p.parse_args()
    truth = load_truth(a.truth)
    results = {}
    for line in open(f"{a.work}/scrape.jsonl"):
        rec = json.loads(line)
        if "result" in rec:
            results[rec["query"]] = rec["result"]

    def by(query, *labels):
        if query not in results:
            sys.exit(f"no answer to {query!r} in {a.work}/scrape.jsonl")
        return {tuple(r["metric"].get(l, "") for l in labels): float(r["value"][1]) for r in results[query]}

    calls = by(CALLS, "service_name")
    errors = by(ERRORS, "service_name")
    rates = by(ERROR_RATE, "service", "type") if a.error_rates else {}
    health = by(HEALTH, "service")
    failures = []
    for svc, t in sorted(truth.items()):
        if calls.get((svc,)) != t["spans"]:
            failures.append(f"{svc}: calls {calls.get((svc,))} != truth {t['spans']}")
        if errors.get((svc,), 0.0) != t["errors"]:
            failures.append(f"{svc}: errors {errors.get((svc,), 0.0)} != truth {t['errors']}")
        if a.error_rates:
            # error_rate is per request: the gateway's requests are its SERVER spans (half its spans),
            # answered with its downstream's status, 4xx included; a downstream's are its only spans.
            requests = t["spans"] / 2 if svc == GATEWAY else t["spans"]
            statuses = t["by_status"].items() if svc != GATEWAY else [
                (code, n) for other, u in truth.items() if other != GATEWAY for code, n in u["by_status"].items()]
            want_types = {}
            for code, n in statuses:
                want_types[TYPES[code]] = want_types.get(TYPES[code], 0) + n
            for typ, n in want_types.items():
                got = rates.get((svc, typ))
                want = n / requests
                if got is None or abs(got - want) > 1e-9:
                    failures.append(f"{svc}: error_rate[{typ}] {got} != truth {want}")
        ratio = t["errors"] / t["spans"]
        want_health = 2 if ratio >= 0.25 else 1 if ratio >= 0.05 else 0
        if health.get((svc,)) != want_health:
            failures.append(f"{svc}: health {health.get((svc,))} != expected {want_health} (error ratio {ratio:.3f})")
        print(f"{svc}: calls {calls.get((svc,))}, errors {errors.get((svc,), 0.0)}, ratio {ratio:.3f}, health {health.get((svc,))}")
    if failures:
        print("\n".join(failures)); sys.exit(1)
    print("derived metrics equal the ground truth")


if __name__ == "__main__":
    main()
