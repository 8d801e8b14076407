"""Posts pre-encoded OTLP protobuf bodies to a receiver over one keep-alive connection per
process until --seconds have passed: as fast as it answers, or at --rate requests per second.
Prints requests sent and how many were refused (non-200), as one line:
`requests=N refused=M`.

--fresh-trace-ids rewrites the first 8 bytes of every trace ID before each request (from
body-N.traces, written by make_bodies.py) with this process's ID and a request counter, so
every request carries traces never seen before, as a store of traces needs."""
import argparse
import glob
import http.client
import json
import os
import struct
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bodies", required=True, help="directory of body-N.pb")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--rate", type=float, default=0, help="requests per second; 0 = unpaced")
    parser.add_argument("--fresh-trace-ids", action="store_true")
    args = parser.parse_args()
    paths = sorted(glob.glob(f"{args.bodies}/body-*.pb"))
    bodies = [open(path, "rb").read() for path in paths]
    offsets = [json.load(open(path[:-3] + ".traces")) for path in paths] if args.fresh_trace_ids else None
    headers = {"Content-Type": "application/x-protobuf"}
    connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    sent = refused = 0
    started = time.monotonic()
    deadline = started + args.seconds
    while time.monotonic() < deadline:
        if args.rate > 0:
            # Paced from the start time, so a slow answer is caught up rather than lost.
            due = started + sent / args.rate
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        body = bodies[sent % len(bodies)]
        if offsets is not None:
            body = bytearray(body)
            high = struct.pack(">Q", (os.getpid() << 32) | (sent + refused))
            for offset in offsets[sent % len(bodies)]:
                body[offset:offset + 8] = high
        try:
            connection.request("POST", "/v1/traces", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):  # refused, reset or timed out
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
            refused += 1
            continue
        sent += 1
        if response.status != 200:
            refused += 1
            time.sleep(0.01)
    print(f"requests={sent} refused={refused}")


if __name__ == "__main__":
    main()
