"""Reading a domain's DNS TXT records, with dnspython, through the name servers of the
setting SSO_DNS_NAMESERVERS (the system's resolver when it is empty)."""

import dns.exception
import dns.nameserver
import dns.resolver
from django.conf import settings


class LookupFailed(Exception):
    """The DNS servers could not answer (timeout, refused, server failure)."""


def _resolver() -> dns.resolver.Resolver:
    configured: list[str] = list(settings.SSO_DNS_NAMESERVERS)
    resolver = dns.resolver.Resolver(configure=not configured)
    if configured:
        servers: list[str | dns.nameserver.Nameserver] = []
        for item in configured:
            host, _colon, port = item.rpartition(":") if item.count(":") == 1 else (item, "", "")
            servers.append(dns.nameserver.Do53Nameserver(host, int(port or 53)))
        resolver.nameservers = servers
    resolver.lifetime = float(settings.SSO_DNS_TIMEOUT_SECONDS)
    # Fresh answers only: an admin who just published the record checks again at once.
    resolver.cache = None
    return resolver


def txt_values(name: str) -> list[str]:
    """The values of the TXT records at `name` (each record's strings joined, as RFC 7208
    reads a long record); [] when the name or its TXT records do not exist."""
    try:
        answer = _resolver().resolve(name, "TXT", search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except dns.exception.DNSException as error:
        raise LookupFailed(str(error)) from error
    return [b"".join(rdata.strings).decode("utf-8", errors="replace") for rdata in answer]
