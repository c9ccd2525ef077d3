#!/usr/bin/env python3
"""A stand-in for Twilio's Messages API for the sms-dispatcher benchmark: answers every create with 201 and a fresh
SID, records when each arrived and to whom, and serves GET /stats (count, first, last arrival in epoch seconds, the
most creates it held at once and how many it holds now, how many recipients got a message and how many got more than one). With --latency-ms it answers each create that long after it arrived, as Twilio's API takes
100-300 ms; creates are served concurrently (a thread each). Like Twilio, a message exists from the moment its create
arrives, and the Messages list (GET .../Messages.json?To=&From=&PageSize=, newest first, date_created to the second)
shows it: sms-dispatcher asks it before resending a message a crash interrupted. With --reject-suffix D every
number ending in D is refused for good as Twilio refuses an invalid number (400, error 21211; GET /rejected counts
them). POST /outage?seconds=N makes it unavailable for N seconds, as Twilio is in an incident: every create answers
503 (error 20503) after the latency and creates nothing; GET /unavailable counts those answers per recipient.
POST /slow?seconds=N&answer_ms=M makes it slow for N seconds, as Twilio is when it is overloaded: each create is
taken (and listed) when it arrives, but answered only M ms later; GET /slow counts those creates per recipient.
With &list_ms=L&list_every=K every K-th of those creates is also slow to be created: it is listed only L ms after it
arrived (a provider slow to answer may be as slow to create); GET /slow-created counts those per recipient.
Loopback only.
Usage: twilio-standin.py [port, default 18998] [--latency-ms N, default 0] [--reject-suffix D]"""
import argparse
import json
import threading
import time
import uuid
from urllib.parse import parse_qs, urlparse
from http.server import ThreadingHTTPServer

from standin_http import JsonHandler

lock = threading.Lock()
arrivals = []
recipients = {}
messages = []  # every create, as the Messages list shows it
held = 0
max_held = 0
LATENCY = 0.0
REJECT_SUFFIX = None
rejected = {}  # refused creates per recipient (--reject-suffix)
down_until = 0.0  # POST /outage: creates answer 503 until then
unavailable = {}  # creates answered 503 per recipient
slow_until = 0.0  # POST /slow: creates are taken at once but answered late until then
slow_answer = 0.0  # how late, in seconds
slowed = {}  # creates answered late per recipient
slow_list = 0.0  # how late every slow_every-th slow create is listed, in seconds
slow_every = 0
slow_created = {}  # slow creates listed late per recipient


def created(message):
    with lock:
        message["created"] = time.time()
        messages.append(message)


