# SPDX-License-Identifier: GPL-3.0-or-later
"""Every route of the simulator that writes, answered as the spec says, in each mode of its variants layer.

The crawl (test_spec_crawl.py) reaches the reads; this script makes one service and everything in it through the
write routes, as a client would, and judges each answer as the crawl does (conformance.py: openapi-core, the
example's keys, enum values in any case, and in the spec mode in the example's case). The uploads are not in the
description (Twilio serves them from another host): their answers are judged as the Version their ``url`` names.
A write route of the simulator's table that the script does not reach fails the test, so a new one is added here.
"""

import pytest
import requests
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from twilio_sim.resources import ROUTE_TABLE

from ..conftest import ACCOUNT, TOKEN
from .conformance import OPENAPI, SPEC_HOST, operation, problems, record_problems

MODES = [("spec", 0), ("variants", 1), ("variants", 2), ("variants", 3)]


class Client:
    """Requests to the simulator, each answer judged; ``found`` gathers what is wrong."""

    def __init__(self, sim, mode):
        self.sim, self.mode, self.found = sim, mode, []

    def send(self, method, path, status, data=None, files=None):
        response = requests.request(method, self.sim.url + path, data=data, files=files, auth=(ACCOUNT, TOKEN),
                                    timeout=10)
        assert response.status_code == status, "%s %s: %d %s" % (method, path, response.status_code, response.text)
        body = response.json() if response.content else None
        spec_url = response.request.url.replace(self.sim.url, SPEC_HOST)
        if operation(method, spec_url)[1] is None:
            # An upload: not in the description; its answer is the Version its url names.
            self.found.extend(record_problems(body, self.mode, "%s %s" % (method, path)))
            return body
        spec_request = requests.Request(method, spec_url, headers=dict(response.request.headers), data=data).prepare()
        try:
            OPENAPI[self.mode].validate_request(RequestsOpenAPIRequest(spec_request))
            OPENAPI[self.mode].validate_response(RequestsOpenAPIRequest(spec_request),
                                                 RequestsOpenAPIResponse(response))
        except Exception as err:  # pylint: disable=broad-except
            self.found.append("%s %s: %s" % (method, path, err))
        if body is not None:
            self.found.extend(problems(method, spec_url, status, body, self.mode))
        return body

    def upload(self, service, kind, resource, path, content, content_type):
        return self.send("POST", "/v1/Services/%s/%s/%s/Versions" % (service, kind, resource), 201,
                         data={"Path": path, "Visibility": "protected"},
                         files={"Content": (path.rsplit("/", 1)[-1], content, content_type)})


@pytest.mark.parametrize("mode, seed", MODES, ids=["%s-%d" % m for m in MODES])
def test_every_route_that_writes_matches_the_spec(fresh_sim, mode, seed):
    fresh_sim.variants(mode, seed)
    client = Client(fresh_sim, mode)
    service = client.send("POST", "/v1/Services", 201, {"UniqueName": "writes-app", "FriendlyName": "Writes"})["sid"]
    fresh_sim.new_build(service, ready_in=0)
    base = "/v1/Services/%s" % service
    client.send("POST", base, 200, {"FriendlyName": "Writes, renamed", "UiEditable": "true"})
    function = client.send("POST", base + "/Functions", 201, {"FriendlyName": "/hello"})["sid"]
    asset = client.send("POST", base + "/Assets", 201, {"FriendlyName": "/logo.png"})["sid"]
    function_version = client.upload(service, "Functions", function, "/hello", b"exports.handler = () => {};\n",
                                     "application/javascript")["sid"]
    asset_version = client.upload(service, "Assets", asset, "/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")["sid"]
    form = {"FunctionVersions": [function_version], "AssetVersions": [asset_version], "Runtime": "node22",
            "Dependencies": '[{"name": "lodash", "version": "^4.17.21"}]'}
    build = client.send("POST", base + "/Builds", 201, form)["sid"]
    other = client.send("POST", base + "/Builds", 201, form)["sid"]
    environment = client.send("POST", base + "/Environments", 201,
                              {"UniqueName": "staging", "DomainSuffix": "stage"})["sid"]
    client.send("POST", base + "/Environments/%s/Deployments" % environment, 201, {"BuildSid": build})
    variables = base + "/Environments/%s/Variables" % environment
    variable = client.send("POST", variables, 201, {"Key": "GREETING", "Value": "hello"})["sid"]
    client.send("POST", "%s/%s" % (variables, variable), 200, {"Value": "bonjour"})
    client.send("DELETE", "%s/%s" % (variables, variable), 204)
    client.send("DELETE", base + "/Builds/%s" % other, 204)
    client.send("DELETE", base + "/Environments/%s" % environment, 204)
    client.send("DELETE", base, 204)

    assert client.found == [], "\n".join(client.found)
    writes = set(route for (method, dummy), (route, dummy2) in ROUTE_TABLE.items() if method != "GET")
    reached = set(entry["route"] for entry in fresh_sim.log())
    assert writes - reached == set(), "write routes this script does not reach: give each a request here"
    if mode == "variants":
        assert any(entry.get("variants") for entry in fresh_sim.log() if entry["method"] == "POST")
