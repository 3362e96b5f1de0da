# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_build against the simulator over loopback: its strict multipart parser, CreateBuild validation and
request log are the judge (counts are the server's, not the module's)."""

import copy
import os
import shutil

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TaskFailed, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build as build_module

from ...conftest import ACCOUNT, TOKEN
from ..twilio_variants import serve_variants
from .conftest import FakeModule

EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "docs", "examples",
                       "project")
SERVICE = "empty-app"
UPLOAD_ROUTES = ("create_function_version", "create_asset_version")


@pytest.fixture
def project(tmp_path):
    if not os.path.isdir(EXAMPLE):
        pytest.skip("docs/examples/project is not in this checkout")
    target = tmp_path / "project"
    shutil.copytree(EXAMPLE, str(target))
    return target


def run(sim, check_mode=False, diff=False, **overrides):
    client = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": sim.url,
                                                  "retries": 3, "request_timeout": 5.0}), sleep=lambda s: None)
    params = dict(service=SERVICE, source=None, functions_dir=None, assets_dir=None, runtime="node22",
                  dependencies=None, environment=None, wait=True, timeout=30.0, poll_interval=0.05,
                  max_poll_interval=0.1, prediction=False, fail_on_failed=True, upload_base_url=None,
                  base_url=sim.url, region=None, edge=None)
    params.update(overrides)
    module = FakeModule(params)
    module.check_mode = check_mode
    module._diff = diff  # pylint: disable=protected-access
    result = copy.deepcopy(build_module.BLANK_RESULT)
    result["changed"] = False
    try:
        return build_module.run(module, client, result), module
    finally:
        client.close()


def routes(sim, *names):
    return [e for e in sim.log() if e["route"] in names]


@pytest.fixture
def sim(fresh_sim):
    fresh_sim.new_build(SERVICE, ready_in=0.2)
    return fresh_sim


@pytest.mark.parametrize("answers", ["as the simulator", "as the spec's examples"])
def test_build_rerun_change_check_mode(sim, project, answers):
    if answers != "as the simulator":
        # "visibility": "PUBLIC" in builds, upper-case statuses, nulls and unknown fields (issue 23).
        serve_variants(sim)
    result, module = run(sim, source=str(project))
    assert result["changed"] is True and result["status"] == "completed"
    uploads = routes(sim, *UPLOAD_ROUTES)
    assert len(uploads) == len(result["files"]) + 1 and all(e["status"] == 201 for e in uploads)
    assert len(routes(sim, "create_build")) == 1
    # The simulator kept the exact bytes: its digest of each upload is the file's sha256.
    digests = set(e["multipart"]["sha256"] for e in uploads)
    assert set(f["sha256"] for f in result["files"]) <= digests
    build = result["build"]
    assert build["sid"] == result["build_sid"] and build["runtime"] == "node22"
    # (each dependency as sent: with the fields nobody documents when the server adds some)
    assert ("lodash.escape", "^4.0.1") in [(d["name"], d["version"]) for d in build["dependencies"]]

    sim.server.clear_log()
    again, dummy = run(sim, source=str(project))
    log = sim.log()
    assert again["changed"] is False and again["build_sid"] == result["build_sid"]
    assert [e for e in log if e["method"] != "GET"] == [] and len(log) <= 5
    assert again["status"] == "completed" and dummy.warnings == []

    with open(str(project / "functions" / "hello.js"), "ab") as handle:
        handle.write(b"\n// changed\n")
    sim.server.clear_log()
    changed, dummy = run(sim, source=str(project))
    assert len(routes(sim, *UPLOAD_ROUTES)) == 1 and len(routes(sim, "create_build")) == 1
    assert changed["build_sid"] != result["build_sid"]

    with open(str(project / "assets" / "style.css"), "ab") as handle:
        handle.write(b"\n/* changed */\n")
    sim.server.clear_log()
    planned, dummy = run(sim, source=str(project), check_mode=True, diff=True)
    assert [e for e in sim.log() if e["method"] != "GET"] == []
    assert planned["changed"] is True and [f["path"] for f in planned["files"] if f["action"] == "uploaded"] == [
        "/style.css"]
    assert "/style.css asset public" in planned["diff"]["before"]


def test_failed_build_names_it(sim, project):
    sim.new_build(SERVICE, final_status="failed")
    with pytest.raises(TaskFailed) as caught:
        run(sim, source=str(project))
    sid = routes(sim, "create_build")[0]
    assert "failed" in caught.value.msg and caught.value.msg.startswith("Build ZB")
    assert sid["status"] == 201


def test_build_request_committed_then_503_is_adopted(sim, project):
    sim.fault("create_build", {"status": 503, "commit": True})
    result, module = run(sim, source=str(project))
    assert len(routes(sim, "create_build")) == 1 and result["status"] == "completed"
    assert any("was not requested again" in w for w in module.warnings)


def test_retired_runtime_is_twilios_message(sim, project):
    with pytest.raises(TwilioError) as caught:
        run(sim, source=str(project), runtime="node12")
    assert caught.value.http_status == 400 and "node12" in caught.value.msg


def test_a_rerun_after_a_failed_build_builds_again(sim, project):
    # The reference for "nothing changed" is a completed build: a failed one of the same files is no reference,
    # or the re-run would report changed=false with status failed and build nothing.
    run(sim, source=str(project))
    with open(str(project / "functions" / "hello.js"), "ab") as handle:
        handle.write(b"\n// changed\n")
    sim.new_build(SERVICE, final_status="failed")
    with pytest.raises(TaskFailed):
        run(sim, source=str(project))
    sim.new_build(SERVICE, final_status="completed")
    sim.server.clear_log()
    result, dummy = run(sim, source=str(project))
    assert result["changed"] is True and result["status"] == "completed"
    assert len(routes(sim, "create_build")) == 1


def test_its_wait_keeps_to_the_users_max_poll_interval(sim, project):
    # Backing off from 0.05 s, gaps would reach 0.8 s before a 1.5 s build ends; the user's bound is 0.15 s.
    sim.new_build(SERVICE, ready_in=1.5)
    result, dummy = run(sim, source=str(project), poll_interval=0.05, max_poll_interval=0.15)
    assert result["status"] == "completed"
    created = routes(sim, "create_build")[0]["time"]
    polls = [e["time"] for e in sim.log() if e["time"] > created and e["method"] == "GET"]
    gaps = [later - earlier for earlier, later in zip(polls, polls[1:])]
    assert len(polls) >= 5 and max(gaps) < 0.15 + 0.1, gaps
