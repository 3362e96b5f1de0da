# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_build_info and serverless_build_wait through main() and a real AnsibleModule: what each outcome says.

The result's shape on every outcome (exactly the documented keys) is the contract test's to check, for every
module; these tests use its check and assert the values.
"""

import pytest

from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_info as info
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_wait as wait

from ...conftest import ACCOUNT, SMALL, TOKEN
from .test_contract import assert_exact_keys

DONE = "ZB00000000000000000000000000000001"
FAILED = "ZB00000000000000000000000000000002"


def warnings(result):
    """The warning texts; ansible-core 2.19 returns each as a summary object."""
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


def args(sim, **more):
    return dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url, **more)


def assert_shape(module, result, failed_from_api=False):
    assert_exact_keys(module.__name__.rsplit(".", 1)[1], result, failed_from_api)
    assert result["changed"] is False


class TestInfoMain:
    def test_success(self, sim, run_main):
        result = run_main(info, args(sim, service="small-app", sids=[DONE, FAILED], status=["failed"]))
        assert_shape(info, result)
        assert "failed" not in result and [b["sid"] for b in result["builds"]] == [FAILED]
        assert result["service_sid"] == SMALL
        assert result["stats"] == {"requests": 3, "pages": 0, "retries": 0}
        assert "warnings" not in result

    def test_bad_option(self, sim, run_main):
        result = run_main(info, args(sim, service="small-app", limit=0))
        assert_shape(info, result)
        assert result["failed"] is True
        assert result["msg"] == "limit: 0 is out of range; expected a whole number at least 1"
        assert result["builds"] == [] and result["service_sid"] is None
        assert result["stats"] == {"requests": 0, "pages": 0, "retries": 0} and sim.log() == []

    def test_bad_connection_option(self, sim, run_main):
        result = run_main(info, args(sim, service="small-app", retries=21))
        assert_shape(info, result)
        assert result["msg"] == "retries: 21 is out of range; expected a whole number at least 0 and at most 20"

    def test_api_failure_after_retries(self, sim, run_main):
        sim.fault("builds", {"status": 503, "times": -1})
        result = run_main(info, args(sim, service=SMALL, retries=1))
        assert_shape(info, result, failed_from_api=True)
        assert result["error"]["http_status"] == 503 and result["error"]["code"] == 20503
        assert result["error"]["more_info"] == "https://www.twilio.com/docs/errors/20503"
        assert result["error"]["request_id"].startswith("RQ")
        assert result["service_sid"] == SMALL and result["builds"] == []
        assert result["stats"] == {"requests": 2, "pages": 0, "retries": 1}

    def test_retries_that_ended_well_are_reported_once(self, sim, run_main):
        sim.fault("builds", {"status": 429, "retry_after": 0}, {"status": 429, "retry_after": 0},
                  {"status": 503, "retry_after": 0})
        result = run_main(info, args(sim, service=SMALL))
        assert_shape(info, result)
        assert warnings(result) == [u"3 requests were retried: 429 rate limit \u00d72, 503 \u00d71"]
        assert result["stats"]["retries"] == 3

    def test_unreadable_answer_is_one_line_not_a_traceback(self, sim, run_main):
        sim.fault("builds", {"json": {"builds": [{"sid": DONE, "date_created": 12}], "meta": {"key": "builds"}}})
        result = run_main(info, args(sim, service=SMALL, created_after="2020-01-01"))
        # A date that is not a string is not a match, not a crash.
        assert "failed" not in result and result["builds"] == []


class TestWaitMain:
    def test_success(self, sim, run_main):
        result = run_main(wait, args(sim, service="small-app", sids=[DONE]))
        assert_shape(wait, result)
        assert result["status"] == "completed" and result["polls"] == 1
        assert result["builds"][0]["build"]["sid"] == DONE
        # service, the history listing, one Status poll, the full build.
        assert result["stats"] == {"requests": 4, "retries": 0}

    def test_bad_option(self, sim, run_main):
        result = run_main(wait, args(sim, service="small-app", sids=[DONE], timeout=0))
        assert_shape(wait, result)
        assert result["msg"] == "timeout: 0.0 is out of range; expected seconds greater than 0 and at most 86400"
        assert (result["status"], result["elapsed"], result["polls"], result["builds"]) == (None, 0.0, 0, [])

    def test_infinite_whole_number(self, sim, run_main):
        result = run_main(wait, args(sim, service="small-app", sids=[DONE], retries="inf"))
        assert_shape(wait, result)
        assert result["msg"] == "retries: 'inf' is not a whole number; expected a finite whole number"

    def test_api_failure_while_polling(self, sim, run_main):
        sim.fault("build_status", {"status": 503, "times": -1})
        result = run_main(wait, args(sim, service=SMALL, sids=[DONE], retries=1))
        assert_shape(wait, result, failed_from_api=True)
        # 0.1.0 put the HTTP status in `status` and left out builds, polls and elapsed.
        assert result["status"] == "building" and result["error"]["http_status"] == 503
        assert result["builds"] == [{"sid": DONE, "status": None, "elapsed": result["builds"][0]["elapsed"],
                                     "polls": 0, "predicted_seconds": None, "build": {}}]

    def test_timeout(self, sim, run_main):
        sid = sim.builds(SMALL, {"ready_in": 60})[0]
        result = run_main(wait, args(sim, service=SMALL, sids=[sid], timeout=0.3, poll_interval=0.1))
        assert_shape(wait, result)
        assert result["msg"].startswith("Timed out after 0.3 s waiting for 1 of 1 builds of service %s: %s (last "
                                        "status building, " % (SMALL, sid))
        assert result["status"] == "building" and result["builds"][0]["status"] == "building"

    def test_failed_build(self, sim, run_main):
        result = run_main(wait, args(sim, service=SMALL, sids=[FAILED]))
        assert_shape(wait, result)
        assert result["status"] == "failed" and result["msg"].startswith("Build %s of service %s failed" % (FAILED, SMALL))
        assert result["builds"][0]["build"]["runtime"] == "node20"

    @pytest.mark.parametrize("fail_on_failed", [False])
    def test_failed_build_told_to_go_on(self, sim, run_main, fail_on_failed):
        result = run_main(wait, args(sim, service=SMALL, sids=[FAILED], fail_on_failed=fail_on_failed))
        assert_shape(wait, result)
        assert "failed" not in result and result["status"] == "failed" and len(warnings(result)) == 1
