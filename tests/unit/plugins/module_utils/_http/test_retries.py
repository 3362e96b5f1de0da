# SPDX-License-Identifier: GPL-3.0-or-later
"""Backoff and Retry-After parsing, with an injected random source."""

import email.utils

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._http.retries import (
    backoff_delay,
    parse_retry_after,
    RETRY_AFTER_CAP,
    retry_delay,
)


@pytest.mark.parametrize("attempt, low, high", [
    (0, 0.25, 0.5), (1, 0.5, 1.0), (2, 1.0, 2.0), (4, 4.0, 8.0), (10, 4.0, 8.0),
])
def test_backoff_bounds(attempt, low, high):
    assert backoff_delay(attempt, rand=lambda: 0.0) == low
    assert backoff_delay(attempt, rand=lambda: 0.999999) == pytest.approx(high, rel=1e-5)


@pytest.mark.parametrize("value, expected", [("0", 0.0), ("2", 2.0), (" 7 ", 7.0), ("3600", RETRY_AFTER_CAP),
                                             ("", None), (None, None), ("soon", None), ("-1", None), ("1.5", None)])
def test_parse_retry_after_seconds(value, expected):
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date():
    now = 1_700_000_000.0
    header = email.utils.formatdate(now + 12, usegmt=True)
    assert parse_retry_after(header, now=now) == 12.0
    assert parse_retry_after(email.utils.formatdate(now - 50, usegmt=True), now=now) == 0.0


def test_retry_delay_prefers_server():
    assert retry_delay(3, "1", rand=lambda: 0.0) == 1.0
    assert retry_delay(3, None, rand=lambda: 0.0) == 2.0
