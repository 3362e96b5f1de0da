# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_build: run() against a service of its own on the simulator (counts are the simulator's request log,
state is what it stored, not what the module claims), and main() through a real AnsibleModule for the whole
result shape."""

import copy
import hashlib
import json
import os
import shutil

import pytest
import yaml

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import MANIFEST_PATH
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build as build_module

from ..source_sim import ACCOUNT, TOKEN, SourceService, write_file
from .conftest import FakeModule

SERVICE_NAME = "demo"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\n\r\n"
ERROR_KEYS = {"http_status", "code", "more_info", "request_id"}
ANSIBLE_KEYS = {"changed", "failed", "msg", "invocation", "warnings", "deprecations", "exception", "diff"}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    write_file(root, "functions/hello.js", b"exports.handler = (c, e, cb) => cb(null, 'hi');\r\n")
    write_file(root, "functions/admin/panel.protected.js", b"exports.handler = 2;\n")
    write_file(root, "assets/logo.png", PNG)
    write_file(root, "assets/config.private.json", b'{"a": 1}\n')
    write_file(root, "assets/.gitkeep", b"")
    write_file(root, "package.json", b'{"dependencies": {"axios": "^1.7.0"}, "devDependencies": {"jest": "29"}}')
    return root


@pytest.fixture
def source(fresh_sim):
    return SourceService(fresh_sim, SERVICE_NAME)


@pytest.fixture
def client(source):
    made = fresh_client(source)
    yield made
    made.close()


def upload_origin(source):
    """Uploads go to the simulator under another name than the API's (127.0.0.1): its log tells the two apart by
    the Host a request came to."""
    return source.sim.url.replace("127.0.0.1", "localhost")


def module_for(source, project, check_mode=False, diff=False, **overrides):
    params = dict(service=SERVICE_NAME, source=str(project), functions_dir=None, assets_dir=None, runtime="node22",
                  dependencies=None, environment=None, wait=True, timeout=60.0, poll_interval=1.0,
                  max_poll_interval=5.0, prediction=False, fail_on_failed=True, upload_base_url=upload_origin(source),
                  base_url=source.sim.url, region=None, edge=None)
    params.update(overrides)
    module = FakeModule(params)
    module.check_mode = check_mode
    module._diff = diff  # pylint: disable=protected-access
    return module


def run(client, module):
    result = copy.deepcopy(build_module.BLANK_RESULT)
    result["changed"] = False
    return build_module.run(module, client, result)


def fresh_client(source):
    return TwilioClient(connection_from_params(source.connection_params()), sleep=lambda s: None, rand=lambda: 0.5)


def sent_dependencies(entry):
    """The Dependencies a CreateBuild request sent (the simulator adds Twilio's own to the build it stores)."""
    return json.loads(entry["form"]["Dependencies"])


def uploaded_paths(entries):
    return [[p["value"] for p in e["multipart"]["parts"] if p["name"] == "Path"][0] for e in entries]


def test_first_build_then_nothing_changes(source, client, project):
    module = module_for(source, project)
    result = run(client, module)
    assert result["changed"] is True and result["status"] == "completed" and result["service_sid"] == source.sid
    assert [(f["path"], f["kind"], f["visibility"], f["action"]) for f in result["files"]] == [
        ("/admin/panel", "function", "protected", "uploaded"), ("/hello", "function", "public", "uploaded"),
        ("/config.json", "asset", "private", "uploaded"), ("/logo.png", "asset", "public", "uploaded")]
    uploads = source.uploads()
    assert len(uploads) == 5 and all(e["headers"]["Host"] == upload_origin(source)[7:] for e in uploads)
    assert all(e["headers"]["Host"] != upload_origin(source)[7:] for e in source.log() if e not in uploads)
    [create] = source.requests_to("create_build")
    assert sent_dependencies(create) == [{"name": "axios", "version": "^1.7.0"}]
    [build] = source.builds
    assert result["build_sid"] == build.sid and build.runtime == "node22"
    assert build.dependencies[0] == {"name": "axios", "version": "^1.7.0"}
    stored = source.build_versions(build)
    assert stored["/logo.png"].content == PNG and stored["/logo.png"].content_type == "image/png"
    assert stored["/logo.png"].filename == "logo.png"
    assert stored["/hello"].content_type == "application/javascript"
    assert stored[MANIFEST_PATH].visibility == "private" and set(stored) == {
        "/admin/panel", "/hello", "/config.json", "/logo.png", MANIFEST_PATH}
    assert result["files"][3]["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert module.warnings == ["Not uploaded: .gitkeep (a git placeholder, which Twilio refuses)"]
    assert result["stats"] == {"requests": 0, "retries": 0, "uploads": 0, "bytes_uploaded": 0}  # run_module fills it
    assert client.stats()["uploads"] == 5

    source.clear_log()
    again = run(fresh_client(source), module_for(source, project))
    assert again["changed"] is False and again["build_sid"] == build.sid and again["status"] == "completed"
    assert all(f["action"] == "reused" for f in again["files"])
    assert source.writes() == [] and len(source.log()) <= 5 and len(source.builds) == 1


def test_one_changed_function_is_one_upload(source, client, project):
    run(client, module_for(source, project))
    first_manifest = [v for v in source.builds[0].function_versions if source.version(v).path == MANIFEST_PATH]
    write_file(project, "functions/hello.js", b"exports.handler = 3;\n")
    source.clear_log()
    result = run(fresh_client(source), module_for(source, project))
    uploads = source.uploads()
    # The changed function only: the build keeps the manifest, and the next run checks /hello by content.
    assert len(uploads) == 1 and len(source.builds) == 2 and result["build_sid"] == source.builds[0].sid
    assert [f["path"] for f in result["files"] if f["action"] == "uploaded"] == ["/hello"]
    versions = dict((source.version(v).path, v) for v in source.builds[0].function_versions)
    assert sorted(versions) == ["/_ansible_build_manifest", "/admin/panel", "/hello"]
    assert [versions[MANIFEST_PATH]] == first_manifest
    source.clear_log()
    again = run(fresh_client(source), module_for(source, project))
    assert again["changed"] is False and source.writes() == [] and len(source.log()) <= 5
    assert len(source.requests_to("function_version_content")) == 2
    # A second function changed: two would lack an entry, so the manifest is written again.
    write_file(project, "functions/admin/panel.protected.js", b"exports.handler = 4;\n")
    source.clear_log()
    run(fresh_client(source), module_for(source, project))
    assert sorted(uploaded_paths(source.uploads())) == sorted(["/admin/panel", MANIFEST_PATH])
    versions = dict((source.version(v).path, v) for v in source.builds[0].function_versions)
    assert versions[MANIFEST_PATH] not in first_manifest
    source.clear_log()
    assert run(fresh_client(source), module_for(source, project))["changed"] is False
    assert len(source.log()) == 3  # service, builds, manifest: every entry trusted again


def test_one_changed_asset_is_the_asset_and_the_manifest(source, client, project):
    run(client, module_for(source, project))
    write_file(project, "assets/logo.png", PNG + b"!")
    source.clear_log()
    run(fresh_client(source), module_for(source, project))
    assert sorted(uploaded_paths(source.uploads())) == sorted([MANIFEST_PATH, "/logo.png"])
    # The new build holds the asset's new bytes and a manifest that is not the first build's.
    first, newest = source.builds[1], source.builds[0]
    assert source.build_versions(newest)["/logo.png"].content == PNG + b"!"
    assert source.build_versions(newest)[MANIFEST_PATH].sid != source.build_versions(first)[MANIFEST_PATH].sid


def test_deleted_file_leaves_the_build(source, client, project):
    run(client, module_for(source, project))
    os.remove(str(project / "assets" / "logo.png"))
    source.clear_log()
    result = run(fresh_client(source), module_for(source, project, diff=True))
    # Nothing to upload but a new manifest: the build then holds a version this task made.
    assert uploaded_paths(source.uploads()) == [MANIFEST_PATH]
    newest = source.builds[0]
    assert result["changed"] is True and source.version(newest.asset_versions[0]).path == "/config.json"
    assert len(newest.asset_versions) == 1
    assert "/logo.png" in result["diff"]["before"] and "/logo.png" not in result["diff"]["after"]


def test_runtime_or_dependencies_change_rebuilds_without_uploading_files(source, client, project):
    run(client, module_for(source, project))
    source.clear_log()
    result = run(fresh_client(source), module_for(source, project, runtime="node20"))
    assert result["changed"] is True and source.builds[0].runtime == "node20"
    assert len(source.uploads()) == 1  # the manifest only
    source.clear_log()
    result = run(fresh_client(source), module_for(source, project, runtime="node20", dependencies={"lodash": ""}))
    [create] = source.requests_to("create_build")
    assert sent_dependencies(create) == [{"name": "lodash", "version": "*"}]
    assert source.builds[0].dependencies[0] == {"name": "lodash", "version": "*"}


def test_check_mode_reads_only_and_reports_the_plan(source, client, project):
    run(client, module_for(source, project))
    write_file(project, "assets/new.txt", b"new")
    write_file(project, "functions/hello.js", b"changed")
    source.clear_log()
    result = run(fresh_client(source), module_for(source, project, check_mode=True, diff=True))
    assert source.writes() == [] and len(source.builds) == 1
    assert result["changed"] is True and result["build_sid"] is None
    actions = dict((f["path"], (f["action"], f["version_sid"] is None)) for f in result["files"])
    assert actions == {"/admin/panel": ("reused", False), "/hello": ("uploaded", True),
                       "/config.json": ("reused", False), "/logo.png": ("reused", False),
                       "/new.txt": ("uploaded", True)}
    diff = result["diff"]
    assert diff["before_header"] == "build %s" % source.builds[0].sid
    assert "/new.txt asset public" in diff["after"] and "/new.txt" not in diff["before"]
    hello = hashlib.sha256(b"changed").hexdigest()
    assert "/hello function public %s" % hello in diff["after"] and hello not in diff["before"]


def test_check_mode_first_build(source, client, project):
    result = run(client, module_for(source, project, check_mode=True))
    assert result["changed"] is True and source.writes() == [] and all(f["action"] == "uploaded"
                                                                       for f in result["files"])


def test_toolkit_service_functions_reused_by_content_assets_once(source, client, project):
    hello = source.add_version("function", "/hello", b"exports.handler = (c, e, cb) => cb(null, 'hi');\r\n")
    panel = source.add_version("function", "/admin/panel", b"other content", "protected")
    logo = source.add_version("asset", "/logo.png", PNG)
    source.add_build([hello, panel], [logo])
    result = run(client, module_for(source, project))
    actions = dict((f["path"], f["action"]) for f in result["files"])
    assert actions == {"/hello": "reused", "/admin/panel": "uploaded", "/config.json": "uploaded",
                       "/logo.png": "uploaded"}
    assert len(source.uploads()) == 4  # 3 files and the manifest
    # Existing resources (found by friendly_name) are reused, not duplicated.
    assert source.friendly_names("function") == ["/_ansible_build_manifest", "/admin/panel", "/hello"]
    assert source.friendly_names("asset") == ["/config.json", "/logo.png"]


def test_environment_is_the_reference(source, client, project):
    first = run(client, module_for(source, project))
    source.deploy("dev", first["build_sid"])
    write_file(project, "functions/hello.js", b"newer")
    run(fresh_client(source), module_for(source, project))  # newest completed build is now the changed one
    source.clear_log()
    result = run(fresh_client(source), module_for(source, project, environment="dev"))
    # Against what runs in dev, /hello changed again (to "newer"): one upload, the manifest carried over.
    assert result["changed"] is True and len(source.uploads()) == 1
    source.deploy("dev", source.builds[0].sid)
    source.clear_log()
    again = run(fresh_client(source), module_for(source, project, environment="dev"))
    assert again["changed"] is False and source.writes() == [] and len(source.log()) <= 5


def test_failed_build_fails_naming_it(source, client, project):
    source.sim.new_build(SERVICE_NAME, final_status="failed")
    with pytest.raises(TaskFailed) as caught:
        run(client, module_for(source, project))
    assert caught.value.msg.startswith("Build %s of service %s failed" % (source.builds[0].sid, source.sid))


def test_failed_build_with_fail_on_failed_false_warns(source, client, project):
    source.sim.new_build(SERVICE_NAME, final_status="failed")
    module = module_for(source, project, fail_on_failed=False)
    result = run(client, module)
    assert result["status"] == "failed" and result["build"]["status"] == "failed"
    assert module.warnings[-1].startswith("Build %s of service %s failed" % (source.builds[0].sid, source.sid))


def test_no_wait(source, client, project):
    source.sim.new_build(SERVICE_NAME, ready_in=3600)
    result = run(client, module_for(source, project, wait=False))
    assert result["status"] == "building" and result["build_sid"] == source.builds[0].sid


def test_build_request_dropped_after_commit_is_adopted(source, client, project):
    source.sim.fault("create_build", {"drop": True, "commit": True})
    module = module_for(source, project)
    result = run(client, module)
    assert len(source.builds) == 1 and result["build_sid"] == source.builds[0].sid
    assert [e["status"] for e in source.requests_to("create_build")] == ["dropped"]
    assert "was not requested again" in module.warnings[-1]


def test_uploads_retried_after_faults(source, client, project):
    source.sim.fault("uploads", {"status": 503, "times": 2}, {"drop": True, "commit": True, "times": 1})
    run(client, module_for(source, project))
    build = source.builds[0]
    paths = [source.version(v).path for v in build.function_versions + build.asset_versions]
    assert len(paths) == len(set(paths)) == 5  # one version per path, whatever was re-sent
    assert len(source.uploads()) == 8
    assert sorted(str(e["status"]) for e in source.uploads()) == ["201"] * 5 + ["503"] * 2 + ["dropped"]


@pytest.mark.parametrize("overrides, message", [
    (dict(runtime="22"), "runtime: '22' is not a runtime Twilio lists"),
    (dict(runtime=""), "runtime: '' is not a runtime Twilio lists"),
    (dict(service="bad name"), "service: 'bad name' is neither"),
    (dict(dependencies={"@twilio/runtime-handler": "^2"}), "dependencies: @twilio/runtime-handler is '^2'"),
    (dict(functions_dir="nope"), "functions_dir: 'nope' is not a folder"),
    (dict(upload_base_url="http://example.com"), "upload_base_url: 'http://example.com' would send credentials"),
    (dict(timeout=0), "timeout: 0 is out of range"),
])
def test_bad_input_refused_before_any_request(source, client, project, overrides, message):
    with pytest.raises(OptionError) as caught:
        run(client, module_for(source, project, **overrides))
    assert str(caught.value).startswith(message) and source.log() == []


def test_bad_folder_refused_before_any_request(source, client, tmp_path):
    write_file(tmp_path, "functions/a?b.js", b"x")
    with pytest.raises(OptionError, match="source: 'functions/a\\?b.js' maps to the path"):
        run(client, module_for(source, tmp_path))
    write_file(tmp_path, "package.json", b"{nope")
    os.remove(str(tmp_path / "functions" / "a?b.js"))
    write_file(tmp_path, "functions/a.js", b"x")
    with pytest.raises(OptionError, match="package.json' is not valid JSON"):
        run(client, module_for(source, tmp_path))
    assert source.log() == []


def documented_keys(module, failed_from_api=False):
    """The keys the module's RETURN documents for an outcome."""
    return set(key for key, doc in yaml.safe_load(module.RETURN).items()
               if doc["returned"] == "always" or (failed_from_api and doc["returned"] == "on failure from the API"))


def args(source, project, **more):
    found = dict(account_sid=ACCOUNT, auth_token=TOKEN, service=SERVICE_NAME, source=str(project), prediction=False,
                 base_url=source.sim.url)
    found.update(more)
    return found


def assert_shape(result, failed_from_api=False):
    keys = documented_keys(build_module, failed_from_api)
    assert keys <= set(result), "missing: %s" % (keys - set(result))
    assert set(result) - ANSIBLE_KEYS == keys, "undocumented: %s" % (set(result) - ANSIBLE_KEYS - keys)
    if failed_from_api:
        assert set(result["error"]) == ERROR_KEYS


class TestMain:
    def test_success(self, source, project, run_main):
        result = run_main(build_module, args(source, project))
        assert_shape(result)
        assert result["changed"] is True and result["build_sid"] == source.builds[0].sid
        assert source.builds[0].runtime == "node22"  # no runtime option, no configuration file
        stats = result["stats"]
        assert stats["uploads"] == 5 and stats["retries"] == 0 and stats["requests"] == len(source.log())
        assert stats["bytes_uploaded"] == sum(e["bytes"] for e in source.uploads())
        assert TOKEN not in str(result)

    def test_bad_option(self, source, project, run_main):
        result = run_main(build_module, args(source, project, runtime="nodejs"))
        assert_shape(result)
        assert result["failed"] is True and result["msg"].startswith("runtime: 'nodejs' is not a runtime Twilio lists")
        assert result["files"] == [] and source.log() == []

    def test_api_failure(self, source, project, run_main):
        source.sim.fault("uploads", {"status": 400, "times": 1})
        result = run_main(build_module, args(source, project))
        assert_shape(result, failed_from_api=True)
        assert result["error"]["code"] == 20001 and result["service_sid"] == source.sid and source.builds == []
        assert result["stats"]["requests"] == len(source.log())


# The happy path of this module for test_contract.py (gathered by conftest.py).
@pytest.fixture
def contract_serverless_build(fresh_sim, tmp_path):
    """serverless_build for the contract test (tests/unit/plugins/modules/test_contract.py): the example
    project built on empty-app (builds there finish at once), and a wait that reaches its deadline on small-app
    (builds there never finish)."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")
    source = str(tmp_path / "project")
    shutil.copytree(os.path.join(root, "docs", "examples", "project"), source)
    fresh_sim.new_build("empty-app", ready_in=0)
    fresh_sim.new_build("small-app", ready_in=3600)
    return {"sim": fresh_sim, "args": {"service": "empty-app", "source": source, "prediction": False},
            "deadline_args": {"service": "small-app", "source": source, "timeout": 0.3, "poll_interval": 0.1,
                              "prediction": False}}


def test_toolkit_config_file_and_dotfiles_as_the_toolkit_deploys_them(source, client, tmp_path):
    # signal2021-devs sets assetsFolder: dist; passkeys-backend serves assets/.well-known/ to its phone apps.
    root = tmp_path / "project"
    write_file(root, ".twilioserverlessrc", b'{\n  // init writes comments\n  assetsFolder: "dist",\n  runtime: "node24",\n'
                                            b'  serviceName: "other-name",\n}\n')
    write_file(root, "functions/hello.public.js", b"exports.handler = 1;\n")
    write_file(root, "assets/stale.txt", b"not this folder")
    write_file(root, "dist/.well-known/assetlinks.json", b"[]")
    write_file(root, "dist/.well-known/apple-app-site-association", b"{}")
    write_file(root, "dist/.env", b"SECRET=do-not-publish")
    module = module_for(source, root, runtime=None)
    result = run(client, module)
    assert [(f["path"], f["kind"], f["visibility"]) for f in result["files"]] == [
        ("/hello", "function", "public"), ("/.well-known/apple-app-site-association", "asset", "public"),
        ("/.well-known/assetlinks.json", "asset", "public")]
    [build] = source.builds
    assert build.runtime == "node24"
    assert set(source.build_versions(build)) == {"/hello", "/.well-known/apple-app-site-association",
                                                 "/.well-known/assetlinks.json", MANIFEST_PATH}
    assert all(b"do-not-publish" not in version.content for version in source.service.versions.values())
    assert module.warnings == [
        "Not used from .twilioserverlessrc: 'serviceName'. serverless_build reads functionsFolder, assetsFolder and "
        "runtime from it; docs/releasing_from_source.md says where the others go",
        "Not uploaded: .env (a .env file holds secrets)"]
    # The task's options win over the file.
    source.clear_log()
    again = run(fresh_client(source), module_for(source, root, runtime="node22", assets_dir="assets"))
    assert again["changed"] is True and [f["path"] for f in again["files"]] == ["/hello", "/stale.txt"]
    assert source.builds[0].runtime == "node22"
