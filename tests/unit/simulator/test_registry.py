# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's route registry (twilio_sim/resources): the tables it assembles, and what it refuses."""

import os
import re
import types

import pytest
import requests

from twilio_sim import domains, resources
from twilio_sim.__main__ import main
from twilio_sim.control_routes import CONTROL_TABLE
from twilio_sim.resources import FAULT_GROUPS, LOG_REDACTED, RESOURCES, ROUTE_TABLE, assemble
from twilio_sim.server import ACCOUNTS_ROUTES

from ..conftest import ACCOUNT, TOKEN


def test_every_module_of_the_package_is_served():
    """A resource module dropped into resources/ is served with no other edit (and none is left out)."""
    folder = os.path.dirname(resources.__file__)
    files = sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".py") and name != "__init__.py")
    assert list(resources.MODULES) == files
    assert FAULT_GROUPS == {"create_function_version": ("uploads",), "create_asset_version": ("uploads",)}


def test_routes_lists_every_route_name(capsys):
    """Every route faults can be set on (the API's, the uploads group, a domain's, the Accounts API's listener's),
    then every control row."""
    assert main(["--routes"]) == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    listed = set(line[0] for line in lines if line[0] != "control")
    accounts = {route for route, dummy in ACCOUNTS_ROUTES.values()}
    # One fault queue and one request log serve both listeners: a route name must say which one it is.
    assert not accounts & {route for route, dummy in ROUTE_TABLE.values()}
    assert listed == {route for route, dummy in ROUTE_TABLE.values()} | {"uploads", domains.ROUTE} | accounts
    assert [(method, path) for name, method, path in (line for line in lines if line[0] == "control")] \
        == sorted(CONTROL_TABLE, key=lambda row: (row[1], row[0]))
    assert ("POST", "/__sim/deploy") in CONTROL_TABLE


def test_the_domains_are_no_api_route():
    """A domain's route is not a Twilio API route: the spec crawl, the spec's writes and the write rule's cases
    (which read ROUTE_TABLE and RESOURCES) neither reach nor owe it anything, and no API path matches it."""
    assert domains.ROUTE not in {route for route, dummy in ROUTE_TABLE.values()}
    assert not any(pattern.match(domains.PREFIX + "x.twil.io/v1/Services") for dummy, pattern in RESOURCES)
    assert not any(path.startswith(domains.PREFIX) for dummy, path in CONTROL_TABLE)


def test_every_row_names_a_declared_resource_and_a_handler():
    names = {name for name, dummy in RESOURCES}
    assert len(names) == len(RESOURCES)
    for (method, resource), (route, handler) in ROUTE_TABLE.items():
        assert method in ("GET", "POST", "DELETE") and resource in names and callable(handler), route
    assert set(LOG_REDACTED) <= {route for route, dummy in ROUTE_TABLE.values()}
    assert all(path.startswith("/__sim/") and callable(h) for (dummy, path), h in CONTROL_TABLE.items())


def module(name, paths, routes, **more):
    return types.SimpleNamespace(__name__=name, PATHS=paths, ROUTES=routes, **more)


def answer(req):
    return 200, {}


@pytest.mark.parametrize("modules, problem", [
    ([module("a", (("x", "/v1/X"),), {}), module("b", (("x", "/v1/Y"),), {})], "resource 'x' is declared twice"),
    ([module("a", (("x", "/v1/X"),), {}), module("b", (("y", "/v1/X"),), {})], "path '/v1/X' is declared"),
    ([module("a", (("x", "/v1/X"),), {}), module("b", (), {("GET", "x"): ("x", answer)})],
     "b routes GET 'x', a resource it does not declare"),
    ([module("a", (("x", "/v1/X"), ("y", "/v1/Y")), {("GET", "x"): ("r", answer), ("GET", "y"): ("r", answer)})],
     "route name 'r' is used by a and a"),
    ([module("a", (("x", "/v1/X"),), {("GET", "x"): ("r", answer)}, FAULT_GROUPS={"r": ("r",)})],
     "fault group 'r' is named like a route"),
    ([module("a", (("x", "/v1/X"),), {("GET", "x"): ("r", answer)}, FAULT_GROUPS={"g": ("r", "s")})],
     "fault group 'g' names 's', which is no route"),
    ([module("a", (("x", "/v1/X"),), {("GET", "x"): ("r", answer)}, FAULT_GROUPS={"g": ("r",)}),
      module("b", (), {}, FAULT_GROUPS={"g": ("r",)})], "fault group 'g' is declared twice (b)"),
])
def test_the_registry_refuses_a_clash(modules, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        assemble(modules)


def test_a_new_resource_is_one_module():
    resources, table, redacted, groups = assemble([module("logs", (("logs", "/v1/Services/{service}/Logs"),),
                                                          {("GET", "logs"): ("logs", answer)})])
    assert [name for name, dummy in resources] == ["logs"]
    assert resources[0][1].match("/v1/Services/ZS1/Logs").group("service") == "ZS1"
    assert table == {("GET", "logs"): ("logs", answer)} and redacted == {} and groups == {}


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/v1/Services/ZS1/Nothing", 404),  # no resource
    ("PUT", "/v1/Services", 501),  # a verb the server does not speak at all
    ("DELETE", "/v1/Services", 405),  # a resource without that row
])
def test_unrouted_requests(sim, method, path, status):
    response = requests.request(method, sim.url + path, auth=(ACCOUNT, TOKEN), timeout=10)
    assert response.status_code == status


def test_an_unknown_control_route_is_a_404(sim):
    response = requests.get(sim.url + "/__sim/nothing", timeout=10)
    assert response.status_code == 404 and response.json() == {"error": "unknown control route"}
    response = requests.post(sim.url + "/__sim/faults", data="{", timeout=10)
    assert response.status_code == 400
