# SPDX-License-Identifier: GPL-3.0-or-later
"""A Build made again without its source, against a service of its own on the simulator: the versions sent,
the runtime and dependencies stored, and the builds that exist are the simulator's, not the step's claim."""

import json

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import MANIFEST_PATH
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.rebuild import (
    check_rebuild_params,
    rebuild,
)

from ...source_sim import SourceService
from ...twilio_variants import serve_variants
from .conftest import client_of

OLD_HANDLER = [{"name": "twilio", "version": "5.3.5"}, {"name": "@twilio/runtime-handler", "version": "2.0.3"},
               {"name": "axios", "version": "1.7.9"}]


@pytest.fixture
def service(fresh_sim):
    """A service whose production runs a node22 build of two functions (our manifest one of them) and an asset."""
    made = SourceService(fresh_sim)
    functions = [made.add_version("function", "/hi", b"exports.handler = 1;\n"),
                 made.add_version("function", MANIFEST_PATH, b"// manifest\n", "private")]
    assets = [made.add_version("asset", "/logo.png", b"PNG")]
    made.reference = made.add_build(functions, assets, OLD_HANDLER, runtime="node22")
    made.deploy("production", made.reference)
    made.add_environment = lambda name: made.store.add_environment(made.service, name, name)
    made.clear_log()
    return made


@pytest.fixture
def client(service):
    made = client_of(service.sim)
    yield made
    made.close()


def params(**given):
    found = dict(service="demo", from_build=None, from_environment=None, runtime=None, dependencies=None)
    found.update(given)
    return found


def run(client, service, check_mode=False, diff=False, **given):
    warnings, result = [], {"changed": False, "files": []}
    rebuild(client, service.sid, params(**given), check_mode, diff, warnings, result)
    return result, warnings


def sent(service):
    """The CreateBuild requests: (function versions, asset versions, runtime, dependencies) each."""
    return [(sorted(e["form"]["FunctionVersions"]), sorted(e["form"].get("AssetVersions", [])), e["form"]["Runtime"],
             dict((d["name"], d["version"]) for d in json.loads(e["form"]["Dependencies"])))
            for e in service.requests_to("create_build")]


def stored(service, sid):
    build = service.service.by_sid[sid]
    return (sorted(build.function_versions), sorted(build.asset_versions), build.runtime,
            dict((d["name"], d["version"]) for d in build.dependencies))


@pytest.mark.parametrize("answers", ["as the spec's examples", "in every variant"])
def test_live_build_on_node24_with_no_upload_then_a_rerun_writes_nothing(service, client, answers):
    if answers == "in every variant":
        serve_variants(service.sim)
    reference = stored(service, service.reference)
    result, warnings = run(client, service, from_environment="production", runtime="node24")
    assert result["changed"] is True and result["status"] == "completed"
    assert service.uploads() == [] and len(service.builds) == 2
    new = stored(service, result["build_sid"])
    assert new[:2] == reference[:2] and new[2] == "node24"  # the same versions, the manifest among them
    assert new[3] == dict(reference[3], **{"@twilio/runtime-handler": "2.1.2"})
    assert warnings == ["@twilio/runtime-handler of build %s is '2.0.3'; node24 needs 2.1.2 or later, so the new build "
                        "has 2.1.2" % service.reference]
    assert [(f["path"], f["action"], f["sha256"]) for f in result["files"]] == [
        ("/hi", "reused", None), ("/logo.png", "reused", None)]

    service.clear_log()
    again, dummy = run(client, service, from_environment="production", runtime="node24")
    assert again["changed"] is False and again["build_sid"] == result["build_sid"]
    assert service.writes() == [] and len(service.builds) == 2
    # The same from the build itself (it is not live: the one found is still the rebuilt one).
    same, dummy = run(client, service, from_build=service.reference, runtime="node24")
    assert same["changed"] is False and same["build_sid"] == result["build_sid"] and service.writes() == []


def test_dependencies_merged_over_the_reference(service, client):
    result, warnings = run(client, service, from_build=service.reference, dependencies={"axios": "1.8.0", "ms": ""})
    [(dummy, dummy2, runtime, dependencies)] = sent(service)
    assert runtime == "node22" and warnings == []
    assert dependencies == {"twilio": "5.3.5", "@twilio/runtime-handler": "2.0.3", "axios": "1.8.0", "ms": "*"}
    assert stored(service, result["build_sid"])[3] == dependencies


def test_nothing_to_change_is_the_reference_itself(service, client):
    result, dummy = run(client, service, from_environment="production")
    assert result["changed"] is False and result["build_sid"] == service.reference and service.writes() == []


def test_what_twilio_adds_does_not_make_a_rerun_build_again(service, client):
    """A reference with no dependencies: Twilio adds twilio and the runtime handler to the new build, which is
    still the build asked for."""
    bare = service.add_build(service.service.by_sid[service.reference].function_versions, (), [], runtime="node22")
    first, dummy = run(client, service, from_build=bare, runtime="node20")
    assert first["changed"] and "@twilio/runtime-handler" in stored(service, first["build_sid"])[3]
    again, dummy = run(client, service, from_build=bare, runtime="node20")
    assert again["changed"] is False and again["build_sid"] == first["build_sid"]


