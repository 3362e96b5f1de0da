# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_build on a Service the Twilio toolkit deployed (`make toolkit-test`).

The toolkit deploys docs/examples/project to the simulator; serverless_build then builds the same folder with
``environment: dev`` (the toolkit's "dev-environment", found by its domain suffix). The toolkit's Functions and
Assets are found by name, so no resource is created twice; its functions are reused by content (no project
function is uploaded again); its assets are uploaded once (it left no manifest); and a re-run uploads and
builds nothing. Counts come from the simulator's request log.

Twice: with the simulator answering as the spec's examples, and in its variants mode (twilio_sim/variants.py:
case, nulls, paths without their slash, unknown fields, drawn from VARIANTS_SEED). In the variants mode the
toolkit deploys with statuses in lower case: it waits for ``status === 'completed'``, as Twilio's live API
answers (tests/fixtures/twilio/SOURCES.md), so an upper-case status would keep it waiting; serverless_build
then meets every variant.
"""

import copy
import os
import sys

import pytest

from test_toolkit_deploy import PROJECT, ROOT, UPLOADS, deploy, simulator  # noqa: F401  pylint: disable=unused-import
from twilio_sim.control import Control
from twilio_sim.launcher import credentials

# The installed collection (make install), as the unit tests import it.
sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.deployments import deploy_build
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    find_environment,
    list_environments,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build  # noqa: E402

MANIFEST = "/_ansible_build_manifest"
VARIANTS_SEED = 23


class Module:
    def __init__(self, params):
        self.params = params
        self.check_mode = False
        self._diff = False
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


def build(url, service):
    account = credentials()
    client = TwilioClient(connection_from_params({"account_sid": account["account_sid"],
                                                  "auth_token": account["auth_token"], "base_url": url}))
    params = dict(service=service, source=PROJECT, functions_dir=None, assets_dir=None, runtime="node22",
                  dependencies=None, environment="dev", wait=True, timeout=60.0, poll_interval=0.2,
                  max_poll_interval=1.0, prediction=False, fail_on_failed=True, upload_base_url=None,
                  base_url=url, region=None, edge=None)
    result = dict(copy.deepcopy(serverless_build.BLANK_RESULT), changed=False)
    try:
        return serverless_build.run(Module(params), client, result)
    finally:
        client.close()


def deploy_to_dev(url, service_sid, build_sid):
    account = credentials()
    client = TwilioClient(connection_from_params({"account_sid": account["account_sid"],
                                                  "auth_token": account["auth_token"], "base_url": url}))
    try:
        target = find_environment(list_environments(client, service_sid), "dev", service_sid)
        deploy_build(client, service_sid, target["sid"], build_sid, "dev")
    finally:
        client.close()


def upload_paths(log):
    return sorted([p["value"] for p in e["multipart"]["parts"] if p["name"] == "Path"][0]
                  for e in log if e["route"] in UPLOADS)


@pytest.mark.parametrize("answers", ["spec", "variants"])
def test_build_after_the_toolkit_reuploads_no_function(simulator, answers):  # noqa: F811  pylint: disable=redefined-outer-name
    control = Control(simulator)
    if answers == "variants":
        control.variants("variants", VARIANTS_SEED, pin={"status": "lower"})
    code, deployed, stderr = deploy(simulator, "acme-ivr")
    assert code == 0, stderr
    if answers == "variants":
        # The toolkit's reads, too, came with unknown fields, nulls and visibility in any case.
        assert [e for e in control.log() if e["method"] == "GET" and e.get("variants")]
        control.variants("variants", VARIANTS_SEED)
    control.clear()
    result = build(simulator, "acme-ivr")
    log = control.log()
    if answers == "variants":
        given = set(v.split("=")[0] for e in log for v in e.get("variants", ()))
        # serverless_build met the variants that decide reuse.
        assert {"build_visibility", "path", "status", "unknown"} <= given, given
    functions = sorted(f["path"] for f in result["files"] if f["kind"] == "function")
    assets = sorted(f["path"] for f in result["files"] if f["kind"] == "asset")
    # Only the manifest among the functions; each asset once.
    assert upload_paths(log) == sorted([MANIFEST] + assets)
    assert all(f["action"] == "reused" for f in result["files"] if f["kind"] == "function") and functions
    # The toolkit's resources were found by name: only the manifest's Function was created.
    created = [e for e in log if e["route"] in ("create_function", "create_asset")]
    assert [e["form"]["FriendlyName"] for e in created] == [MANIFEST]
    assert [e["status"] for e in log if e["route"] == "create_build"] == [201]
    assert result["changed"] is True and result["status"] == "completed"
    assert result["build_sid"] != deployed["buildSid"]

    # Made live in dev, the next run changes nothing: no write, a handful of reads.
    deploy_to_dev(simulator, result["service_sid"], result["build_sid"])
    control.clear()
    again = build(simulator, "acme-ivr")
    log = control.log()
    assert again["changed"] is False and again["build_sid"] == result["build_sid"]
    assert [e for e in log if e["method"] != "GET"] == [] and len(log) <= 5
