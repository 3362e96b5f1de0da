# SPDX-License-Identifier: GPL-3.0-or-later
"""Builds: list, create (CreateBuild, checked as Twilio checks it), fetch, delete, and Build Status."""

import json
import re

from ..api import error_body, invalid, list_page
from ..store import ADDED_DEPENDENCIES

PATHS = (
    ("builds", "/v1/Services/{service}/Builds"),
    ("build", "/v1/Services/{service}/Builds/{build}"),
    ("build_status", "/v1/Services/{service}/Builds/{build}/Status"),
)
RUNTIME_FORMAT = re.compile(r"^node[0-9]+$")
EXACT_VERSION = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$")


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


def find_build(req):
    """The build the path names, or (None, a 404 answer)."""
    build = req.service.by_sid.get(req.match.group("build"))
    if build is None:
        return None, (404, error_body(404, "/Services/%s/Builds/%s" % (req.service.sid, req.match.group("build"))))
    return build, None


def get_builds(req):
    store, service = req.store, req.service
    with store.lock:
        builds = list(service.builds)
        index = service.index
    return list_page(req, "builds", builds, "/v1/Services/%s/Builds" % service.sid,
                     lambda b: store.build_json(service, b, req.base, req.now), index)


def get_build(req):
    build, missing = find_build(req)
    return missing or (200, req.store.build_json(req.service, build, req.base, req.now))


def delete_build(req):
    """DeleteBuild: 204; refused with a 409 while an environment runs the build. The OpenAPI description
    gives only the 204; the refusal's status and code are this simulator's reading of Twilio's rule that a
    deployed build cannot be deleted (20409, as for the other conflicts of this API)."""
    build, missing = find_build(req)
    if missing:
        return missing
    running = [e.unique_name for e in req.service.environments if e.build_sid == build.sid]
    if running:
        return invalid("Build %s is deployed to environment %s and cannot be deleted"
                       % (build.sid, ", ".join(running)), status=409, code=20409)
    req.store.delete_build(req.service, build)
    return 204, b""


def get_build_status(req):
    build, missing = find_build(req)
    return missing or (200, req.store.build_status_json(req.service, build, req.base, req.now))


def post_build(req):
    """CreateBuild, checked as Twilio checks it: versions of this service, one per path, a runtime, and
    dependencies it can read; it adds ``twilio`` and ``@twilio/runtime-handler`` when they are not named."""
    store, service = req.store, req.service
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
    return 201, store.build_json(service, build, req.base, req.now)


# (method, resource) -> (route name: what faults are set on and the log shows, handler)
ROUTES = {
    ("GET", "builds"): ("builds", get_builds),
    ("POST", "builds"): ("create_build", post_build),
    ("GET", "build"): ("build", get_build),
    ("DELETE", "build"): ("delete_build", delete_build),
    ("GET", "build_status"): ("build_status", get_build_status),
}


# The control API's rows for builds (see control_routes.py).
def _service(sim, body):
    """The service the body names (SID or unique name, any account), or (None, a 404 answer)."""
    service = sim.find_service_any(body["service"])
    if service is None:
        return None, (404, {"error": "no service %r" % body["service"]})
    return service, None


def create_builds(sim, body):
    service, missing = _service(sim, body)
    if missing:
        return missing
    builds = sim.store.create_builds(service, body["builds"])
    # ready_at (epoch seconds, the log's clock) lets a test time its polls against the build's end.
    return 200, {"sids": [b.sid for b in builds], "ready_at": [b.ready_at for b in builds],
                 "service_sid": service.sid}


def new_build(sim, body):
    """The outcome of the builds CreateBuild makes from now on: a test scripts a failed build here."""
    service, missing = _service(sim, body)
    if missing:
        return missing
    if body.get("final_status", "completed") not in ("completed", "failed"):
        raise ValueError("final_status must be completed or failed")
    service.new_build.update((k, body[k]) for k in ("ready_in", "final_status", "fail_dependencies") if k in body)
    return 200, {"new_build": dict(service.new_build), "service_sid": service.sid}


CONTROL = {
    ("POST", "/__sim/builds"): create_builds,
    ("POST", "/__sim/new_build"): new_build,
}
