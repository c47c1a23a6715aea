"""Local replay servers for the live sources of `reach run`: Jetstream (WebSocket), Mastodon
streaming (Server-Sent Events) and the X API v2 filtered stream (newline-delimited JSON over
chunked HTTP). Standard library only.

Each server replays a list of recorded messages and cuts the connection in the middle of one
(half a WebSocket frame, half an SSE event, half a JSON line), as a network failure would, then
behaves like the real service on the reconnect:

- Jetstream sends, in time_us order, the messages at or after the `cursor=` query parameter; a
  connection without a cursor is a live tail that starts where the stream is NOW, i.e. the
  messages sent while the client was away (`gap` of them) are lost to it. `wantedCollections`
  filters commits by collection as Jetstream does (identity and account events always pass).
- Mastodon and X have no cursor: the stream goes on with the message that was cut.

Every request is recorded in `requests` (path, query, headers) so tests can check what the client
asked for. An optional `refuse_first` HTTP status answers the first request with that error.
"""
import base64
import hashlib
import json
import socket
import ssl
import threading
import time
import urllib.parse

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class ReplayServer:
    def __init__(self, kind, messages, drop_after, token=None, refuse_first=None, gap=5,
                 certfile=None, keyfile=None):
        """kind: "jetstream", "sse" or "xstream". messages: list of str (Jetstream JSON lines,
        X JSON lines) or (event, data) pairs for SSE. drop_after: cut each of the first
        connections after this many messages (a list: one entry per connection to cut)."""
        self.kind = kind
        self.messages = messages
        self.drops = list(drop_after)
        self.token = token
        self.refuse_first = refuse_first
        self.gap = gap
        self.requests = []
        self.delivered = 0  # messages sent whole so far (for the no-cursor live tail)
        self.lock = threading.Lock()
        self.closing = False
        self.sockets = []
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.tls = None
        if certfile:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(certfile, keyfile)
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    # ---- plumbing ----
    def stop(self):
        self.closing = True
        try:
            self.listener.close()
        except OSError:
            pass
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass

    def _accept(self):
        while not self.closing:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            if self.tls:
                conn = self.tls.wrap_socket(conn, server_side=True)
            with self.lock:
                self.sockets.append(conn)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
            url = urllib.parse.urlsplit(target)
            query = urllib.parse.parse_qs(url.query)
            with self.lock:
                number = len(self.requests)
                self.requests.append({"method": method, "path": url.path, "query": query,
                                      "headers": headers})
            if number == 0 and self.refuse_first:
                self._http_error(conn, self.refuse_first)
                return
            if self.token is not None and headers.get("authorization") != "Bearer " + self.token:
                self._http_error(conn, 401)
                return
            with self.lock:
                drop = self.drops.pop(0) if self.drops else None
            if self.kind == "jetstream":
                self._jetstream(conn, headers, query, number, drop)
            else:
                self._stream(conn, number, drop)
        except (OSError, ssl.SSLError, ValueError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    @staticmethod
    def _http_error(conn, status):
        body = json.dumps({"title": "refused by the replay server", "status": status}).encode()
        conn.sendall(b"HTTP/1.1 %d Refused\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (status, len(body), body))

    @staticmethod
    def _cut(conn, partial):
        """Sends the first half of the next message, then drops the connection without a goodbye."""
        conn.sendall(partial)
        time.sleep(0.05)
        conn.shutdown(socket.SHUT_RDWR)

    # ---- Jetstream over WebSocket ----
    @staticmethod
    def _frame(payload, opcode=0x1):
        n = len(payload)
        if n < 126:
            head = bytes([0x80 | opcode, n])
        elif n < 65536:
            head = bytes([0x80 | opcode, 126]) + n.to_bytes(2, "big")
        else:
            head = bytes([0x80 | opcode, 127]) + n.to_bytes(8, "big")
        return head + payload

    def _jetstream(self, conn, headers, query, number, drop):
        key = headers.get("sec-websocket-key", "")
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
        wanted = set(query.get("wantedCollections", []))
        events = [m for m in self.messages if self._wanted(m, wanted)]
        if "cursor" in query:
            cursor = int(query["cursor"][0])
            start = next((i for i, m in enumerate(events) if json.loads(m)["time_us"] >= cursor),
                         len(events))
        elif number == 0:
            start = 0
        else:  # live tail: what happened while the client was away is not sent
            start = min(self.delivered + self.gap, len(events))
        sent = 0
        for i in range(start, len(events)):
            payload = events[i].encode()
            if drop is not None and sent == drop:
                frame = self._frame(payload)
                self._cut(conn, frame[: len(frame) // 2])
                return
            conn.sendall(self._frame(payload))
            sent += 1
            with self.lock:
                self.delivered = max(self.delivered, i + 1)
        self._ws_idle(conn)

    @staticmethod
    def _wanted(message, wanted):
        if not wanted:
            return True
        m = json.loads(message)
        return m.get("kind") != "commit" or m["commit"].get("collection") in wanted

    def _ws_idle(self, conn):
        """After the replay: answer pings and a close, until the client or the server ends."""
        conn.settimeout(0.5)
        buf = b""
        while not self.closing:
            try:
                chunk = conn.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                return
            buf += chunk
            while len(buf) >= 2:
                opcode, n, off = buf[0] & 0x0F, buf[1] & 0x7F, 2
                if n == 126:
                    n, off = int.from_bytes(buf[2:4], "big"), 4
                elif n == 127:
                    n, off = int.from_bytes(buf[2:10], "big"), 10
                masked = buf[1] & 0x80
                if len(buf) < off + (4 if masked else 0) + n:
                    break
                mask = buf[off:off + 4] if masked else b"\0\0\0\0"
                off += 4 if masked else 0
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(buf[off:off + n]))
                buf = buf[off + n:]
                if opcode == 0x9:
                    conn.sendall(self._frame(payload, 0xA))
                elif opcode == 0x8:
                    conn.sendall(self._frame(payload[:2], 0x8))
                    return

    # ---- Mastodon SSE and X filtered stream over chunked HTTP ----
    def _encode(self, message):
        if self.kind == "sse":
            event, data = message
            return ("event: %s\ndata: %s\n\n" % (event, data)).encode()
        return message.encode() + b"\r\n"

    @staticmethod
    def _chunk(data):
        return b"%x\r\n%s\r\n" % (len(data), data)

    def _stream(self, conn, number, drop):
        content_type = "text/event-stream" if self.kind == "sse" else "application/json"
        conn.sendall(("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n"
                      "Cache-Control: no-store\r\n\r\n" % content_type).encode())
        keepalive = b":thump\n" if self.kind == "sse" else b"\r\n"
        conn.sendall(self._chunk(keepalive))
        with self.lock:
            start = self.delivered
        sent = 0
        for i in range(start, len(self.messages)):
            data = self._encode(self.messages[i])
            if drop is not None and sent == drop:
                self._cut(conn, self._chunk(data[: len(data) // 2]))
                return
            conn.sendall(self._chunk(data))
            sent += 1
            if sent % 10 == 0:
                conn.sendall(self._chunk(keepalive))
            with self.lock:
                self.delivered = i + 1
        while not self.closing:
            time.sleep(0.5)
            conn.sendall(self._chunk(keepalive))
