#!/usr/bin/env python3
"""Slow and idle clients against a running referat-serve, over loopback; prints timings.

Usage: slow_clients.py PORT [N]        (host 127.0.0.1; N connections, default 80, at most 500)

1. N connections each send half a request line and then nothing; meanwhile GET /healthz is timed.
2. N keep-alive connections each send one whole request and then stay idle; /healthz is timed.
3. One POST without Content-Length (and no body): time until the server answers and closes.
Every socket has a 30 s timeout, so the script ends within about two minutes whatever the
server does. It only measures; it asserts nothing (the gtest SlowClients does).
"""
import socket
import sys
import time

HOST = "127.0.0.1"
TIMEOUT = 30.0


def request(port, raw):
    """Sends raw bytes, reads until the server closes; returns (seconds, status line)."""
    t = time.monotonic()
    with socket.create_connection((HOST, port), timeout=TIMEOUT) as s:
        s.sendall(raw)
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data and b"Connection: close" not in data and data.startswith(b"HTTP/"):
                    # keep-alive answer: the headers (and a short body) are enough
                    if len(data) > data.index(b"\r\n\r\n") + 4:
                        break
        except socket.timeout:
            return time.monotonic() - t, "timeout after %.0f s" % TIMEOUT
    return time.monotonic() - t, data.split(b"\r\n", 1)[0].decode("latin-1") or "closed, no answer"


def healthz(port):
    return request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")


def main():
    port = int(sys.argv[1])
    n = min(int(sys.argv[2]) if len(sys.argv) > 2 else 80, 500)
    print("baseline /healthz: %.3f s (%s)" % healthz(port))

    held = []
    for _ in range(n):
        s = socket.create_connection((HOST, port), timeout=TIMEOUT)
        s.sendall(b"GET /api/search?q=bud")  # half a request line, never finished
        held.append(s)
    print("%d partial requests: /healthz %.3f s (%s)" % ((n,) + healthz(port)))
    for s in held:
        s.close()
    time.sleep(0.5)

    held = []
    for _ in range(n):
        s = socket.create_connection((HOST, port), timeout=TIMEOUT)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        held.append(s)
    # Each is answered once a worker takes it, then stays open and idle (keep-alive), holding
    # its worker until the keep-alive timeout; /healthz comes after all of them.
    print("%d keep-alive clients: /healthz %.3f s (%s)" % ((n,) + healthz(port)))
    for s in held:
        s.close()
    time.sleep(0.5)

    t = time.monotonic()
    with socket.create_connection((HOST, port), timeout=TIMEOUT) as s:
        s.sendall(b"POST /api/search HTTP/1.1\r\nHost: x\r\n\r\n")
        first = None
        try:
            while True:
                chunk = s.recv(65536)
                if first is None:
                    first = time.monotonic() - t
                if not chunk:
                    break
            print("POST without Content-Length: answered after %.3f s, closed after %.3f s"
                  % (first, time.monotonic() - t))
        except socket.timeout:
            print("POST without Content-Length: no close within %.0f s (answer after %s)"
                  % (TIMEOUT, "%.3f s" % first if first is not None else "never"))


if __name__ == "__main__":
    main()
