# SPDX-License-Identifier: GPL-3.0-or-later
"""An in-memory Twilio Serverless API behind a fake requests.Session, for serverless_build's unit tests.

It serves what building from source needs (Services by name, Functions, Assets, their Versions through a
strict multipart parser, function content, Builds, Environments) and records every request, so tests
count what reached "the server", not what the module claims. ``faults`` scripts failures per route:
``{"route": "upload", "status": 503}`` fails before the change; ``"commit": True`` applies it, then
fails; ``"drop": True`` raises a dropped connection instead of answering.
"""

import itertools
import json
import re
import threading
import time

from requests.exceptions import ConnectionError as RequestsConnectionError

ACCOUNT = "AC" + "1" * 32
SERVICE = "ZS" + "9" * 32
SERVICE_NAME = "demo"


class FakeResponse:
    def __init__(self, status, body, headers=None):
        self.status_code = status
        self.content = json.dumps(body).encode("utf-8") if body is not None else b""
        self.headers = {"Content-Type": "application/json", "Twilio-Request-Id": "RQ" + "0" * 32}
        self.headers.update(headers or {})

    def close(self):
        pass


def parse_multipart(body, header):
    """A strict multipart/form-data parser: name -> (headers dict, bytes); ValueError on anything odd."""
    match = re.match(r"multipart/form-data; boundary=(\S+)\Z", header or "")
    if not match:
        raise ValueError("not multipart/form-data: %r" % header)
    dash = b"--" + match.group(1).encode("ascii")
    end = b"\r\n" + dash + b"--\r\n"
    if not body.startswith(dash + b"\r\n") or not body.endswith(end):
        raise ValueError("body does not start and end with the boundary")
    parts = {}
    for chunk in body[len(dash) + 2:-len(end)].split(b"\r\n" + dash + b"\r\n"):
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("part without a blank line")
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            key, _sep, value = line.partition(": ")
            headers[key.lower()] = value
        if "content-transfer-encoding" in headers:
            raise ValueError("transfer encodings are refused: %s" % headers["content-transfer-encoding"])
        name = re.search(r'name="([^"]*)"', headers.get("content-disposition", ""))
        if not name:
            raise ValueError("part without a name")
        parts[name.group(1)] = (headers, content)
    return parts


