# SPDX-License-Identifier: GPL-3.0-or-later
"""The write rule, once for every write of the collection that can end ambiguously.

Each caller of ``reconciled_write`` is driven through the same four faults against a simulator of its own,
and judged by the simulator's record (its request log and its store), never by what the client says:

- commit-then-503 and commit-then-drop: the write took effect; it is sent once, adopted, and a warning says so;
- 429 with Retry-After: Twilio did not process it; it is sent again after the time Twilio asked for;
- 503 before commit: it did not take effect; the state is re-read and it is sent again, once.
"""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._api import builds as _builds
from ansible_collections.twilio_community.serverless.plugins.module_utils._api import deployments as _deployments
from ansible_collections.twilio_community.serverless.plugins.module_utils._api import environments as _environments
from ansible_collections.twilio_community.serverless.plugins.module_utils._api import functions_assets as _files
from ansible_collections.twilio_community.serverless.plugins.module_utils._api import services as _services
from ansible_collections.twilio_community.serverless.plugins.module_utils._api import variables as _variables
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.folder import SourceFile

from ....conftest import ACCOUNT, TOKEN

SERVICE = "ZS77777777777777777777777777777777"  # release-app: three environments, builds a1..a5
EMPTY = "ZS55555555555555555555555555555555"
A3, A4 = "ZB000000000000000000000000000000a3", "ZB000000000000000000000000000000a4"
RETRY_AFTER = 7

FAULTS = {
    "commit-then-503": ({"commit": True, "status": 503}, {"sent": 1, "adopted": True}),
    "commit-then-drop": ({"commit": True, "drop": True}, {"sent": 1, "adopted": True}),
    "429-retry-after": ({"status": 429, "retry_after": RETRY_AFTER}, {"sent": 2, "adopted": False}),
    "503-before-commit": ({"status": 503}, {"sent": 2, "adopted": False}),
}


def service(sim, sid=SERVICE):
    return sim.server.store.services.get(sid)


def env_named(sim, name):
    return [e for e in service(sim).environments if e.unique_name == name]


def new_function_version(client, warnings):
    """A version no seeded build holds, so only the build made by the write under test can be made of it."""
    client.set_upload_base_url(client.connection.base_url)
    sid = _files.create_resource(client, SERVICE, "function", "/rule", warnings)
    source = SourceFile("/rule", "function", "public", None, "functions/rule.js", 9, None)
    return _files.upload_version(client, SERVICE, sid, source, b"exports=1")


class Case:
    """One caller of the write rule: its route, how to prepare, the write, and what the store must hold after
    it took effect exactly once."""

    def __init__(self, route, write, effect, prepare=None):
        self.route, self.write, self.effect, self.prepare = route, write, effect, prepare


def _variable_plan(client, sim, wanted, prune=False):
    env = env_named(sim, "production")[0]
    return env.sid, _variables.plan(_variables.list_variables(client, SERVICE, env.sid), wanted, prune=prune)


def _create_variable(client, sim, warnings, ready):
    env_sid, found = _variable_plan(client, sim, {"RULE": "v"})
    _variables.apply(client, SERVICE, env_sid, found, warnings)


def _seed_variable(client, sim):
    env_sid, found = _variable_plan(client, sim, {"RULE": "v"})
    _variables.apply(client, SERVICE, env_sid, found, [])


def _delete_variable(client, sim, warnings, ready):
    env_sid, found = _variable_plan(client, sim, {}, prune=True)
    _variables.apply(client, SERVICE, env_sid, found, warnings)


def _deploy(client, sim, warnings, ready):
    env = env_named(sim, "production")[0]
    warnings.extend(_deployments.deploy_build(client, SERVICE, env.sid, A4, "production").warnings)


def _delete_environment(client, sim, warnings, ready):
    record = [e for e in _environments.list_environments(client, SERVICE) if e["unique_name"] == "dev-environment"][0]
    _environments.delete_environment(client, SERVICE, record, warnings)


def _versions_of(build):
    return sorted(v if isinstance(v, str) else v.get("sid") for v in build.function_versions or [])


def _seed_build(client, sim):
    """A build of a new version exists already: a rebuild asks for one of the same versions."""
    ready = new_function_version(client, [])
    _builds.create_build(client, SERVICE, [ready], [], {}, "node22", [])
    return ready


def _rebuild(client, sim, warnings, ready):
    existed = set(b["sid"] for b in _builds.list_builds(client, SERVICE, _builds.BuildFilter()))
    _builds.create_build(client, SERVICE, [ready], [], {"ms": "2.1.3"}, "node22", warnings, existed=existed)


