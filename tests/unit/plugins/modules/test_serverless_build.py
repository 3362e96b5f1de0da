# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_build: run() against the in-memory Serverless API (counts are the fake server's, not the module's),
and main() through a real AnsibleModule for the whole result shape."""

import copy
import hashlib
import os

import pytest
import yaml

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._http import client as _client
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import MANIFEST_PATH
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build as build_module

from ..fake_serverless import ACCOUNT, SERVICE, SERVICE_NAME, FakeServerless
from .conftest import FakeModule

TOKEN = "fake-token-7c1e9a"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\n\r\n"
ERROR_KEYS = {"http_status", "code", "more_info", "request_id"}
ANSIBLE_KEYS = {"changed", "failed", "msg", "invocation", "warnings", "deprecations", "exception", "diff"}


def write(root, relative, content):
    full = os.path.join(str(root), relative)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as handle:
        handle.write(content)


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    write(root, "functions/hello.js", b"exports.handler = (c, e, cb) => cb(null, 'hi');\r\n")
    write(root, "functions/admin/panel.protected.js", b"exports.handler = 2;\n")
    write(root, "assets/logo.png", PNG)
    write(root, "assets/config.private.json", b'{"a": 1}\n')
    write(root, "assets/.gitkeep", b"")
    write(root, "package.json", b'{"dependencies": {"axios": "^1.7.0"}, "devDependencies": {"jest": "29"}}')
    return root


@pytest.fixture
def fake():
    return FakeServerless()


@pytest.fixture
def client(fake):
    made = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "retries": 3}),
                        session=fake, sleep=lambda s: None, rand=lambda: 0.5)
    yield made
    made.close()


def module_for(project, check_mode=False, diff=False, **overrides):
    params = dict(service=SERVICE_NAME, source=str(project), functions_dir=None, assets_dir=None, runtime="node22",
                  dependencies=None, environment=None, wait=True, timeout=60.0, poll_interval=1.0,
                  max_poll_interval=5.0, prediction=False, fail_on_failed=True, upload_base_url=None, base_url=None, region=None,
                  edge=None)
    params.update(overrides)
    module = FakeModule(params)
    module.check_mode = check_mode
    module._diff = diff  # pylint: disable=protected-access
    return module


def run(client, module):
    result = copy.deepcopy(build_module.BLANK_RESULT)
    result["changed"] = False
    return build_module.run(module, client, result)


def fresh_client(fake):
    return TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "retries": 3}),
                        session=fake, sleep=lambda s: None, rand=lambda: 0.5)


def test_first_build_then_nothing_changes(fake, client, project):
    module = module_for(project)
    result = run(client, module)
    assert result["changed"] is True and result["status"] == "completed" and result["service_sid"] == SERVICE
    assert [(f["path"], f["kind"], f["visibility"], f["action"]) for f in result["files"]] == [
        ("/admin/panel", "function", "protected", "uploaded"), ("/hello", "function", "public", "uploaded"),
        ("/config.json", "asset", "private", "uploaded"), ("/logo.png", "asset", "public", "uploaded")]
    uploads = fake.requests_to("upload")
    assert len(uploads) == 5 and all(e["host"] == "https://serverless-upload.twilio.com" for e in uploads)
    build = fake.builds[-1]
    assert result["build_sid"] == build["sid"] and build["dependencies"] == [{"name": "axios", "version": "^1.7.0"}]
    assert build["runtime"] == "node22"
    stored = dict((fake.versions[v["sid"]]["path"], fake.versions[v["sid"]])
                  for v in build["function_versions"] + build["asset_versions"])
    assert stored["/logo.png"]["content"] == PNG and stored["/logo.png"]["content_type"] == "image/png"
    assert stored["/logo.png"]["filename"] == "logo.png"
    assert stored["/hello"]["content_type"] == "application/javascript"
    assert stored[MANIFEST_PATH]["visibility"] == "private" and set(stored) == {
        "/admin/panel", "/hello", "/config.json", "/logo.png", MANIFEST_PATH}
    assert result["files"][3]["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert module.warnings == ["Not uploaded: .gitkeep (dotfiles are not uploaded)"]
    assert result["stats"] == {"requests": 0, "retries": 0, "uploads": 0, "bytes_uploaded": 0}  # run_module fills it
    assert client.stats()["uploads"] == 5

    fake.log[:] = []
    again = run(fresh_client(fake), module_for(project))
    assert again["changed"] is False and again["build_sid"] == build["sid"] and again["status"] == "completed"
    assert all(f["action"] == "reused" for f in again["files"])
    assert fake.writes() == [] and len(fake.log) <= 5 and len(fake.builds) == 1


def test_one_changed_function_is_one_upload(fake, client, project):
    run(client, module_for(project))
    first_manifest = [v["sid"] for v in fake.builds[-1]["function_versions"] if v["path"] == MANIFEST_PATH]
    write(project, "functions/hello.js", b"exports.handler = 3;\n")
    fake.log[:] = []
    result = run(fresh_client(fake), module_for(project))
    uploads = fake.requests_to("upload")
    # The changed function only: the build keeps the manifest, and the next run checks /hello by content.
    assert len(uploads) == 1 and len(fake.builds) == 2 and result["build_sid"] == fake.builds[-1]["sid"]
    assert [f["path"] for f in result["files"] if f["action"] == "uploaded"] == ["/hello"]
    versions = dict((v["path"], v["sid"]) for v in fake.builds[-1]["function_versions"])
    assert sorted(versions) == ["/_ansible_build_manifest", "/admin/panel", "/hello"]
    assert [versions[MANIFEST_PATH]] == first_manifest
    fake.log[:] = []
    again = run(fresh_client(fake), module_for(project))
    assert again["changed"] is False and fake.writes() == [] and len(fake.log) <= 5
    assert len(fake.requests_to("GET /v1/Services/{sid}/Functions/{sid}/Versions/{sid}/Content")) == 2
    # A second function changed: two would lack an entry, so the manifest is written again.
    write(project, "functions/admin/panel.protected.js", b"exports.handler = 4;\n")
    fake.log[:] = []
    run(fresh_client(fake), module_for(project))
    assert len(fake.requests_to("upload")) == 2
    versions = dict((v["path"], v["sid"]) for v in fake.builds[-1]["function_versions"])
    assert versions[MANIFEST_PATH] not in first_manifest
    fake.log[:] = []
    assert run(fresh_client(fake), module_for(project))["changed"] is False
    assert len(fake.log) == 3  # service, builds, manifest: every entry trusted again


def test_one_changed_asset_is_the_asset_and_the_manifest(fake, client, project):
    run(client, module_for(project))
    write(project, "assets/logo.png", PNG + b"!")
    fake.log[:] = []
    run(fresh_client(fake), module_for(project))
    uploaded = sorted(fake.versions[s]["path"] for s in fake.versions if fake.versions[s]["content"] in
                      (PNG + b"!",)) + ["manifest"]
    assert len(fake.requests_to("upload")) == 2 and uploaded == ["/logo.png", "manifest"]


def test_deleted_file_leaves_the_build(fake, client, project):
    run(client, module_for(project))
    os.remove(str(project / "assets" / "logo.png"))
    fake.log[:] = []
    result = run(fresh_client(fake), module_for(project, diff=True))
    # Nothing to upload but a new manifest: the build then holds a version this task made.
    assert [e["data"].count(b"_ansible_build_manifest") > 0 for e in fake.requests_to("upload")] == [True]
    assert result["changed"] is True and fake.builds[-1]["asset_versions"][0]["path"] == "/config.json"
    assert len(fake.builds[-1]["asset_versions"]) == 1
    assert "/logo.png" in result["diff"]["before"] and "/logo.png" not in result["diff"]["after"]


def test_runtime_or_dependencies_change_rebuilds_without_uploading_files(fake, client, project):
    run(client, module_for(project))
    fake.log[:] = []
    result = run(fresh_client(fake), module_for(project, runtime="node20"))
    assert result["changed"] is True and fake.builds[-1]["runtime"] == "node20"
    assert len(fake.requests_to("upload")) == 1  # the manifest only
    result = run(fresh_client(fake), module_for(project, runtime="node20", dependencies={"lodash": ""}))
    assert fake.builds[-1]["dependencies"] == [{"name": "lodash", "version": "*"}]


def test_check_mode_reads_only_and_reports_the_plan(fake, client, project):
    run(client, module_for(project))
    write(project, "assets/new.txt", b"new")
    write(project, "functions/hello.js", b"changed")
    fake.log[:] = []
    result = run(fresh_client(fake), module_for(project, check_mode=True, diff=True))
    assert fake.writes() == [] and len(fake.builds) == 1
    assert result["changed"] is True and result["build_sid"] is None
    actions = dict((f["path"], (f["action"], f["version_sid"] is None)) for f in result["files"])
    assert actions == {"/admin/panel": ("reused", False), "/hello": ("uploaded", True),
                       "/config.json": ("reused", False), "/logo.png": ("reused", False),
                       "/new.txt": ("uploaded", True)}
    diff = result["diff"]
    assert diff["before_header"] == "build %s" % fake.builds[0]["sid"]
    assert "/new.txt asset public" in diff["after"] and "/new.txt" not in diff["before"]
    hello = hashlib.sha256(b"changed").hexdigest()
    assert "/hello function public %s" % hello in diff["after"] and hello not in diff["before"]


def test_check_mode_first_build(fake, client, project):
    result = run(client, module_for(project, check_mode=True))
    assert result["changed"] is True and fake.writes() == [] and all(f["action"] == "uploaded"
                                                                     for f in result["files"])


def test_toolkit_service_functions_reused_by_content_assets_once(fake, client, project):
    hello = fake.add_version("function", "/hello", b"exports.handler = (c, e, cb) => cb(null, 'hi');\r\n")
    panel = fake.add_version("function", "/admin/panel", b"other content", "protected")
    logo = fake.add_version("asset", "/logo.png", PNG)
    fake.add_build([hello, panel], [logo])
    result = run(client, module_for(project))
    actions = dict((f["path"], f["action"]) for f in result["files"])
    assert actions == {"/hello": "reused", "/admin/panel": "uploaded", "/config.json": "uploaded",
                       "/logo.png": "uploaded"}
    assert len(fake.requests_to("upload")) == 4  # 3 files and the manifest
    # Existing resources (found by friendly_name) are reused, not duplicated.
    assert sorted(fake.resources["function"].values()) == ["/_ansible_build_manifest", "/admin/panel", "/hello"]


def test_environment_is_the_reference(fake, client, project):
    first = run(client, module_for(project))
    fake.environments.append({"sid": "ZE" + "1" * 32, "unique_name": "dev", "domain_suffix": "dev",
                              "build_sid": first["build_sid"]})
    write(project, "functions/hello.js", b"newer")
    run(fresh_client(fake), module_for(project))  # newest completed build is now the changed one
    fake.log[:] = []
    result = run(fresh_client(fake), module_for(project, environment="dev"))
    # Against what runs in dev, /hello changed again (to "newer"): one upload, the manifest carried over.
    assert result["changed"] is True and len(fake.requests_to("upload")) == 1
    fake.environments[0]["build_sid"] = fake.builds[-1]["sid"]
    fake.log[:] = []
    again = run(fresh_client(fake), module_for(project, environment="dev"))
    assert again["changed"] is False and fake.writes() == [] and len(fake.log) <= 5


def test_failed_build_fails_naming_it(fake, client, project):
    fake.build_outcome = "failed"
    with pytest.raises(TaskFailed) as caught:
        run(client, module_for(project))
    assert caught.value.msg.startswith("Build %s of service %s failed" % (fake.builds[-1]["sid"], SERVICE))


def test_failed_build_with_fail_on_failed_false_warns(fake, client, project):
    fake.build_outcome = "failed"
    module = module_for(project, fail_on_failed=False)
    result = run(client, module)
    assert result["status"] == "failed" and result["build"]["status"] == "failed"
    assert module.warnings[-1].startswith("Build %s of service %s failed" % (fake.builds[-1]["sid"], SERVICE))


def test_no_wait(fake, client, project):
    fake.build_outcome = "building"
    result = run(client, module_for(project, wait=False))
    assert result["status"] == "building" and result["build_sid"] == fake.builds[-1]["sid"]


def test_build_request_dropped_after_commit_is_adopted(fake, client, project):
    fake.faults.append({"route": "create_build", "drop": True, "commit": True})
    module = module_for(project)
    result = run(client, module)
    assert len(fake.builds) == 1 and result["build_sid"] == fake.builds[0]["sid"]
    assert "was not requested again" in module.warnings[-1]


def test_uploads_retried_after_faults(fake, client, project):
    fake.faults.append({"route": "upload", "status": 503, "times": 2})
    fake.faults.append({"route": "upload", "drop": True, "commit": True, "times": 1})
    run(client, module_for(project))
    build = fake.builds[-1]
    paths = [fake.versions[v["sid"]]["path"] for v in build["function_versions"] + build["asset_versions"]]
    assert len(paths) == len(set(paths)) == 5  # one version per path, whatever was re-sent
    assert len(fake.requests_to("upload")) == 8


@pytest.mark.parametrize("overrides, message", [
    (dict(runtime="22"), "runtime: '22' is not a Twilio runtime name"),
    (dict(service="bad name"), "service: 'bad name' is neither"),
    (dict(dependencies={"@twilio/runtime-handler": "^2"}), "dependencies: @twilio/runtime-handler is '^2'"),
    (dict(functions_dir="nope"), "functions_dir: 'nope' is not a folder"),
    (dict(upload_base_url="http://example.com"), "upload_base_url: 'http://example.com' would send credentials"),
    (dict(timeout=0), "timeout: 0 is out of range"),
])
def test_bad_input_refused_before_any_request(fake, client, project, overrides, message):
    with pytest.raises(OptionError) as caught:
        run(client, module_for(project, **overrides))
    assert str(caught.value).startswith(message) and fake.log == []


def test_bad_folder_refused_before_any_request(fake, client, tmp_path):
    write(tmp_path, "functions/a?b.js", b"x")
    with pytest.raises(OptionError, match="source: 'functions/a\\?b.js' maps to the path"):
        run(client, module_for(tmp_path))
    write(tmp_path, "package.json", b"{nope")
    os.remove(str(tmp_path / "functions" / "a?b.js"))
    write(tmp_path, "functions/a.js", b"x")
    with pytest.raises(OptionError, match="package.json' is not valid JSON"):
        run(client, module_for(tmp_path))
    assert fake.log == []


def documented_keys(module, failed_from_api=False):
    """The keys the module's RETURN documents for an outcome."""
    return set(key for key, doc in yaml.safe_load(module.RETURN).items()
               if doc["returned"] == "always" or (failed_from_api and doc["returned"] == "on failure from the API"))


