# SPDX-License-Identifier: GPL-3.0-or-later
"""The steps of a release from a project folder against the simulator, without a module: the plan (reference
Build, manifest, content reads), the uploads and the one Build, and the wait. The simulator's request log and
store are the judge; the steps fill the result and the warnings list they are given."""

import re

import pytest

from twilio_sim.store import PLACEHOLDER_ASSET, PLACEHOLDER_FUNCTION

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TaskFailed, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.folder import scan_project
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import (
    MANIFEST_PATH,
    parse_manifest,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.source_build import (
    build_release,
    manifest_item,
    plan_diff,
    plan_release,
    read_manifest,
    reference_build,
    wait_for_build,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.options import WaitOptions

from ....conftest import ACCOUNT, EMPTY, SMALL, TOKEN
from ...source_sim import write_file

RELEASE = "ZS77777777777777777777777777777777"
A = "ZB000000000000000000000000000000a%d"
DEPENDENCIES = {"axios": "1.7.9"}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\n\r\n"
UPLOADS = ("create_function_version", "create_asset_version")


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    write_file(root, "functions/hi.js", b"exports.handler = (c, e, cb) => cb(null, 'hi');\r\n")
    write_file(root, "functions/admin/panel.protected.js", b"exports.handler = 2;\n")
    write_file(root, "assets/logo.png", PNG)
    write_file(root, "assets/config.private.json", b'{"a": 1}\n')
    return root


@pytest.fixture
def empty(fresh_sim):
    """empty-app, whose builds are completed as soon as they are made."""
    fresh_sim.new_build(EMPTY, ready_in=0)
    return fresh_sim


def files_of(root):
    return scan_project(str(root)).files


def blank():
    return dict(service_sid=None, build_sid=None, build={}, status=None, files=[])


def routes(sim, *names):
    return [e["route"] for e in sim.log() if e["route"] in names]


def stored(sim, service, sid):
    return sim.server.store.services[service].by_sid[sid]


def first_release(sim, client, root):
    """Plan and build ``root`` on empty-app; return the result and the Build."""
    result = blank()
    release = plan_release(client, EMPTY, files_of(root), None, "node22", DEPENDENCIES, result)
    build = build_release(client, EMPTY, release, "node22", DEPENDENCIES, sim.url, [], result)
    return result, build


def test_a_first_release_uploads_every_file_and_the_manifest_then_nothing_changed(empty, fresh_client, project):
    result = blank()
    release = plan_release(fresh_client, EMPTY, files_of(project), None, "node22", DEPENDENCIES, result)
    assert release.reference is None and release.manifest is None and not release.plan.unchanged
    assert [(f["path"], f["action"], f["version_sid"]) for f in result["files"]] == [
        ("/admin/panel", "uploaded", None), ("/hi", "uploaded", None), ("/config.json", "uploaded", None),
        ("/logo.png", "uploaded", None)]
    assert [(e["method"], e["route"]) for e in empty.log()] == [("GET", "builds")]
    assert plan_diff(release, "/src/project")["before_header"] == "no build"

    empty.server.clear_log()
    warnings = []
    build = build_release(fresh_client, EMPTY, release, "node22", DEPENDENCIES, empty.url, warnings, result)
    assert warnings == []
    # Four files and the manifest, each Function and Asset created once, each kind listed once.
    assert len(routes(empty, *UPLOADS)) == 5 and len(routes(empty, "create_build")) == 1
    assert len(routes(empty, "create_function")) == 3 and len(routes(empty, "create_asset")) == 2
    assert len(routes(empty, "functions")) == 1 and len(routes(empty, "assets")) == 1
    record = stored(empty, EMPTY, build["sid"])
    versions = [f["version_sid"] for f in result["files"]]
    assert all(re.match("^ZN[0-9a-f]{32}$", sid) for sid in versions)
    assert set(versions) < set(record.function_versions + record.asset_versions)
    assert len(record.function_versions + record.asset_versions) == 5
    assert result["build_sid"] == build["sid"] and result["build"] is build and result["status"] == build["status"]
    assert [f["action"] for f in result["files"]] == ["uploaded"] * 4

    # The manifest the Build holds records each file's sha256 and version.
    manifest = read_manifest(fresh_client, EMPTY, build)
    assert dict((path, (entry["sha256"], entry["version_sid"])) for path, entry in manifest["files"].items()) == dict(
        (f["path"], (f["sha256"], f["version_sid"])) for f in result["files"])
    assert manifest["runtime"] == "node22" and manifest["dependencies"] == DEPENDENCIES

    empty.server.clear_log()
    again = blank()
    release = plan_release(fresh_client, EMPTY, files_of(project), None, "node22", DEPENDENCIES, again)
    assert release.plan.unchanged and release.reference["sid"] == build["sid"]
    assert again["files"] == [dict(f, action="reused") for f in result["files"]]
    assert all(e["method"] == "GET" for e in empty.log()) and len(empty.log()) <= 3
    assert plan_diff(release, "/src/project")["before_header"] == "build %s" % build["sid"]


def test_one_changed_function_is_one_upload_and_the_manifest_is_carried(empty, fresh_client, project):
    first, build = first_release(empty, fresh_client, project)
    write_file(project, "functions/hi.js", b"exports.handler = (c, e, cb) => cb(null, 'hello');\n")
    empty.server.clear_log()
    result = blank()
    release = plan_release(fresh_client, EMPTY, files_of(project), None, "node22", DEPENDENCIES, result)
    assert [f["path"] for f in result["files"] if f["action"] == "uploaded"] == ["/hi"]
    assert release.plan.changed == ["/hi"] and not release.plan.unchanged
    second = build_release(fresh_client, EMPTY, release, "node22", DEPENDENCIES, empty.url, [], result)
    assert routes(empty, *UPLOADS) == ["create_function_version"]
    assert routes(empty, "create_function", "create_asset") == []
    old_manifest = [sid for sid in stored(empty, EMPTY, build["sid"]).function_versions
                    if sid not in [f["version_sid"] for f in first["files"]]]
    assert len(old_manifest) == 1 and old_manifest[0] in stored(empty, EMPTY, second["sid"]).function_versions
    changed = [f for f in result["files"] if f["path"] == "/hi"][0]
    assert changed["version_sid"] not in [f["version_sid"] for f in first["files"]]
    assert [f for f in result["files"] if f["path"] != "/hi"] == [dict(f, action="reused") for f in first["files"]
                                                                  if f["path"] != "/hi"]


def test_one_changed_asset_is_the_asset_and_a_new_manifest(empty, fresh_client, project):
    first_release(empty, fresh_client, project)
    write_file(project, "assets/logo.png", PNG + b"\x00")
    empty.server.clear_log()
    result = blank()
    release = plan_release(fresh_client, EMPTY, files_of(project), None, "node22", DEPENDENCIES, result)
    build_release(fresh_client, EMPTY, release, "node22", DEPENDENCIES, empty.url, [], result)
    assert sorted(routes(empty, *UPLOADS)) == ["create_asset_version", "create_function_version"]
    manifest = read_manifest(fresh_client, EMPTY, result["build"])
    assert manifest["files"]["/logo.png"]["version_sid"] == [f for f in result["files"]
                                                             if f["path"] == "/logo.png"][0]["version_sid"]


def test_a_service_built_by_another_tool_reuses_functions_by_content(fresh_sim, fresh_client, tmp_path):
    """small-app's builds were made without a manifest: /hello is read back and reused, the asset uploaded."""
    write_file(tmp_path, "functions/hello.js", PLACEHOLDER_FUNCTION)
    write_file(tmp_path, "assets/styles.css", PLACEHOLDER_ASSET)
    result = blank()
    release = plan_release(fresh_client, SMALL, files_of(tmp_path), None, "node22", {}, result)
    assert release.manifest is None and release.reference["status"] == "completed"
    assert [(f["path"], f["action"]) for f in result["files"]] == [("/hello", "reused"), ("/styles.css", "uploaded")]
    assert routes(fresh_sim, "function_version_content") == ["function_version_content"]
    assert all(e["method"] == "GET" for e in fresh_sim.log())
    diff = plan_diff(release, str(tmp_path))
    assert diff["before_header"] == "build %s" % release.reference["sid"] and diff["after_header"] == str(tmp_path)
    assert "/styles.css asset public (content unknown)\n" in diff["before"]
    assert [line.split(" ")[0] for line in diff["after"].splitlines()] == ["/hello", "/styles.css"]


def test_the_reference_is_the_build_live_in_the_environment(fresh_client):
    assert reference_build(fresh_client, RELEASE, "production")["sid"] == A % 1
    assert reference_build(fresh_client, RELEASE, "stage-environment")["sid"] == A % 2
    assert reference_build(fresh_client, RELEASE, "dev-environment") is None
    # Without an environment, the newest completed one (a5 is still building).
    assert reference_build(fresh_client, RELEASE, None)["sid"] == A % 4
    assert reference_build(fresh_client, EMPTY, None) is None


def test_a_file_changed_after_planning_is_refused_and_no_build_made(empty, fresh_client, project):
    result = blank()
    release = plan_release(fresh_client, EMPTY, files_of(project), None, "node22", DEPENDENCIES, result)
    write_file(project, "functions/hi.js", b"// edited meanwhile\n")
    with pytest.raises(TaskFailed) as caught:
        build_release(fresh_client, EMPTY, release, "node22", DEPENDENCIES, empty.url, [], result)
    assert caught.value.msg == "functions/hi.js changed while the task ran; run it again"
    assert routes(empty, "create_build") == [] and result["build_sid"] is None


def test_a_build_request_that_took_effect_then_failed_is_adopted_with_a_warning(empty, fresh_client, project):
    empty.fault("create_build", {"status": 503, "commit": True})
    result = blank()
    release = plan_release(fresh_client, EMPTY, files_of(project), None, "node22", DEPENDENCIES, result)
    warnings = []
    build = build_release(fresh_client, EMPTY, release, "node22", DEPENDENCIES, empty.url, warnings, result)
    assert routes(empty, "create_build") == ["create_build"]
    assert [b.sid for b in empty.server.store.services[EMPTY].builds] == [build["sid"]] == [result["build_sid"]]
    assert len(warnings) == 1 and "build %s made of these versions exists" % build["sid"] in warnings[0]


def test_a_build_answered_without_a_sid_fails_after_the_files_are_known(empty, fresh_client, project):
    empty.fault("create_build", {"status": 201, "json": {"sid": None, "status": "building"}})
    result = blank()
    release = plan_release(fresh_client, EMPTY, files_of(project), None, "node22", DEPENDENCIES, result)
    with pytest.raises(TaskFailed) as caught:
        build_release(fresh_client, EMPTY, release, "node22", DEPENDENCIES, empty.url, [], result)
    assert caught.value.msg == ("Twilio answered the build request for service %s without a valid Build SID"
                                % EMPTY)
    assert all(f["version_sid"] for f in result["files"]) and result["build_sid"] is None


def test_the_manifest_item():
    files = [dict(path="/hi", kind="function", visibility="public", sha256="ab" * 32, version_sid="ZN" + "1" * 32)]
    source, content = manifest_item("node22", DEPENDENCIES, files)
    assert (source.path, source.kind, source.visibility, source.size) == (MANIFEST_PATH, "function", "private",
                                                                          len(content))
    manifest = parse_manifest(content)
    assert manifest["files"] == {"/hi": dict(kind="function", visibility="public", sha256="ab" * 32,
                                             version_sid="ZN" + "1" * 32)}


# -- the wait: a client that really sleeps, so a short timeout is a few polls -------------------------------------

@pytest.fixture
def waiting_client(fresh_sim):
    made = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": fresh_sim.url,
                                                "retries": 3, "request_timeout": 5.0}))
    yield made
    made.close()


