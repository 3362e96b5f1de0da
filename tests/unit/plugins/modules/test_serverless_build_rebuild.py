# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_build with from_build or from_environment: a source build, then the same versions again on node24,
through run() and main(); the simulator's log and store are the judge."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build as build_module

from ..source_sim import SourceService
from .conftest import FakeModule
from . import test_serverless_build as source_tests
from .test_serverless_build import args, assert_shape, fresh_client, module_for, run

project = source_tests.project

SERVICE_NAME = "demo"


@pytest.fixture
def source(fresh_sim):
    """demo, built once from the test project and deployed to production."""
    return SourceService(fresh_sim, SERVICE_NAME)


@pytest.fixture
def live(source, project):
    client = fresh_client(source)
    try:
        built = run(client, module_for(source, project))
    finally:
        client.close()
    source.deploy("production", built["build_sid"])
    source.clear_log()
    return built


def rebuild_module(sim_service, check_mode=False, diff=False, **given):
    params = dict(service=SERVICE_NAME, source=None, from_build=None, from_environment=None, functions_dir=None,
                  assets_dir=None, runtime=None, dependencies=None, environment=None, wait=True, timeout=60.0,
                  poll_interval=0.05, max_poll_interval=0.1, prediction=False, fail_on_failed=True,
                  upload_base_url=None, base_url=sim_service.sim.url, region=None, edge=None, state="present", build=None,
                  keep=None)
    params.update(given)
    module = FakeModule(params)
    module.check_mode = check_mode
    module._diff = diff  # pylint: disable=protected-access
    return module


def rebuilt(source, module):
    client = fresh_client(source)
    try:
        return run(client, module)
    finally:
        client.close()


def test_production_rebuilt_on_node24_with_no_upload_then_nothing(source, live):
    module = rebuild_module(source, from_environment="production", runtime="node24")
    result = rebuilt(source, module)
    assert result["changed"] is True and result["status"] == "completed" and result["build_sid"] != live["build_sid"]
    assert source.uploads() == [] and len(source.requests_to("create_build")) == 1
    old, new = source.service.by_sid[live["build_sid"]], source.service.by_sid[result["build_sid"]]
    assert (new.function_versions, new.asset_versions, new.runtime) == (old.function_versions, old.asset_versions,
                                                                        "node24")
    assert [f["version_sid"] for f in result["files"]] == [f["version_sid"] for f in live["files"]]
    assert len(module.warnings) == 1 and "so the new build has 2.1.2" in module.warnings[0]

    source.clear_log()
    again = rebuilt(source, rebuild_module(source, from_environment="production", runtime="node24"))
    assert again["changed"] is False and again["build_sid"] == result["build_sid"] and source.writes() == []


def test_check_mode_diff_and_a_wait_for_a_build_still_building(source, live):
    module = rebuild_module(source, check_mode=True, diff=True, from_build=live["build_sid"], runtime="node20")
    planned = rebuilt(source, module)
    assert planned["changed"] is True and planned["build_sid"] is None and source.writes() == []
    assert "runtime node22\n" in planned["diff"]["before"] and "runtime node20\n" in planned["diff"]["after"]
    source.sim.new_build(SERVICE_NAME, ready_in=0.3)
    made = rebuilt(source, rebuild_module(source, from_build=live["build_sid"], runtime="node20"))
    assert made["status"] == "completed" and made["build"]["status"] == "completed"
    assert len(source.requests_to("build_status")) >= 1  # it waited, as a source build does


@pytest.mark.parametrize("given, message", [
    (dict(from_build="ZB" + "0" * 32, source="/tmp"), "from_build: cannot be used with source"),
    (dict(from_environment="production", runtime="node99"), "runtime: 'node99' is not a runtime Twilio lists"),
    (dict(from_environment="production", dependencies={"axios": 1}), "dependencies: the version of 'axios' is 1,"),
])
def test_bad_input_refused_before_any_request(source, given, message):
    with pytest.raises(OptionError) as caught:
        rebuilt(source, rebuild_module(source, **given))
    assert str(caught.value).startswith(message) and source.log() == []


class TestMain:
    def test_rebuild(self, source, live, project, run_main):
        result = run_main(build_module, dict(args(source, project), source=None, from_environment="production",
                                             runtime="node24"))
        assert_shape(result)
        assert result["changed"] is True and result["stats"]["uploads"] == 0 and len(result["warnings"]) == 1

    def test_no_live_build(self, source, project, run_main):
        source.store.add_environment(source.service, "dev", "dev")
        result = run_main(build_module, dict(args(source, project), source=None, from_environment="dev"))
        assert_shape(result)
        assert result["failed"] is True and result["msg"].startswith("from_environment: environment 'dev' of service")
        assert source.writes() == [] and result["service_sid"] == source.sid

    def test_from_build_with_source(self, source, project, run_main):
        result = run_main(build_module, dict(args(source, project), from_build="ZB" + "0" * 32))
        assert_shape(result)
        assert result["msg"].startswith("from_build: cannot be used with source") and source.log() == []
