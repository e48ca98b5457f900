"""Slow and half-open clients against a real uvicorn server run with `tally serve`'s
options (web.security.SERVER_OPTIONS), the deadlines shortened for the test: nothing
sent, a head sent a byte at a time, a body trickling in. The server must cut each off
and go on answering others."""
from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from tally.web import security
from tests.conftest import serving


@pytest.fixture
def served(store_copy, monkeypatch) -> Iterator[int]:
    monkeypatch.setattr(security, "HEAD_SECONDS", 1.0)
    monkeypatch.setattr(security, "BODY_GRACE_SECONDS", 1.0)
    monkeypatch.setattr(security, "BODY_MIN_RATE", 1000)
    with serving(store_copy, **security.SERVER_OPTIONS) as port:
        yield port


def _connect(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(15)  # far beyond the shortened deadlines: a hang fails the test
    return s


def _closed(s: socket.socket) -> bool:
    try:
        return s.recv(4096) == b""
    except ConnectionResetError:
        return True


def _get(port: int) -> bytes:
    with _connect(port) as s:
        s.sendall(f"GET /api/summary HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                  "Connection: close\r\n\r\n".encode())
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


def test_a_connection_that_sends_nothing_is_closed(served):
    with _connect(served) as s:
        assert _closed(s)
    assert _get(served).startswith(b"HTTP/1.1 200")


def test_a_head_sent_a_byte_at_a_time_is_cut_off(served):
    head = f"GET /api/summary HTTP/1.1\r\nHost: 127.0.0.1:{served}\r\nX-Slow: ".encode()
    with _connect(served) as s:
        s.sendall(head)
        try:
            for _ in range(40):  # 8 s of one byte every 0.2 s: each resets keep-alive
                s.sendall(b"a")
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            return  # cut off while sending
        assert _closed(s)


def test_a_trickling_body_gets_408(served):
    with _connect(served) as s:
        s.sendall(f"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1:{served}\r\n"
                  "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n".encode())
        answer = b""
        try:
            for _ in range(60):  # 10 bytes every 0.1 s: 100 bytes a second
                s.sendall(b" " * 10)
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass
        s.settimeout(5)
        try:
            while chunk := s.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"request body too slow" in answer


def test_keep_alive_requests_still_answer(served):
    from http.client import HTTPConnection

    conn = HTTPConnection("127.0.0.1", served, timeout=15)
    try:
        for _ in range(2):  # two requests on one connection
            conn.request("GET", "/api/summary")
            answer = conn.getresponse()
            assert answer.status == 200 and answer.read().startswith(b"{")
    finally:
        conn.close()
