# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP front of the simulator: Twilio's routes, Basic auth, paging, faults, log."""

import base64
import ipaddress
import itertools
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from .faults import Faults
from .store import Store, load_seed

ROUTES = (
    ("services", re.compile(r"^/v1/Services$")),
    ("service", re.compile(r"^/v1/Services/(?P<service>[^/]+)$")),
    ("builds", re.compile(r"^/v1/Services/(?P<service>[^/]+)/Builds$")),
    ("build", re.compile(r"^/v1/Services/(?P<service>[^/]+)/Builds/(?P<build>[^/]+)$")),
    ("build_status", re.compile(r"^/v1/Services/(?P<service>[^/]+)/Builds/(?P<build>[^/]+)/Status$")),
    ("environments", re.compile(r"^/v1/Services/(?P<service>[^/]+)/Environments$")),
    ("environment", re.compile(r"^/v1/Services/(?P<service>[^/]+)/Environments/(?P<environment>[^/]+)$")),
    ("deployments", re.compile(r"^/v1/Services/(?P<service>[^/]+)/Environments/(?P<environment>[^/]+)/Deployments$")),
    ("deployment", re.compile(
        r"^/v1/Services/(?P<service>[^/]+)/Environments/(?P<environment>[^/]+)/Deployments/(?P<deployment>[^/]+)$")),
)
# A POST to these list routes creates one; its faults are set on the create_* name.
CREATE_ROUTES = {"builds": "create_build", "environments": "create_environment", "deployments": "create_deployment"}
HTML_PAGE = ("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
             "</center><hr><center>nginx</center></body></html>\n")
