# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's answers validated against Twilio's OpenAPI description with openapi-core."""

import pytest
import requests
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from ..conftest import ACCOUNT, BIG, SMALL, SPEC, TOKEN

SPEC_HOST = "https://serverless.twilio.com"


@pytest.fixture(scope="module")
def openapi():
    return OpenAPI.from_file_path(SPEC)


def fetch(sim, path, **params):
    return send(sim, "GET", path, params=params)


def send(sim, method, path, params=None, data=None):
    response = requests.request(method, sim.url + path, params=params, data=data, auth=(ACCOUNT, TOKEN), timeout=10)
    # The spec names Twilio's host as its server; the path, query and body are what count.
    spec_request = requests.Request(method, response.request.url.replace(sim.url, SPEC_HOST),
                                    headers=dict(response.request.headers), data=data).prepare()
    return response, RequestsOpenAPIRequest(spec_request), RequestsOpenAPIResponse(response)


RELEASE = "ZS77777777777777777777777777777777"


def upload(sim, service, kind, path, content, visibility="public", content_type="application/javascript",
           resource_sid=None):
    """Upload one version of the Function or Asset ``resource_sid`` (else a new one named ``path``), as the
    toolkit does; return the version's JSON."""
    if resource_sid is None:
        resource_sid = requests.post(sim.url + "/v1/Services/%s/%s" % (service, kind), data={"FriendlyName": path},
                                     auth=(ACCOUNT, TOKEN), timeout=10).json()["sid"]
    response = requests.post(sim.url + "/v1/Services/%s/%s/%s/Versions" % (service, kind, resource_sid),
                             data={"Path": path, "Visibility": visibility},
                             files={"Content": (path.rsplit("/", 1)[-1], content, content_type)},
                             auth=(ACCOUNT, TOKEN), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def environment_sid(sim, name):
    service = sim.server.store.services[RELEASE]
    return [e.sid for e in service.environments if e.unique_name == name][0]


@pytest.mark.parametrize("path, params", [
    ("/v1/Services", {}),
    ("/v1/Services/%s" % SMALL, {}),
    ("/v1/Services/small-app", {}),
    ("/v1/Services/%s/Builds" % SMALL, {}),
    ("/v1/Services/%s/Builds" % BIG, {"PageSize": 1000}),
    ("/v1/Services/%s/Builds" % BIG, {"PageSize": 7, "Page": 3}),
    ("/v1/Services/%s/Builds/ZB00000000000000000000000000000002" % SMALL, {}),
    ("/v1/Services/%s/Builds/ZB00000000000000000000000000000002/Status" % SMALL, {}),
])
def test_responses_match_spec(sim, openapi, path, params):
    response, spec_request, spec_response = fetch(sim, path, **params)
    assert response.status_code == 200
    openapi.validate_request(spec_request)
    openapi.validate_response(spec_request, spec_response)


@pytest.mark.parametrize("path", [
    "/v1/Services/%s/Environments" % RELEASE,
    "/v1/Services/%s/Environments/{production}" % RELEASE,
    "/v1/Services/%s/Environments/{stage-environment}/Deployments" % RELEASE,
    "/v1/Services/%s/Environments/{stage-environment}/Deployments/{deployment}" % RELEASE,
    "/v1/Services/%s/Environments/{dev-environment}" % RELEASE,
])
def test_environment_responses_match_spec(sim, openapi, path):
    service = sim.server.store.services[RELEASE]
    stage = [e for e in service.environments if e.unique_name == "stage-environment"][0]
    path = path.replace("{deployment}", stage.deployments[0].sid)
    for env in service.environments:
        path = path.replace("{%s}" % env.unique_name, env.sid)
    response, spec_request, spec_response = fetch(sim, path)
    assert response.status_code == 200
    openapi.validate_request(spec_request)
    openapi.validate_response(spec_request, spec_response)


@pytest.mark.parametrize("schema, path", [
    ("serverless.v1.service.build", "/v1/Services/%s/Builds/ZB00000000000000000000000000000001" % SMALL),
    ("serverless.v1.service.environment", "/v1/Services/%s/Environments/{production}" % RELEASE),
])
def test_every_field_of_the_spec(sim, schema, path):
    import json
    with open(SPEC, encoding="utf-8") as handle:
        properties = json.load(handle)["components"]["schemas"][schema]["properties"]
    path = path.replace("{production}", environment_sid(sim, "production")) if "{" in path else path
    assert set(fetch(sim, path)[0].json()) == set(properties)


def test_creates_match_spec(sim, openapi):
    """POST a build, an environment and a deployment, each request and answer validated."""
    import time
    # Building until the test ends it below, however long the validation takes on a slow machine.
    sim.server.store.services[RELEASE].new_build["ready_in"] = 3600
    version = upload(sim, RELEASE, "Functions", "/conformance", b"exports.handler = () => {};\n")
    response, spec_request, spec_response = send(sim, "POST", "/v1/Services/%s/Builds" % RELEASE,
                                                 data={"Runtime": "node22", "Dependencies": "[]",
                                                       "FunctionVersions": [version["sid"]]})
    assert response.status_code == 201 and response.json()["status"] == "building"
    openapi.validate_request(spec_request)
    openapi.validate_response(spec_request, spec_response)
    build_sid = response.json()["sid"]
    response, spec_request, spec_response = send(sim, "POST", "/v1/Services/%s/Environments" % RELEASE,
                                                 data={"UniqueName": "conformance", "DomainSuffix": "conf"})
    assert response.status_code == 201 and response.json()["build_sid"] is None
    openapi.validate_request(spec_request)
    openapi.validate_response(spec_request, spec_response)
    env_sid = response.json()["sid"]
    deployments = "/v1/Services/%s/Environments/%s/Deployments" % (RELEASE, env_sid)
    assert send(sim, "POST", deployments, data={"BuildSid": build_sid})[0].status_code == 400  # still building
    sim.server.store.services[RELEASE].by_sid[build_sid].ready_at = time.time()
    response, spec_request, spec_response = send(sim, "POST", deployments, data={"BuildSid": build_sid})
    assert response.status_code == 201 and response.json()["build_sid"] == build_sid
    openapi.validate_request(spec_request)
    openapi.validate_response(spec_request, spec_response)
    assert fetch(sim, "/v1/Services/%s/Environments/%s" % (RELEASE, env_sid))[0].json()["build_sid"] == build_sid
    again = send(sim, "POST", deployments, data={"BuildSid": build_sid})[0]
    assert again.status_code == 409 and again.json()["code"] == 20409


def test_meta_links_are_absolute_and_walk_the_listing(sim):
    response = fetch(sim, "/v1/Services/%s/Builds" % BIG, PageSize=1000)[0]
    meta = response.json()["meta"]
    assert meta["key"] == "builds" and meta["page"] == 0 and meta["page_size"] == 1000
    assert meta["previous_page_url"] is None
    assert meta["first_page_url"] == sim.url + "/v1/Services/%s/Builds?PageSize=1000&Page=0" % BIG
    second = requests.get(meta["next_page_url"], auth=(ACCOUNT, TOKEN), timeout=10).json()
    assert second["meta"]["page"] == 1 and second["meta"]["previous_page_url"].startswith(sim.url)
    third = requests.get(second["meta"]["next_page_url"], auth=(ACCOUNT, TOKEN), timeout=10).json()
    assert len(third["builds"]) == 500 and third["meta"]["next_page_url"] is None


@pytest.mark.parametrize("path, status, code", [
    ("/v1/Services/nope/Builds", 404, 20404),
    ("/v1/Services/%s/Builds/ZB%s" % (SMALL, "f" * 32), 404, 20404),
    ("/v1/Services/ZS66666666666666666666666666666666", 404, 20404),  # another account's service
    ("/v1/Services/%s/Builds?PageSize=1001" % SMALL, 400, 20001),
    ("/v1/Services/%s/Builds?PageSize=0" % SMALL, 400, 20001),
])
def test_twilio_shaped_errors(sim, path, status, code):
    response = requests.get(sim.url + path, auth=(ACCOUNT, TOKEN), timeout=10)
    body = response.json()
    assert response.status_code == status and body["code"] == code and body["status"] == status
    assert body["more_info"] == "https://www.twilio.com/docs/errors/%d" % code
    assert response.headers["Twilio-Request-Id"].startswith("RQ")


def test_unauthenticated(sim):
    response = requests.get(sim.url + "/v1/Services", timeout=10)
    assert response.status_code == 401 and response.json()["code"] == 20003


def test_rate_limit_body(sim):
    sim.fault("services", {"status": 429, "retry_after": 2})
    response = requests.get(sim.url + "/v1/Services", auth=(ACCOUNT, TOKEN), timeout=10)
    assert response.status_code == 429 and response.json()["code"] == 20429
    assert response.headers["Retry-After"] == "2"


def test_build_moves_from_building_to_final(sim):
    import time
    sid, failed = sim.builds("small-app", {"ready_in": 0.5}, {"ready_in": 0.5, "final_status": "failed"})
    url = sim.url + "/v1/Services/%s/Builds/%s/Status" % (SMALL, sid)
    assert requests.get(url, auth=(ACCOUNT, TOKEN), timeout=10).json()["status"] == "building"
    time.sleep(0.6)
    assert requests.get(url, auth=(ACCOUNT, TOKEN), timeout=10).json()["status"] == "completed"
    url = sim.url + "/v1/Services/%s/Builds/%s" % (SMALL, failed)
    build = requests.get(url, auth=(ACCOUNT, TOKEN), timeout=10).json()
    assert build["status"] == "failed" and build["date_updated"] >= build["date_created"]


def test_request_log_records_connections_and_redacts_auth(sim):
    with requests.Session() as session:
        session.auth = (ACCOUNT, TOKEN)
        for dummy in range(3):
            session.get(sim.url + "/v1/Services", timeout=10)
    log = sim.log()
    assert len(log) == 3 and len({e["connection"] for e in log}) == 1
    assert all(TOKEN not in str(e) for e in log)
    assert log[0]["user"] == ACCOUNT


def test_simulator_refuses_non_loopback():
    from twilio_sim import SimulatorServer
    with pytest.raises(ValueError, match="loopback"):
        SimulatorServer(host="0.0.0.0")


def source_service(sim):
    """On a simulator of the test's own: a new service with one Function and one Asset, each with a version."""
    created = send(sim, "POST", "/v1/Services", data={"UniqueName": "source-app", "FriendlyName": "Source app"})[0]
    service = created.json()["sid"]
    function = upload(sim, service, "Functions", "/hello", b"exports.handler = (c, e, cb) => cb(null, 'hi');\n")
    asset = upload(sim, service, "Assets", "/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png")
    return service, function, asset


def test_source_routes_match_spec(fresh_sim, openapi):
    """Every route of the spec that serverless_build calls: each request and answer validated."""
    service, function, asset = source_service(fresh_sim)
    base = "/v1/Services/%s" % service
    paths = [
        base + "/Functions",
        base + "/Functions/%s" % function["function_sid"],
        base + "/Functions/%s/Versions" % function["function_sid"],
        base + "/Functions/%s/Versions/%s" % (function["function_sid"], function["sid"]),
        base + "/Functions/%s/Versions/%s/Content" % (function["function_sid"], function["sid"]),
        base + "/Assets",
        base + "/Assets/%s" % asset["asset_sid"],
        base + "/Assets/%s/Versions" % asset["asset_sid"],
        base + "/Assets/%s/Versions/%s" % (asset["asset_sid"], asset["sid"]),
    ]
    for path in paths:
        response, spec_request, spec_response = fetch(fresh_sim, path)
        assert response.status_code == 200, path
        openapi.validate_request(spec_request)
        openapi.validate_response(spec_request, spec_response)
    for kind, name in (("Functions", "/other"), ("Assets", "/other.css")):
        response, spec_request, spec_response = send(fresh_sim, "POST", base + "/" + kind, data={"FriendlyName": name})
        assert response.status_code == 201 and response.json()["friendly_name"] == name
        openapi.validate_request(spec_request)
        openapi.validate_response(spec_request, spec_response)
    response, spec_request, spec_response = send(fresh_sim, "POST", base + "/Builds", data={
        "FunctionVersions": [function["sid"]], "AssetVersions": [asset["sid"]], "Runtime": "node22",
        "Dependencies": '[{"name": "lodash", "version": "^4.17.21"}]'})
    assert response.status_code == 201
    openapi.validate_request(spec_request)
    openapi.validate_response(spec_request, spec_response)


def test_service_writes_match_spec(fresh_sim, openapi):
    response, spec_request, spec_response = send(fresh_sim, "POST", "/v1/Services", data={
        "UniqueName": "spec-app", "FriendlyName": "Spec app", "IncludeCredentials": "false"})
    assert response.status_code == 201 and response.json()["include_credentials"] is False
    openapi.validate_request(spec_request)
    openapi.validate_response(spec_request, spec_response)
    path = "/v1/Services/%s" % response.json()["sid"]
    response, spec_request, spec_response = send(fresh_sim, "POST", path, data={"FriendlyName": "Renamed",
                                                                                "UiEditable": "true"})
    assert response.status_code == 200 and response.json()["friendly_name"] == "Renamed"
    assert response.json()["ui_editable"] is True and response.json()["unique_name"] == "spec-app"
    openapi.validate_request(spec_request)
    openapi.validate_response(spec_request, spec_response)
    response, spec_request, spec_response = send(fresh_sim, "DELETE", path)
    assert response.status_code == 204 and response.content == b""
    openapi.validate_request(spec_request)
    openapi.validate_response(spec_request, spec_response)
    assert fetch(fresh_sim, path)[0].status_code == 404


@pytest.mark.parametrize("schema, make_path", [
    ("serverless.v1.service", lambda s, f, a: "/v1/Services/%s" % s),
    ("serverless.v1.service.function", lambda s, f, a: "/v1/Services/%s/Functions/%s" % (s, f["function_sid"])),
    ("serverless.v1.service.function.function_version",
     lambda s, f, a: "/v1/Services/%s/Functions/%s/Versions/%s" % (s, f["function_sid"], f["sid"])),
    ("serverless.v1.service.function.function_version.function_version_content",
     lambda s, f, a: "/v1/Services/%s/Functions/%s/Versions/%s/Content" % (s, f["function_sid"], f["sid"])),
    ("serverless.v1.service.asset", lambda s, f, a: "/v1/Services/%s/Assets/%s" % (s, a["asset_sid"])),
    ("serverless.v1.service.asset.asset_version",
     lambda s, f, a: "/v1/Services/%s/Assets/%s/Versions/%s" % (s, a["asset_sid"], a["sid"])),
])
def test_every_field_of_the_spec_for_sources(fresh_sim, schema, make_path):
    import json
    with open(SPEC, encoding="utf-8") as handle:
        properties = json.load(handle)["components"]["schemas"][schema]["properties"]
    service, function, asset = source_service(fresh_sim)
    assert set(fetch(fresh_sim, make_path(service, function, asset))[0].json()) == set(properties)


def test_the_upload_route_is_not_in_the_spec():
    """The simulator's docs say so: Twilio serves uploads from serverless-upload.twilio.com, which the
    description does not cover (its Versions paths take GET only)."""
    import json
    with open(SPEC, encoding="utf-8") as handle:
        paths = json.load(handle)["paths"]
    for kind in ("Functions/{FunctionSid}", "Assets/{AssetSid}"):
        assert "post" not in paths["/v1/Services/{ServiceSid}/%s/Versions" % kind]


def test_environment_delete_and_variables_match_spec(fresh_sim, openapi):
    """Every route serverless_environment and serverless_variables call: each request and answer validated."""
    import json
    base = "/v1/Services/%s/Environments" % RELEASE

    def checked(method, path, data=None, status=200):
        response, spec_request, spec_response = send(fresh_sim, method, path, data=data)
        assert response.status_code == status, response.text
        openapi.validate_request(spec_request)
        openapi.validate_response(spec_request, spec_response)
        return response

    env = checked("POST", base, {"UniqueName": "provisioned", "DomainSuffix": "prov"}, 201).json()
    assert env["domain_name"].endswith("-prov.twil.io") and env["build_sid"] is None
    variables = "%s/%s/Variables" % (base, env["sid"])
    created = checked("POST", variables, {"Key": "GREETING", "Value": "h\u00e9llo"}, 201).json()
    assert created["key"] == "GREETING" and created["value"] == "h\u00e9llo" and created["environment_sid"] == env["sid"]
    with open(SPEC, encoding="utf-8") as handle:
        properties = json.load(handle)["components"]["schemas"]["serverless.v1.service.environment.variable"][
            "properties"]
    assert set(created) == set(properties)
    listed = checked("GET", variables).json()
    assert [v["sid"] for v in listed["variables"]] == [created["sid"]] and listed["meta"]["key"] == "variables"
    one = "%s/%s" % (variables, created["sid"])
    assert checked("GET", one).json() == created
    updated = checked("POST", one, {"Value": "bonjour"}).json()
    assert updated["value"] == "bonjour" and updated["key"] == "GREETING" and updated["sid"] == created["sid"]
    checked("DELETE", one, status=204)
    assert fetch(fresh_sim, one)[0].status_code == 404
    assert checked("GET", variables).json()["variables"] == []
    checked("DELETE", "%s/%s" % (base, env["sid"]), status=204)
    assert fetch(fresh_sim, "%s/%s" % (base, env["sid"]))[0].status_code == 404


def test_variable_and_environment_checks_name_no_value(fresh_sim):
    base = "/v1/Services/%s/Environments" % RELEASE
    env = send(fresh_sim, "POST", base, data={"UniqueName": "checks", "DomainSuffix": "checks"})[0].json()
    assert send(fresh_sim, "POST", base, data={"UniqueName": "other", "DomainSuffix": "checks"})[0].status_code == 400
    assert send(fresh_sim, "POST", base, data={"UniqueName": "checks"})[0].status_code == 400
    assert send(fresh_sim, "POST", base, data={"UniqueName": "x", "DomainSuffix": "s" * 17})[0].status_code == 400
    variables = "%s/%s/Variables" % (base, env["sid"])
    big = send(fresh_sim, "POST", variables, data={"Key": "BIG", "Value": "\u00e9" * 226})[0]
    assert big.status_code == 400 and "BIG" in big.json()["message"] and "\u00e9" not in big.json()["message"]
    assert send(fresh_sim, "POST", variables, data={"Key": "K" * 129, "Value": "v"})[0].status_code == 400
    assert send(fresh_sim, "POST", variables, data={"Key": "ONE", "Value": "v"})[0].status_code == 201
    assert send(fresh_sim, "POST", variables, data={"Key": "ONE", "Value": "w"})[0].status_code == 400
    logged = [e for e in fresh_sim.log() if e["route"] == "create_variable"]
    assert logged and all(e["form"]["Value"].startswith("<redacted: ") for e in logged)


def test_build_delete_matches_spec_and_refuses_a_live_build(fresh_sim, openapi):
    """DeleteBuild: 204 as the description says; a build an environment runs is refused (409, 20409: the
    simulator's reading of Twilio's rule, the description gives no error answer) and stays."""
    base = "/v1/Services/%s/Builds" % RELEASE
    response, spec_request, spec_response = send(fresh_sim, "DELETE", base + "/ZB000000000000000000000000000000a3")
    assert response.status_code == 204 and response.content == b""
    openapi.validate_request(spec_request)
    openapi.validate_response(spec_request, spec_response)
    assert fetch(fresh_sim, base + "/ZB000000000000000000000000000000a3")[0].status_code == 404
    listed = [b["sid"] for b in fetch(fresh_sim, base)[0].json()["builds"]]
    assert "ZB000000000000000000000000000000a3" not in listed and len(listed) == 4
    refused = send(fresh_sim, "DELETE", base + "/ZB000000000000000000000000000000a2")[0]
    assert refused.status_code == 409 and refused.json()["code"] == 20409
    assert "stage-environment" in refused.json()["message"]
    assert fetch(fresh_sim, base + "/ZB000000000000000000000000000000a2")[0].status_code == 200
    gone = send(fresh_sim, "DELETE", base + "/ZB000000000000000000000000000000a3")[0]
    assert gone.status_code == 404 and gone.json()["code"] == 20404