class Handler(JsonHandler):
    def do_POST(self):
        global held, max_held, down_until, slow_until, slow_answer, slow_list, slow_every
        form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        url = urlparse(self.path)
        if url.path == "/outage":
            with lock:
                down_until = time.time() + float(parse_qs(url.query)["seconds"][0])
            return self.reply(200, {"down_until": down_until})
        if url.path == "/slow":
            query = parse_qs(url.query)
            with lock:
                slow_until = time.time() + float(query["seconds"][0])
                slow_answer = float(query["answer_ms"][0]) / 1000.0
                slow_list = float((query.get("list_ms") or ["0"])[0]) / 1000.0
                slow_every = int((query.get("list_every") or ["0"])[0])
            return self.reply(200, {"slow_until": slow_until})
        to = (form.get("To") or [""])[0]
        arrived = time.time()
        if arrived < down_until:
            with lock:
                unavailable[to] = unavailable.get(to, 0) + 1
            time.sleep(LATENCY)
            return self.reply(503, {"code": 20503, "message": "Service Unavailable",
                                    "more_info": "https://www.twilio.com/docs/errors/20503", "status": 503})
        if REJECT_SUFFIX is not None and to.endswith(REJECT_SUFFIX):
            # Twilio refuses such a number for good: HTTP 400, error 21211; nothing is created or billed.
            with lock:
                rejected[to] = rejected.get(to, 0) + 1
            time.sleep(LATENCY)
            return self.reply(400, {"code": 21211, "message": "The 'To' number %s is not a valid phone number." % to,
                                    "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400})
        sid = "SM" + uuid.uuid4().hex
        latency = LATENCY
        listed_after = 0.0
        with lock:
            if arrived < slow_until:
                latency = slow_answer
                slowed[to] = slowed.get(to, 0) + 1
                if slow_every > 0 and sum(slowed.values()) % slow_every == 0:
                    listed_after = slow_list
                    slow_created[to] = slow_created.get(to, 0) + 1
            arrivals.append(arrived)
            recipients[to] = recipients.get(to, 0) + 1
            held += 1
            max_held = max(max_held, held)
        message = {"sid": sid, "to": to, "from": (form.get("From") or [""])[0],
                   "body": (form.get("Body") or [""])[0], "created": arrived}
        if listed_after > 0:
            # Created (and listed) only once the provider got to it, whether or not the client still waits.
            threading.Timer(listed_after, lambda: created(message)).start()
        else:
            created(message)
        try:
            left = latency - (time.time() - arrived)
            if left > 0:
                time.sleep(left)
        finally:
            with lock:
                held -= 1
        self.reply(201, {"sid": sid, "status": "queued", "num_segments": "1", "price": None, "price_unit": "USD",
                         "account_sid": "ACbench", "to": "", "from": "+15005550006", "body": ""})

    def do_GET(self):
        url = urlparse(self.path)
        if url.path.endswith("/Messages.json"):
            return self.list_messages(url)
        if url.path == "/recipients":  # messages per recipient, for an exact accounting of one run's phones
            with lock:
                return self.reply(200, dict(recipients))
        if url.path == "/rejected":  # refused creates per recipient
            with lock:
                return self.reply(200, dict(rejected))
        if url.path == "/unavailable":  # creates answered 503 during an outage, per recipient
            with lock:
                return self.reply(200, dict(unavailable))
        if url.path == "/slow":  # creates answered late (POST /slow), per recipient
            with lock:
                return self.reply(200, dict(slowed))
        if url.path == "/slow-created":  # of those, the creates listed late (list_ms), per recipient
            with lock:
                return self.reply(200, dict(slow_created))
        since = float(self.path.split("since=")[1]) if "since=" in self.path else 0
        with lock:
            after = [t for t in arrivals if t >= since]
            most = max_held
            distinct = len(recipients)
            duplicates = sum(1 for n in recipients.values() if n > 1)
        self.reply(200, {"count": len(after), "first": after[0] if after else None,
                         "last": after[-1] if after else None, "max_concurrent": most, "held": held,
                         "recipients": distinct, "duplicates": duplicates})


    def list_messages(self, url):
        query = parse_qs(url.query)
        to, sender = (query.get("To") or [None])[0], (query.get("From") or [None])[0]
        size = int((query.get("PageSize") or ["50"])[0])
        with lock:
            found = [m for m in reversed(messages) if (to is None or m["to"] == to)
                     and (sender is None or m["from"] == sender)][:size]
        self.reply(200, {"messages": [{"sid": m["sid"], "to": m["to"], "from": m["from"], "body": m["body"],
                                       "status": "queued", "num_segments": "1", "price": None, "price_unit": "USD",
                                       "date_created": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(m["created"]))} for m in found],
                         "uri": url.path, "first_page_uri": url.path, "next_page_uri": None,
                         "previous_page_uri": None, "page_size": size, "page": 0})


class Server(ThreadingHTTPServer):
    # The courier opens up to SMS_MAX_IN_FLIGHT connections at once; the default backlog (5) would drop SYNs.
    request_queue_size = 1024
    daemon_threads = True


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("port", nargs="?", type=int, default=18998)
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--reject-suffix", help="refuse (400, error 21211) every To number ending in these digits")
    args = parser.parse_args()
    LATENCY = args.latency_ms / 1000.0
    REJECT_SUFFIX = args.reject_suffix
    Server(("127.0.0.1", args.port), Handler).serve_forever()