def test_a_failed_build_of_the_same_is_not_returned(service, client):
    service.sim.new_build("demo", final_status="failed")
    failed, dummy = run(client, service, from_build=service.reference, runtime="node20")
    assert failed["status"] == "failed"
    service.sim.new_build("demo", final_status="completed")
    result, dummy = run(client, service, from_build=service.reference, runtime="node20")
    assert result["changed"] is True and result["build_sid"] != failed["build_sid"] and len(service.builds) == 3


def test_a_building_one_is_returned_not_made_twice(service, client):
    service.sim.new_build("demo", ready_in=3600)
    first, dummy = run(client, service, from_build=service.reference, runtime="node20")
    again, dummy = run(client, service, from_build=service.reference, runtime="node20")
    assert first["status"] == again["status"] == "building" and again["changed"] is False
    assert again["build_sid"] == first["build_sid"] and len(service.builds) == 2


def test_check_mode_and_diff_show_runtime_and_dependencies(service, client):
    result, warnings = run(client, service, check_mode=True, diff=True, from_environment="production",
                           runtime="node24", dependencies={"axios": "1.8.0"})
    assert result["changed"] is True and result.get("build_sid") is None and service.writes() == []
    diff = result["diff"]
    assert diff["before"] == ("runtime node22\ndependency @twilio/runtime-handler 2.0.3\ndependency axios 1.7.9\n"
                              "dependency twilio 5.3.5\n")
    assert diff["after"] == ("runtime node24\ndependency @twilio/runtime-handler 2.1.2\ndependency axios 1.8.0\n"
                             "dependency twilio 5.3.5\n")
    assert diff["before_header"] == "build %s" % service.reference and len(warnings) == 1


@pytest.mark.parametrize("fault", [{"status": 503, "commit": True}, {"drop": True, "commit": True}])
def test_an_ambiguous_create_adopts_the_new_build_never_the_reference(service, client, fault):
    """The rebuild's versions are the reference's: only a build made since the listing may be adopted."""
    service.sim.fault("create_build", fault)
    result, warnings = run(client, service, from_build=service.reference, runtime="node20")
    assert len(service.builds) == 2 and result["build_sid"] == service.builds[0].sid != service.reference
    assert len(service.requests_to("create_build")) == 1 and "was not requested again" in warnings[-1]


def test_an_ambiguous_create_that_did_not_happen_is_sent_again(service, client):
    """On the same runtime, the reference is a build of these versions too: it existed, so it is not adopted."""
    service.sim.fault("create_build", {"status": 503, "times": 1})
    result, dummy = run(client, service, from_build=service.reference, dependencies={"axios": "1.8.0"})
    assert len(service.builds) == 2 and [e["status"] for e in service.requests_to("create_build")] == [503, 201]
    assert result["build_sid"] == service.builds[0].sid


def test_no_live_build_fails_before_any_write(service, client):
    service.add_environment("dev")
    with pytest.raises(OptionError, match="from_environment: environment 'dev' of service ZS.* has no live build"):
        run(client, service, from_environment="dev", runtime="node24")
    with pytest.raises(OptionError, match="from_environment: "):
        run(client, service, from_environment="qa")
    assert service.writes() == []


def test_a_version_without_a_sid_is_not_guessed(service, client):
    build = service.store.build_json
    service.store.build_json = lambda *a: dict(build(*a), function_versions=[{"path": "/x", "sid": None}])
    with pytest.raises(TaskFailed, match="without a ZN... SID"):
        run(client, service, from_build=service.reference, runtime="node24")
    assert service.writes() == []


@pytest.mark.parametrize("given, message", [
    (dict(from_build="ZB" + "0" * 32, source="/tmp/x"), "from_build: cannot be used with source"),
    (dict(from_environment="production", environment="stage"), "from_environment: cannot be used with environment"),
    (dict(from_build="ZB" + "0" * 32, from_environment="production"), "from_build: and from_environment both"),
    (dict(from_build="ZE" + "0" * 32), "from_build: 'ZE"),
    (dict(from_environment=" "), "from_environment: an empty value"),
    (dict(from_build="ZB" + "0" * 32, runtime="node26"), "runtime: 'node26' is not a runtime Twilio lists"),
    (dict(from_build="ZB" + "0" * 32, dependencies={"axios": 1.1}), "dependencies: the version of 'axios' is 1.1"),
    (dict(from_build="ZB" + "0" * 32, runtime="node24", dependencies={"@twilio/runtime-handler": "2.1.1"}),
     "dependencies: @twilio/runtime-handler is '2.1.1', but node24 needs 2.1.2 or later"),
    (dict(from_build="ZB" + "0" * 32, state="absent"), "from_build: is used only with state=present"),
    (dict(from_build="ZB" + "0" * 32, keep=3), "from_build: cannot be used with keep"),
])
def test_bad_input_is_named_before_any_request(given, message):
    with pytest.raises(OptionError) as caught:
        check_rebuild_params(params(**given))
    assert str(caught.value).startswith(message)


def test_an_old_handler_given_for_the_reference_runtime_fails_before_any_write(service, client):
    service.reference = service.add_build(service.service.by_sid[service.reference].function_versions, (),
                                          OLD_HANDLER, runtime="node24")
    with pytest.raises(OptionError, match="dependencies: @twilio/runtime-handler is '2.0.3', but node24 needs"):
        run(client, service, from_build=service.reference, dependencies={"@twilio/runtime-handler": "2.0.3"})
    assert service.writes() == []
