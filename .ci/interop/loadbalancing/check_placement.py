"""Checks where a load-balanced run's spans landed, from the backends' file exporters.

  check_placement.py split EXPECTED_SPANS FILE...      every trace on one backend, shares within 15 %
  check_placement.py sampled REFERENCE FILE...         the backends sampled exactly the reference's traces
  check_placement.py moves EXPECTED_SPANS REMOVED ADDED FILE...
      phases one and three sent the same trace IDs; only the removed backend's and the added
      backend's share changed places, and every span of every phase arrived once.
A backend is named by its file. Exits non-zero with the reason on a failure.
"""
import collections
import json
import os
import sys


def spans(path):
    with open(path) as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def name(path):
    return os.path.basename(path).split(".")[0]


def placements(files, phase=None):
    """trace id -> set of backends, and the span count, of one phase (or all)."""
    where = collections.defaultdict(set)
    count = 0
    for path in files:
        for span in spans(path):
            if phase is None or span["attributes"].get("test.phase") == phase:
                where[span["trace_id"]].add(name(path))
                count += 1
    return where, count


def fail(reason):
    print("FAIL: " + reason)
    sys.exit(1)


def split(expected, files):
    where, count = placements(files)
    split_traces = [trace for trace, backends in where.items() if len(backends) > 1]
    shares = collections.Counter(next(iter(backends)) for backends in where.values() if len(backends) == 1)
    even = len(where) / len(files)
    print(f"spans {count} of {expected}; traces {len(where)}; split traces {len(split_traces)}; traces per backend {dict(sorted(shares.items()))}")
    if count != expected:
        fail(f"{expected - count} spans missing")
    if split_traces:
        fail(f"{len(split_traces)} traces reached more than one backend, e.g. {split_traces[0]}")
    worst = max(abs(n - even) / even for n in shares.values())
    print(f"largest deviation from an even share: {worst:.1%}")
    if len(shares) != len(files) or worst > 0.15:
        fail("shares are not within 15 % of even")


def sampled(reference, files):
    expected = {span["trace_id"] for span in spans(reference)}
    got, _ = placements(files)
    print(f"traces kept by tail sampling: single instance {len(expected)}, three backends {len(got)}")
    if not expected:
        fail("the single instance kept no trace")
    if set(got) != expected:
        fail(f"{len(expected - set(got))} kept only by the single instance, {len(set(got) - expected)} only by the backends")


def moves(expected, removed, added, files):
    seen = collections.Counter()
    for path in files:
        for span in spans(path):
            seen[(span["trace_id"], span["span_id"], span["attributes"].get("test.phase"))] += 1
    duplicates = sum(n - 1 for n in seen.values() if n > 1)
    total = sum(seen.values())
    print(f"spans delivered {total} of {expected}, duplicates {duplicates}")
    if total - duplicates != expected:
        fail(f"{expected - (total - duplicates)} spans lost")
    if duplicates:
        fail(f"{duplicates} spans delivered twice")
    before, _ = placements(files, "one")
    after, _ = placements(files, "three")
    during, _ = placements(files, "two")
    for phase, where in (("one", before), ("three", after)):
        if any(len(backends) > 1 for backends in where.values()):
            fail(f"phase {phase} split a trace")
    if set(before) != set(after):
        fail("phases one and three did not send the same traces")
    owner_before = {trace: next(iter(b)) for trace, b in before.items()}
    owner_after = {trace: next(iter(b)) for trace, b in after.items()}
    changed = {trace for trace in before if owner_before[trace] != owner_after[trace]}
    moved_share = {trace for trace in before if owner_before[trace] == removed or owner_after[trace] == added}
    print(
        f"traces {len(before)}: on {removed} before {sum(o == removed for o in owner_before.values())}, "
        f"on {added} after {sum(o == added for o in owner_after.values())}, changed backend {len(changed)} "
        f"({len(changed) / len(before):.1%}); traces split while membership changed (phase two): "
        f"{sum(len(b) > 1 for b in during.values())} of {len(during)}")
    if any(owner == removed for owner in owner_after.values()):
        fail("the removed backend still received traces")
    if changed != moved_share:
        fail(f"{len(changed - moved_share)} traces moved that were neither on the removed nor on the added backend")


def main():
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == "split":
        split(int(rest[0]), rest[1:])
    elif mode == "sampled":
        sampled(rest[0], rest[1:])
    elif mode == "moves":
        moves(int(rest[0]), rest[1], rest[2], rest[3:])
    print("PASS")


if __name__ == "__main__":
    main()
