"""Where a webhook may be sent: public addresses only, unless the operator allows private ones.

A URL naming a host is resolved and every address it resolves to is checked, once when the
subscription is made and again before each delivery (a name that resolved to a public address
yesterday may name 127.0.0.1 today: DNS rebinding). The delivery then connects to the address
that was checked, never to the name again.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from importers.said import Said, said

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    """A checked URL: the host it names, the address to connect to, and the request path."""

    scheme: str
    host: str
    port: int
    address: str
    path: str


class Refused(ValueError):
    """A URL Hilltrack will not send to, with the reason in words a person can act on."""

    def __init__(self, message: Said) -> None:
        super().__init__(message)
        self.message = message


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system's resolver)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def is_public(address: IPAddress) -> bool:
    """Whether an address is on the public internet: not private, loopback, link-local (the
    cloud metadata service at 169.254.169.254), multicast, reserved or unspecified."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_url(url: str, *, allow_private: bool, resolver: Resolver = resolve) -> Target:
    """The target of ``url`` if Hilltrack may send to it; raises Refused otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(said("Give a web address that starts with https:// or http://."))
    if parts.username or parts.password:
        raise Refused(said("Leave the user name and password out of the address."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused(said("The port in that address is not a number Hilltrack can use.")) from None
    host = parts.hostname
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise Refused(said("The name %(host)s could not be found; check the address.", host=host))
    if not allow_private:
        for found in addresses:
            if not is_public(ipaddress.ip_address(found.split("%")[0])):
                raise Refused(_private(host, found))
    path = parts.path or "/"
    return Target(
        parts.scheme, host, port, addresses[0], path + (f"?{parts.query}" if parts.query else "")
    )


def _private(host: str, address: str) -> Said:
    if host.strip("[]") == address:  # an address typed as it is: no name led anywhere
        return said(
            "%(address)s is a private, local or reserved address: Hilltrack sends webhooks only "
            "to addresses on the public internet. Use the receiver's public address, or ask the "
            "person who runs Hilltrack to set TRACKER_WEBHOOK_ALLOW_PRIVATE=true if the "
            "receiver is on your own network.",
            address=address,
        )
    return said(
        "%(host)s leads to %(address)s, a private, local or reserved address: Hilltrack sends "
        "webhooks only to addresses on the public internet. Use the receiver's public address, "
        "or ask the person who runs Hilltrack to set TRACKER_WEBHOOK_ALLOW_PRIVATE=true if the "
        "receiver is on your own network.",
        host=host,
        address=address,
    )
