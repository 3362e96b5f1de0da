# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's uploads (a strict multipart parser, exact bytes, sizes) and CreateBuild checks, scripted
build outcomes, and faults on both: what serverless_build is tested against."""

import hashlib
import time

import pytest
import requests

from twilio_sim import multipart

from ..conftest import ACCOUNT, TOKEN
from .test_spec_conformance import upload

AUTH = (ACCOUNT, TOKEN)
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\n\r\n\x00end\r\n--not-a-boundary\r\n"


def new_service(sim, name="source-app"):
    response = requests.post(sim.url + "/v1/Services", data={"UniqueName": name, "FriendlyName": name}, auth=AUTH,
                             timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["sid"]


def new_resource(sim, service, kind, name):
    return requests.post(sim.url + "/v1/Services/%s/%s" % (service, kind), data={"FriendlyName": name}, auth=AUTH,
                         timeout=10).json()["sid"]


def raw_post(sim, path, body, content_type):
    return requests.post(sim.url + path, data=body, headers={"Content-Type": content_type}, auth=AUTH, timeout=10)


def form(*parts, boundary="b0undary"):
    """A multipart body from (headers, data) pairs, framed by hand so a test can get any of it wrong."""
    body = b""
    for headers, data in parts:
        body += b"--" + boundary.encode() + b"\r\n" + "".join(h + "\r\n" for h in headers).encode() + b"\r\n"
        body += data + b"\r\n"
    return body + b"--" + boundary.encode() + b"--\r\n", "multipart/form-data; boundary=" + boundary


PATH = (['Content-Disposition: form-data; name="Path"'], b"/logo.png")
VISIBILITY = (['Content-Disposition: form-data; name="Visibility"'], b"public")
CONTENT = (['Content-Disposition: form-data; name="Content"; filename="logo.png"', "Content-Type: image/png"], BINARY)


def test_an_upload_keeps_every_byte(fresh_sim):
    service = new_service(fresh_sim)
    asset = new_resource(fresh_sim, service, "Assets", "/logo.png")
    body, content_type = form(PATH, VISIBILITY, CONTENT)
    response = raw_post(fresh_sim, "/v1/Services/%s/Assets/%s/Versions" % (service, asset), body, content_type)
    assert response.status_code == 201, response.text
    version = fresh_sim.server.store.services[service].versions[response.json()["sid"]]
    assert version.content == BINARY and version.content_type == "image/png" and version.filename == "logo.png"
    entry = fresh_sim.log()[-1]
    assert entry["multipart"]["sha256"] == hashlib.sha256(BINARY).hexdigest()
    assert [p["name"] for p in entry["multipart"]["parts"]] == ["Path", "Visibility", "Content"]
    assert entry["multipart"]["template"].endswith('filename="logo.png"\r\nContent-Type: image/png\r\n\r\n'
                                                   '{Content}\r\n--{boundary}--\r\n')


def test_a_chunked_upload_is_read_whole(fresh_sim):
    service = new_service(fresh_sim)
    function = new_resource(fresh_sim, service, "Functions", "/hello")
    body, content_type = form((PATH[0], b"/hello"), VISIBILITY, (
        ['Content-Disposition: form-data; name="Content"; filename="hello"', "Content-Type: application/javascript"],
        b"exports.handler = 1;\r\n"))
    response = requests.post(fresh_sim.url + "/v1/Services/%s/Functions/%s/Versions" % (service, function),
                             data=iter([body[:10], body[10:]]), headers={"Content-Type": content_type}, auth=AUTH,
                             timeout=10)
    assert fresh_sim.log()[-1]["headers"].get("Transfer-Encoding") == "chunked"
    assert response.status_code == 201, response.text
    content = requests.get(response.json()["links"]["function_version_content"], auth=AUTH, timeout=10).json()
    assert content["content"] == "exports.handler = 1;\r\n"


@pytest.mark.parametrize("parts, message", [
    ((PATH, VISIBILITY), "Missing required part Content"),
    ((VISIBILITY, CONTENT), "Missing required part Path"),
    ((PATH, CONTENT), "Missing required part Visibility"),
    ((PATH, VISIBILITY, CONTENT, CONTENT), "The part Content is sent more than once"),
    ((PATH, VISIBILITY, CONTENT, (['Content-Disposition: form-data; name="Extra"'], b"x")), "Unknown part Extra"),
    ((PATH, (VISIBILITY[0], b"secret"), CONTENT), "Visibility must be one of public, protected, private"),
    ((PATH, VISIBILITY, (['Content-Disposition: form-data; name="Content"; filename="logo.png"'], BINARY)),
     "needs a filename and a Content-Type"),
    ((PATH, VISIBILITY, (['Content-Disposition: form-data; name="Content"'], BINARY)),
     "needs a filename and a Content-Type"),
    ((PATH, VISIBILITY, (CONTENT[0] + ["Content-Transfer-Encoding: base64"], b"iVBORw0KGgo=")),
     "Content-Transfer-Encoding is not accepted"),
    ((PATH, VISIBILITY, (['Content-Disposition: attachment; name="Content"; filename="x"', "Content-Type: a/b"],
                         b"x")), "without Content-Disposition: form-data"),
])
def test_a_malformed_upload_is_refused(fresh_sim, parts, message):
    service = new_service(fresh_sim)
    asset = new_resource(fresh_sim, service, "Assets", "/logo.png")
    body, content_type = form(*parts)
    response = raw_post(fresh_sim, "/v1/Services/%s/Assets/%s/Versions" % (service, asset), body, content_type)
    assert response.status_code == 400 and response.json()["code"] == 20001
    assert message in response.json()["message"]
    assert fresh_sim.server.store.services[service].versions == {}


@pytest.mark.parametrize("body, content_type, problem", [
    (b"Path=/x&Visibility=public", "application/x-www-form-urlencoded", "must be multipart/form-data"),
    (b"--b\r\n\r\nx\r\n--b--\r\n", "multipart/form-data", "without a valid boundary"),
    (b"--b\r\nContent-Disposition: form-data; name=\"Path\"\r\n\r\n/x\r\n--b", "multipart/form-data; boundary=b",
     "a boundary line followed by something other than CRLF"),
    (b"--b\r\nContent-Disposition: form-data; name=\"Path\"\r\n\r\n/x", "multipart/form-data; boundary=b",
     "does not end with the closing boundary"),
    (b"preamble--b\r\n", "multipart/form-data; boundary=b", "does not start with the boundary"),
    (b"--b\r\nContent-Disposition: form-data; name=\"Content\"; filename=\"caf\xe9\"\r\n\r\nx\r\n--b--\r\n",
     "multipart/form-data; boundary=b", "part headers that are not UTF-8"),
])
def test_the_parser_refuses_broken_framing(body, content_type, problem):
    with pytest.raises(multipart.MultipartError, match=problem):
        multipart.parse(body, content_type)


def test_the_template_is_byte_exact():
    body, content_type = form(PATH, VISIBILITY, CONTENT)
    parts = multipart.parse(body, content_type)
    template = multipart.template(body, content_type, parts)
    rebuilt = template.replace("{boundary}", "b0undary").encode("latin-1")
    for part in parts:
        rebuilt = rebuilt.replace(("{%s}" % part.name).encode(), part.data)
    assert rebuilt == body


@pytest.mark.parametrize("visibility, size, status", [
    ("private", 10 * 1024 * 1024, 201),
    ("private", 10 * 1024 * 1024 + 1, 413),
    ("public", 10 * 1024 * 1024 + 1, 201),
    ("protected", 25 * 1024 * 1024 + 1, 413),
])
def test_asset_sizes(fresh_sim, visibility, size, status):
    service = new_service(fresh_sim)
    asset = new_resource(fresh_sim, service, "Assets", "/big.bin")
    body, content_type = form((PATH[0], b"/big.bin"), (VISIBILITY[0], visibility.encode()), (
        ['Content-Disposition: form-data; name="Content"; filename="big.bin"',
         "Content-Type: application/octet-stream"], b"\0" * size))
    response = raw_post(fresh_sim, "/v1/Services/%s/Assets/%s/Versions" % (service, asset), body, content_type)
    assert response.status_code == status
    if status == 413:  # Twilio's answer: no JSON body
        assert not response.headers["Content-Type"].startswith("application/json")
        with pytest.raises(ValueError):
            response.json()


def build_of(sim, service, **form_data):
    return requests.post(sim.url + "/v1/Services/%s/Builds" % service, data=form_data, auth=AUTH, timeout=10)


def test_create_build_checks_its_versions(fresh_sim):
    service = new_service(fresh_sim)
    other = new_service(fresh_sim, "other-app")
    hello = upload(fresh_sim, service, "Functions", "/hello", b"exports.handler = 1;\n")
    again = upload(fresh_sim, service, "Functions", "/hello", b"exports.handler = 2;\n",
                   resource_sid=hello["function_sid"])
    logo = upload(fresh_sim, service, "Assets", "/logo.png", BINARY, content_type="image/png")
    elsewhere = upload(fresh_sim, other, "Functions", "/hello", b"exports.handler = 3;\n")
    for data, status, message in (
            ({"Runtime": "node22"}, 400, "At least one Function Version or Asset Version is required"),
            # Twilio reads repeated keys; "FunctionVersions[]" is another parameter.
            ({"FunctionVersions[]": [hello["sid"]]}, 400, "At least one Function Version or Asset Version"),
            ({"FunctionVersions": [elsewhere["sid"]]}, 400, "was not found in Service"),
            ({"FunctionVersions": [logo["sid"]]}, 400, "Function Version %s was not found" % logo["sid"]),
            ({"AssetVersions": [hello["sid"]]}, 400, "Asset Version %s was not found" % hello["sid"]),
            ({"FunctionVersions": [hello["sid"], again["sid"]]}, 400, "two versions with the path /hello"),
            ({"FunctionVersions": [hello["sid"], hello["sid"]]}, 400, "two versions with the path /hello"),
    ):
        response = build_of(fresh_sim, service, **data)
        assert response.status_code == status and message in response.json()["message"], (data, response.text)
        assert response.json()["code"] == 20001
    response = build_of(fresh_sim, service, FunctionVersions=[again["sid"]], AssetVersions=[logo["sid"]],
                        Runtime="node22")
    assert response.status_code == 201, response.text
    build = response.json()
    assert [v["sid"] for v in build["function_versions"]] == [again["sid"]]
    assert [(v["sid"], v["asset_sid"], v["path"]) for v in build["asset_versions"]] == [
        (logo["sid"], logo["asset_sid"], "/logo.png")]
    assert fresh_sim.log()[-1]["form"]["FunctionVersions"] == again["sid"]


@pytest.mark.parametrize("dependencies, expected", [
    (None, [("twilio", "5.3.5"), ("@twilio/runtime-handler", "2.1.0")]),
    ("[]", [("twilio", "5.3.5"), ("@twilio/runtime-handler", "2.1.0")]),
    ('[{"name": "lodash", "version": "^4.17.21"}]',
     [("lodash", "^4.17.21"), ("twilio", "5.3.5"), ("@twilio/runtime-handler", "2.1.0")]),
    ('[{"name": "twilio", "version": "4.23.0"}, {"name": "@twilio/runtime-handler", "version": "1.3.0"}]',
     [("twilio", "4.23.0"), ("@twilio/runtime-handler", "1.3.0")]),
    # The toolkit's form: the JSON array inside one more pair of double quotes.
    ('"[{"name":"lodash","version":"*"}]"',
     [("lodash", "*"), ("twilio", "5.3.5"), ("@twilio/runtime-handler", "2.1.0")]),
])
def test_create_build_adds_twilios_dependencies(fresh_sim, dependencies, expected):
    service = new_service(fresh_sim)
    hello = upload(fresh_sim, service, "Functions", "/hello", b"exports.handler = 1;\n")
    data = {"FunctionVersions": [hello["sid"]], "Runtime": "node22"}
    if dependencies is not None:
        data["Dependencies"] = dependencies
    response = build_of(fresh_sim, service, **data)
    assert response.status_code == 201, response.text
    assert [(d["name"], d["version"]) for d in response.json()["dependencies"]] == expected


@pytest.mark.parametrize("data, message, code", [
    ({"Dependencies": '{"lodash": "1"}'}, "Dependencies must be a JSON array", 20001),
    ({"Dependencies": "lodash@1"}, "Dependencies must be a JSON array", 20001),
    ({"Dependencies": '[{"name": "lodash"}]'}, "Dependencies must be a JSON array", 20001),
    ({"Dependencies": '[{"name": "a", "version": "1"}, {"name": "a", "version": "2"}]'}, "name a twice", 20001),
    ({"Dependencies": '[{"name": "@twilio/runtime-handler", "version": "^2.0.1"}]'}, "must be an exact version",
     20001),
    ({"Runtime": "22"}, "Invalid Runtime '22'", 20001),
    ({"Runtime": "node16"}, "Invalid Runtime 'node16'", 20001),
])
def test_create_build_refuses(fresh_sim, data, message, code):
    service = new_service(fresh_sim)
    hello = upload(fresh_sim, service, "Functions", "/hello", b"exports.handler = 1;\n")
    response = build_of(fresh_sim, service, FunctionVersions=[hello["sid"]], **data)
    assert response.status_code == 400 and message in response.json()["message"]
    assert response.json()["code"] == code
    assert fresh_sim.server.store.services[service].builds == []


def test_an_omitted_runtime_reuses_the_last_successful_build(fresh_sim):
    service = new_service(fresh_sim)
    hello = upload(fresh_sim, service, "Functions", "/hello", b"exports.handler = 1;\n")
    assert build_of(fresh_sim, service, FunctionVersions=[hello["sid"]]).json()["runtime"] == "node22"
    fresh_sim.builds(service, {"runtime": "node20"}, {"runtime": "node24", "final_status": "failed"})
    assert build_of(fresh_sim, service, FunctionVersions=[hello["sid"]]).json()["runtime"] == "node20"
    fresh_sim.builds(service, {"runtime": "node18"})  # retired: 82007
    response = build_of(fresh_sim, service, FunctionVersions=[hello["sid"]])
    assert response.status_code == 400 and response.json()["code"] == 82007


def test_a_build_fails_when_told_to(fresh_sim):
    service = new_service(fresh_sim)
    hello = upload(fresh_sim, service, "Functions", "/hello", b"exports.handler = 1;\n")
    fresh_sim.new_build(service, ready_in=0.2, final_status="failed")
    failed = build_of(fresh_sim, service, FunctionVersions=[hello["sid"]]).json()
    fresh_sim.new_build(service, final_status="completed", fail_dependencies=["left-pad"])
    completed = build_of(fresh_sim, service, FunctionVersions=[hello["sid"]]).json()
    broken = build_of(fresh_sim, service, FunctionVersions=[hello["sid"]],
                      Dependencies='[{"name": "left-pad", "version": "1.0.0"}]').json()
    time.sleep(0.3)
    statuses = [requests.get(b["links"]["build_status"], auth=AUTH, timeout=10).json()["status"]
                for b in (failed, completed, broken)]
    assert statuses == ["failed", "completed", "failed"]


@pytest.mark.parametrize("route", ["create_asset_version", "create_build"])
@pytest.mark.parametrize("fault", [{"commit": True, "status": 503}, {"commit": True, "drop": True}])
def test_commit_then_fail(fresh_sim, route, fault):
    """The ambiguous write: the upload or build is made, then the answer is a 503 or nothing."""
    service = new_service(fresh_sim)
    logo = upload(fresh_sim, service, "Assets", "/logo.png", BINARY, content_type="image/png")
    store = fresh_sim.server.store.services[service]
    fresh_sim.fault(route, fault)
    before = (len(store.versions), len(store.builds))
    try:
        if route == "create_build":
            response = build_of(fresh_sim, service, AssetVersions=[logo["sid"]])
        else:
            body, content_type = form(PATH, VISIBILITY, CONTENT)
            response = raw_post(fresh_sim, "/v1/Services/%s/Assets/%s/Versions" % (service, logo["asset_sid"]), body,
                                content_type)
        status = response.status_code
    except requests.ConnectionError:
        status = "dropped"
    assert status == (503 if "status" in fault else "dropped")
    after = (len(store.versions), len(store.builds))
    assert after == (before[0] + (route != "create_build"), before[1] + (route == "create_build"))
    assert fresh_sim.log()[-1]["route"] == route


def test_the_uploads_group_takes_faults_for_either_upload(fresh_sim):
    """``uploads`` is one queue for both upload routes: faults meet uploads in the order they arrive."""
    service = new_service(fresh_sim)
    function = new_resource(fresh_sim, service, "Functions", "/f")
    asset = new_resource(fresh_sim, service, "Assets", "/logo.png")
    fresh_sim.fault("uploads", {"status": 503, "times": 2})
    fresh_sim.fault("create_asset_version", {"status": 502})  # a route's own queue comes first
    body, content_type = form(PATH, VISIBILITY, CONTENT)
    statuses = [raw_post(fresh_sim, "/v1/Services/%s/%s/Versions" % (service, path), body, content_type).status_code
                for path in ("Assets/" + asset, "Functions/" + function, "Assets/" + asset, "Functions/" + function)]
    assert statuses == [502, 503, 503, 201]
    assert requests.get(fresh_sim.url + "/v1/Services/%s/Builds" % service, auth=AUTH, timeout=10).status_code == 200
    log = fresh_sim.log()
    assert [e["route"] for e in log[-5:-1]] == ["create_asset_version", "create_function_version"] * 2
    assert all(e["bytes"] == len(body) and e["answered"] >= e["time"] for e in log[-5:-1])
    assert log[-1]["bytes"] == 0


def test_a_fault_before_the_upload_stores_nothing(fresh_sim):
    service = new_service(fresh_sim)
    asset = new_resource(fresh_sim, service, "Assets", "/logo.png")
    fresh_sim.fault("create_asset_version", {"status": 429, "retry_after": 0})
    body, content_type = form(PATH, VISIBILITY, CONTENT)
    response = raw_post(fresh_sim, "/v1/Services/%s/Assets/%s/Versions" % (service, asset), body, content_type)
    assert response.status_code == 429 and fresh_sim.server.store.services[service].versions == {}
    again = raw_post(fresh_sim, "/v1/Services/%s/Assets/%s/Versions" % (service, asset), body, content_type)
    assert again.status_code == 201


def test_services_are_per_account_and_unique(fresh_sim):
    new_service(fresh_sim, "twice")
    response = requests.post(fresh_sim.url + "/v1/Services", data={"UniqueName": "twice", "FriendlyName": "x"},
                             auth=AUTH, timeout=10)
    assert response.status_code == 400 and "already exists" in response.json()["message"]
    response = requests.post(fresh_sim.url + "/v1/Services", data={"FriendlyName": "x"}, auth=AUTH, timeout=10)
    assert response.status_code == 400 and "UniqueName" in response.json()["message"]
    # A new service has no Functions or Assets (a seeded one has the two its seeded builds show).
    service = new_service(fresh_sim, "empty")
    for kind in ("Functions", "Assets"):
        listing = requests.get(fresh_sim.url + "/v1/Services/%s/%s" % (service, kind), auth=AUTH, timeout=10).json()
        assert listing[kind.lower()] == [] and listing["meta"]["key"] == kind.lower()


def test_seeded_builds_show_versions_that_exist(sim):
    """A seeded build's versions can be read back, as serverless_build reads a reference build's."""
    from ..conftest import SMALL
    build = requests.get(sim.url + "/v1/Services/%s/Builds/ZB00000000000000000000000000000001" % SMALL, auth=AUTH,
                         timeout=10).json()
    function = build["function_versions"][0]
    content = requests.get(sim.url + "/v1/Services/%s/Functions/%s/Versions/%s/Content" % (
        SMALL, function["function_sid"], function["sid"]), auth=AUTH, timeout=10)
    assert content.status_code == 200 and content.json()["content"].startswith("exports.handler")
    asset = build["asset_versions"][0]
    version = requests.get(sim.url + "/v1/Services/%s/Assets/%s/Versions/%s" % (
        SMALL, asset["asset_sid"], asset["sid"]), auth=AUTH, timeout=10)
    assert version.status_code == 200 and version.json()["path"] == "/styles.css"
