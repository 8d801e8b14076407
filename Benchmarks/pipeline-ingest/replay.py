"""Posts pre-encoded OTLP protobuf bodies to a receiver over one keep-alive connection per
process until --seconds have passed: as fast as it answers, or at --rate requests per second.
Prints requests sent and how many were refused (non-200), as one line:
`requests=N refused=M`."""
import argparse
import glob
import http.client
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bodies", required=True, help="directory of body-N.pb")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--rate", type=float, default=0, help="requests per second; 0 = unpaced")
    args = parser.parse_args()
    bodies = [open(path, "rb").read() for path in sorted(glob.glob(f"{args.bodies}/body-*.pb"))]
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
