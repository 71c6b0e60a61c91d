"""Who may reach the dashboard: the address it listens on and the hosts a request may name.

The dashboard listens on 127.0.0.1 unless told otherwise. Listening on loopback is not
enough on its own: a web page on another site can make the browser send requests to
127.0.0.1 (cross-site requests, or DNS rebinding, where the attacker's name resolves to
127.0.0.1). Every page and websocket request therefore has to name, in its ``Host`` header
and in its ``Origin`` header when it has one, a host:port this server was started for;
anything else gets 403 before a session is made.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from bokeh.server.auth_provider import AuthProvider
from tornado.web import HTTPError, RequestHandler

__all__ = ["HostGuard", "allowed_hosts", "check_bindable", "free_port", "is_loopback"]

_WILDCARDS = ("0.0.0.0", "::", "")


def is_loopback(address: str) -> bool:
    """Return whether ``address`` (an IP or a name) is this machine only."""
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def check_bindable(address: str, port: int) -> int:
    """Return ``port`` if a server can listen on address:port now; raise OSError if not.

    Bokeh binds later, inside its server; probing first turns an unknown host, an address
    that is not this machine's or a port in use into one clear message.
    """
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado does
        probe.bind((address, port))
        return int(probe.getsockname()[1])


def free_port(address: str) -> int:
    """Return a port that is free on ``address`` now (so the allowed hosts can name it)."""
    return check_bindable(address, 0)


def _host_port(host: str, port: int) -> str:
    host = host.strip().lower()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 literal, as it appears in a URL
    return f"{host}:{port}"


def allowed_hosts(address: str, port: int, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Return the ``host:port`` names a request may use to reach a server on address:port.

    The address itself; ``localhost`` and ``127.0.0.1`` when it is loopback or a wildcard
    (0.0.0.0, ::) that includes loopback; and each of ``extra`` (``host`` or ``host:port``,
    for the name other machines use when listening on a wildcard).
    """
    names = [_host_port(address, port)] if address else []  # 0.0.0.0: what --show opens
    if is_loopback(address) or address in _WILDCARDS:
        names += [_host_port("127.0.0.1", port), _host_port("localhost", port)]
    for name in extra:
        name = name.strip().lower()
        if not name:
            continue
        parsed = urlsplit(f"//{name}")
        names.append(name if parsed.port is not None else _host_port(name, port))
    return tuple(dict.fromkeys(names))


def _netloc(value: str, default_port: int) -> str:
    """Return ``host:port`` of a Host header (``value``) or of an Origin URL."""
    parsed = urlsplit(value if "//" in value else f"//{value}")
    if parsed.hostname is None:
        return ""
    try:
        port = parsed.port
    except ValueError:
        return ""
    return _host_port(parsed.hostname, default_port if port is None else port)


class _Refused(RequestHandler):
    """The page a refused request would be sent to (never linked; answers 403)."""

    def get(self) -> None:
        raise HTTPError(403)


class HostGuard(AuthProvider):
    """A Bokeh auth hook that answers 403 to a request naming a host not in ``allowed``.

    Checked on every page, websocket, metadata and autoload request, before Bokeh makes a
    session; static files (the same for everyone) are not checked.
    """

    def __init__(self, allowed: Iterable[str]) -> None:
        self.allowed = frozenset(name.lower() for name in allowed)
        super().__init__()

    def permits(self, host: str | None, origin: str | None) -> bool:
        """Return whether a request with these ``Host`` and ``Origin`` headers may proceed."""
        if not host or _netloc(host, 80) not in self.allowed:
            return False
        if origin is None:
            return True  # a same-origin GET carries no Origin; its Host was checked
        return _netloc(origin, 80) in self.allowed

    async def _user(self, handler: Any) -> Any:
        headers = handler.request.headers
        if not self.permits(headers.get("Host"), headers.get("Origin")):
            raise HTTPError(
                403,
                reason="Forbidden: this dashboard answers only to the host it was started for",
            )
        return "local"

    @property
    def get_user_async(self) -> Callable[[Any], Awaitable[Any]]:
        """Check the request's Host and Origin; raise 403 when either is foreign."""
        return self._user

    @property
    def login_url(self) -> str:
        """Required by Bokeh alongside a user hook; never reached (refusals are 403)."""
        return "/refused"

    @property
    def login_handler(self) -> type[RequestHandler]:
        """Answer 403 at :attr:`login_url`."""
        return _Refused
