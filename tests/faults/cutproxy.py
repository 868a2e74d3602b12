"""A TCP proxy on 127.0.0.1 that cuts the connection on purpose, to put a fault between a
real client and a real server without changing either.

`CutProxy(upstream_port, cut_after=N)` forwards one connection at a time and, once N octets
have gone from the server to the client, forwards no more and closes both sides (with a RST
to the client if `reset`). `cut_after_quit=True` instead closes both sides as soon as the
client's QUIT has been passed on, so the server runs UPDATE and the client never sees the
reply; `on_quit` is called right after the client's QUIT has been passed on. Cuts work for
TLS too (they cut bytes, not records); QUIT is only seen in plaintext.
"""

import socket
import struct
import threading


class CutProxy:
    def __init__(self, upstream_port, cut_after=None, cut_after_quit=False, reset=False, on_quit=None):
        self.upstream_port = upstream_port
        self.on_quit = on_quit
        self.cut_after = cut_after
        self.cut_after_quit = cut_after_quit
        self.reset = reset
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.cuts = 0
        self.to_client = 0
        self._closing = False
        self._threads = []
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()
        self._threads.append(t)

    def _accept(self):
        while not self._closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
            except OSError:
                client.close()
                continue
            pair = _Pair(self, client, server)
            for direction in (pair.upstream, pair.downstream):
                t = threading.Thread(target=direction, daemon=True)
                t.start()
                self._threads.append(t)

    def close(self):
        self._closing = True
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() in progress
        except OSError:
            pass
        self.listener.close()
        for t in self._threads:
            t.join(5)


class _Pair:
    def __init__(self, proxy, client, server):
        self.proxy = proxy
        self.client = client
        self.server = server
        self.lock = threading.Lock()
        self.cut = False
        self.sent_down = 0
        self.seen_up = b""

    def _cut(self):
        with self.lock:
            if self.cut:
                return
            self.cut = True
            self.proxy.cuts += 1
        if self.proxy.reset:
            self.client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        for s in (self.client, self.server):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def upstream(self):
        """Client to server; watches for QUIT."""
        try:
            while not self.cut:
                data = self.client.recv(65536)
                if not data:
                    break
                self.server.sendall(data)
                self.seen_up = (self.seen_up + data)[-64:]
                if b"QUIT\r\n" in self.seen_up.upper():
                    if self.proxy.on_quit:
                        self.proxy.on_quit()
                    if self.proxy.cut_after_quit:
                        self._cut()
        except OSError:
            pass
        self._cut()

    def downstream(self):
        """Server to client; cuts after `cut_after` octets."""
        limit = self.proxy.cut_after
        try:
            while not self.cut:
                data = self.server.recv(65536)
                if not data:
                    break
                if limit is not None and self.sent_down + len(data) >= limit:
                    piece = data[:limit - self.sent_down]
                    self.client.sendall(piece)
                    self.sent_down = limit
                    self.proxy.to_client += len(piece)
                    break
                self.client.sendall(data)
                self.sent_down += len(data)
                self.proxy.to_client += len(data)
        except OSError:
            pass
        self._cut()
