# SPDX-License-Identifier: GPL-3.0-or-later
"""Environments: list, create, fetch, delete; and how Deployments and Variables find theirs."""

from ..api import error_body, invalid, list_page

PATHS = (
    ("environments", "/v1/Services/{service}/Environments"),
    ("environment", "/v1/Services/{service}/Environments/{environment}"),
)


def env_path(req):
    return "/v1/Services/%s/Environments" % req.service.sid


def find_environment(req):
    """The environment the path names (by SID or unique name), or (None, a 404 answer)."""
    env = req.store.find_environment(req.service, req.match.group("environment"))
    if env is None:
        return None, (404, error_body(404, "%s/%s" % (env_path(req)[3:], req.match.group("environment"))))
    return env, None


def get_environments(req):
    store = req.store
    return list_page(req, "environments", list(req.service.environments), env_path(req),
                     lambda e: store.environment_json(req.service, e, req.base), None)


def post_environment(req):
    store, service = req.store, req.service
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
    return 201, store.environment_json(service, store.add_environment(service, name, suffix, req.now), req.base)


def get_environment(req):
    env, missing = find_environment(req)
    return missing or (200, req.store.environment_json(req.service, env, req.base))


def delete_environment(req):
    env, missing = find_environment(req)
    if missing:
        return missing
    req.store.delete_environment(req.service, env)
    return 204, b""


# (method, resource) -> (route name: what faults are set on and the log shows, handler)
ROUTES = {
    ("GET", "environments"): ("environments", get_environments),
    ("POST", "environments"): ("create_environment", post_environment),
    ("GET", "environment"): ("environment", get_environment),
    ("DELETE", "environment"): ("delete_environment", delete_environment),
}


def control_target(sim, body):
    """The Service and Environment a control request names (``service``: SID or unique name; ``environment``:
    SID or unique name), as (service, environment, None), or (None, None, a 404 answer naming what is missing)."""
    service = sim.find_service_any(body["service"])
    if service is None:
        return None, None, (404, {"error": "no service %r" % body["service"]})
    name = body["environment"]
    env = next((e for e in service.environments if name in (e.sid, e.unique_name)), None)
    if env is None:
        return service, None, (404, {"error": "no environment %r in service %s" % (name, service.sid)})
    return service, env, None
