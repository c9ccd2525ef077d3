#!/usr/bin/env python3
"""A stand-in for Twilio's Messages API for the sms-dispatcher benchmark: answers every create with 201 and a fresh
SID, records when each arrived, and serves GET /stats (count, first, last arrival in epoch seconds). Loopback only."""
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
arrivals = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle on, the body waits for the client's delayed ACK (40 ms).
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            arrivals.append(time.time())
        sid = "SM" + uuid.uuid4().hex
        self.reply(201, {"sid": sid, "status": "queued", "num_segments": "1", "price": None, "price_unit": "USD",
                         "account_sid": "ACbench", "to": "", "from": "+15005550006", "body": ""})

    def do_GET(self):
        since = float(self.path.split("since=")[1]) if "since=" in self.path else 0
        with lock:
            after = [t for t in arrivals if t >= since]
        self.reply(200, {"count": len(after), "first": after[0] if after else None,
                         "last": after[-1] if after else None})


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 18998), Handler).serve_forever()
