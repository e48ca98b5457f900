"""The guards around the workspace and the API, as one ASGI middleware.

A page the analyst visits elsewhere can make the browser send requests to the workspace
on 127.0.0.1; so every request that writes must prove it comes from the workspace itself:

- the Host header must name this server (a rebinding DNS name does not);
- a write must carry JSON (`content-type: application/json`): a cross-site form or a
  `no-cors` fetch can only send text/plain, form or multipart bodies;
- a write with an Origin (or Sec-Fetch-Site) from another site is refused;
- when the server is reachable from other machines, writes need `TALLY_TOKEN`
  (`Authorization: Bearer …` or `X-Tally-Token`), compared in constant time; without a
  token set, such a server does not write at all.

Every answer carries a Content-Security-Policy without inline script, nosniff and
frame-ancestors 'none'. A request body that stops arriving, or trickles in slower than
BODY_MIN_RATE, is cut off (408); a connection that does not send a whole request head
within HEAD_SECONDS is closed (`HeadDeadline`, the protocol `tally serve` runs).
"""
from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from uvicorn.protocols.http.h11_impl import H11Protocol

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Inline <style> in the report is allowed; inline script never is.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()),
           (b"x-content-type-options", b"nosniff"),
           (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"no-referrer")]
BODY_IDLE_SECONDS = 30.0  # longest wait for the next piece of a request body
# After a grace period a body must keep this average rate: 10 bytes a second would hold
# a write open for days while staying under the idle limit.
BODY_GRACE_SECONDS = 10.0
BODY_MIN_RATE = 10_000  # bytes per second
HEAD_SECONDS = 10.0  # from connecting (or the last answer) to a whole request head
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Guard:
    def __init__(self, app: ASGIApp, bind: str = "127.0.0.1", token: str | None = None,
                 body_limit: int | None = None) -> None:
        self.app = app
        self.loopback = is_loopback(bind)
        self.token = token or None
        self.body_limit = body_limit
        # Bound to loopback: only loopback names may appear in Host (no DNS rebinding).
        # Bound wider: any name may reach it, and the token guards the writes.
        self.hosts = LOOPBACK_NAMES | {bind} if self.loopback else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in HEADERS if k not in names)]
            await send(message)

        problem = self.refuse(scope)
        if problem:
            await _error(send_with_headers, *problem)
            return
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send_with_headers)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        began, received = time.monotonic(), 0

        async def receive_in_time() -> Message:
            nonlocal received
            due = began + BODY_GRACE_SECONDS + received / BODY_MIN_RATE
            wait = min(BODY_IDLE_SECONDS, due - time.monotonic())
            if wait <= 0:
                raise _SlowBody
            try:
                message = await asyncio.wait_for(receive(), wait)
            except asyncio.TimeoutError:
                raise _SlowBody from None
            received += len(message.get("body", b""))
            return message

        try:
            await self.app(scope, receive_in_time, send_tracked)
        except _SlowBody:
            if not started:
                await _error(send_with_headers, 408, "request body too slow: it stopped or "
                             f"came slower than {BODY_MIN_RATE:,} bytes a second")

    def refuse(self, scope: Scope) -> tuple[int, str] | None:
        """(status, why) when the request must not reach the app."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        raw = scope.get("raw_path") or scope.get("path", "").encode()
        if b"%00" in raw or b"\x00" in raw:
            return 400, "NUL character in the request path"
        for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1")):
            if "\x00" in name + value:  # no store can compare it (PostgreSQL refuses)
                return 400, f"{name.replace(chr(0), '')} contains a NUL character"
        host = _hostname(headers.get("host", ""))
        if self.hosts is not None and host not in self.hosts:
            return 421, f"Host {headers.get('host', '')!r} is not this server"
        if scope["method"] in SAFE_METHODS:
            return None
        length = headers.get("content-length", "")
        if self.body_limit and length.isdigit() and int(length) > self.body_limit:
            return 413, (f"request body too large (limit {self.body_limit:,} bytes): send "
                         "fewer documents per request")
        origin = headers.get("origin")
        if origin is not None and (origin == "null" or _hostport(origin) != _hostport(
                f"//{headers.get('host', '')}")):
            return 403, f"cross-origin write refused (Origin {origin})"
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return 403, f"cross-site write refused (Sec-Fetch-Site {site})"
        media = headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/json":
            return 415, "writes take a JSON body (content-type: application/json)"
        if self.loopback and self.token is None:
            return None
        if self.token is None:
            return 403, ("this server is reachable from other machines: writes need "
                         "TALLY_TOKEN set where it runs")
        given = headers.get("x-tally-token") or _bearer(headers.get("authorization", ""))
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return 401, "writes need the token (Authorization: Bearer $TALLY_TOKEN)"
        return None


class _SlowBody(Exception):
    pass


def _bearer(value: str) -> str:
    scheme, _, credentials = value.partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def _hostname(host: str) -> str:
    return (urlsplit(f"//{host}").hostname or "").lower()


def _hostport(url: str) -> tuple[str, int | None]:
    try:
        parts = urlsplit(url)
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", None


async def _error(send: Send, status: int, message: str) -> None:
    """The API's one error shape, from outside the app."""
    body = json.dumps({"ok": False, "error": message, "status": status}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class HeadDeadline(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, with a deadline for each request head: a client that
    connects and sends nothing, or sends its headers a byte at a time, is disconnected
    after HEAD_SECONDS (uvicorn's keep-alive timer restarts on every byte)."""

    _head_timer: asyncio.TimerHandle | None = None
    _armed_for: object = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._armed_for = self.cycle  # a new request replaces it
        self._head_timer = self.loop.call_later(HEAD_SECONDS, self._head_late)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_late(self) -> None:
        self._head_timer = None
        if self.cycle is self._armed_for and not self.transport.is_closing():
            self.transport.close()


# What `tally serve` gives uvicorn: idle keep-alive connections closed after 5 s, request
# heads due within HEAD_SECONDS, and beyond 64 connections at once an answer 503 rather
# than a queue without end.
SERVER_OPTIONS: dict[str, Any] = {"timeout_keep_alive": 5, "limit_concurrency": 64,
                                  "http": HeadDeadline}
