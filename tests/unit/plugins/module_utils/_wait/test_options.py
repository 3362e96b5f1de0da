# SPDX-License-Identifier: GPL-3.0-or-later
"""The waiting options: one argument spec, the doc fragment that documents it, and their checks."""

import pytest
import yaml

from ansible_collections.twilio_community.serverless.plugins.doc_fragments.wait import ModuleDocFragment
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.options import (
    WAIT_ARGUMENT_SPEC,
    wait_options_from_params,
    WaitOptions,
)
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_wait


def test_the_fragment_documents_exactly_the_spec():
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert sorted(documented) == sorted(WAIT_ARGUMENT_SPEC)
    for name, spec in WAIT_ARGUMENT_SPEC.items():
        assert documented[name]["type"] == spec["type"], name
        assert documented[name]["default"] == spec["default"], name


def test_serverless_build_wait_takes_the_spec_unchanged():
    for name, spec in WAIT_ARGUMENT_SPEC.items():
        assert serverless_build_wait.ARGUMENT_SPEC[name] == spec
        assert serverless_build_wait.ARGUMENT_SPEC[name] is not spec  # a copy: AnsibleModule may change it


def test_defaults_when_left_out():
    assert wait_options_from_params({}) == WaitOptions(600.0, 1.0, 8.0, True, True)


def test_values_are_kept():
    params = dict(timeout=30, poll_interval=0.5, max_poll_interval=0.5, prediction=False, fail_on_failed=False)
    assert wait_options_from_params(params) == WaitOptions(30.0, 0.5, 0.5, False, False)


@pytest.mark.parametrize("params, message", [
    ({"timeout": 0.0}, "timeout: 0.0 is out of range; expected seconds greater than 0 and at most 86400"),
    ({"timeout": 86401.0}, "timeout: 86401.0 is out of range"),
    ({"poll_interval": -1.0}, "poll_interval: -1.0 is out of range"),
    ({"max_poll_interval": 3601.0}, "max_poll_interval: 3601.0 is out of range"),
    ({"poll_interval": 9.0}, "max_poll_interval: 8.0 is below poll_interval (9.0); expected at least poll_interval"),
])
def test_bad_values_name_the_option(params, message):
    with pytest.raises(OptionError) as info:
        wait_options_from_params(params)
    assert message in str(info.value)
