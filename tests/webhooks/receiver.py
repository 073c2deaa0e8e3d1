"""A webhook receiver for tests: a real HTTP server that verifies each delivery with the
Standard Webhooks library (not the project's code) and answers with scripted statuses."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    webhook_id: str
    verified: bool
    payload: Any
    status: int


@dataclass
class Receiver:
    secret: str = ""
    #: statuses to answer, in order; the last one repeats.
    statuses: list[int] = field(default_factory=lambda: [200])
    requests: list[Received] = field(default_factory=list)
    url: str = ""
    #: when set, the first request is held unanswered until `release` is set.
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event | None = None

    def answer(self) -> int:
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]

    @property
    def delivered_ids(self) -> list[str]:
        """webhook-ids of the requests answered with success, in order."""
        return [r.webhook_id for r in self.requests if 200 <= r.status < 300]


@contextmanager
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                payload = Webhook(state.secret).verify(body, headers)
                verified = True
            except WebhookVerificationError:
                payload, verified = None, False
            status = state.answer() if verified else 400
            if state.release is not None and not state.holding.is_set():
                state.holding.set()
                state.requests.append(Received(headers.get("webhook-id", ""), verified, payload, 0))
                state.release.wait(timeout=60)
                return  # the sender is gone: nobody reads an answer
            state.requests.append(
                Received(headers.get("webhook-id", ""), verified, payload, status)
            )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
