# SPDX-License-Identifier: GPL-3.0-or-later
"""The module plumbing: infinite whole numbers, and one failure shape."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import fail, set_aside_infinite_ints


def test_infinite_whole_numbers_are_set_aside():
    spec = {"limit": {"type": "int"}, "retries": {"type": "int"}, "timeout": {"type": "float"}, "name": {}}
    params = {"limit": "inf", "retries": 3, "timeout": "inf", "name": "-Infinity"}
    assert set_aside_infinite_ints(spec, params) == [("limit", "inf")]
    assert params == {"retries": 3, "timeout": "inf", "name": "-Infinity"}


class Module:
    def fail_json(self, **result):
        raise SystemExit(result)


def test_api_failure_details_go_under_error():
    err = TwilioError("Twilio answered HTTP 503", http_status=503, code=20503, more_info="https://x", request_id="RQ1")
    with pytest.raises(SystemExit) as info:
        fail(Module(), err, {"status": "building", "builds": []})
    assert info.value.args[0] == {"msg": "Twilio answered HTTP 503", "status": "building", "builds": [],
                                  "error": {"http_status": 503, "code": 20503, "more_info": "https://x",
                                            "request_id": "RQ1"}}


def test_option_failure_has_no_error_key():
    with pytest.raises(SystemExit) as info:
        fail(Module(), OptionError("limit", "0 is out of range"), {"builds": []})
    assert info.value.args[0] == {"msg": "limit: 0 is out of range", "builds": []}
