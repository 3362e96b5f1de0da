# SPDX-License-Identifier: GPL-3.0-or-later
"""The registry of Twilio resources the simulator serves: one module per resource, next to its handlers.

Each module declares

- ``PATHS``: ``(resource, template)`` pairs, a template naming its path parameters ``{name}``
  (``/v1/Services/{service}/Builds/{build}``); a ``{service}`` is looked up (by SID or unique name, in the
  caller's account) before the handler runs, which finds it in ``req.service``;
- ``ROUTES``: ``(method, resource) -> (route name, handler)`` for its own resources. The route name is what
  faults are set on and the request log shows; a handler takes the
  ``api.Request`` and returns ``(status, body[, headers])``;
- optionally ``LOG_REDACTED``: ``route name -> form fields`` the request log keeps the size of only;
- optionally ``FAULT_GROUPS``: ``group name -> route names``, a name faults can be set on for all of them
  (``uploads``: either upload);
- optionally ``CONTROL``: ``(method, /__sim/ path) -> handler`` rows of the control API for this resource
  (seeding its records, scripting its outcomes), merged into ``control_routes.CONTROL_TABLE``;
- optionally ``sample(store, service)``: make example records of this resource in ``service``, which the
  control API's ``POST /__sim/samples`` runs for every module, so a test can walk every route with data
  (tests/unit/simulator/test_spec_crawl.py).

The server serves every module of this package: a new resource is one new module here and nothing else.
"""

import os
import pkgutil
from importlib import import_module

from ..api import pattern

MODULES = tuple(sorted(name for dummy, name, is_package in pkgutil.iter_modules([os.path.dirname(__file__)])
                       if not is_package))


def assemble(modules):
    """The server's tables from resource modules: (RESOURCES, ROUTE_TABLE, LOG_REDACTED, FAULT_GROUPS).

    RESOURCES is ``((resource, compiled pattern), ...)``, ROUTE_TABLE ``(method, resource) -> (route name,
    handler)``, FAULT_GROUPS ``route name -> (group, ...)``. A resource, a template, a (method, resource) row,
    a route name or a group declared twice, a group named like a route or of a route no module declares, or a
    row for a resource its module does not declare, is an error here rather than a route that silently wins.
    """
    resources, table, redacted, groups = [], {}, {}, {}
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
        for group, members in getattr(module, "FAULT_GROUPS", {}).items():
            if group in groups:
                raise ValueError("fault group %r is declared twice (%s)" % (group, module.__name__))
            groups[group] = members
    fault_groups = {}
    for group, members in sorted(groups.items()):
        if group in routes or group == "*":
            raise ValueError("fault group %r is named like a route" % group)
        for route in members:
            if route not in routes:
                raise ValueError("fault group %r names %r, which is no route" % (group, route))
            fault_groups[route] = fault_groups.get(route, ()) + (group,)
    return tuple(resources), table, redacted, fault_groups


_MODULES = [import_module("." + name, __name__) for name in MODULES]
RESOURCES, ROUTE_TABLE, LOG_REDACTED, FAULT_GROUPS = assemble(_MODULES)
SAMPLES = tuple(module.sample for module in _MODULES if hasattr(module, "sample"))
CONTROL = {}
for _module in _MODULES:
    for _row, _handler in getattr(_module, "CONTROL", {}).items():
        if _row in CONTROL:
            raise ValueError("control route %s %s is declared twice" % _row)
        CONTROL[_row] = _handler
