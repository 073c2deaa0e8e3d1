"""Local mail servers for tests: `SmtpSink` (aiosmtpd) records the messages it accepts
and can hold one message unanswered until released, so that a test can kill the sender
at a known point; `HangingSmtpServer` accepts connections and never says a word."""

import asyncio
import email
import email.policy
import socket
import threading
from collections import Counter

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def use_smtp(settings, port: int, *, timeout: float = 5) -> None:
    """Point Django's SMTP backend at a local server (`settings`: pytest-django's)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = timeout


def smtp_environment(port: int, *, timeout: int = 10) -> dict[str, str]:
    """The same for a worker process."""
    return {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": str(timeout),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }


class SmtpSink:
    """Accepts every message (after `delay` seconds) and records its recipients. With
    `hold_message=n`, the n-th message is held unanswered (after the whole message has
    been received) until `release()`, then refused: the sender never got an answer."""

    def __init__(self, *, delay: float = 0.0, hold_message: int | None = None) -> None:
        self.delay = delay
        self.hold_message = hold_message
        self.holding = threading.Event()
        self.released = threading.Event()
        self._lock = threading.Lock()
        self._seen = 0
        self.recipients: list[str] = []
        self._accepted: list[tuple[tuple[str, ...], bytes]] = []  # (recipients, raw message)
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._lock:
            self._seen += 1
            number = self._seen
        if number == self.hold_message:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait, 60)
            return "451 4.3.0 Held by the test, not delivered"
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self.recipients.extend(envelope.rcpt_tos)
            self._accepted.append((tuple(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 Accepted"

    def received(self) -> Counter[str]:
        with self._lock:
            return Counter(self.recipients)

    @property
    def messages(self) -> list[str]:
        """The raw text of each message accepted, in order."""
        with self._lock:
            return [content.decode("utf-8", errors="replace") for _, content in self._accepted]

    def messages_to(self, address: str) -> list[email.message.Message]:
        """The messages accepted for `address`, parsed."""
        with self._lock:
            raw = [content for to, content in self._accepted if address in to]
        return [email.message_from_bytes(content, policy=email.policy.default) for content in raw]

    def release(self) -> None:
        self.released.set()

    def __enter__(self) -> "SmtpSink":
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self._controller.stop()


class HangingSmtpServer:
    """Accepts TCP connections and never answers: no greeting, no reply, no close."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._socket.getsockname()[1])
        self._socket.settimeout(0.1)
        self.connections: list[socket.socket] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _address = self._socket.accept()
            except TimeoutError:
                continue
            self.connections.append(connection)

    def __enter__(self) -> "HangingSmtpServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        self._socket.close()
        for connection in self.connections:
            connection.close()