ERRORS = {
    400: (20001, "Invalid parameter"),
    409: (20409, "Environment already has requested deployment"),
    401: (20003, "Authenticate"),
    404: (20404, "The requested resource %s was not found"),
    405: (20004, "Method not allowed"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    502: (20502, "Bad Gateway"),
    503: (20503, "Service Unavailable"),
    504: (20504, "Gateway Timeout"),
}


def error_body(status, resource=""):
    code, message = ERRORS.get(status, (20500, "Error"))
    if "%s" in message:
        message = message % resource
    return {"code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/%d" % code,
            "status": status}


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
    def _send(self, status, body, content_type="application/json", extra=None, length=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body, separators=(",", ":"))
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        self.send_header("Twilio-Request-Id", "RQ" + uuid.uuid4().hex)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
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

    def _dispatch(self, method):
        parts = urlsplit(self.path)
        if parts.path.startswith("/__sim/"):
            self._control(method, parts.path)
            return
        self._api(method, parts.path, parse_qs(parts.query, keep_blank_values=True))

    # -- the control API ----------------------------------------------------
    def _control(self, method, path):
        sim = self.server.sim
        try:
            body = self._read_body() if method == "POST" else {}
            if path == "/__sim/log" and method == "GET":
                result = {"requests": sim.log_snapshot()}
            elif path == "/__sim/log" and method == "DELETE":
                sim.clear_log()
                result = {"ok": True}
            elif path == "/__sim/faults" and method == "POST":
                sim.faults.add(body.get("route", "*"), body["faults"])
                result = {"ok": True}
            elif path == "/__sim/faults" and method == "DELETE":
                sim.faults.clear()
                result = {"ok": True}
            elif path == "/__sim/builds" and method == "POST":
                service = sim.find_service_any(body["service"])
                if service is None:
                    self._send(404, {"error": "no service %r" % body["service"]})
                    return
                builds = sim.store.create_builds(service, body["builds"])
                # ready_at (epoch seconds, the log's clock) lets a test time its polls against the build's end.
                result = {"sids": [b.sid for b in builds], "ready_at": [b.ready_at for b in builds],
                          "service_sid": service.sid}
            else:
                self._send(404, {"error": "unknown control route"})
                return
        except (KeyError, ValueError, TypeError) as exc:
            self._send(400, {"error": "bad control request: %s" % exc})
            return
        self._send(200, result)

    # -- the Twilio API -----------------------------------------------------
    def _api(self, method, path, query):
        sim = self.server.sim
        route, match = "unknown", None
        for name, pattern in ROUTES:
            match = pattern.match(path)
            if match:
                route = CREATE_ROUTES.get(name, name) if method == "POST" else name
                break
        user, password = self._auth_user()
        # Read the body whatever happens next, so a keep-alive connection stays in step.
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True) if length else {}
        if sim.latency:
            time.sleep(sim.latency)
        # Logged after the latency, so an entry's time is when the request read the state it answers with.
        entry = sim.log_request(self, method, path, query, route, user)
        entry["form"] = {k: v if len(v) > 1 else v[-1] for k, v in form.items()}

        fault = sim.faults.take(route) if match else None
        # A "commit" fault lets the request take effect, then answers with the fault: the ambiguous write.
        if fault and not fault.get("commit") and self._apply_fault(fault, entry):
            return

        if not match:
            self._finish(entry, 404, error_body(404, path[3:] if path.startswith("/v1") else path))
            return
        if method not in ("GET", "POST") or (method == "POST" and route not in CREATE_ROUTES.values()):
            self._finish(entry, 405, error_body(405))
            return
        account = sim.store.authenticate(user, password) if user is not None else None
        if account is None:
            self._finish(entry, 401, error_body(401), {"WWW-Authenticate": 'Basic realm="Twilio API"'})
            return
        now = time.time()
        base = sim.base_url
        store = sim.store
        if route == "services":
            self._list(entry, query, "services", sorted(
                (s for s in store.services.values() if s.account_sid == account), key=lambda s: s.created),
                "/v1/Services", lambda s: store.service_json(s, base), None)
            return
        service = store.find_service(account, match.group("service"))
        if service is None:
            self._finish(entry, 404, error_body(404, "/Services/%s" % match.group("service")))
            return
        if route == "service":
            self._finish(entry, 200, store.service_json(service, base))
            return
        if route.startswith("create_"):
            status, body = self._create(route, service, match, form, now)
            if fault and fault.get("commit") and self._apply_fault(fault, entry):
                return
            self._finish(entry, status, body)
            return
        if route in ("environments", "environment", "deployments", "deployment"):
            self._environments(entry, route, service, match, query, fault)
            return
        if route == "builds":
            with store.lock:
                builds = list(service.builds)
                index = service.index
            self._list(entry, query, "builds", builds, "/v1/Services/%s/Builds" % service.sid,
                       lambda b: store.build_json(service, b, base, now), index, fault)
            return
        build = service.by_sid.get(match.group("build"))
        if build is None:
            self._finish(entry, 404, error_body(404, "/Services/%s/Builds/%s" % (service.sid, match.group("build"))))
            return
        if route == "build":
            self._finish(entry, 200, store.build_json(service, build, base, now))
        else:
            self._finish(entry, 200, store.build_status_json(service, build, base, now))

    def _environments(self, entry, route, service, match, query, fault):
        store, base = self.server.sim.store, self.server.sim.base_url
        env_path = "/v1/Services/%s/Environments" % service.sid
        if route == "environments":
            self._list(entry, query, "environments", list(service.environments), env_path,
                       lambda e: store.environment_json(service, e, base), None, fault)
            return
        env = store.find_environment(service, match.group("environment"))
        if env is None:
            self._finish(entry, 404, error_body(404, "%s/%s" % (env_path[3:], match.group("environment"))))
            return
        if route == "environment":
            self._finish(entry, 200, store.environment_json(service, env, base))
            return
        if route == "deployments":
            self._list(entry, query, "deployments", list(env.deployments), "%s/%s/Deployments" % (env_path, env.sid),
                       lambda d: store.deployment_json(service, d, base), None, fault)
            return
        for deployment in env.deployments:
            if deployment.sid == match.group("deployment"):
                self._finish(entry, 200, store.deployment_json(service, deployment, base))
                return
        self._finish(entry, 404, error_body(404, "%s/%s/Deployments/%s" % (env_path[3:], env.sid,
                                                                           match.group("deployment"))))

    def _create(self, route, service, match, form, now):
        """Carry out a POST; return (status, body)."""
        store, base = self.server.sim.store, self.server.sim.base_url

        def field(name):
            values = form.get(name)
            return values[-1] if values else None

        def invalid(message):
            body = error_body(400)
            body["message"] = message
            return 400, body

        if route == "create_build":
            build = store.create_posted_build(service, field("Runtime"), now)
            return 201, store.build_json(service, build, base, now)
        if route == "create_environment":
            name = field("UniqueName")
            if not name:
                return invalid("Missing required parameter UniqueName in the post body")
            if any(e.unique_name == name for e in service.environments):
                return invalid("Unique name already in use")
            return 201, store.environment_json(service, store.add_environment(service, name, field("DomainSuffix"),
                                                                              now), base)
        env = store.find_environment(service, match.group("environment"))
        if env is None:
            return 404, error_body(404, "/Services/%s/Environments/%s" % (service.sid, match.group("environment")))
        build_sid = field("BuildSid")
        build = service.by_sid.get(build_sid or "")
        if build is None:
            return invalid("BuildSid %r is not a build of this service" % (build_sid,))
        if build.status(now) != "completed":
            return invalid("Build %s is not completed" % build_sid)
        if env.build_sid == build_sid:
            return 409, error_body(409)
        return 201, store.deployment_json(service, store.deploy(service, env, build_sid, now), base)

    def _list(self, entry, query, key, items, path, render, index, fault=None):
        sim = self.server.sim

        def one(name, default):
            values = query.get(name)
            return values[-1] if values else default

        try:
            page_size = int(one("PageSize", "50"))
            page = int(one("Page", "0"))
            if not 1 <= page_size <= 1000 or page < 0:
                raise ValueError
        except ValueError:
            body = error_body(400)
            body["message"] = "Invalid paging parameters: PageSize must be 1 to 1000 and Page 0 or more"
            self._finish(entry, 400, body)
            return
        token = one("PageToken", None)
        start = page * page_size
        if token and index is not None:
            # Twilio's tokens name the last (PA) or first (PB) record of the
            # neighbouring page, so pages stay stable while new builds arrive.
            anchor = index.get(token[2:])
            if token[:2] not in ("PA", "PB") or anchor is None:
                body = error_body(400)
                body["message"] = "Invalid PageToken"
                self._finish(entry, 400, body)
                return
            start = anchor + 1 if token[:2] == "PA" else max(0, anchor - page_size)
        chunk = items[start:start + page_size]
        base = sim.base_url + path

        def url(p, tok=None):
            params = [("PageSize", page_size), ("Page", p)]
            if tok:
                params.append(("PageToken", tok))
            return base + "?" + urlencode(params)

        has_next = start + page_size < len(items)
        next_url = None
        if has_next:
            next_url = url(page + 1, "PA" + chunk[-1].sid if index is not None else None)
        if fault and fault.get("next_page_url"):
            next_url = fault["next_page_url"]
        prev_url = None
        if page > 0:
            prev_url = url(page - 1, ("PB" + chunk[0].sid) if (index is not None and chunk) else None)
        body = {
            key: [render(item) for item in chunk],
            "meta": {
                "first_page_url": url(0),
                "key": key,
                "next_page_url": next_url,
                "page": page,
                "page_size": page_size,
                "previous_page_url": prev_url,
                "url": url(page, token),
            },
        }
        self._finish(entry, 200, body)

    def _finish(self, entry, status, body, extra=None):
        entry["status"] = status
        self._send(status, body, extra=extra)

    def _apply_fault(self, fault, entry):
        """Act on a fault; return True if the request was answered (or dropped)."""
        if fault.get("delay"):
            time.sleep(float(fault["delay"]))
        if fault.get("drop"):
            entry["status"] = "dropped"
            self.close_connection = True
            return True
        if fault.get("short"):
            entry["status"] = "short"
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
        entry["status"] = status
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
                 ssl_context=None):
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError("the simulator binds to loopback addresses only, not %r" % (host,))
        self.store = load_seed(seed) if seed is not None else Store()
        self.faults = Faults()
        self.latency = latency
        self.verbose = verbose
        self.connection_ids = itertools.count(1)
        self._log = []
        self._log_lock = threading.Lock()
        self._httpd = _Server((host, port), Handler)
        self._httpd.sim = self
        if ssl_context is not None:
            # HTTPS, for tests of certificate handling (ca_path, validate_certs).
            self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
        host, port = self._httpd.server_address[:2]
        self.base_url = base_url or "%s://%s:%d" % ("https" if ssl_context else "http", host, port)
        self._thread = None

    # -- request log --------------------------------------------------------
    def log_request(self, handler, method, path, query, route, user):
        headers = dict(handler.headers.items())
        if "Authorization" in headers:
            # The log is read by tests and printed on failure: keep who, not the secret.
            headers["Authorization"] = "Basic <%s:redacted>" % (user,)
        entry = {"time": time.time(), "method": method, "path": path,
                 "query": {k: v[-1] for k, v in query.items()}, "route": route,
                 "connection": handler.connection_id, "headers": headers, "user": user, "status": None}
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

    def find_service_any(self, sid_or_name):
        for service in self.store.services.values():
            if sid_or_name in (service.sid, service.unique_name):
                return service
        return None

    # -- life cycle ---------------------------------------------------------
    def start(self):
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="twilio-sim", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        self._httpd.serve_forever(poll_interval=0.1)

    def stop(self):
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