def options(timeout=10.0, fail_on_failed=True):
    return WaitOptions(timeout, 0.05, 0.1, False, fail_on_failed)


def building():
    return dict(status="building", build={})


def test_the_wait_fills_the_build_as_it_finished(fresh_sim, waiting_client):
    sid = fresh_sim.builds(EMPTY, {"ready_in": 0.2})[0]
    warnings, result = [], building()
    assert wait_for_build(waiting_client, EMPTY, sid, options(), warnings, result) is None
    assert result["status"] == "completed" and result["build"]["sid"] == sid and warnings == []


def test_a_failed_build_fails_naming_it(fresh_sim, waiting_client):
    sid = fresh_sim.builds(EMPTY, {"ready_in": 0.1, "final_status": "failed"})[0]
    result = building()
    with pytest.raises(TaskFailed) as caught:
        wait_for_build(waiting_client, EMPTY, sid, options(), [], result)
    assert re.match(r"^Build %s of service %s failed after [0-9]+\.[0-9] s \(runtime node22\); see build for its "
                    r"runtime, dependencies and versions$" % (sid, EMPTY), caught.value.msg), caught.value.msg
    assert result["status"] == "failed" and result["build"]["sid"] == sid


def test_a_failed_build_only_warns_without_fail_on_failed(fresh_sim, waiting_client):
    sid = fresh_sim.builds(EMPTY, {"ready_in": 0.1, "final_status": "failed"})[0]
    warnings, result = [], building()
    wait_for_build(waiting_client, EMPTY, sid, options(fail_on_failed=False), warnings, result)
    assert len(warnings) == 1 and warnings[0].startswith("Build %s of service %s failed after" % (sid, EMPTY))
    assert result["status"] == "failed"


def test_the_deadline_fails_with_the_last_status(fresh_sim, waiting_client):
    sid = fresh_sim.builds(EMPTY, {"ready_in": 3600})[0]
    result = building()
    with pytest.raises(TaskFailed) as caught:
        wait_for_build(waiting_client, EMPTY, sid, options(timeout=0.3), [], result)
    assert re.match(r"^Timed out after 0\.[0-9] s waiting for build %s of service %s \(last status building, "
                    r"[0-9]+ polls\)$" % (sid, EMPTY), caught.value.msg), caught.value.msg
    assert result == building()


def test_an_api_error_ends_the_wait(fresh_sim, waiting_client):
    sid = fresh_sim.builds(EMPTY, {"ready_in": 3600})[0]
    fresh_sim.fault("build_status", {"status": 403})
    with pytest.raises(TwilioError) as caught:
        wait_for_build(waiting_client, EMPTY, sid, options(), [], building())
    assert caught.value.http_status == 403
