# SPDX-License-Identifier: GPL-3.0-or-later
"""Variables of an environment: list, create, fetch, update, delete. A value is a secret: the request log
keeps its size only (``LOG_REDACTED``)."""

from ..api import error_body, invalid, list_page
from .environments import env_path, find_environment

PATHS = (
    ("variables", "/v1/Services/{service}/Environments/{environment}/Variables"),
    ("variable", "/v1/Services/{service}/Environments/{environment}/Variables/{variable}"),
)


def find_variable(req, env):
    sid = req.match.group("variable")
    variable = env.variables.get(sid)
    if variable is None:
        return None, (404, error_body(404, "%s/%s/Variables/%s" % (env_path(req)[3:], env.sid, sid)))
    return variable, None


def check_variable(key, value, env, sid=None):
    """Twilio's checks of CreateVariable and UpdateVariable; a problem's text names the key, never the value."""
    if key is not None and not 1 <= len(key) <= 128:
        return invalid("Key must be 1 to 128 characters")
    if value is not None and len(value.encode("utf-8")) > 450:
        return invalid("Value of %s is larger than 450 bytes" % key)
    if key is not None and any(v.key == key and v.sid != sid for v in env.variables.values()):
        return invalid("Variable with Key %s already exists" % key)
    return None


def get_variables(req):
    store = req.store
    env, missing = find_environment(req)
    if missing:
        return missing
    with store.lock:
        items = list(env.variables.values())
    return list_page(req, "variables", items, "%s/%s/Variables" % (env_path(req), env.sid),
                     lambda v: store.variable_json(req.service, env, v, req.base), None)


def post_variable(req):
    store = req.store
    env, missing = find_environment(req)
    if missing:
        return missing
    key, value = req.field("Key"), req.field("Value")
    for name, given in (("Key", key), ("Value", value)):
        if given is None:
            return invalid("Missing required parameter %s in the post body" % name)
    problem = check_variable(key, value, env)
    if problem:
        return problem
    return 201, store.variable_json(req.service, env, store.add_variable(env, key, value, req.now), req.base)


def get_variable(req):
    env, missing = find_environment(req)
    variable, missing = (None, missing) if missing else find_variable(req, env)
    return missing or (200, req.store.variable_json(req.service, env, variable, req.base))


def update_variable(req):
    store = req.store
    env, missing = find_environment(req)
    variable, missing = (None, missing) if missing else find_variable(req, env)
    if missing:
        return missing
    key, value = req.field("Key"), req.field("Value")
    problem = check_variable(key, value, env, variable.sid)
    if problem:
        return problem
    with store.lock:
        variable.key = variable.key if key is None else key
        variable.value = variable.value if value is None else value
        variable.updated = req.now
    return 200, store.variable_json(req.service, env, variable, req.base)


def delete_variable(req):
    env, missing = find_environment(req)
    variable, missing = (None, missing) if missing else find_variable(req, env)
    if missing:
        return missing
    with req.store.lock:
        env.variables.pop(variable.sid, None)
    return 204, b""


# (method, resource) -> (route name: what faults are set on and the log shows, handler)
ROUTES = {
    ("GET", "variables"): ("variables", get_variables),
    ("POST", "variables"): ("create_variable", post_variable),
    ("GET", "variable"): ("variable", get_variable),
    ("POST", "variable"): ("update_variable", update_variable),
    ("DELETE", "variable"): ("delete_variable", delete_variable),
}
# Form fields the request log keeps the size of only, by route (tests read the log and print it on failure).
LOG_REDACTED = {"create_variable": ("Value",), "update_variable": ("Value",)}


def sample(store, service):
    """One Variable in the service's first Environment, for tests that walk every route."""
    if service.environments:
        store.add_variable(service.environments[0], "SAMPLE_KEY", "sample value")
