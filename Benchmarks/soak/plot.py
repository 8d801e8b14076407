"""Plots a soak run's samples (soak.csv from Benchmarks/soak.sh) and judges it.

Prints a summary and exits non-zero when the run failed its bounds: RSS growth after
warm-up of 5 % or more (median of the minute after warm-up against the last minute's), open
descriptors that grew after warm-up, or accepted spans neither delivered nor counted.
"""
import argparse
import csv
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("png")
    parser.add_argument("--warmup-minutes", type=float, default=5)
    parser.add_argument("--outage", default="", help="START_S,LENGTH_S")
    for name in ("accepted", "delivered", "failed", "dropped", "refused"):
        parser.add_argument(f"--{name}", type=int, required=True)
    parser.add_argument("--requests", default="")
    parser.add_argument("--bad", default="0,0,0", help="SENT,ANSWERED_400,ANSWERED_503")
    parser.add_argument("--sent-by-exporter", type=int, default=None,
                        help="spans the pipeline's exporter saw acknowledged, for comparison")
    args = parser.parse_args()

    rows = [{key: float(value or 0) for key, value in row.items()} for row in csv.DictReader(open(args.csv))]
    if len(rows) < 4:
        sys.exit("too few samples to judge")
    minutes = [row["elapsed_s"] / 60 for row in rows]
    duration = minutes[-1]
    warmup = min(args.warmup_minutes, duration / 3)

    def window(start, end, key):
        values = [row[key] for row, m in zip(rows, minutes) if start <= m < end]
        return statistics.median(values) if values else rows[-1][key]

    rss_after_warmup = window(warmup, warmup + 1, "rss_kb")
    rss_end = window(duration - 1, duration + 1, "rss_kb")
    rss_growth = (rss_end - rss_after_warmup) / rss_after_warmup * 100
    fds_after_warmup = window(warmup, warmup + 1, "fds")
    fds_end = window(duration - 1, duration + 1, "fds")
    # Delivered counts a span twice when the backend took it but the outage cut off the
    # answer (at-least-once), so a negative balance is duplicates, never loss.
    balance = args.accepted - args.delivered - args.failed - args.dropped
    lost, duplicates = max(balance, 0), max(-balance, 0)
    elapsed = rows[-1]["elapsed_s"] or 1
    bad_sent, bad_400, bad_503 = (int(x) for x in (args.bad.split(",") + ["0"])[:3])

    figure, (rss_axis, fd_axis, queue_axis) = plt.subplots(3, 1, figsize=(10, 9), sharex=True)
    rss_axis.plot(minutes, [row["rss_kb"] / 1024 for row in rows], color="tab:blue")
    rss_axis.set_ylabel("RSS (MB)")
    rss_axis.set_ylim(bottom=0)
    fd_axis.plot(minutes, [row["fds"] for row in rows], color="tab:green", label="open descriptors")
    fd_axis.plot(minutes, [row["threads"] for row in rows], color="tab:gray", label="threads")
    fd_axis.set_ylim(bottom=0)
    fd_axis.legend(loc="upper left")
    queue_axis.plot(minutes, [row["pipeline_queue_spans"] for row in rows], label="pipeline queue")
    queue_axis.plot(minutes, [row["exporter_queue_spans"] for row in rows], label="exporter span queues")
    if rows and "sending_queue_requests" in rows[0]:
        queue_axis.plot(minutes, [row["sending_queue_requests"] for row in rows], label="sending queue (requests)")
    queue_axis.set_ylabel("queued")
    queue_axis.set_xlabel("minutes")
    queue_axis.legend(loc="upper left")
    for axis in (rss_axis, fd_axis, queue_axis):
        axis.axvspan(0, warmup, color="0.92")
        if args.outage:
            start, length = (float(x) / 60 for x in args.outage.split(","))
            axis.axvspan(start, start + length, color="tab:red", alpha=0.15)
    figure.suptitle(
        f"telemetry-pipeline soak: {args.accepted / elapsed:,.0f} spans/s accepted over {duration:.0f} min; "
        f"RSS {rss_growth:+.1f}% after warm-up; grey = warm-up, red = backend outage", fontsize=10)
    figure.tight_layout()
    figure.savefig(args.png, dpi=90)

    print(f"duration          {duration:.1f} min, {len(rows)} samples ({args.requests})")
    print(f"accepted          {args.accepted:,} spans ({args.accepted / elapsed:,.0f}/s)")
    print(f"delivered         {args.delivered:,}; failed {args.failed:,}; dropped {args.dropped:,}; refused (503) {args.refused:,}")
    print(f"lost              {lost:,} (accepted - delivered - failed - dropped); duplicates {duplicates:,}")
    if args.sent_by_exporter is not None:
        print(f"exporter sent     {args.sent_by_exporter:,} spans acknowledged, as the pipeline counts them")
    print(f"RSS               {rss_after_warmup / 1024:.0f} MB after warm-up -> {rss_end / 1024:.0f} MB at the end ({rss_growth:+.1f}%)")
    print(f"descriptors       {fds_after_warmup:.0f} after warm-up -> {fds_end:.0f} at the end")
    print(f"malformed bodies  {bad_sent} sent, {bad_400} answered 400, {bad_503} refused 503 by the memory limiter")
    failures = []
    if rss_growth >= 5:
        failures.append(f"RSS grew {rss_growth:.1f}% after warm-up")
    if fds_end > fds_after_warmup + 2:
        failures.append("descriptors grew")
    if lost != 0:
        failures.append(f"{lost} spans unaccounted for")
    if bad_400 + bad_503 != bad_sent:
        failures.append("a malformed body was answered neither 400 nor 503")
    print("verdict           " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
