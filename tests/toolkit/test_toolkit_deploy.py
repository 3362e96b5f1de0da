# SPDX-License-Identifier: GPL-3.0-or-later
"""The Twilio toolkit as a real peer of the simulator (`make toolkit-test`, after `make toolkit`).

The toolkit's own deploy library (@twilio-labs/serverless-api, pinned in package.json, installed by
`npm ci` into tests/toolkit/node_modules) deploys docs/examples/project to the simulator through deploy.js.
What is checked comes from the simulator's request log and from its API, not from the toolkit's answer:
the real client's multipart uploads keep every byte, its CreateBuild form is accepted, and the build
completes and is deployed. The toolkit's multipart layout is compared with the golden file
golden/multipart_layout.json, which the encoder test of serverless_build reads too; to capture it again
(after changing the pinned version), run with UPDATE_GOLDEN=1 and review the diff.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROJECT = os.path.join(ROOT, "docs", "examples", "project")
GOLDEN = os.path.join(HERE, "golden", "multipart_layout.json")
LIBRARY = os.path.join(HERE, "node_modules", "@twilio-labs", "serverless-api", "package.json")
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from twilio_sim.control import Control  # noqa: E402  pylint: disable=wrong-import-position
from twilio_sim.launcher import credentials, start, stop  # noqa: E402  pylint: disable=wrong-import-position

UPLOADS = ("create_function_version", "create_asset_version")


@pytest.fixture
def simulator():
    if not os.path.exists(LIBRARY):
        pytest.fail("the toolkit is not installed: run `make toolkit` (npm ci in tests/toolkit)")
    proc, url = start()
    try:
        yield url
    finally:
        stop(proc)


def deploy(url, service, environment="dev"):
    """Run the toolkit's deployLocalProject against the simulator; return (exit code, result or None, stderr)."""
    account = credentials()
    # Only what node needs: no credential of the machine's user reaches the child.
    env = {"PATH": os.environ["PATH"], "SIM_URL": url, "SIM_ACCOUNT_SID": account["account_sid"],
           "SIM_AUTH_TOKEN": account["auth_token"]}
    proc = subprocess.run([shutil.which("node") or "node", os.path.join(HERE, "deploy.js"), PROJECT, service,
                           environment], env=env, capture_output=True, text=True, timeout=180, check=False)
    assert account["auth_token"] not in proc.stdout + proc.stderr
    result = json.loads(proc.stdout) if proc.returncode == 0 else None
    return proc.returncode, result, proc.stderr


def api_get(url, path):
    account = credentials()
    token = base64.b64encode(("%s:%s" % (account["account_sid"], account["auth_token"])).encode()).decode()
    request = urllib.request.Request(url + path, headers={"Authorization": "Basic " + token})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode())


def project_files():
    """path -> (kind, visibility, sha256 of the file's bytes), by the toolkit's folder rules."""
    files = {}
    for kind, folder in (("function", "functions"), ("asset", "assets")):
        base = os.path.join(PROJECT, folder)
        for directory, dummy, names in os.walk(base):
            for name in names:
                full = os.path.join(directory, name)
                relative = "/" + os.path.relpath(full, base).replace(os.sep, "/")
                if kind == "function":
                    relative = relative[:-len(".js")]
                visibility = "public"
                for candidate in ("protected", "private"):
                    if ".%s" % candidate in relative:
                        visibility, relative = candidate, relative.replace(".%s" % candidate, "")
                with open(full, "rb") as handle:
                    files[relative] = (kind, visibility, hashlib.sha256(handle.read()).hexdigest())
    return files


def test_the_toolkit_deploys_the_example_project(simulator):
    code, result, stderr = deploy(simulator, "acme-ivr")
    assert code == 0, stderr
    # The one replaced function gave both of the library's hosts: API and uploads.
    assert result["hosts"] == ["serverless-upload.twilio.com", "serverless.twilio.com"]
    log = Control(simulator).log()
    uploads = [e for e in log if e["route"] in UPLOADS]
    expected = project_files()
    assert len(uploads) == len(expected) == 7
    assert all(e["status"] == 201 for e in uploads), [(e["path"], e["status"]) for e in uploads]
    # Every byte as on disk (the PNG carries \r\n, a lone \n and NULs), path and visibility as the toolkit
    # derives them; the simulator recorded the sha256 of what it stored.
    seen = {}
    for entry in uploads:
        parts = {p["name"]: p for p in entry["multipart"]["parts"]}
        path, visibility = parts["Path"]["value"], parts["Visibility"]["value"]
        kind = "function" if entry["route"] == "create_function_version" else "asset"
        seen[path] = (kind, visibility, entry["multipart"]["sha256"])
    assert seen == expected

    builds = [e for e in log if e["route"] == "create_build"]
    assert [e["status"] for e in builds] == [201]
    form = builds[0]["form"]
    build = api_get(simulator, "/v1/Services/%s/Builds/%s" % (result["serviceSid"], result["buildSid"]))
    # Repeated keys, one per version, each an upload this deploy made.
    assert sorted(form["FunctionVersions"] + form["AssetVersions"]) == sorted(
        v["sid"] for v in build["function_versions"] + build["asset_versions"])
    # (a Build lists its versions' visibility in upper case, as the spec's examples do)
    assert {v["path"]: v["visibility"].lower() for v in build["function_versions"] + build["asset_versions"]} == {
        path: visibility for path, (dummy, visibility, dummy2) in expected.items()}
    assert build["status"] == "completed" and build["runtime"] == "node22"
    with open(os.path.join(PROJECT, "package.json"), encoding="utf-8") as handle:
        asked = json.load(handle)["dependencies"]
    dependencies = {d["name"]: d["version"] for d in build["dependencies"]}
    # What package.json asks, plus the one Twilio adds itself (the project names the runtime handler).
    assert dependencies == dict(asked, twilio=dependencies["twilio"])
    # The toolkit waited for the build, then deployed it to the environment it created.
    deployments = [e for e in log if e["route"] == "create_deployment"]
    assert [(e["status"], e["form"]["BuildSid"]) for e in deployments] == [(201, result["buildSid"])]
    environment = api_get(simulator, "/v1/Services/%s/Environments/%s" % (
        result["serviceSid"], result["environmentSid"]))
    assert environment["build_sid"] == result["buildSid"] and environment["unique_name"] == "dev-environment"
    # A function's content reads back as uploaded.
    function = [v for v in build["function_versions"] if v["path"] == "/hello"][0]
    content = api_get(simulator, "/v1/Services/%s/Functions/%s/Versions/%s/Content" % (
        result["serviceSid"], function["function_sid"], function["sid"]))["content"]
    with open(os.path.join(PROJECT, "functions", "hello.js"), encoding="utf-8") as handle:
        assert content == handle.read()

    check_golden(uploads)