def args(project, **more):
    found = dict(account_sid=ACCOUNT, auth_token=TOKEN, service=SERVICE_NAME, source=str(project), prediction=False)
    found.update(more)
    return found


def assert_shape(result, failed_from_api=False):
    keys = documented_keys(build_module, failed_from_api)
    assert keys <= set(result), "missing: %s" % (keys - set(result))
    assert set(result) - ANSIBLE_KEYS == keys, "undocumented: %s" % (set(result) - ANSIBLE_KEYS - keys)
    if failed_from_api:
        assert set(result["error"]) == ERROR_KEYS


class TestMain:
    @pytest.fixture(autouse=True)
    def patched(self, fake, monkeypatch):
        monkeypatch.setattr(_client.requests, "Session", lambda: fake)

    def test_success(self, fake, project, run_main):
        result = run_main(build_module, args(project))
        assert_shape(result)
        assert result["changed"] is True and result["build_sid"] == fake.builds[-1]["sid"]
        stats = result["stats"]
        assert stats["uploads"] == 5 and stats["retries"] == 0 and stats["requests"] == len(fake.log)
        assert stats["bytes_uploaded"] == sum(len(e["data"]) for e in fake.requests_to("upload"))
        assert TOKEN not in str(result)

    def test_bad_option(self, fake, project, run_main):
        result = run_main(build_module, args(project, runtime="nodejs"))
        assert_shape(result)
        assert result["failed"] is True and result["msg"].startswith("runtime: 'nodejs' is not a Twilio runtime")
        assert result["files"] == [] and fake.log == []

    def test_api_failure(self, fake, project, run_main):
        fake.faults.append({"route": "upload", "status": 400, "code": 20001, "times": 1})
        result = run_main(build_module, args(project))
        assert_shape(result, failed_from_api=True)
        assert result["error"]["code"] == 20001 and result["service_sid"] == SERVICE and fake.builds == []
        assert result["stats"]["requests"] == len(fake.log)
