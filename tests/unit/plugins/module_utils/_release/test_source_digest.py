# SPDX-License-Identifier: GPL-3.0-or-later
"""The digest of what a live Build holds (serverless_environment_info's build_source_sha256), against the simulator:
builds made by the release steps themselves, so the manifest read is the one serverless_build writes."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import fetch_build
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.folder import scan_project
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import source_sha256
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.rebuild import rebuild
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.source_build import (
    build_release,
    plan_release,
    read_source_sha256,
)

from ansible_collections.twilio_community.serverless.plugins.modules import serverless_environment_info as env_info

from ....conftest import EMPTY, SMALL
from ...modules.conftest import FakeModule
from ...source_sim import SourceService, write_file
from ...twilio_variants import serve_variants

DEPENDENCIES = {"axios": "1.7.9"}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    write_file(root, "functions/hi.js", b"exports.handler = (c, e, cb) => cb(null, 'hi');\n")
    write_file(root, "functions/admin/panel.protected.js", b"exports.handler = 2;\n")
    write_file(root, "assets/logo.png", b"\x89PNG\r\n")
    return root


@pytest.fixture
def empty(fresh_sim):
    fresh_sim.new_build(EMPTY, ready_in=0)
    return fresh_sim


def release(sim, client, service_sid, root, runtime="node22"):
    """Plan and build ``root`` (reusing the service's newest build); the Build made."""
    result = dict(service_sid=None, build_sid=None, build={}, status=None, files=[])
    files = scan_project(str(root)).files
    plan = plan_release(client, service_sid, files, None, runtime, DEPENDENCIES, result)
    return build_release(client, service_sid, plan, runtime, DEPENDENCIES, sim.url, [], result)


def folder_digest(root):
    """The digest of the folder itself, as the build of it must report it."""
    return source_sha256(dict((f.path, (f.kind, f.visibility, f.sha256)) for f in scan_project(str(root)).files))


def digest(sim, client, service_sid, build_sid):
    """The build's digest read as serverless_environment_info reads it, and the requests that cost."""
    build = fetch_build(client, service_sid, build_sid)
    sim.server.clear_log()
    return read_source_sha256(client, service_sid, build), [e["route"] for e in sim.log()]


def test_the_digest_is_the_folder_s_then_the_changed_folder_s(empty, fresh_client, project):
    first = release(empty, fresh_client, EMPTY, project)
    assert digest(empty, fresh_client, EMPTY, first["sid"]) == (folder_digest(project), ["function_version_content"])
    # One changed function: the new build carries the first one's manifest, whose entry for /hi names the old
    # version, so /hi is read by content (one request more) and the digest is the changed folder's.
    write_file(project, "functions/hi.js", b"exports.handler = (c, e, cb) => cb(null, 'hello');\n")
    second = release(empty, fresh_client, EMPTY, project)
    found, routes = digest(empty, fresh_client, EMPTY, second["sid"])
    assert found == folder_digest(project) != digest(empty, fresh_client, EMPTY, first["sid"])[0]
    assert routes == ["function_version_content"] * 2
    # A visibility is part of the source.
    (project / "functions" / "hi.js").rename(project / "functions" / "hi.protected.js")
    third = release(empty, fresh_client, EMPTY, project)
    assert digest(empty, fresh_client, EMPTY, third["sid"])[0] == folder_digest(project) != found


def test_the_same_folder_anywhere_and_on_any_runtime_has_one_digest(empty, fresh_client, project):
    here = release(empty, fresh_client, EMPTY, project)
    other = SourceService(empty, "other-account-app")
    there = release(empty, fresh_client, other.sid, project, runtime="node20")
    assert set(empty.server.store.services[EMPTY].by_sid[here["sid"]].function_versions).isdisjoint(
        other.service.by_sid[there["sid"]].function_versions)
    rebuilt = {"changed": False, "files": []}
    rebuild(fresh_client, other.sid, dict(service=other.sid, from_build=there["sid"], from_environment=None,
                                          runtime="node24", dependencies=None), False, False, [], rebuilt)
    assert rebuilt["changed"] and other.service.by_sid[rebuilt["build_sid"]].runtime == "node24"
    serve_variants(empty)
    found = [digest(empty, fresh_client, service, sid)[0]
             for service, sid in ((EMPTY, here["sid"]), (other.sid, there["sid"]), (other.sid, rebuilt["build_sid"]))]
    assert found == [folder_digest(project)] * 3


def test_a_build_made_by_another_tool_has_no_digest(fresh_sim, fresh_client):
    build = fetch_build(fresh_client, SMALL, "ZB00000000000000000000000000000001")
    fresh_sim.server.clear_log()
    assert read_source_sha256(fresh_client, SMALL, build) is None
    assert fresh_sim.log() == []  # no manifest among its versions: nothing to read


def test_environment_info_reads_each_live_build_s_manifest_once(empty, fresh_client, project):
    """serverless_environment_info with source_digest: a build live in two environments costs one manifest read."""
    built = release(empty, fresh_client, EMPTY, project)
    store = empty.server.store
    for name in ("staging", "production"):
        store.deploy(store.services[EMPTY], store.add_environment(store.services[EMPTY], name, name), built["sid"])
    empty.server.clear_log()
    module = FakeModule(dict(service=EMPTY, environment=None, deployments=0, source_digest=True))
    result = env_info.run(module, fresh_client, dict(env_info.BLANK_RESULT))
    assert [(e["unique_name"], e["build_source_sha256"]) for e in result["environments"]] == [
        ("staging", folder_digest(project)), ("production", folder_digest(project))]
    assert [e["route"] for e in empty.log()].count("function_version_content") == 1
    module = FakeModule(dict(service=EMPTY, environment=None, deployments=0, source_digest=False))
    empty.server.clear_log()
    result = env_info.run(module, fresh_client, dict(env_info.BLANK_RESULT))
    assert "build_source_sha256" not in result["environments"][0] and "function_version_content" not in [
        e["route"] for e in empty.log()]