def layout(uploads):
    """The toolkit's multipart layout, one record per upload, by path; the boundary as a pattern."""
    records = {}
    boundaries = set()
    for entry in uploads:
        multipart = entry["multipart"]
        boundary = multipart["content_type"].split("boundary=", 1)[1]
        boundaries.add(re.sub(r"[0-9a-f]", "h", boundary))
        parts = [{k: v for k, v in p.items() if k != "size"} for p in multipart["parts"]]
        path = [p["value"] for p in parts if p["name"] == "Path"][0]
        # How the body's length is told: a Content-Length, or chunked.
        headers = {k.lower(): v for k, v in entry["headers"].items()}
        length = "content-length" if "content-length" in headers else "none"
        if "chunked" in headers.get("transfer-encoding", ""):
            length = "chunked"
        records[path] = {"route": entry["route"], "request_content_type": "multipart/form-data; boundary={boundary}",
                         "body_length": length, "parts": parts, "template": multipart["template"]}
    assert all(e["multipart"]["content_type"] == "multipart/form-data; boundary=" +
               e["multipart"]["content_type"].split("boundary=", 1)[1] for e in uploads)
    return {"boundary_shape": sorted(boundaries), "uploads": dict(sorted(records.items()))}


def check_golden(uploads):
    with open(LIBRARY, encoding="utf-8") as handle:
        version = json.load(handle)["version"]
    captured = dict(layout(uploads), toolkit="@twilio-labs/serverless-api %s" % version)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        with open(GOLDEN, "w", encoding="utf-8") as handle:
            json.dump(dict(captured, how=GOLDEN_HOW), handle, indent=2, sort_keys=True)
            handle.write("\n")
    with open(GOLDEN, encoding="utf-8") as handle:
        golden = json.load(handle)
    golden.pop("how")
    assert captured == golden


GOLDEN_HOW = ("Captured by tests/toolkit/test_toolkit_deploy.py with UPDATE_GOLDEN=1: the pinned toolkit deploys "
              "docs/examples/project to the simulator, whose strict multipart parser logs each upload's parts "
              "(name, filename, headers in order and as sent, text values) and a byte-exact template of the body, "
              "the boundary written {boundary} and each part's data {PartName}. boundary_shape is the boundary "
              "with hex digits written h. Without UPDATE_GOLDEN the same test compares every run with this file.")


def test_a_build_that_fails_fails_the_toolkit(simulator):
    """The scripted outcome: the simulator fails the next builds, and the real client sees a failed build."""
    control = Control(simulator)
    first = deploy(simulator, "acme-ivr-fails")
    assert first[0] == 0, first[2]
    control.new_build(first[1]["serviceSid"], final_status="failed", ready_in=0.5)
    control.clear()
    code, dummy, stderr = deploy(simulator, "acme-ivr-fails")
    assert code == 1 and "failed" in stderr
    log = control.log()
    build = [e for e in log if e["route"] == "create_build"]
    assert [e["status"] for e in build] == [201]
    # The toolkit's function and asset resources were found by friendly name and reused, not created again.
    assert not [e for e in log if e["route"] in ("create_function", "create_asset")]
    assert not [e for e in log if e["route"] == "create_deployment"]


def test_the_toolkit_gives_up_on_an_upload_after_a_429(simulator):
    """What the pinned toolkit does with one 429 on an upload (serverless_build sends the bytes again): it
    does not re-send that upload, the deploy fails, and no build is made. A fact about the peer that the
    user guide's comparison may quote; if a new toolkit version retries, this test says so."""
    control = Control(simulator)
    control.fault("create_asset_version", {"status": 429, "retry_after": 0})
    code, dummy, stderr = deploy(simulator, "acme-ivr-429")
    assert code == 1 and "Failed to upload Asset" in stderr
    log = control.log()
    uploads = [e for e in log if e["route"] == "create_asset_version"]
    refused = [e for e in uploads if e["status"] == 429]
    assert len(refused) == 1
    assert not [e for e in uploads if e["path"] == refused[0]["path"] and e["status"] == 201]
    assert not [e for e in log if e["route"] == "create_build"]