CASES = {
    "CreateBuild (a rebuild: the same versions)": Case(
        "create_build", _rebuild, lambda sim, ready: sum(1 for b in service(sim).builds if ready in _versions_of(b)) - 1,
        prepare=_seed_build),
    "CreateBuild": Case(
        "create_build",
        lambda client, sim, warnings, ready: _builds.create_build(client, SERVICE, [ready], [], {}, "node22", warnings),
        lambda sim, ready: sum(1 for b in service(sim).builds if ready in _versions_of(b)),
        prepare=lambda client, sim: new_function_version(client, [])),
    "DeleteBuild": Case(
        "delete_build",
        lambda client, sim, warnings, ready: _builds.delete_builds(client, SERVICE, [{"sid": A3}], warnings, []),
        lambda sim, ready: 1 - sum(1 for b in service(sim).builds if b.sid == A3)),
    "CreateDeployment": Case(
        "create_deployment", _deploy,
        lambda sim, ready: len(env_named(sim, "production")[0].deployments) - 1
        if env_named(sim, "production")[0].build_sid == A4 else 0),
    "CreateFunction": Case(
        "create_function",
        lambda client, sim, warnings, ready: _files.create_resource(client, SERVICE, "function", "/rule", warnings),
        lambda sim, ready: sum(1 for r in service(sim).resources.values() if r.friendly_name == "/rule")),
    "CreateAsset": Case(
        "create_asset",
        lambda client, sim, warnings, ready: _files.create_resource(client, SERVICE, "asset", "/rule.css", warnings),
        lambda sim, ready: sum(1 for r in service(sim).resources.values() if r.friendly_name == "/rule.css")),
    "CreateVariable": Case(
        "create_variable", _create_variable,
        lambda sim, ready: sum(1 for v in env_named(sim, "production")[0].variables.values() if v.key == "RULE")),
    "DeleteVariable": Case(
        "delete_variable", _delete_variable,
        lambda sim, ready: 1 - sum(1 for v in env_named(sim, "production")[0].variables.values() if v.key == "RULE"),
        prepare=_seed_variable),
    "CreateEnvironment": Case(
        "create_environment",
        lambda client, sim, warnings, ready: _environments.create_environment(client, SERVICE, "qa", "qa", warnings),
        lambda sim, ready: len(env_named(sim, "qa"))),
    "DeleteEnvironment": Case(
        "delete_environment", _delete_environment, lambda sim, ready: 1 - len(env_named(sim, "dev-environment"))),
    "CreateService": Case(
        "create_service",
        lambda client, sim, warnings, ready: _services.create_service(client, "rule-app", {"friendly_name": "R"},
                                                                      warnings),
        lambda sim, ready: sum(1 for s in sim.server.store.services.values() if s.unique_name == "rule-app")),
    "UpdateService": Case(
        "update_service",
        lambda client, sim, warnings, ready: _services.update_service(client, SERVICE, {"friendly_name": "Renamed"},
                                                                      warnings),
        lambda sim, ready: int(service(sim).friendly_name == "Renamed")),
    "DeleteService": Case(
        "delete_service",
        lambda client, sim, warnings, ready: _services.delete_service(client, EMPTY, warnings),
        lambda sim, ready: int(service(sim, EMPTY) is None)),
}


@pytest.fixture
def rule_client(fresh_sim):
    sleeps = []
    made = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": fresh_sim.url,
                                                "retries": 3, "request_timeout": 5.0, "validate_certs": True}),
                        sleep=sleeps.append)
    made.sleeps = sleeps
    yield fresh_sim, made
    made.close()


def test_every_write_route_of_the_simulator_is_a_case():
    """A write added to the collection without a case here is a write whose faults nobody tried."""
    from twilio_sim.server import ROUTE_TABLE  # pylint: disable=import-outside-toplevel
    writes = set(route for (method, _resource), (route, _handler) in ROUTE_TABLE.items() if method != "GET")
    # Uploads are re-sent by the client itself: a second version of a file is harmless and never live.
    # update_variable has its own commit cases in test_variables.py (its plan needs a value to change).
    assert writes - set(case.route for case in CASES.values()) == {
        "create_function_version", "create_asset_version", "update_variable"}


@pytest.mark.parametrize("fault_name", sorted(FAULTS))
@pytest.mark.parametrize("case_name", sorted(CASES))
def test_the_write_rule(rule_client, case_name, fault_name):
    sim, client = rule_client
    case = CASES[case_name]
    fault, expected = FAULTS[fault_name]
    ready = case.prepare(client, sim) if case.prepare else None
    assert case.effect(sim, ready) == 0, "the write under test must not have happened yet"
    sim.server.clear_log()
    del client.sleeps[:]
    sim.fault(case.route, fault)
    warnings = []

    case.write(client, sim, warnings, ready)

    assert case.effect(sim, ready) == 1, "the write must take effect exactly once"
    assert [e["route"] for e in sim.log()].count(case.route) == expected["sent"]
    adoption = [w for w in warnings if "re-read" in w and "again" in w]
    assert len(adoption) == (1 if expected["adopted"] else 0), warnings
    if fault_name == "429-retry-after":
        assert RETRY_AFTER in client.sleeps
    if fault_name == "503-before-commit":
        assert client.retried and client.sleeps, "sent again only after a pause, and counted"
