# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP front of the simulator: Twilio's routes, Basic auth, paging, faults, log."""

import base64
import hashlib
import ipaddress
import itertools
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from . import multipart
from .faults import Faults
from .store import ADDED_DEPENDENCIES, Store, load_seed


def _pattern(template):
    """``/v1/Services/{service}`` -> a regex with one named group per ``{name}``."""
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$")


# Resources by path; the route table below says which methods each takes.
RESOURCES = tuple((name, _pattern(template)) for name, template in (
    ("services", "/v1/Services"),
    ("service", "/v1/Services/{service}"),
    ("builds", "/v1/Services/{service}/Builds"),
    ("build", "/v1/Services/{service}/Builds/{build}"),
    ("build_status", "/v1/Services/{service}/Builds/{build}/Status"),
    ("environments", "/v1/Services/{service}/Environments"),
    ("environment", "/v1/Services/{service}/Environments/{environment}"),
    ("deployments", "/v1/Services/{service}/Environments/{environment}/Deployments"),
    ("deployment", "/v1/Services/{service}/Environments/{environment}/Deployments/{deployment}"),
    ("functions", "/v1/Services/{service}/Functions"),
    ("function", "/v1/Services/{service}/Functions/{function}"),
    ("function_versions", "/v1/Services/{service}/Functions/{function}/Versions"),
    ("function_version", "/v1/Services/{service}/Functions/{function}/Versions/{version}"),
    ("function_version_content", "/v1/Services/{service}/Functions/{function}/Versions/{version}/Content"),
    ("assets", "/v1/Services/{service}/Assets"),
    ("asset", "/v1/Services/{service}/Assets/{asset}"),
    ("asset_versions", "/v1/Services/{service}/Assets/{asset}/Versions"),
    ("asset_version", "/v1/Services/{service}/Assets/{asset}/Versions/{version}"),
    ("variables", "/v1/Services/{service}/Environments/{environment}/Variables"),
    ("variable", "/v1/Services/{service}/Environments/{environment}/Variables/{variable}"),
))
# (method, resource) -> (route: the name faults are set on and the log shows, handler method of Handler).
# A path that matches a resource with a method not in this table is answered 405 (its faults are those of
# the resource's name); a path that matches no resource, 404.
ROUTE_TABLE = {
    ("GET", "services"): ("services", "_get_services"),
    ("POST", "services"): ("create_service", "_post_service"),
    ("GET", "service"): ("service", "_get_service"),
    ("POST", "service"): ("update_service", "_update_service"),
    ("DELETE", "service"): ("delete_service", "_delete_service"),
    ("GET", "builds"): ("builds", "_get_builds"),
    ("POST", "builds"): ("create_build", "_post_build"),
    ("GET", "build"): ("build", "_get_build"),
    ("DELETE", "build"): ("delete_build", "_delete_build"),
    ("GET", "build_status"): ("build_status", "_get_build_status"),
    ("GET", "environments"): ("environments", "_get_environments"),
    ("POST", "environments"): ("create_environment", "_post_environment"),
    ("GET", "environment"): ("environment", "_get_environment"),
    ("DELETE", "environment"): ("delete_environment", "_delete_environment"),
    ("GET", "variables"): ("variables", "_get_variables"),
    ("POST", "variables"): ("create_variable", "_post_variable"),
    ("GET", "variable"): ("variable", "_get_variable"),
    ("POST", "variable"): ("update_variable", "_update_variable"),
    ("DELETE", "variable"): ("delete_variable", "_delete_variable"),
    ("GET", "deployments"): ("deployments", "_get_deployments"),
    ("POST", "deployments"): ("create_deployment", "_post_deployment"),
    ("GET", "deployment"): ("deployment", "_get_deployment"),
    ("GET", "functions"): ("functions", "_get_functions"),
    ("POST", "functions"): ("create_function", "_post_function"),
    ("GET", "function"): ("function", "_get_function"),
    ("GET", "function_versions"): ("function_versions", "_get_function_versions"),
    # The upload: at serverless-upload.twilio.com in Twilio (not in the OpenAPI description), here on the
    # simulator's one origin.
    ("POST", "function_versions"): ("create_function_version", "_post_function_version"),
    ("GET", "function_version"): ("function_version", "_get_function_version"),
    ("GET", "function_version_content"): ("function_version_content", "_get_function_version_content"),
    ("GET", "assets"): ("assets", "_get_assets"),
    ("POST", "assets"): ("create_asset", "_post_asset"),
    ("GET", "asset"): ("asset", "_get_asset"),
    ("GET", "asset_versions"): ("asset_versions", "_get_asset_versions"),
    ("POST", "asset_versions"): ("create_asset_version", "_post_asset_version"),
    ("GET", "asset_version"): ("asset_version", "_get_asset_version"),
}
VISIBILITIES = ("public", "protected", "private")
# Twilio's upload host refuses bigger assets with a bare 413 (no JSON body).
ASSET_LIMITS = {"public": 25 * 1024 * 1024, "protected": 25 * 1024 * 1024, "private": 10 * 1024 * 1024}
TOO_LARGE_PAGE = ("<html><head><title>413 Request Entity Too Large</title></head><body><center>"
                  "<h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>\n")