class FakeServerless:
    def __init__(self):
        self.lock = threading.Lock()
        self.log = []
        self.faults = []
        self.counter = itertools.count(1)
        self.resources = {"function": {}, "asset": {}}  # sid -> friendly_name
        self.versions = {}  # sid -> dict(kind, resource_sid, path, visibility, content, content_type, filename)
        self.builds = []  # newest last
        self.environments = []
        self.build_outcome = "completed"
        self.active = 0
        self.max_active = 0
        self.upload_delay = 0.0
        self.auth = None
        self.headers = {}

    # -- the requests.Session surface the client uses ----------------------
    def close(self):
        pass

    def sid(self, prefix):
        return "%s%032x" % (prefix, next(self.counter))

    def request(self, method, url, params=None, data=None, timeout=None, allow_redirects=True, verify=True,
                headers=None):
        host, path = re.match(r"(https?://[^/]+)(/[^?]*)", url).groups()
        with self.lock:
            self.log.append({"method": method, "host": host, "path": path, "data": data,
                             "headers": dict(headers or {})})
            route = self.route_of(method, path)
            fault = None
            for candidate in self.faults:
                if candidate["route"] == route and candidate.get("times", 1) != 0:
                    candidate["times"] = candidate.get("times", 1) - 1
                    fault = candidate
                    break
        if route == "upload":
            with self.lock:
                self.active += 1
                self.max_active = max(self.max_active, self.active)
            time.sleep(self.upload_delay)
        try:
            if fault and not fault.get("commit"):
                return self.fail(fault)
            with self.lock:
                status, body = self.handle(method, path, params, data, headers or {})
            if fault:
                return self.fail(fault)
            return FakeResponse(status, body)
        finally:
            if route == "upload":
                with self.lock:
                    self.active -= 1

    @staticmethod
    def fail(fault):
        if fault.get("drop"):
            raise RequestsConnectionError("connection dropped")
        return FakeResponse(fault["status"], {"code": fault.get("code", 20500), "message": "injected"})

    @staticmethod
    def route_of(method, path):
        if method == "POST" and path.endswith("/Versions"):
            return "upload"
        if method == "POST" and path.endswith("/Builds"):
            return "create_build"
        if method == "POST" and (path.endswith("/Functions") or path.endswith("/Assets")):
            return "create_resource"
        return "%s %s" % (method, re.sub(r"[A-Z]{2}[0-9a-f]{32}", "{sid}", path))

    # -- helpers for tests ------------------------------------------------------
    def requests_to(self, route):
        return [e for e in self.log if self.route_of(e["method"], e["path"]) == route]

    def writes(self):
        return [e for e in self.log if e["method"] != "GET"]

    def add_build(self, function_versions, asset_versions, status="completed", dependencies=(), runtime="node22"):
        build = {"sid": self.sid("ZB"), "service_sid": SERVICE, "status": status, "runtime": runtime,
                 "dependencies": list(dependencies),
                 "function_versions": [self.version_record(v) for v in function_versions],
                 "asset_versions": [self.version_record(v) for v in asset_versions],
                 "date_created": "2026-12-01T12:00:%02dZ" % len(self.builds)}
        self.builds.append(build)
        return build

    def version_record(self, sid):
        version = self.versions[sid]
        owner = "function_sid" if version["kind"] == "function" else "asset_sid"
        return {"sid": sid, owner: version["resource_sid"], "path": version["path"],
                "visibility": version["visibility"], "service_sid": SERVICE}

    def add_version(self, kind, path, content, visibility="public"):
        resource = [sid for sid, name in self.resources[kind].items() if name == path]
        resource_sid = resource[0] if resource else self.sid("ZH")
        self.resources[kind][resource_sid] = path
        sid = self.sid("ZN")
        self.versions[sid] = dict(kind=kind, resource_sid=resource_sid, path=path, visibility=visibility,
                                  content=content, content_type=None, filename=None)
        return sid

    # -- the API ---------------------------------------------------------------
    def page(self, key, records):
        return 200, {key: records, "meta": {"key": key, "next_page_url": None}}

    def handle(self, method, path, params, data, headers):
        parts = path.strip("/").split("/")
        if parts[:2] != ["v1", "Services"] or len(parts) < 3:
            return 404, {"code": 20404, "message": "not found"}
        if parts[2] not in (SERVICE, SERVICE_NAME):
            return 404, {"code": 20404, "message": "service not found"}
        rest = parts[3:]
        if not rest:
            return 200, {"sid": SERVICE, "unique_name": SERVICE_NAME}
        kind = {"Functions": "function", "Assets": "asset"}.get(rest[0])
        if kind and len(rest) == 1:
            if method == "POST":
                sid = self.sid("ZH")
                self.resources[kind][sid] = dict(data)["FriendlyName"]
                return 201, {"sid": sid, "friendly_name": dict(data)["FriendlyName"]}
            return self.page(rest[0].lower(), [{"sid": s, "friendly_name": n}
                                               for s, n in self.resources[kind].items()])
        if kind and len(rest) == 3 and rest[2] == "Versions" and method == "POST":
            return self.upload(kind, rest[1], data, headers)
        if kind == "function" and len(rest) == 5 and rest[4] == "Content":
            version = self.versions.get(rest[3])
            if version is None:
                return 404, {"code": 20404, "message": "no version"}
            return 200, {"sid": rest[3], "content": version["content"].decode("utf-8")}
        if rest[0] == "Builds":
            if len(rest) == 1 and method == "POST":
                return self.create_build(data)
            if len(rest) == 1:
                return self.page("builds", list(reversed(self.builds)))
            found = [b for b in self.builds if b["sid"] == rest[1]]
            if not found:
                return 404, {"code": 20404, "message": "no build"}
            if len(rest) == 3:
                return 200, {"sid": rest[1], "status": found[0]["status"]}
            return 200, found[0]
        if rest[0] == "Environments":
            return self.page("environments", self.environments)
        return 404, {"code": 20404, "message": "no route"}

    def upload(self, kind, resource_sid, body, headers):
        if resource_sid not in self.resources[kind]:
            return 404, {"code": 20404, "message": "no such %s" % kind}
        try:
            parts = parse_multipart(body, headers.get("Content-Type"))
        except ValueError as exc:
            return 400, {"code": 20001, "message": str(exc)}
        if set(parts) != {"Path", "Visibility", "Content"}:
            return 400, {"code": 20001, "message": "parts: %s" % sorted(parts)}
        content_headers, content = parts["Content"]
        sid = self.sid("ZN")
        self.versions[sid] = dict(kind=kind, resource_sid=resource_sid, path=parts["Path"][1].decode("utf-8"),
                                  visibility=parts["Visibility"][1].decode("utf-8"), content=content,
                                  content_type=content_headers.get("content-type"),
                                  filename=re.search(r'filename="([^"]*)"',
                                                     content_headers["content-disposition"]).group(1))
        return 201, {"sid": sid, "path": self.versions[sid]["path"]}

    def create_build(self, data):
        functions = [v for k, v in data if k == "FunctionVersions"]
        assets = [v for k, v in data if k == "AssetVersions"]
        if not functions and not assets:
            return 400, {"code": 20001, "message": "At least one Function Version or Asset Version is required"}
        for sid in functions + assets:
            if sid not in self.versions:
                return 400, {"code": 20001, "message": "version %s not found" % sid}
        paths = [self.versions[sid]["path"] for sid in functions + assets]
        if len(set(paths)) != len(paths):
            return 400, {"code": 20001, "message": "two versions for one path"}
        form = dict(data)
        build = self.add_build(functions, assets, status=self.build_outcome,
                               dependencies=json.loads(form["Dependencies"]), runtime=form["Runtime"])
        return 201, build
