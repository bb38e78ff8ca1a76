"""How the dashboard names the address it listens on, and when it warns about it.

``--host`` takes every form people type: ``127.0.0.1`` or ``localhost`` (this machine
only, the default), ``0`` or ``0.0.0.0`` (every IPv4 interface), ``::`` (every
interface, IPv6 and, on most systems, IPv4), an IPv6 address with or without brackets
(``[::1]``, ``::1``), or an IPv4 address or host name. The URL printed is one a browser
on this machine can open: IPv6 addresses in brackets, ``localhost`` for the IPv4
loopback and for "every IPv4 interface", ``[::1]`` for "every interface".
Listening on every interface prints a warning: anyone on the network can then use
the dashboard.
"""
from __future__ import annotations

import socket

__all__ = ["listen_host", "browser_url", "everywhere", "network_warning"]

_EVERYWHERE = {"0.0.0.0", "::", ""}


def listen_host(host: str) -> str:
    """The address to give the server: brackets removed, ``0`` as ``0.0.0.0``."""
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return "0.0.0.0" if host == "0" else host


def everywhere(effective_host: str) -> bool:
    """Does the server listen on every interface?"""
    return effective_host in _EVERYWHERE


def browser_url(effective_host: str, port: int, path: str = "/") -> str:
    """A URL of the server for a browser on this machine."""
    if effective_host in ("127.0.0.1", "0.0.0.0", ""):
        shown = "localhost"
    elif effective_host == "::":
        shown = "[::1]"
    elif ":" in effective_host:
        shown = f"[{effective_host}]"
    else:
        shown = effective_host
    return f"http://{shown}:{port}{path}"


def network_warning(effective_host: str, port: int) -> str:
    """What to tell the teacher when the dashboard is open to the network."""
    try:
        name = socket.gethostname()
    except OSError:
        name = "this-machine"
    scope = "every network interface (IPv6 and IPv4)" if effective_host == "::" else "every IPv4 network interface"
    return (f"WARNING: the dashboard listens on {scope}, port {port}: anyone who can reach this machine "
            f"can open it and run scenarios. Participants open http://{name}:{port}/ (or this machine's "
            "address on the room's network). Use --host 127.0.0.1 to keep it to this machine.")
