# SPDX-License-Identifier: MIT
"""HTTP/1.1 server plumbing shared by the emulator's listeners.

Each listener is a threaded HTTP/1.1 server (keep-alive) whose handler
answers through respond(), which applies the injected fault, if any:
a status, a delay, a stall, a close after K bytes of the response or of
the request, one byte at a time, chunked, close-delimited, or garbage.
TLS is done per connection in the worker thread, so a slow handshake never
blocks the accept loop.
"""
import http.server
import json
import random
import socket
import ssl
import sys
import threading
import time

import emu_faults

STOP = threading.Event()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, handler, name, state, tls_factory=None):
        """tls_factory: a callable returning a fresh server SSLContext, or
        None for plain HTTP. The listener keeps one context (its session
        cache and ticket keys), so a client can resume its TLS session."""
        self.listener = name
        self.state = state
        self.tls_factory = tls_factory
        self.tls_context = tls_factory() if tls_factory else None
        super().__init__(addr, handler)

    def rotate_tls(self):
        """A fresh context: every session and ticket issued so far is
        forgotten (as after a server restart or a ticket-key rotation)."""
        if self.tls_factory is not None:
            self.tls_context = self.tls_factory()

    def get_request(self):
        sock, addr = super().get_request()
        # No Nagle: with delayed ACKs it held each response's last segment
        # ~40 ms (issue 14.3), and it would split TLS flights the same way.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, addr

    def finish_request(self, request, client_address):
        if self.tls_factory is not None:
            # tls_resumption 0: a context of its own per connection, so no
            # ticket or session id is ever accepted.
            ctx = self.tls_context if self.state.config.get("tls_resumption", 1) \
                else self.tls_factory()
            try:
                request.settimeout(15)
                request = ctx.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (OSError, ValueError):
                self.state.count_handshake(self.listener, "failed")
                try:
                    request.close()
                except OSError:
                    pass
                return
            self.state.count_handshake(self.listener,
                                       "resumed" if request.session_reused else "full")
        try:
            super().finish_request(request, client_address)
        finally:
            if self.tls_factory is not None:
                close_tls(request)

    def handle_error(self, request, client_address):
        pass  # a client going away mid-request is routine here


def close_tls(sock):
    """End a TLS connection as a server should: close_notify, then close.
    Non-blocking, so a peer that never answers its own close_notify does not
    hold the thread. (A socket already shut down, as by the fault that
    truncates without close_notify, has no TLS left: only closed.)"""
    try:
        sock.setblocking(False)
        sock.unwrap()
    except (ssl.SSLError, OSError, ValueError):
        pass  # SSLWantReadError: ours went out, the peer's is not awaited
    try:
        sock.close()
    except OSError:
        pass


