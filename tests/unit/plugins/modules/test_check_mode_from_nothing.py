# SPDX-License-Identifier: GPL-3.0-or-later
"""Check mode from nothing: every module that writes, and the wait, run in check mode on a Service or an
Environment that does not exist yet (as when an earlier task of the same check-mode run would create it). Each
reports what it would make and does not fail; what needs the SIDs that do not exist yet is skipped with a
warning that says so. Out of check mode the same call still fails naming what is missing. Judged by the
simulator's log: no write."""

import os

import pytest

from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build as build
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_wait as wait
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_deployment as deployment
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_environment as environment
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_service as service
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_variables as variables

from ...conftest import ACCOUNT, TOKEN

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
PROJECT = os.path.join(ROOT, "docs", "examples", "project")
WRITES = ("POST", "DELETE")
SECRET = "check-mode-secret-51ac"
# release-app exists in the seed, with environments production and stage-environment; new-app does not.
NEW_SERVICE = "new-app"
LIVE_BUILD = "ZB" + "0" * 32


@pytest.fixture
def run(sim, run_main):
    def call(module, check_mode=True, **args):
        args = dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url, retries=2, **args)
        if check_mode:
            args["_ansible_check_mode"] = True
            args["_ansible_diff"] = True
        sim.server.clear_log()
        result = run_main(module, args)
        assert [e for e in sim.log() if e["method"] in WRITES] == []
        assert SECRET not in repr(result)
        return result
    return call


def said(result, *parts):
    """The result's one warning starts with 'check mode: ' and names each of ``parts``."""
    # ansible-core 2.19 and later return each warning as a dict.
    texts = [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]
    found = [w for w in texts if w.startswith("check mode: ")]
    assert len(found) == 1, result.get("warnings")
    for part in parts:
        assert part in found[0], found[0]
    return found[0]


@pytest.mark.parametrize("service_name, missing", [(NEW_SERVICE, "service new-app"),
                                                   ("release-app", "environment preview")])
def test_each_writer_plans_on_what_does_not_exist_yet(run, service_name, missing):
    if service_name == NEW_SERVICE:
        made = run(service, name=NEW_SERVICE)
        assert made["changed"] is True and made["service_sid"] is None and "failed" not in made
        env = run(environment, service=NEW_SERVICE, name="preview", domain_suffix="pre")
        said(env, missing, "environment preview would be created")
        assert env["changed"] is True and env["environment"] == {"unique_name": "preview", "domain_suffix": "pre"}
        assert env["diff"]["before"] == {} and env["diff"]["after"]["unique_name"] == "preview"
    variables_set = run(variables, service=service_name, environment="preview", variables={"API_TOKEN": SECRET})
    said(variables_set, missing, "its variables would be set")
    assert variables_set["changed"] is True and variables_set["environment_sid"] is None
    assert variables_set["variables"]["added"] == ["API_TOKEN"] and "failed" not in variables_set

    built = run(build, service=service_name, source=PROJECT, environment="preview")
    said(built, missing, "every file would be uploaded")
    assert built["changed"] is True and built["build_sid"] is None and "failed" not in built
    assert built["files"] and set(f["action"] for f in built["files"]) == {"uploaded"}

    deployed = run(deployment, service=service_name, environment="preview", build=LIVE_BUILD)
    said(deployed, missing, "build %s would be made live in environment preview" % LIVE_BUILD)
    assert deployed["changed"] is True and deployed["build_sid"] == LIVE_BUILD and "failed" not in deployed
    assert deployed["environment"] == {"unique_name": "preview"}

    rolled = run(deployment, service=service_name, environment="preview", rollback=True)
    said(rolled, missing, "no deployment to roll back")
    assert rolled["changed"] is False and "failed" not in rolled


def test_promotion_to_a_new_environment_names_the_build_of_the_source(run):
    deployed = run(deployment, service="release-app", environment="preview", from_environment="production")
    assert deployed["changed"] is True and deployed["build_sid"].startswith("ZB")
    said(deployed, "environment preview", "build %s would be made live" % deployed["build_sid"])
    unknown = run(deployment, service=NEW_SERVICE, environment="preview", from_environment="staging")
    said(unknown, "build of environment staging would be made live in environment preview")
    assert unknown["changed"] is True and unknown["build_sid"] is None


def test_the_wait_and_pruning_skip_a_service_that_does_not_exist_yet(run):
    waited = run(wait, service=NEW_SERVICE, latest=True)
    said(waited, "service new-app", "the wait was skipped")
    assert waited["status"] is None and waited["changed"] is False and "failed" not in waited
    pruned = run(build, service=NEW_SERVICE, state="absent", keep=1)
    assert pruned["changed"] is False and pruned["builds"] == [] and "failed" not in pruned


@pytest.mark.parametrize("module, args", [
    (environment, dict(service=NEW_SERVICE, name="preview")),
    (variables, dict(service=NEW_SERVICE, environment="preview", variables={"A": "b"})),
    (variables, dict(service="release-app", environment="preview", variables={"A": "b"})),
    (build, dict(service=NEW_SERVICE, source=PROJECT)),
    (deployment, dict(service="release-app", environment="preview", build=LIVE_BUILD)),
    (wait, dict(service=NEW_SERVICE, latest=True)),
])
def test_out_of_check_mode_what_is_missing_still_fails(run, module, args):
    result = run(module, check_mode=False, **args)
    assert result.get("failed") is True and ("new-app" in result["msg"] or "preview" in result["msg"])


def test_a_sid_that_does_not_exist_is_not_taken_for_a_service_yet_to_be_made(run):
    result = run(variables, service="ZS" + "9" * 32, environment="preview", variables={"A": "b"})
    assert result.get("failed") is True
