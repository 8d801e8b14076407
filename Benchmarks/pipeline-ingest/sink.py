#!/usr/bin/env python3
"""A backend that accepts everything: reads each POST body and answers 200 at once.

  sink.py PORT_FILE      (listens on a free loopback port, written to PORT_FILE)
Stands in for an OTLP/HTTP collector in the ingest benchmark so that an exporter's cost is
its own encoding and sending, not a slow backend's. Standard library only.
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
