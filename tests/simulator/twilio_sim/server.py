# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP front of the simulator: Basic auth, dispatch through the route tables, faults, the request log, and the
shape of every answer on the wire (variants.py: the spec's examples, or the variants of Twilio's sources).

The Twilio routes are the registry's (``resources/``): ``RESOURCES`` (path patterns) and ``ROUTE_TABLE``
(``(method, resource) -> (route name, handler)``); the control API's are ``control_routes.CONTROL_TABLE``.
Requests under ``/__sim/domains/`` are no Twilio API route: they call what an environment serves (domains.py).

A second listener (``accounts_url``) serves the v2010 Accounts API (accounts.py), as api.twilio.com is another
host than serverless.twilio.com: its own routes only, the same store, faults and request log.
"""

import base64
import ipaddress
import itertools
import json
import ssl
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import accounts, concurrency, domains
from .api import Request, error_body, pattern
from .control_routes import CONTROL_TABLE
from .faults import Faults
from .resources import FAULT_GROUPS, LOG_REDACTED, RESOURCES, ROUTE_TABLE
from .store import Store, load_seed
from .variants import Variants

__all__ = ("RESOURCES", "ROUTE_TABLE", "CONTROL_TABLE", "ACCOUNTS_RESOURCES", "ACCOUNTS_ROUTES", "SimulatorServer")

ACCOUNTS_RESOURCES = tuple((name, pattern(template)) for name, template in accounts.PATHS)
ACCOUNTS_ROUTES = accounts.ROUTES

HTML_PAGE = ("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
             "</center><hr><center>nginx</center></body></html>\n")


def _answered(entry, status):
    """Record in a request's log entry its answer's status (or ``dropped``) and when it was given: with the
    entry's ``time``, how long the request was in the server."""
    entry["status"] = status
    entry["answered"] = time.time()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so tests can count connections
    server_version = "twilio-sim"
    sys_version = ""

    def setup(self):
        super().setup()
        self.connection_id = next(self.server.sim.connection_ids)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.sim.verbose:
            super().log_message(format, *args)

    # -- plumbing -----------------------------------------------------------
    def _send(self, status, body, content_type="application/json", extra=None, length=None, head=False):
        if isinstance(body, (dict, list)):
            body = json.dumps(body, separators=(",", ":"))
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        extra = dict(extra or {})
        self.send_header("Twilio-Request-Id", extra.pop("Twilio-Request-Id", None) or "RQ" + uuid.uuid4().hex)
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:  # a HEAD's answer has the headers of the GET, and no body
            self.wfile.write(data)
        self.wfile.flush()

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw.decode("utf-8")) if raw else {}

    def _auth_user(self):
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None, None
        try:
            user, dummy, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return None, None
        return user, password

    # -- verbs --------------------------------------------------------------
    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")

    # A domain takes any method a function may be called with; the API and the control API none of these.
    def do_PUT(self):
        self._dispatch("PUT")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def do_OPTIONS(self):
        self._dispatch("OPTIONS")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def _dispatch(self, method):
        parts = urlsplit(self.path)
        if self.server.accounts:
            # api.twilio.com's stand-in: its own routes, no domain and no control API.
            if method not in ("GET", "POST", "DELETE"):
                self.send_error(501, "Unsupported method (%r)" % method)
                return
            self._api(method, parts.path, parse_qs(parts.query, keep_blank_values=True))
            return
        if parts.path.startswith(domains.PREFIX):
            self._domain(method, parts)
            return
        if method not in ("GET", "POST", "DELETE"):
            self.send_error(501, "Unsupported method (%r)" % method)
            return
        if parts.path.startswith("/__sim/"):
            self._control(method, parts.path)
            return
        self._api_in_flight(method, parts.path, parse_qs(parts.query, keep_blank_values=True))

    # -- the control API ----------------------------------------------------
    def _control(self, method, path):
        try:
            body = self._read_body() if method == "POST" else {}
            handler = CONTROL_TABLE.get((method, path))
            if handler is None:
                self._send(404, {"error": "unknown control route"})
                return
            status, result = handler(self.server.sim, body)
        except (KeyError, ValueError, TypeError) as exc:
            self._send(400, {"error": "bad control request: %s" % exc})
            return
        self._send(status, result)

    # -- what the environments serve (domains.py) ----------------------------
    def _domain(self, method, parts):
        sim = self.server.sim
        raw = self._read_raw()
        # Who, if anyone, sent API credentials to a domain (a client should not: a Twilio domain is another
        # origin); the log keeps the user, never the secret.
        entry = sim.log_request(self, method, parts.path, parse_qs(parts.query, keep_blank_values=True),
                                domains.ROUTE, self._auth_user()[0], len(raw))
        # Only the domain's own faults: ``*`` is for the Twilio API, whose tests do not expect to meet a domain.
        if self._fault_hook(sim.faults.take(domains.ROUTE, wildcard=False), entry, committed=False):
            return
        scheme = "https" if isinstance(self.connection, ssl.SSLSocket) else "http"
        # The URL as the client requested it, which is what a client signs.
        url = "%s://%s%s" % (scheme, self.headers.get("Host", ""), self.path)
        answer = domains.serve(sim, method, parts.path, url, self.headers, raw)
        if answer.log_sid:
            entry["log_sid"] = answer.log_sid
        if answer.latency:
            time.sleep(answer.latency)
        _answered(entry, answer.status)
        extra = {"Twilio-Request-Id": answer.request_sid} if answer.request_sid else None
        self._send(answer.status, answer.body, content_type=answer.content_type, extra=extra, head=method == "HEAD")

    # -- the account's concurrency limit (concurrency.py) -----------------------
    def _api_in_flight(self, method, path, query):
        """An API request counted in flight for its account while it is served (answered with the count in
        ``Twilio-Concurrent-Requests``), or, past the account's limit, refused with Twilio's 429 (20429) before
        anything else is done: not processed, no fault taken."""
        sim = self.server.sim
        user, password = self._auth_user()
        account = sim.store.authenticate(user, password) if user is not None else None
        self._concurrent = self._counted = None
        if account is None or not sim.store.usable(account):
            self._api(method, path, query)  # answered 401 there, as any other
            return
        admitted, self._concurrent = sim.concurrency.enter(account)
        if not admitted:
            self._refuse_busy(method, path, query, user)
            return
        self._counted = account
        try:
            self._api(method, path, query)
        finally:
            self._leave()

    def _leave(self):
        """The request is no longer in flight: counted out before its answer is sent, since a client that read it
        may send its next request at once."""
        if getattr(self, "_counted", None) is not None:
            self.server.sim.concurrency.leave(self._counted)
            self._counted = None

    def _refuse_busy(self, method, path, query, user):
        route = next((name for name, compiled in RESOURCES if compiled.match(path)), "unknown")
        route = ROUTE_TABLE.get((method, route), (route, None))[0]
        raw = self._read_raw()
        entry = self.server.sim.log_request(self, method, path, query, route, user, len(raw))
        entry["refused"] = "account_concurrency"
        self._finish(entry, 429, error_body(429))

    # -- the Twilio API -----------------------------------------------------
    def _api(self, method, path, query):
        sim = self.server.sim
        route, handler, match = "unknown", None, None
        resources, table = (ACCOUNTS_RESOURCES, ACCOUNTS_ROUTES) if self.server.accounts else (RESOURCES, ROUTE_TABLE)
        for name, compiled in resources:
            match = compiled.match(path)
            if match:
                route, handler = table.get((method, name), (name, None))
                break
        user, password = self._auth_user()
        # Read the body whatever happens next, so a keep-alive connection stays in step.
        raw = self._read_raw()
        if sim.latency:
            time.sleep(sim.latency)
        # Logged after the latency, so an entry's time is when the request read the state it answers with.
        entry = sim.log_request(self, method, path, query, route, user, len(raw))
        form = self._form(raw)
        entry["form"] = {k: v if len(v) > 1 else v[-1] for k, v in form.items()}
        for name in LOG_REDACTED.get(route, ()):
            if name in entry["form"]:
                # A secret (a variable's value): the log (read by tests, printed on failure) keeps its size only.
                entry["form"][name] = "<redacted: %d bytes>" % len(form[name][-1].encode("utf-8"))

        fault = sim.faults.take(route, FAULT_GROUPS.get(route, ())) if match else None
        if self._fault_hook(fault, entry, committed=False):
            return
        if not match:
            self._finish(entry, 404, error_body(404, path[3:] if path.startswith("/v1") else path))
            return
        if handler is None:
            self._finish(entry, 405, error_body(405))
            return
        account = sim.store.authenticate(user, password) if user is not None else None
        if account is None or not sim.store.usable(account):
            self._finish(entry, 401, error_body(401), {"WWW-Authenticate": 'Basic realm="Twilio API"'})
            return
        request = Request(sim, method, match, query, form, raw, self.headers.get("Content-Type"), account, fault,
                          entry, time.time())
        if "service" in match.groupdict():
            request.service = sim.store.find_service(account, match.group("service"))
            if request.service is None:
                self._finish(entry, 404, error_body(404, "/Services/%s" % match.group("service")))
                return
        answer = handler(request)
        if method != "GET" and self._fault_hook(fault, entry, committed=True):
            return
        self._finish(entry, *answer)

    def _read_raw(self):
        """The request body, of a Content-Length or chunked (as a streaming multipart client may send it)."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _form(self, raw):
        """The urlencoded form of a POST; a multipart body (an upload) is parsed by its route instead."""
        if not raw or (self.headers.get("Content-Type") or "").lower().startswith("multipart/"):
            return {}
        return parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)

    def _fault_hook(self, fault, entry, committed):
        """The one place faults act: before the request is carried out, or, for a ``commit`` fault on a write,
        after it took effect (the ambiguous write). Return True if the request was answered (or dropped)."""
        if not fault or bool(fault.get("commit")) != committed:
            return False
        return self._apply_fault(fault, entry)

    def _finish(self, entry, status, body, extra=None):
        # The one place an answer's body takes its shape on the wire (variants.py): the spec's examples, or
        # the variants Twilio's sources show; the store and the handler's checks are the same in every mode.
        if not self.server.accounts:
            body, given = self.server.sim.variants.render(status, body, entry["n"])
            if given:
                entry["variants"] = given
        _answered(entry, status)
        extra = dict(extra or {})
        if getattr(self, "_concurrent", None) is not None:
            extra[concurrency.HEADER] = str(self._concurrent)
        self._leave()
        self._send(status, body, content_type=extra.pop("Content-Type", "application/json"), extra=extra)

    def _apply_fault(self, fault, entry):
        """Act on a fault; return True if the request was answered (or dropped)."""
        if fault.get("delay"):
            time.sleep(float(fault["delay"]))
        if fault.get("drop"):
            _answered(entry, "dropped")
            self.close_connection = True
            return True
        if fault.get("short"):
            _answered(entry, "short")
            self.close_connection = True
            self._send(200, '{"builds": [', length=4096)
            return True
        status = fault.get("status") or (200 if "json" in fault else None)
        if not status:
            return False
        extra = dict(fault.get("headers") or {})
        if fault.get("retry_after") is not None:
            extra["Retry-After"] = str(fault["retry_after"])
        kind = fault.get("body", "twilio")
        _answered(entry, status)
        entry["fault"] = kind
        if "json" in fault:
            self._send(status, fault["json"], extra=extra)
        elif kind == "html":
            self._send(status, HTML_PAGE, content_type="text/html", extra=extra)
        elif kind == "truncated":
            self._send(status, '{"builds": [{"sid": "ZB', extra=extra)
        elif kind == "empty":
            self._send(status, "", extra=extra)
        else:
            self._send(status, error_body(status), extra=extra)
        return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive clients must not hold up stop()
    allow_reuse_address = True
    accounts = False  # True: the v2010 Accounts API's listener

    def handle_error(self, request, client_address):
        # A client that timed out and hung up is a case the tests make on purpose.
        import sys
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class SimulatorServer:
    """The simulator on 127.0.0.1, in a background thread of this process.

    Use as a context manager, or call start() and stop(); stop() always
    closes the listening socket.
    """

    def __init__(self, seed=None, host="127.0.0.1", port=0, latency=0.0, verbose=False, base_url=None,
                 ssl_context=None, variants=None, account_concurrency=None):
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError("the simulator binds to loopback addresses only, not %r" % (host,))
        self.store = load_seed(seed) if seed is not None else Store()
        # How answers look on the wire (variants.py): ``MODE[:SEED]``, else the seed's "variants", else spec.
        self.variants = Variants.from_text(variants or self.store.variants or "spec")
        self.faults = Faults()
        # Twilio's limit of one account's requests in flight (concurrency.py): the option, else the seed's.
        self.concurrency = concurrency.AccountConcurrency(
            account_concurrency if account_concurrency is not None else self.store.account_concurrency)
        self.latency = latency
        self.verbose = verbose
        self.connection_ids = itertools.count(1)
        self._log = []
        self._log_lock = threading.Lock()
        self._httpd = _Server((host, port), Handler)
        self._httpd.sim = self
        # The v2010 Accounts API, on a port of its own (api.twilio.com is another host than Serverless's).
        self._accounts_httpd = _Server((host, 0), Handler)
        self._accounts_httpd.sim = self
        self._accounts_httpd.accounts = True
        if ssl_context is not None:
            # HTTPS, for tests of certificate handling (ca_path, validate_certs).
            self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
            self._accounts_httpd.socket = ssl_context.wrap_socket(self._accounts_httpd.socket, server_side=True)
        scheme = "https" if ssl_context else "http"
        host, port = self._httpd.server_address[:2]
        self.base_url = base_url or "%s://%s:%d" % (scheme, host, port)
        self.accounts_url = "%s://%s:%d" % ((scheme,) + self._accounts_httpd.server_address[:2])
        self._thread = None
        self._accounts_thread = None

    # -- request log --------------------------------------------------------
    def log_request(self, handler, method, path, query, route, user, size=0):
        """A new entry of the request log: when (``time``), what (``method``, ``path``, ``query``, ``route``,
        ``headers``, ``bytes``: the body's size as read), on which ``connection``, by whom (``user``); its
        ``status`` and ``answered`` (the time of the answer, or of the drop) are filled in when it is answered,
        ``form`` and, for an upload, ``multipart`` as it is read."""
        headers = dict(handler.headers.items())
        if "Authorization" in headers:
            # The log is read by tests and printed on failure: keep who, not the secret.
            headers["Authorization"] = "Basic <%s:redacted>" % (user,)
        entry = {"time": time.time(), "method": method, "path": path,
                 "query": {k: v[-1] for k, v in query.items()}, "route": route,
                 "connection": handler.connection_id, "headers": headers, "user": user, "bytes": size, "status": None,
                 "answered": None}
        with self._log_lock:
            entry["n"] = len(self._log) + 1
            self._log.append(entry)
        return entry

    def log_snapshot(self):
        with self._log_lock:
            return [dict(e) for e in self._log]

    def clear_log(self):
        with self._log_lock:
            self._log = []

    def set_variants(self, mode="spec", seed=0, pin=None):
        """Answer from now on in this mode (variants.py); the default is the spec's examples."""
        self.variants = Variants(mode, seed, pin)
        return self.variants

    def find_service_any(self, sid_or_name):
        for service in self.store.services.values():
            if sid_or_name in (service.sid, service.unique_name):
                return service
        return None

    # -- life cycle ---------------------------------------------------------
    def _start_accounts(self):
        self._accounts_thread = threading.Thread(target=self._accounts_httpd.serve_forever,
                                                 kwargs={"poll_interval": 0.1}, name="twilio-sim-accounts",
                                                 daemon=True)
        self._accounts_thread.start()

    def start(self):
        self._start_accounts()
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="twilio-sim", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        self._start_accounts()
        self._httpd.serve_forever(poll_interval=0.1)

    def stop(self):
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        if self._accounts_thread is not None:
            self._accounts_httpd.shutdown()
            self._accounts_thread.join(5)
            self._accounts_thread = None
        self._httpd.server_close()
        self._accounts_httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