class Abort(Exception):
    """Stop handling this connection without answering."""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FluidCloudEmulator/1.0"
    sys_version = ""
    timeout = 120
    # Unparseable requests get a JSON 400-class answer, like everything else.
    error_message_format = '{"detail": "%(message)s"}'
    error_content_type = "application/json"
    default_request_version = "HTTP/1.1"  # so early errors still get a status line

    # ---- the connection and its log -----------------------------------------
    def setup(self):
        super().setup()
        # Count every byte read and written, for the request log.
        self.rfile = _Counting(self.rfile)
        self.wfile = _Counting(self.wfile)
        self.conn = None
        if self.server.listener != "admin":  # the admin API logs nothing of itself
            tls = None
            if isinstance(self.connection, ssl.SSLSocket):
                tls = "resumed" if self.connection.session_reused else "full"
            self.conn = self.server.state.open_conn(self.server.listener, tls, self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            if self.conn is not None:
                self.server.state.close_conn(self.conn)

    def log_entry(self, status):
        """This exchange's request-log entry, created on first use."""
        if self.conn is None:
            return None
        if self.entry is None:
            headers = list(self.headers.keys()) if self.headers is not None else []
            self.entry = self.server.state.log_request(
                self.conn, self.command, self.path, headers, self.rfile.count - self.read_at)
            self.entry["fault"] = self.fault["action"] if self.fault else None
        self.entry["status"] = status
        return self.entry

    def send_response_only(self, code, message=None):
        self.sent_status = code  # the library's own error answers (send_error)
        super().send_response_only(code, message)

    def parse_request(self):
        # No HTTP/0.9: a request line must have three words, and every
        # error answer carries an HTTP/1.1 status line.
        self.command = None
        self.request_version = "HTTP/1.1"
        # send_error() logs self.requestline: set it before any early error
        # (without it the handler crashed and the client got no answer).
        self.requestline = self.raw_requestline.decode("iso-8859-1", "replace").rstrip("\r\n")
        words = self.requestline.split()
        if len(words) != 3:
            self.close_connection = True
            self.send_error(400, "Bad request line")
            return False
        ok = super().parse_request()
        if not ok:
            self.close_connection = True
        return ok

    def log_message(self, fmt, *args):
        if self.server.state.verbose:
            super().log_message(fmt, *args)

    # ---- the request --------------------------------------------------------
    def body_length(self):
        value = self.headers.get("Content-Length")
        if value is None:
            return None
        if not value.strip().isdigit():
            raise ValueError("bad Content-Length")
        return int(value)

    def read_body(self, limit):
        """The whole body (bounded by limit), or None when too large."""
        n = self.body_length() or 0
        if n > limit:
            self.drain(n)
            return None
        return self.rfile.read(n) if n else b""

    def drain(self, n):
        while n > 0:
            chunk = self.rfile.read(min(n, 65536))
            if not chunk:
                break
            n -= len(chunk)

    # ---- faults -----------------------------------------------------------------
    def take_fault(self):
        self.fault = self.server.state.take_fault(self.server.listener, self.command, self.path)
        return self.fault

    def fault_before(self):
        """Apply the part of a fault that acts before processing. Returns
        True when the request was answered (or dropped) by the fault."""
        f = self.fault
        if f is None:
            return False
        action = f["action"]
        if action == "delay":
            time.sleep(f.get("delay_ms", 1000) / 1000.0)
            return False
        if action == "stall":
            self.close_connection = True
            deadline = time.time() + f.get("max_s", 300)
            try:
                self.drain(self.body_length() or 0)
            except (OSError, ValueError):
                raise Abort()
            # Hold the socket, answering nothing, until the client closes it
            # or the emulator stops. Plain recv (no MSG_PEEK): works over TLS.
            while not STOP.is_set() and time.time() < deadline:
                try:
                    self.connection.settimeout(0.2)
                    if self.connection.recv(4096) == b"":
                        break  # the client gave up
                except socket.timeout:
                    continue
                except (OSError, ValueError):
                    break
            raise Abort()
        if action == "close_after_request_bytes":
            # K counts the whole request: the head (already read) and body.
            head = self.rfile.count - self.read_at
            n = self.body_length() or 0
            want = min(n, max(0, f.get("bytes", 0) - head))
            if want > 0:
                self.rfile.read(want)
            raise Abort()
        if action == "garbage":
            self.wfile.write(b"\x16\x03 this is not HTTP \x00\xff\r\n\r\n")
            raise Abort()
        if action == "status" and not f.get("after"):
            self.fault_status(f)
            return True
        return False

    def fault_status(self, f, processed=False):
        """Answer with the fault's status instead of processing the request
        (or, with "after", instead of the answer of the processed request):
        its body (JSON or text, or a generated HTML page / S3 XML error of
        body_size bytes), Retry-After as seconds, verbatim, or an HTTP-date
        retry_after_date_s from now (against this answer's own Date)."""
        status = f.get("status", 500)
        now = int(time.time())
        headers = {"Date": emu_faults.http_date(now)}
        if f.get("retry_after") is not None:
            headers["Retry-After"] = str(f["retry_after"])
        if f.get("retry_after_date_s") is not None:
            headers["Retry-After"] = emu_faults.http_date(now + f["retry_after_date_s"])
        body = f.get("body")
        if f.get("body_kind"):
            body, headers["Content-Type"] = emu_faults.error_page(
                f["body_kind"], f.get("body_size", 1024), status)
        elif body is None:
            body = {"detail": "Too many requests \u2014 please slow down and try again shortly."} \
                if status == 429 else {"detail": "injected fault %d" % status}
        if f.get("content_type"):
            headers["Content-Type"] = f["content_type"]
        if f.get("early"):
            # Answer before reading the body, as S3 does with a bad
            # signature; then read what the client still sends, and close.
            self.close_connection = True
            self.respond(status, body, headers, fault_ok=False)
            self.linger(self.body_length() or 0)
            return
        if not processed:
            try:
                self.drain(self.body_length() or 0)
            except ValueError:
                self.close_connection = True  # bad Content-Length: cannot skip the body
        self.respond(status, body, headers, fault_ok=False)

    def linger(self, n, idle_s=2.0):
        """Read and drop up to n body bytes the client may still send after an
        early answer (closing with them unread would reset the connection and
        could destroy the answer in flight); give up after idle_s of silence."""
        self.connection.settimeout(idle_s)
        try:
            self.drain(n)
        except (OSError, ValueError):
            pass

    # ---- the response -------------------------------------------------------
    def respond(self, status, body=None, headers=None, fault_ok=True, stream=None,
                length=None):
        """Answer with a JSON body (dict/list/str), raw bytes, or a stream
        (a file object of `length` bytes)."""
        headers = dict(headers or {})
        date = headers.pop("Date", None) or self.date_time_string()
        if isinstance(body, (dict, list)):
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")  # UTF-8, e.g. the 429 em dash
            headers.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            data = body.encode()
        elif body is None:
            data = b""
        else:
            data = body
        if stream is None:
            length = len(data)
        f = self.fault if fault_ok else None
        action = f["action"] if f else None
        if action == "status":  # "after": the request was processed; its answer is lost
            return self.fault_status(f, processed=True)
        entry = self.log_entry(status)
        lines = ["HTTP/1.1 %d %s" % (status, self.responses.get(status, ("",))[0])]
        lines.append("Date: " + date)
        chunked = action == "chunked" and status != 204
        if action == "close_delimited":
            lines.append("Connection: close")
            self.close_connection = True
        elif chunked:
            lines.append("Transfer-Encoding: chunked")
        elif status != 204:
            lines.append("Content-Length: %d" % length)
        if self.close_connection and action != "close_delimited":
            lines.append("Connection: close")
        for k, v in headers.items():
            lines.append("%s: %s" % (k, v))
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        # One write per response where it fits (issue 14.3): head and body in
        # one sendall, so one TCP segment / TLS record where the size allows.
        # A streamed body goes out in pieces, the first one with the head.
        out = _Out(self, f)
        if status == 204 or self.command == "HEAD":
            self.plan(entry, len(head))
            out.write(head)
            return out.finish()
        last = b"0\r\n\r\n" if chunked else b""
        if stream is None:
            whole = head + (_chunk_encode(data) if chunked else data) + last
            self.plan(entry, len(whole))
            out.write(whole)
        else:
            self.plan(entry, len(head) + length)  # (chunked: settled after the writes)
            pending = head
            for piece in _file_pieces(stream, length):
                out.write(pending + (_chunk_encode(piece) if chunked else piece))
                pending = b""
            out.write(pending + last)
        out.finish()

    def plan(self, entry, n):
        """Log the response's size before it is written: the client may ask
        the admin API the moment its last byte arrives."""
        if entry is not None:
            with self.server.state.lock:
                entry["request_bytes"] = self.rfile.count - self.read_at
                entry["response_bytes"] = self.wfile.count - self.written_at + n

    def handle_one_request(self):
        self.entry = None
        self.fault = None
        self.sent_status = None
        self.command = self.path = self.headers = None
        self.read_at, self.written_at = self.rfile.count, self.wfile.count
        try:
            super().handle_one_request()
        except Abort:
            self.close_connection = True
            if self.fault and self.fault.get("close_notify") is False and \
                    isinstance(self.connection, ssl.SSLSocket):
                # A bare TCP FIN: the TLS layer never says the data ended
                # (truncation an attacker on the path can cause).
                try:
                    socket.socket.shutdown(self.connection, socket.SHUT_RDWR)
                except OSError:
                    pass
        except (ConnectionError, socket.timeout, OSError, ValueError):
            self.close_connection = True
        except Exception:  # a bug: report it, drop this connection, keep serving
            import traceback
            sys.stderr.write("[fc-emu] handler crashed:\n" + traceback.format_exc())
            self.close_connection = True
        finally:
            self.log_done()

    def log_done(self):
        """Settle the entry with what really went out; requests that got no
        answer from respond() (stall, cut, garbage, malformed) are logged here."""
        if self.conn is None or (self.entry is None and self.rfile.count == self.read_at):
            return  # nothing was asked on this turn (an idle keep-alive close)
        entry = self.entry or self.log_entry(self.sent_status)
        with self.server.state.lock:
            entry["request_bytes"] = self.rfile.count - self.read_at
            entry["response_bytes"] = self.wfile.count - self.written_at


def _file_pieces(f, length):
    left = length
    while left > 0:
        chunk = f.read(min(left, 256 * 1024))
        if not chunk:
            break
        left -= len(chunk)
        yield chunk


def _chunk_encode(data):
    return b"".join(b"%x\r\n" % len(sub) + sub + b"\r\n" for sub in _random_split(data))


def _random_split(data):
    i = 0
    while i < len(data):
        n = random.randint(1, 97)
        yield data[i:i + n]
        i += n


class _Counting:
    """A file wrapper that counts the bytes that pass through it."""

    def __init__(self, f):
        self.f = f
        self.count = 0

    def read(self, n=-1):
        b = self.f.read(n)
        self.count += len(b)
        return b

    def readline(self, limit=-1):
        b = self.f.readline(limit)
        self.count += len(b)
        return b

    def readinto(self, buf):
        n = self.f.readinto(buf)
        self.count += n or 0
        return n

    def write(self, b):
        n = self.f.write(b)
        self.count += len(b)
        return n

    def __getattr__(self, name):
        return getattr(self.f, name)


class _Out:
    """Writes the response, honouring one_byte and close_after_response_bytes."""

    def __init__(self, handler, fault):
        self.h = handler
        self.sent = 0
        self.fault = fault
        action = fault["action"] if fault else None
        self.limit = fault.get("bytes", 0) if action == "close_after_response_bytes" or \
            (action == "close_delimited" and "bytes" in fault) else None
        self.one = action == "one_byte"
        self.interval = fault.get("interval_ms") if self.one else None

    def write(self, data):
        if not data:
            return
        if self.limit is not None and self.sent + len(data) >= self.limit:
            self.h.wfile.write(data[:max(0, self.limit - self.sent)])
            self.h.wfile.flush()
            raise Abort()
        if self.one:
            # One byte per write; interval_ms apart when asked (drip-feed),
            # else 0.5 ms apart for small responses.
            pause = self.interval / 1000.0 if self.interval is not None else \
                (0.0005 if len(data) < 4096 else 0)
            for i in range(len(data)):
                if STOP.is_set():
                    raise Abort()
                self.h.wfile.write(data[i:i + 1])
                self.h.wfile.flush()
                time.sleep(pause)
        else:
            self.h.wfile.write(data)
        self.sent += len(data)

    def finish(self):
        self.h.wfile.flush()
        if self.fault and self.fault["action"] == "close_delimited":
            raise Abort()
