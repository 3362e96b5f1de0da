# SPDX-License-Identifier: GPL-3.0-or-later
"""The serverless_builds lookup's filter options, checked before any request."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.lookup.serverless_builds import build_filter
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError

NONE = dict(status=None, runtime=None, created_after=None, created_before=None, limit=None)


def test_options_make_the_filter():
    wanted = build_filter(dict(NONE, status=["completed"], runtime=["node22"], created_after="2026-11-24"))
    assert wanted.active and wanted.statuses == frozenset(["completed"]) and wanted.runtimes == frozenset(["node22"])
    assert wanted.created_after.isoformat() == "2026-11-24T00:00:00+00:00"
    assert not build_filter(NONE).active


@pytest.mark.parametrize("options, message", [
    ({"limit": 0}, "limit: 0 is out of range; expected a whole number at least 1"),
    ({"created_before": "tomorrow"}, "created_before: 'tomorrow' is not an ISO 8601 date-time"),
    ({"runtime": ["node22", " "]}, "runtime: an empty runtime name matches no build; expected names such as node22"),
    ({"created_after": "2026-11-25", "created_before": "2026-11-24"}, "created_after: 2026-11-25T00:00:00+00:00 is "
                                                                      "not before created_before"),
])
def test_bad_options(options, message):
    with pytest.raises(OptionError) as info:
        build_filter(dict(NONE, **options))
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("options", [
    {"runtime": [""]}, {"limit": 0}, {"created_after": "soon"}, {"created_before": "2026-13-01"},
])
def test_the_module_refuses_the_same_with_the_same_message(options):
    """One check for both: serverless_build_info's check_params and the lookup's filter."""
    from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_info
    with pytest.raises(OptionError) as lookup_error:
        build_filter(dict(NONE, **options))
    params = dict(NONE, service="acme-ivr", sids=None, page_size=None, fields=None, **options)
    with pytest.raises(OptionError) as module_error:
        serverless_build_info.check_params(params)
    assert str(lookup_error.value) == str(module_error.value)