RUNTIME_FORMAT = re.compile(r"^node[0-9]+$")
EXACT_VERSION = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$")
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


def invalid(message, status=400, code=None):
    """A 400 (or ``status``) answer with Twilio's error shape and this message."""
    body = error_body(status)
    body["message"] = message
    if code is not None:
        body["code"] = code
        body["more_info"] = "https://www.twilio.com/docs/errors/%d" % code
    return status, body


def parse_dependencies(text):
    """``Dependencies`` as Twilio reads it: a JSON array of {name, version}; return (list, problem).

    The toolkit sends the array wrapped in one more pair of double quotes (``"[...]"``), and Twilio takes
    that too, so one surrounding pair is removed first. ``@twilio/runtime-handler`` must be an exact version.
    """
    if not text:
        return [], None
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    shape = "Dependencies must be a JSON array of objects with a string name and version"
    try:
        value = json.loads(text)
    except ValueError:
        return None, shape
    if not isinstance(value, list):
        return None, shape
    seen = set()
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"] \
                or not isinstance(item.get("version"), str):
            return None, shape
        if item["name"] in seen:
            return None, "Dependencies name %s twice" % item["name"]
        seen.add(item["name"])
        if item["name"] == "@twilio/runtime-handler" and not EXACT_VERSION.match(item["version"]):
            return None, ("Invalid version %r for @twilio/runtime-handler: it must be an exact version"
                          % item["version"])
    return [{"name": d["name"], "version": d["version"]} for d in value], None


def boolean_fields(req, names):
    """Twilio's form booleans (true/false); return ({name: bool}, None) or (None, a 400 answer)."""
    values = {}
    for name in names:
        value = req.field(name)
        if value is None:
            continue
        if value.lower() not in ("true", "false"):
            return None, invalid("%s must be true or false, not %r" % (name, value))
        values[name] = value.lower() == "true"
    return values, None


