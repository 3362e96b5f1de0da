# SPDX-License-Identifier: GPL-3.0-or-later
"""Deployments of an environment: list, create (a completed build of the service), fetch."""

from ..api import error_body, invalid, list_page
from .environments import env_path, find_environment

PATHS = (
    ("deployments", "/v1/Services/{service}/Environments/{environment}/Deployments"),
    ("deployment", "/v1/Services/{service}/Environments/{environment}/Deployments/{deployment}"),
)


def get_deployments(req):
    store = req.store
    env, missing = find_environment(req)
    if missing:
        return missing
    return list_page(req, "deployments", list(env.deployments), "%s/%s/Deployments" % (env_path(req), env.sid),
                     lambda d: store.deployment_json(req.service, d, req.base), None)


def get_deployment(req):
    env, missing = find_environment(req)
    if missing:
        return missing
    for deployment in env.deployments:
        if deployment.sid == req.match.group("deployment"):
            return 200, req.store.deployment_json(req.service, deployment, req.base)
    return 404, error_body(404, "%s/%s/Deployments/%s" % (env_path(req)[3:], env.sid,
                                                          req.match.group("deployment")))


def post_deployment(req):
    store, service = req.store, req.service
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
    return 201, store.deployment_json(service, store.deploy(service, env, build_sid, req.now), req.base)


# (method, resource) -> (route name: what faults are set on and the log shows, handler)
ROUTES = {
    ("GET", "deployments"): ("deployments", get_deployments),
    ("POST", "deployments"): ("create_deployment", post_deployment),
    ("GET", "deployment"): ("deployment", get_deployment),
}
