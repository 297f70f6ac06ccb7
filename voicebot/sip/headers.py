"""Reading caller id and the dialled number out of a raw SIP request, and peer allow-lists."""

from __future__ import annotations

import ipaddress
import re

_URI_USER = re.compile(r"(?:sips?|tel):\+?([^@;>\s]+)", re.IGNORECASE)


def _header(message: str, names: tuple[str, ...]) -> str:
    for line in message.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() in names:
            return value.strip()
    return ""


def uri_user(value: str) -> str:
    """The user part of the first SIP/tel URI in a header value, ``""`` if none or anonymous."""
    match = _URI_USER.search(value)
    if not match:
        return ""
    user = match.group(1)
    return "" if user.lower() in {"anonymous", "unknown", "restricted"} else user


def caller_id(message: str) -> str:
    """Caller id from P-Asserted-Identity, else From (compact form ``f`` too)."""
    asserted = uri_user(_header(message, ("p-asserted-identity",)))
    return asserted or uri_user(_header(message, ("from", "f")))


def _name_addr(value: str) -> str:
    """A header value without its header parameters (``;tag=...`` after ``>``)."""
    if "<" in value and ">" in value:
        return value[: value.index(">", value.index("<")) + 1].strip()
    return value.split(";", 1)[0].strip()


def caller_uri(message: str) -> str:
    """The caller as signalled: P-Asserted-Identity's address when it names a user, else From's;
    ``""`` when withheld. ``voicebot.callerid`` normalizes it (``+86``, trunk prefixes)."""
    for names in (("p-asserted-identity",), ("from", "f")):
        value = _header(message, names)
        if uri_user(value):
            return _name_addr(value)
    return ""


def dialled(message: str) -> str:
    """User part of the Request-URI."""
    first = message.splitlines()[0] if message else ""
    parts = first.split()
    return uri_user(parts[1]) if len(parts) >= 2 else ""


def peer_allowed(address: str, allow: tuple[str, ...]) -> bool:
    """Whether ``IP:PORT`` or ``[IPv6]:PORT`` lies in an ``allow`` network (``*``: all)."""
    if "*" in allow:
        return True
    if address.startswith("["):
        host = address[1:].split("]", 1)[0]
    else:
        host = address.rsplit(":", 1)[0] if address.count(":") == 1 else address
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    for net in allow:
        try:
            if ip in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:
            continue
    return False
