"""A real authoritative DNS server for the tests: dnslib's DNSServer on 127.0.0.1 (UDP,
a free port), answering the TXT records a test publishes; Mentorat's resolver (dnspython)
is pointed at it through the setting SSO_DNS_NAMESERVERS."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from dnslib import QTYPE, RCODE, RR, TXT, DNSRecord
from dnslib.server import BaseResolver, DNSServer


@dataclass
class Zone(BaseResolver):  # type: ignore[misc]
    """TXT records by name (without the final dot); names in `failing` answer SERVFAIL."""

    records: dict[str, list[str]] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    questions: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, name: str, value: str) -> None:
        with self.lock:
            self.records.setdefault(name.lower().rstrip("."), []).append(value)

    def resolve(self, request: DNSRecord, handler: Any) -> DNSRecord:
        reply = request.reply()
        name = str(request.q.qname).lower().rstrip(".")
        with self.lock:
            self.questions.append(name)
            values = list(self.records.get(name, []))
            failing = name in self.failing
        if failing:
            reply.header.rcode = RCODE.SERVFAIL
        elif not values:
            reply.header.rcode = RCODE.NXDOMAIN
        elif request.q.qtype == QTYPE.TXT:
            for value in values:
                reply.add_answer(RR(name, QTYPE.TXT, rdata=TXT(value), ttl=60))
        return reply


@contextmanager
def running_dns_server() -> Iterator[tuple[Zone, str]]:
    """The zone and its "127.0.0.1:port" address, for SSO_DNS_NAMESERVERS."""
    zone = Zone()
    server = DNSServer(zone, address="127.0.0.1", port=0)
    server.start_thread()
    try:
        host, port = server.server.server_address
        yield zone, f"{host}:{port}"
    finally:
        server.stop()
        server.server.server_close()
