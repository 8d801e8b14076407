#!/usr/bin/env python3
"""Compares what a backend received with what the pipeline acknowledged.

  delivered.py DECODED_JSONL ACKED_FILE [--prefix P]
Reads the span IDs collector.py decoded (OTLP lines) and the IDs client.py recorded as
acknowledged; prints JSON: acked, delivered (distinct acknowledged IDs that arrived), lost,
duplicates (extra copies of acknowledged IDs), and an example of a lost ID.
"""
import collections, json, sys

def main():
    decoded, acked_file = sys.argv[1], sys.argv[2]
    prefix = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--prefix" else ""
    seen = collections.Counter()
    errors = 0
    try:
        with open(decoded) as f:
            for line in f:
                record = json.loads(line)
                if "error" in record:
                    errors += 1
                    continue
                for rs in record.get("body", {}).get("resourceSpans", []):
                    for ss in rs.get("scopeSpans", []):
                        for span in ss.get("spans", []):
                            seen[span.get("spanId", "")] += 1
    except FileNotFoundError:
        pass
    with open(acked_file) as f:
        acked = [line.strip() for line in f if line.strip().startswith(prefix)]
    acked_set = set(acked)
    lost = [i for i in acked_set if seen[i] == 0]
    delivered_all = sum(1 for i in seen if i.startswith(prefix)) if prefix else len(seen)
    print(json.dumps({
        "acked": len(acked_set), "acked_lines": len(acked), "delivered": len(acked_set) - len(lost), "lost": len(lost),
        "duplicates": sum(seen[i] - 1 for i in acked_set if seen[i] > 1), "delivered_distinct_with_prefix": delivered_all,
        "decode_errors": errors, "example_lost": lost[:1],
    }))

if __name__ == "__main__":
    main()
