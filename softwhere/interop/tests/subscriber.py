"""A TMF621 event listener on loopback for the tests: records every POST, can refuse the first ones."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Listener:
    def __init__(self, fail_first: int = 0) -> None:
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.fail_first = fail_first
        self.lock = threading.Lock()
        self.url = ""

    def types(self) -> list[str]:
        return [body.get("eventType", "") for _path, body in self.received]


@contextmanager
def listening(fail_first: int = 0) -> Iterator[Listener]:
    listener = Listener(fail_first)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            with listener.lock:
                if listener.fail_first > 0:
                    listener.fail_first -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                listener.received.append((self.path, body))
            self.send_response(201)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    listener.url = f"http://127.0.0.1:{server.server_address[1]}/listener"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        server.shutdown()
        server.server_close()
