# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator serves what it deploys: each environment's live build, as Twilio serves it at the environment's
domain, for clients that call functions (``serverless_verify``'s checks).

Where: ``<simulator base URL>/__sim/domains/{domain_name}/<path>``, ``{domain_name}`` the environment's
``domain_name`` exactly as the Environments API returns it (``svc-1234-dev.twil.io``). A client's
``domain_base_url`` template is therefore ``http://127.0.0.1:PORT/__sim/domains/{domain_name}``. Any method (GET,
HEAD, POST, PUT, PATCH, DELETE, OPTIONS) is served (HEAD: the headers alone); no Basic auth is asked, as a Twilio
domain asks none.

What: the Function or Asset of the live build (the environment's ``build_sid``) whose path is ``<path>``
(``/`` is ``/index.html`` when the build has one, as Twilio serves it). A domain no environment has, an
environment with no live build, or a path the build does not hold: 404.

Visibility, as Twilio enforces it:

- ``public``: served;
- ``protected``: served only with a valid ``X-Twilio-Signature``, else 401. The signature is Twilio's webhook
  signing: HMAC-SHA1 keyed with the account's auth token over the full URL as requested (scheme, the Host
  header as sent, the path and query string exactly as sent) followed, for a POST with an
  ``application/x-www-form-urlencoded`` body, by each form parameter sorted by name as name + value
  (a repeated name: each distinct value once, sorted, as name + value); base64 of the digest. The URL is checked as
  requested only (Twilio's helper libraries also try it with and without a default port; the simulator's
  URLs always carry theirs);
- ``private``: 403 (a private Function or Asset is only reachable from other functions).

An Asset is answered with its content and the Content-Type it was uploaded with; it writes no log.

A Function's behaviour is scripted by its content: every line ``// sim: key=value ...`` (values quoted as a
shell quotes them; later keys win) sets

- ``status``: the HTTP status (100-599; default 200);
- ``body``: the answer's body (default ``<path> served by build <build SID>``, so a check can tell builds apart);
- ``content_type``: its Content-Type (default ``text/plain; charset=utf-8``);
- ``level``: the invocation's log level, ``info``, ``warn`` or ``error`` in any case (default info);
- ``log``: the log's message (default ``<METHOD> <path>``);
- ``latency``: seconds to wait before answering (0 to 60; default 0): a slow function, a client's timeout.

For example ``// sim: status=500 level=error log="TypeError: boom" body="it broke"``. A function with no such
line answers 200 with the default body and logs at info. A directive the simulator cannot read (an unknown
key, a status or latency out of range, an unknown level) answers 500 naming the problem and logs it at error,
so a test that mistypes one fails loudly.

