# SPDX-License-Identifier: GPL-3.0-or-later
"""ISO 8601 parsing as users write dates and as Twilio sends them."""

import datetime

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.dates import (
    check_datetime,
    parse_datetime,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError

UTC = datetime.timezone.utc


@pytest.mark.parametrize("text, expected", [
    ("2026-11-24T08:00:00Z", datetime.datetime(2026, 11, 24, 8, 0, 0, tzinfo=UTC)),
    ("2026-11-24T09:00:00+01:00", datetime.datetime(2026, 11, 24, 8, 0, 0, tzinfo=UTC)),
    ("2026-11-24T07:30:00-0030", datetime.datetime(2026, 11, 24, 8, 0, 0, tzinfo=UTC)),
    ("2026-11-24 08:00:00.123456789", datetime.datetime(2026, 11, 24, 8, 0, 0, 123456, tzinfo=UTC)),
    ("2026-11-24", datetime.datetime(2026, 11, 24, tzinfo=UTC)),
    (" 2026-11-24T08:00z ", datetime.datetime(2026, 11, 24, 8, 0, tzinfo=UTC)),
])
def test_parses(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("value", [None, 12, "", "yesterday", "2026-13-01", "2026-02-30", "2026-11-24T08:00+24:00",
                                   "2026-11-24T25:00"])
def test_not_a_date_is_none(value):
    assert parse_datetime(value) is None


def test_check_datetime_names_the_option():
    with pytest.raises(OptionError) as info:
        check_datetime("soon", "created_after")
    assert str(info.value).startswith("created_after: 'soon' is not an ISO 8601 date-time; expected a value such as")
