"""Where Makegood may send a request: public addresses only, unless an administrator allows more.

A webhook endpoint (or the payment system's URL) is typed by a person; without this check it
could point Makegood at its own loopback, the private network or the cloud's metadata address
(server-side request forgery). Addresses are checked twice: when the URL is saved (a literal
address or a name that resolves to one is refused with a clear message) and again at delivery
time on the address actually connected to, since a name can resolve elsewhere later (DNS
rebinding). `MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE` turns the check off, for installations whose
receivers live on the private network (and for tests that post to a local server).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_SETTING = "MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE"


def private_allowed() -> bool:
    return bool(getattr(settings, ALLOW_SETTING, False))


def address_is_public(address: IPAddress) -> bool:
    """False for loopback, private, link-local, shared, multicast, reserved and unspecified addresses."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (address.is_multicast or address.is_unspecified or address.is_reserved)


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the name resolves to (raises OSError when it does not resolve)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def url_refusal(url: str) -> str | None:
    """Why a URL may not be saved as a destination, or None when it may.

    A name that does not resolve now is accepted (it may be created later); it is checked again,
    resolved, at each delivery.
    """
    if private_allowed():
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "This is not a valid URL."
    if not host:
        return "The URL has no host."
    literal = _literal(host)
    if literal is not None:
        addresses = [literal]
    elif host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return f"{host} is a local name: Makegood only sends to public addresses ({ALLOW_SETTING} allows private ones)."
    else:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError):
            return None
    for address in addresses:
        if not address_is_public(address):
            return (
                f"{host} is (or resolves to) {address}, a loopback, private, link-local or reserved address: "
                f"Makegood only sends to public addresses ({ALLOW_SETTING} allows private ones)."
            )
    return None


def validate_public_url(url: str) -> None:
    """A model or form validator: refuses URLs that point at non-public addresses."""
    refusal = url_refusal(url)
    if refusal:
        raise ValidationError(refusal, code="private_address")