Every invocation of a Function writes one Log (``resources/logs.py``'s ``add_logs``) in the environment: the
Function's SID, the live build's SID, the environment's newest deployment's SID, a request SID (also the
answer's ``Twilio-Request-Id`` header), the level and message of the script, and the time of the call. A
signature refused (401), a private Function (403) or a 404 runs nothing and logs nothing.

The request log shows each request with the route name ``domain`` (``ROUTE``) and the ``user`` of any Basic
auth it carried (a client should send none to a domain; the secret is redacted); faults can be set on that name
(a ``drop`` or a ``delay``, say), and only on it: ``*`` faults are the Twilio API's.

The control row ``POST /__sim/deploy`` (``CONTROL``) releases files without uploading them: it makes the
Functions and Assets a body names (``functions`` / ``assets``: ``[{path, content, visibility (public),
content_type}]``; a Function or Asset of that path is reused), a completed build of their versions, and deploys
it to ``environment`` (SID or unique name) of ``service``; it answers ``build_sid``, ``deployment_sid`` and
``domain_name``.
"""

import base64
import hashlib
import hmac
import shlex
import time
from urllib.parse import parse_qs, unquote

from .resources.environments import control_target
from .resources.functions_assets import VISIBILITIES
from .resources.logs import add_logs
from .store import ADDED_DEPENDENCIES, sid_for

PREFIX = "/__sim/domains/"
ROUTE = "domain"
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
LEVELS = ("info", "warn", "error")
MAX_LATENCY = 60.0
TEXT = "text/plain; charset=utf-8"


class Answer:
    """What a domain request is answered with; ``log_sid`` names the Log a Function's invocation wrote."""

    def __init__(self, status, body, content_type=TEXT, latency=0.0, request_sid=None, log_sid=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.content_type = content_type
        self.latency = latency
        self.request_sid = request_sid
        self.log_sid = log_sid


def expected_signature(auth_token, url, params):
    """Twilio's webhook signature of ``url`` and the form ``params`` (name -> list of values)."""
    # A repeated name's values are signed once each, sorted, as Twilio's helper libraries sign them.
    data = url + "".join(name + value for name in sorted(params) for value in sorted(set(params[name])))
    digest = hmac.new(auth_token.encode("utf-8"), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def script(content, path, build_sid, method):
    """The behaviour a Function's content scripts: (dict of status, body, content_type, level, log, latency;
    None) or (None, the problem)."""
    found = {"status": 200, "body": "%s served by build %s" % (path, build_sid), "content_type": TEXT,
             "level": "info", "log": "%s %s" % (method, path), "latency": 0.0}
    for line in content.decode("utf-8", "replace").splitlines():
        text = line.strip()
        if not text.startswith("//"):
            continue
        text = text[2:].strip()
        if not text.startswith("sim:"):
            continue
        try:
            words = shlex.split(text[4:])
        except ValueError as exc:
            return None, "cannot read %r: %s" % (line.strip(), exc)
        for word in words:
            key, equals, value = word.partition("=")
            if not equals or key not in found:
                return None, "%r is not key=value with a key of %s" % (word, ", ".join(sorted(found)))
            found[key] = value
    try:
        found["status"] = int(found["status"])
        found["latency"] = float(found["latency"])
    except ValueError:
        return None, "status must be a whole number and latency a number of seconds"
    if not 100 <= found["status"] <= 599:
        return None, "status %d is not 100-599" % found["status"]
    if not 0 <= found["latency"] <= MAX_LATENCY:
        return None, "latency must be 0 to %d seconds" % MAX_LATENCY
    if found["level"].lower() not in LEVELS:
        return None, "level %r is not one of %s" % (found["level"], ", ".join(LEVELS))
    return found, None


def find_environment(store, domain_name):
    """(service, environment) whose ``domain_name`` this is, or (None, None)."""
    for service in list(store.services.values()):
        for env in list(service.environments):
            if store.domain_name(service, env) == domain_name:
                return service, env
    return None, None


def live_versions(service, build):
    """path -> Version of the build's Functions and Assets (a seeded build: the service's placeholders)."""
    if build.function_versions is None:
        sids = [sid_for("ZN", service.sid, "f"), sid_for("ZN", service.sid, "a")]
    else:
        sids = list(build.function_versions) + list(build.asset_versions)
    return {service.versions[sid].path: service.versions[sid] for sid in sids if sid in service.versions}


def serve(sim, method, path, url, headers, raw):
    """Answer one request to a domain (``path`` is the request's path, ``url`` the full URL as requested)."""
    store = sim.store
    domain_name, dummy, rest = path[len(PREFIX):].partition("/")
    target = "/" + unquote(rest)
    with store.lock:
        service, env = find_environment(store, domain_name)
        build = service.by_sid.get(env.build_sid or "") if env is not None else None
        versions = live_versions(service, build) if build is not None else {}
        deployment_sid = env.deployments[0].sid if env is not None and env.deployments else None
        token = store.tokens.get(service.account_sid) if service is not None else None
    if service is None:
        return Answer(404, "No environment has the domain %s\n" % domain_name)
    if build is None:
        return Answer(404, "Environment %s has no live build\n" % env.sid)
    version = versions.get(target) or (versions.get("/index.html") if target == "/" else None)
    if version is None:
        return Answer(404, "Not found: %s is not in build %s\n" % (target, build.sid))
    if version.visibility == "private":
        return Answer(403, "Forbidden: %s is private\n" % target)
    if version.visibility == "protected":
        content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = {}
        if method == "POST" and content_type == "application/x-www-form-urlencoded":
            params = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        given = headers.get("X-Twilio-Signature") or ""
        if not token or not hmac.compare_digest(given.encode("utf-8"),
                                                expected_signature(token, url, params).encode("utf-8")):
            return Answer(401, "Unauthorized: a valid X-Twilio-Signature is required for %s\n" % target)
    if version.kind == "asset":
        return Answer(200, version.content, version.content_type or "application/octet-stream")
    found, problem = script(version.content, target, build.sid, method)
    if problem:
        found = {"status": 500, "body": "twilio-sim: the // sim: line of %s: %s\n" % (target, problem),
                 "content_type": TEXT, "level": "error", "log": "twilio-sim: %s" % problem, "latency": 0.0}
    log = add_logs(store, service, env, [{
        "created": time.time(), "level": found["level"], "message": found["log"],
        "function_sid": version.resource_sid, "build_sid": build.sid, "deployment_sid": deployment_sid}])[0]
    return Answer(found["status"], found["body"], found["content_type"], found["latency"], log.request_sid, log.sid)


# -- the control row ---------------------------------------------------------------------------------------

def deploy(sim, body):
    """``POST /__sim/deploy``: Functions and Assets made from the body, a completed build of them, deployed."""
    store = sim.store
    service, env, missing = control_target(sim, body)
    if missing:
        return missing
    made = {"function": [], "asset": []}
    for kind in ("function", "asset"):
        for spec in body.get(kind + "s") or ():
            path, visibility = spec["path"], spec.get("visibility", "public")
            if not path.startswith("/") or visibility not in VISIBILITIES:
                raise ValueError("a path starts with / and a visibility is one of %s" % ", ".join(VISIBILITIES))
            content = spec.get("content", "")
            resource = next((r for r in service.resources.values() if r.kind == kind and r.friendly_name == path),
                            None) or store.add_resource(service, kind, path)
            default_type = "application/javascript" if kind == "function" else "application/octet-stream"
            made[kind].append(store.add_version(service, resource, path, visibility, content.encode("utf-8"),
                                                spec.get("content_type", default_type), path.rsplit("/", 1)[-1]).sid)
    if not made["function"] and not made["asset"]:
        raise ValueError("give at least one of functions and assets")
    now = time.time()
    with store.lock:
        build = store.make_build(service, now, 0, "completed", body.get("runtime", store.default_runtime))
        build.function_versions, build.asset_versions = tuple(made["function"]), tuple(made["asset"])
        build.dependencies = [{"name": name, "version": version} for name, version in ADDED_DEPENDENCIES]
        service.add_builds([build], newest=True)
    deployment = store.deploy(service, env, build.sid, now)
    return 200, {"service_sid": service.sid, "environment_sid": env.sid, "build_sid": build.sid,
                 "deployment_sid": deployment.sid, "domain_name": store.domain_name(service, env)}


CONTROL = {
    ("POST", "/__sim/deploy"): deploy,
}
