# SPDX-License-Identifier: GPL-3.0-or-later
"""The registry of Twilio resources the simulator serves: one module per resource, next to its handlers.

Each module declares

- ``PATHS``: ``(resource, template)`` pairs, a template naming its path parameters ``{name}``
  (``/v1/Services/{service}/Builds/{build}``); a ``{service}`` is looked up (by SID or unique name, in the
  caller's account) before the handler runs, which finds it in ``req.service``;
- ``ROUTES``: ``(method, resource) -> (route name, handler)`` for its own resources. The route name is what
  faults are set on and the request log shows (the list is in ``faults.py``); a handler takes the
  ``api.Request`` and returns ``(status, body[, headers])``;
- optionally ``LOG_REDACTED``: ``route name -> form fields`` the request log keeps the size of only.

The server serves what ``MODULES`` lists: a new resource is one module here and one line in ``MODULES``.
"""

from importlib import import_module

from ..api import pattern

MODULES = (
    "services",
    "functions_assets",
    "builds",
    "environments",
    "deployments",
    "variables",
)


def assemble(modules):
    """The server's tables from resource modules: (RESOURCES, ROUTE_TABLE, LOG_REDACTED).

    RESOURCES is ``((resource, compiled pattern), ...)``, ROUTE_TABLE ``(method, resource) -> (route name,
    handler)``. A resource, a template, a (method, resource) row or a route name declared twice, or a row for
    a resource its module does not declare, is an error here rather than a route that silently wins.
    """
    resources, table, redacted = [], {}, {}
    templates, routes = {}, {}
    for module in modules:
        own = set()
        for name, template in module.PATHS:
            if name in own or any(name == known for known, dummy in resources):
                raise ValueError("resource %r is declared twice (%s)" % (name, module.__name__))
            if template in templates:
                raise ValueError("path %r is declared by %r and %r" % (template, templates[template], name))
            templates[template] = name
            own.add(name)
            resources.append((name, pattern(template)))
        for (method, resource), (route, handler) in module.ROUTES.items():
            if resource not in own:
                raise ValueError("%s routes %s %r, a resource it does not declare"
                                 % (module.__name__, method, resource))
            if route in routes:
                raise ValueError("route name %r is used by %s and %s" % (route, routes[route], module.__name__))
            routes[route] = module.__name__
            table[(method, resource)] = (route, handler)
        redacted.update(getattr(module, "LOG_REDACTED", {}))
    return tuple(resources), table, redacted


RESOURCES, ROUTE_TABLE, LOG_REDACTED = assemble(import_module("." + name, __name__) for name in MODULES)