class Request:
    """What a route handler reads: the match, the query and form, the raw body, who asked, and when."""

    def __init__(self, method, match, query, form, raw, account, fault, entry, now):
        self.method = method
        self.match = match
        self.query = query
        self.form = form
        self.raw = raw
        self.account = account
        self.fault = fault
        self.entry = entry
        self.now = now
        self.service = None

    def field(self, name):
        values = self.form.get(name)
        return values[-1] if values else None


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
            elif path == "/__sim/new_build" and method == "POST":
                # The outcome of the builds CreateBuild makes from now on: a test scripts a failed build here.
                service = sim.find_service_any(body["service"])
                if service is None:
                    self._send(404, {"error": "no service %r" % body["service"]})
                    return
                if body.get("final_status", "completed") not in ("completed", "failed"):
                    raise ValueError("final_status must be completed or failed")
                service.new_build.update((k, body[k]) for k in ("ready_in", "final_status", "fail_dependencies")
                                         if k in body)
                result = {"new_build": dict(service.new_build), "service_sid": service.sid}
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
        route, handler, match = "unknown", None, None
        for name, pattern in RESOURCES:
            match = pattern.match(path)
            if match:
                route, handler = ROUTE_TABLE.get((method, name), (name, None))
                break
        user, password = self._auth_user()
        # Read the body whatever happens next, so a keep-alive connection stays in step.
        raw = self._read_raw()
        if sim.latency:
            time.sleep(sim.latency)
        # Logged after the latency, so an entry's time is when the request read the state it answers with.
        entry = sim.log_request(self, method, path, query, route, user)
        form = self._form(raw)
        entry["form"] = {k: v if len(v) > 1 else v[-1] for k, v in form.items()}
        if route in ("create_variable", "update_variable") and "Value" in entry["form"]:
            # A variable's value is a secret: the log (read by tests, printed on failure) keeps its size only.
            entry["form"]["Value"] = "<redacted: %d bytes>" % len(form["Value"][-1].encode("utf-8"))

        fault = sim.faults.take(route) if match else None
        if self._fault_hook(fault, entry, committed=False):
            return
        if not match:
            self._finish(entry, 404, error_body(404, path[3:] if path.startswith("/v1") else path))
            return
        if handler is None:
            self._finish(entry, 405, error_body(405))
            return
        account = sim.store.authenticate(user, password) if user is not None else None
        if account is None:
            self._finish(entry, 401, error_body(401), {"WWW-Authenticate": 'Basic realm="Twilio API"'})
            return
        request = Request(method, match, query, form, raw, account, fault, entry, time.time())
        if "service" in match.groupdict():
            request.service = sim.store.find_service(account, match.group("service"))
            if request.service is None:
                self._finish(entry, 404, error_body(404, "/Services/%s" % match.group("service")))
                return
        answer = getattr(self, handler)(request)
        if answer is None:  # the handler answered itself
            return
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

    # -- route handlers: each returns (status, body[, extra headers]) --------
    def _get_services(self, req):
        store = self.server.sim.store
        base = self.server.sim.base_url
        return self._list(req, "services", sorted(
            (s for s in store.services.values() if s.account_sid == req.account), key=lambda s: s.created),
            "/v1/Services", lambda s: store.service_json(s, base), None, faults=False)

    def _get_service(self, req):
        return 200, self.server.sim.store.service_json(req.service, self.server.sim.base_url)

    def _get_builds(self, req):
        store, base, service = self.server.sim.store, self.server.sim.base_url, req.service
        with store.lock:
            builds = list(service.builds)
            index = service.index
        return self._list(req, "builds", builds, "/v1/Services/%s/Builds" % service.sid,
                          lambda b: store.build_json(service, b, base, req.now), index)

    def _build(self, req):
        build = req.service.by_sid.get(req.match.group("build"))
        if build is None:
            return None, (404, error_body(404, "/Services/%s/Builds/%s" % (req.service.sid, req.match.group("build"))))
        return build, None

    def _get_build(self, req):
        build, missing = self._build(req)
        return missing or (200, self.server.sim.store.build_json(req.service, build, self.server.sim.base_url,
                                                                 req.now))

    def _delete_build(self, req):
        """DeleteBuild: 204; refused with a 409 while an environment runs the build. The OpenAPI description
        gives only the 204; the refusal's status and code are this simulator's reading of Twilio's rule that a
        deployed build cannot be deleted (20409, as for the other conflicts of this API)."""
        build, missing = self._build(req)
        if missing:
            return missing
        running = [e.unique_name for e in req.service.environments if e.build_sid == build.sid]
        if running:
            return invalid("Build %s is deployed to environment %s and cannot be deleted"
                           % (build.sid, ", ".join(running)), status=409, code=20409)
        self.server.sim.store.delete_build(req.service, build)
        return 204, b""

    def _get_build_status(self, req):
        build, missing = self._build(req)
        return missing or (200, self.server.sim.store.build_status_json(req.service, build, self.server.sim.base_url,
                                                                        req.now))

    def _post_build(self, req):
        """CreateBuild, checked as Twilio checks it: versions of this service, one per path, a runtime, and
        dependencies it can read; it adds ``twilio`` and ``@twilio/runtime-handler`` when they are not named."""
        store, base, service = self.server.sim.store, self.server.sim.base_url, req.service
        # Repeated keys, as Twilio reads an array; "FunctionVersions[]" is another parameter, ignored.
        functions, assets = req.form.get("FunctionVersions", []), req.form.get("AssetVersions", [])
        if not functions and not assets:
            return invalid("At least one Function Version or Asset Version is required", code=20001)
        paths = {}
        for kind, sids in (("function", functions), ("asset", assets)):
            for sid in sids:
                version = service.versions.get(sid)
                if version is None or version.kind != kind:
                    return invalid("%s Version %s was not found in Service %s" % (kind.capitalize(), sid, service.sid))
                if version.path in paths:
                    return invalid("Build has two versions with the path %s: %s and %s" % (
                        version.path, paths[version.path], sid))
                paths[version.path] = sid
        dependencies, problem = parse_dependencies(req.field("Dependencies"))
        if problem:
            return invalid(problem, code=20001)
        runtime = req.field("Runtime")
        if not runtime:
            # Twilio reuses the runtime of the service's last successful build.
            last = next((b for b in service.builds if b.status(req.now) == "completed"), None)
            runtime = last.runtime if last is not None else store.default_runtime
            if runtime not in store.runtimes:
                return invalid("The runtime of the last successful build, %s, is no longer supported; give a "
                               "Runtime" % runtime, code=82007)
        elif not RUNTIME_FORMAT.match(runtime) or runtime not in store.runtimes:
            return invalid("Invalid Runtime %r: supported runtimes are %s" % (runtime, ", ".join(store.runtimes)))
        named = {d["name"] for d in dependencies}
        dependencies += [{"name": name, "version": version} for name, version in ADDED_DEPENDENCIES
                         if name not in named]
        build = store.create_posted_build(service, runtime, req.now, functions, assets, dependencies)
        return 201, store.build_json(service, build, base, req.now)

    # -- services -------------------------------------------------------------
    def _post_service(self, req):
        store = self.server.sim.store
        name, friendly = req.field("UniqueName"), req.field("FriendlyName")
        for option, value in (("UniqueName", name), ("FriendlyName", friendly)):
            if not value:
                return invalid("Missing required parameter %s in the post body" % option)
        if len(name) > 50 or len(friendly) > 255:
            return invalid("UniqueName is at most 50 characters and FriendlyName at most 255")
        if any(s.unique_name == name and s.account_sid == req.account for s in list(store.services.values())):
            return invalid("Service with UniqueName %s already exists" % name)
        flags, problem = boolean_fields(req, ("IncludeCredentials", "UiEditable"))
        if problem:
            return problem
        service = store.add_service(req.account, name, friendly, created=req.now, placeholders=False)
        service.include_credentials = flags.get("IncludeCredentials", True)
        service.ui_editable = flags.get("UiEditable", False)
        return 201, store.service_json(service, self.server.sim.base_url)

    def _update_service(self, req):
        service = req.service
        flags, problem = boolean_fields(req, ("IncludeCredentials", "UiEditable"))
        if problem:
            return problem
        friendly = req.field("FriendlyName")
        if friendly is not None:
            if not friendly or len(friendly) > 255:
                return invalid("FriendlyName must be 1 to 255 characters")
            service.friendly_name = friendly
        service.include_credentials = flags.get("IncludeCredentials", service.include_credentials)
        service.ui_editable = flags.get("UiEditable", service.ui_editable)
        service.updated = req.now
        return 200, self.server.sim.store.service_json(service, self.server.sim.base_url)

    def _delete_service(self, req):
        self.server.sim.store.delete_service(req.service)
        return 204, b""

    # -- functions and assets, and their versions ------------------------------
    def _resource(self, req, kind):
        sid = req.match.group(kind)
        resource = req.service.resources.get(sid)
        if resource is None or resource.kind != kind:
            return None, (404, error_body(404, "/Services/%s/%ss/%s" % (req.service.sid, kind.capitalize(), sid)))
        return resource, None

    def _version(self, req, kind):
        resource, missing = self._resource(req, kind)
        if missing:
            return None, missing
        version = req.service.versions.get(req.match.group("version"))
        if version is None or version.resource_sid != resource.sid:
            return None, (404, error_body(404, "/Services/%s/%ss/%s/Versions/%s" % (
                req.service.sid, kind.capitalize(), resource.sid, req.match.group("version"))))
        return version, None

    def _get_resources(self, req, kind):
        store, base, service = self.server.sim.store, self.server.sim.base_url, req.service
        with store.lock:
            items = [r for r in service.resources.values() if r.kind == kind]
        return self._list(req, kind + "s", items, "/v1/Services/%s/%ss" % (service.sid, kind.capitalize()),
                          lambda r: store.resource_json(service, r, base), None)

    def _post_resource(self, req, kind):
        store = self.server.sim.store
        name = req.field("FriendlyName")
        if not name:
            return invalid("Missing required parameter FriendlyName in the post body")
        if len(name) > 255:
            return invalid("FriendlyName must be at most 255 characters")
        resource = store.add_resource(req.service, kind, name, req.now)
        return 201, store.resource_json(req.service, resource, self.server.sim.base_url)

    def _get_resource(self, req, kind):
        resource, missing = self._resource(req, kind)
        return missing or (200, self.server.sim.store.resource_json(req.service, resource, self.server.sim.base_url))

    def _get_versions(self, req, kind):
        store, base, service = self.server.sim.store, self.server.sim.base_url, req.service
        resource, missing = self._resource(req, kind)
        if missing:
            return missing
        with store.lock:
            items = [v for v in service.versions.values() if v.resource_sid == resource.sid]
        return self._list(req, kind + "_versions", items, "/v1/Services/%s/%ss/%s/Versions" % (
            service.sid, kind.capitalize(), resource.sid), lambda v: store.version_json(service, v, base), None)

    def _get_version(self, req, kind):
        version, missing = self._version(req, kind)
        return missing or (200, self.server.sim.store.version_json(req.service, version, self.server.sim.base_url))

    def _post_version(self, req, kind):
        """The upload: a strict multipart form of Path, Visibility and Content, its bytes kept exactly."""
        store, service = self.server.sim.store, req.service
        resource, missing = self._resource(req, kind)
        if missing:
            return missing
        content_type = self.headers.get("Content-Type")
        try:
            parts = multipart.parse(req.raw, content_type)
        except multipart.MultipartError as exc:
            req.entry["multipart"] = {"error": str(exc)}
            return invalid("Invalid multipart/form-data body: %s" % exc)
        # The log keeps the form's layout (what the golden test compares) and a digest of the content.
        req.entry["multipart"] = {"content_type": content_type, "parts": [p.layout() for p in parts],
                                  "template": multipart.template(req.raw, content_type, parts)}
        by_name = {}
        for part in parts:
            if part.name in by_name:
                return invalid("The part %s is sent more than once" % part.name)
            by_name[part.name] = part
        absent = [name for name in ("Path", "Visibility", "Content") if name not in by_name]
        if absent:
            return invalid("Missing required part%s %s" % ("s" if len(absent) > 1 else "", ", ".join(absent)))
        unknown = sorted(set(by_name) - {"Path", "Visibility", "Content"})
        if unknown:
            return invalid("Unknown part%s %s" % ("s" if len(unknown) > 1 else "", ", ".join(unknown)))
        content = by_name["Content"]
        if content.filename is None or not content.content_type:
            return invalid("The Content part needs a filename and a Content-Type")
        try:
            path = by_name["Path"].data.decode("utf-8")
            visibility = by_name["Visibility"].data.decode("utf-8")
        except UnicodeDecodeError:
            return invalid("Path and Visibility must be UTF-8 text")
        if visibility not in VISIBILITIES:
            return invalid("Visibility must be one of %s, not %r" % (", ".join(VISIBILITIES), visibility))
        path = path if path.startswith("/") else "/" + path  # as the spec says Twilio does
        if len(path) > 255:
            return invalid("Path must be at most 255 characters")
        if kind == "asset" and len(content.data) > ASSET_LIMITS[visibility]:
            req.entry["multipart"]["too_large"] = len(content.data)
            return 413, TOO_LARGE_PAGE, {"Content-Type": "text/html"}
        req.entry["multipart"]["sha256"] = hashlib.sha256(content.data).hexdigest()
        version = store.add_version(service, resource, path, visibility, content.data, content.content_type,
                                    content.filename, req.now)
        return 201, store.version_json(service, version, self.server.sim.base_url)

    def _get_function_version_content(self, req):
        version, missing = self._version(req, "function")
        return missing or (200, self.server.sim.store.version_content_json(req.service, version,
                                                                           self.server.sim.base_url))

    def _get_functions(self, req):
        return self._get_resources(req, "function")

    def _post_function(self, req):
        return self._post_resource(req, "function")

    def _get_function(self, req):
        return self._get_resource(req, "function")

    def _get_function_versions(self, req):
        return self._get_versions(req, "function")

    def _post_function_version(self, req):
        return self._post_version(req, "function")

    def _get_function_version(self, req):
        return self._get_version(req, "function")

    def _get_assets(self, req):
        return self._get_resources(req, "asset")

    def _post_asset(self, req):
        return self._post_resource(req, "asset")

    def _get_asset(self, req):
        return self._get_resource(req, "asset")

    def _get_asset_versions(self, req):
        return self._get_versions(req, "asset")

    def _post_asset_version(self, req):
        return self._post_version(req, "asset")

    def _get_asset_version(self, req):
        return self._get_version(req, "asset")

    def _env_path(self, req):
        return "/v1/Services/%s/Environments" % req.service.sid

    def _environment(self, req):
        env = self.server.sim.store.find_environment(req.service, req.match.group("environment"))
        if env is None:
            return None, (404, error_body(404, "%s/%s" % (self._env_path(req)[3:], req.match.group("environment"))))
        return env, None

    def _get_environments(self, req):
        store, base = self.server.sim.store, self.server.sim.base_url
        return self._list(req, "environments", list(req.service.environments), self._env_path(req),
                          lambda e: store.environment_json(req.service, e, base), None)

    def _post_environment(self, req):
        store, base, service = self.server.sim.store, self.server.sim.base_url, req.service
        name = req.field("UniqueName")
        if not name:
            return invalid("Missing required parameter UniqueName in the post body")
        suffix = req.field("DomainSuffix")
        if len(name) > 100 or (suffix is not None and len(suffix) > 16):
            return invalid("UniqueName is at most 100 characters and DomainSuffix at most 16")
        if any(e.unique_name == name for e in service.environments):
            return invalid("Unique name already in use")
        if suffix and any(e.domain_suffix == suffix for e in service.environments):
            return invalid("Domain suffix already in use")
        return 201, store.environment_json(service, store.add_environment(service, name, suffix, req.now), base)

    def _get_environment(self, req):
        env, missing = self._environment(req)
        return missing or (200, self.server.sim.store.environment_json(req.service, env, self.server.sim.base_url))

    def _delete_environment(self, req):
        env, missing = self._environment(req)
        if missing:
            return missing
        self.server.sim.store.delete_environment(req.service, env)
        return 204, b""

    # -- variables --------------------------------------------------------------
    def _variable(self, req, env):
        sid = req.match.group("variable")
        variable = env.variables.get(sid)
        if variable is None:
            return None, (404, error_body(404, "%s/%s/Variables/%s" % (self._env_path(req)[3:], env.sid, sid)))
        return variable, None

    @staticmethod
    def _check_variable(key, value, env, sid=None):
        """Twilio's checks of CreateVariable and UpdateVariable; a problem's text names the key, never the value."""
        if key is not None and not 1 <= len(key) <= 128:
            return invalid("Key must be 1 to 128 characters")
        if value is not None and len(value.encode("utf-8")) > 450:
            return invalid("Value of %s is larger than 450 bytes" % key)
        if key is not None and any(v.key == key and v.sid != sid for v in env.variables.values()):
            return invalid("Variable with Key %s already exists" % key)
        return None

    def _get_variables(self, req):
        store, base = self.server.sim.store, self.server.sim.base_url
        env, missing = self._environment(req)
        if missing:
            return missing
        with store.lock:
            items = list(env.variables.values())
        return self._list(req, "variables", items, "%s/%s/Variables" % (self._env_path(req), env.sid),
                          lambda v: store.variable_json(req.service, env, v, base), None)

    def _post_variable(self, req):
        store, base = self.server.sim.store, self.server.sim.base_url
        env, missing = self._environment(req)
        if missing:
            return missing
        key, value = req.field("Key"), req.field("Value")
        for name, given in (("Key", key), ("Value", value)):
            if given is None:
                return invalid("Missing required parameter %s in the post body" % name)
        problem = self._check_variable(key, value, env)
        if problem:
            return problem
        return 201, store.variable_json(req.service, env, store.add_variable(env, key, value, req.now), base)

    def _get_variable(self, req):
        env, missing = self._environment(req)
        variable, missing = (None, missing) if missing else self._variable(req, env)
        return missing or (200, self.server.sim.store.variable_json(req.service, env, variable,
                                                                    self.server.sim.base_url))

    def _update_variable(self, req):
        store, base = self.server.sim.store, self.server.sim.base_url
        env, missing = self._environment(req)
        variable, missing = (None, missing) if missing else self._variable(req, env)
        if missing:
            return missing
        key, value = req.field("Key"), req.field("Value")
        problem = self._check_variable(key, value, env, variable.sid)
        if problem:
            return problem
        with store.lock:
            variable.key = variable.key if key is None else key
            variable.value = variable.value if value is None else value
            variable.updated = req.now
        return 200, store.variable_json(req.service, env, variable, base)

    def _delete_variable(self, req):
        env, missing = self._environment(req)
        variable, missing = (None, missing) if missing else self._variable(req, env)
        if missing:
            return missing
        with self.server.sim.store.lock:
            env.variables.pop(variable.sid, None)
        return 204, b""

    def _get_deployments(self, req):
        store, base = self.server.sim.store, self.server.sim.base_url
        env, missing = self._environment(req)
        if missing:
            return missing
        return self._list(req, "deployments", list(env.deployments),
                          "%s/%s/Deployments" % (self._env_path(req), env.sid),
                          lambda d: store.deployment_json(req.service, d, base), None)

    def _get_deployment(self, req):
        env, missing = self._environment(req)
        if missing:
            return missing
        for deployment in env.deployments:
            if deployment.sid == req.match.group("deployment"):
                return 200, self.server.sim.store.deployment_json(req.service, deployment, self.server.sim.base_url)
        return 404, error_body(404, "%s/%s/Deployments/%s" % (self._env_path(req)[3:], env.sid,
                                                              req.match.group("deployment")))

    def _post_deployment(self, req):
        store, base, service = self.server.sim.store, self.server.sim.base_url, req.service
        env = store.find_environment(service, req.match.group("environment"))
        if env is None:
            return 404, error_body(404, "/Services/%s/Environments/%s" % (service.sid, req.match.group("environment")))
        build_sid = req.field("BuildSid")
        build = service.by_sid.get(build_sid or "")
        if build is None:
            return invalid("BuildSid %r is not a build of this service" % (build_sid,))
        if build.status(req.now) != "completed":
            return invalid("Build %s is not completed" % build_sid)
        if env.build_sid == build_sid:
            return 409, error_body(409)
        return 201, store.deployment_json(service, store.deploy(service, env, build_sid, req.now), base)

    def _list(self, req, key, items, path, render, index, faults=True):
        """One page of a listing, as Twilio pages it; ``faults`` lets a ``next_page_url`` fault act."""
        sim = self.server.sim
        query, fault = req.query, (req.fault if faults else None)

        def one(name, default):
            values = query.get(name)
            return values[-1] if values else default

        try:
            page_size = int(one("PageSize", "50"))
            page = int(one("Page", "0"))
            if not 1 <= page_size <= 1000 or page < 0:
                raise ValueError
        except ValueError:
            return invalid("Invalid paging parameters: PageSize must be 1 to 1000 and Page 0 or more")
        token = one("PageToken", None)
        start = page * page_size
        if token and index is not None:
            # Twilio's tokens name the last (PA) or first (PB) record of the
            # neighbouring page, so pages stay stable while new builds arrive.
            anchor = index.get(token[2:])
            if token[:2] not in ("PA", "PB") or anchor is None:
                return invalid("Invalid PageToken")
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
        return 200, body

    def _finish(self, entry, status, body, extra=None):
        entry["status"] = status
        extra = dict(extra or {})
        self._send(status, body, content_type=extra.pop("Content-Type", "application/json"), extra=extra)

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
