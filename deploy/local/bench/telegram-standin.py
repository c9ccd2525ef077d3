#!/usr/bin/env python3
"""A stand-in for Telegram's Bot API for the fault checks (deploy/local/stack, faults_telegram): serves
/bot<token>/<method> as Telegram does (form or JSON parameters, {"ok": true, "result": ...} answers), each call
after 100-300 ms as Telegram's API takes. sendMessage answers a Message and is counted per chat; getUpdates answers
no updates; every other method (setWebhook, deleteWebhook, setMyCommands...) answers true. GET /chats gives the
messages sent per chat, for an exact accounting of a check's chats. Loopback only.
Usage: telegram-standin.py [port, default 18998] [--token T]"""
import argparse
import json
import random
import threading
import time
from urllib.parse import parse_qs, urlparse
from http.server import ThreadingHTTPServer

from standin_http import JsonHandler

lock = threading.Lock()
chats = {}
calls = 0
TOKEN = ""


class Handler(JsonHandler):
    def params(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if "json" in (self.headers.get("Content-Type") or ""):
            return {k: str(v) for k, v in (json.loads(raw or "{}")).items()}
        return {k: v[0] for k, v in parse_qs(raw).items()}

    def do_POST(self):
        global calls
        path = urlparse(self.path).path
        prefix = "/bot" + TOKEN + "/"
        params = self.params()
        time.sleep(random.uniform(0.1, 0.3))
        if not path.startswith(prefix):
            return self.reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        method = path[len(prefix):]
        with lock:
            calls += 1
            n = calls
        if method == "sendMessage":
            chat = int(params.get("chat_id", "0"))
            with lock:
                chats[chat] = chats.get(chat, 0) + 1
            return self.reply(200, {"ok": True, "result": {"message_id": n, "date": int(time.time()),
                                                          "chat": {"id": chat, "type": "private"},
                                                          "text": params.get("text", "")}})
        if method == "getUpdates":
            return self.reply(200, {"ok": True, "result": []})
        return self.reply(200, {"ok": True, "result": True})

    def do_GET(self):
        if urlparse(self.path).path == "/chats":
            with lock:
                return self.reply(200, {str(k): v for k, v in chats.items()})
        if self.path.startswith("/bot"):
            return self.do_POST()
        self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})


def main():
    global TOKEN
    parser = argparse.ArgumentParser()
    parser.add_argument("port", nargs="?", type=int, default=18998)
    parser.add_argument("--token", default="123456:TEST-bot-token-not-real")
    args = parser.parse_args()
    TOKEN = args.token
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
