"""What the dashboard's web server enforces for every request: one body limit, security headers.

* **One request body limit** (:data:`MAX_REQUEST_BYTES`) for every endpoint, Dash's
  callbacks included: a WSGI middleware refuses a ``Content-Length`` above it with 413
  before the body is read, and cuts a chunked body off (413) as soon as it passes it.
  The limit leaves room for a 1 MB scenario upload (base64 in a JSON callback), and the
  callbacks refuse scenario text above 1 MB themselves
  (:data:`a6sim.dashboard.bundled.MAX_UPLOAD_BYTES`).
* **Security headers** on every response: a Content-Security-Policy allowing only the
  server itself (plus inline styles, and the hashes of Dash's own inline scripts),
  ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy: no-referrer``.
"""
from __future__ import annotations

import io

__all__ = ["MAX_REQUEST_BYTES", "BodyLimit", "content_security_policy", "secure"]

MAX_REQUEST_BYTES = 2 * 2**20
"""Largest request body accepted by any endpoint (bytes)."""

_TOO_LARGE = (b"request body too large: the dashboard accepts at most "
              + f"{MAX_REQUEST_BYTES:,}".encode() + b" bytes (scenario files up to 1 MB)\n")


class _TooLarge(Exception):
    pass


class _LimitedInput(io.RawIOBase):
    """``wsgi.input`` that raises once more than ``limit`` bytes have been read."""

    def __init__(self, stream, limit: int):
        self._stream, self._limit, self._read = stream, limit, 0

    def readable(self) -> bool:
        return True

    def _count(self, data: bytes) -> bytes:
        self._read += len(data)
        if self._read > self._limit:
            raise _TooLarge()
        return data

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._limit + 1 - self._read
        return self._count(self._stream.read(min(size, self._limit + 1 - self._read)))

    def readline(self, size: int = -1) -> bytes:
        cap = self._limit + 1 - self._read
        return self._count(self._stream.readline(cap if size is None or size < 0 else min(size, cap)))

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


class BodyLimit:
    """WSGI middleware: no request body above ``limit`` bytes reaches the application."""

    def __init__(self, app, limit: int = MAX_REQUEST_BYTES):
        self.app, self.limit = app, limit

    def __call__(self, environ, start_response):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            return self._refuse(start_response)
        environ["wsgi.input"] = _LimitedInput(environ["wsgi.input"], self.limit)
        try:
            return self.app(environ, start_response)
        except _TooLarge:
            return self._refuse(start_response)

    @staticmethod
    def _refuse(start_response):
        start_response("413 Request Entity Too Large", [("Content-Type", "text/plain; charset=utf-8"),
                                                        ("Content-Length", str(len(_TOO_LARGE))),
                                                        ("Connection", "close")])
        return [_TOO_LARGE]


def content_security_policy(app) -> str:
    """Only this server: scripts of its own files and Dash's inline ones (by hash), styles
    of its own files and inline (Dash and Plotly set style attributes), images and fonts
    of its own or data: URLs, no frames, no plugins."""
    hashes = " ".join(dict.fromkeys(h if h.startswith("'") else f"'{h}'" for h in app.csp_hashes()))
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {hashes}".rstrip(),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def secure(app) -> None:
    """Add the body limit and the security headers to a Dash app."""
    server = app.server
    server.wsgi_app = BodyLimit(server.wsgi_app)
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    policy: list[str] = []

    @server.after_request
    def _headers(response):
        if not policy:   # Dash knows its inline scripts once the layout is set
            policy.append(content_security_policy(app))
        response.headers["Content-Security-Policy"] = policy[0]
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
