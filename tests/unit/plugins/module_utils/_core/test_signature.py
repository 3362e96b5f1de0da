# SPDX-License-Identifier: GPL-3.0-or-later
"""The X-Twilio-Signature against the example Twilio publishes."""

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.signature import (
    signature,
    signed_text,
)

# The worked example of Twilio's webhook security guide, https://www.twilio.com/docs/usage/security#validating-requests
# (auth token 12345; the same vector is in twilio-python's and twilio-node's request validator tests).
TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234", "From": "+12349013030",
          "To": "+18005551212"}
EXPECTED = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_twilios_published_example():
    assert signature(TOKEN, URL, PARAMS) == EXPECTED


def test_the_order_given_does_not_matter_the_names_sort():
    shuffled = list(reversed(list(PARAMS.items())))
    assert signature(TOKEN, URL, shuffled) == EXPECTED
    assert signed_text(URL, shuffled) == (URL + "CallSidCA1234567890ABCDECaller+12349013030Digits1234From+12349013030"
                                          "To+18005551212")


def test_everything_signed_changes_it():
    assert signature("54321", URL, PARAMS) != EXPECTED
    assert signature(TOKEN, URL.replace("foo=1", "foo=2"), PARAMS) != EXPECTED
    assert signature(TOKEN, URL, dict(PARAMS, Digits="9999")) != EXPECTED
    assert signature(TOKEN, URL) != EXPECTED


def test_no_params_signs_the_url_alone():
    assert signed_text("https://a.twil.io/x") == "https://a.twil.io/x"
    assert signature(TOKEN, "https://a.twil.io/x", {}) == signature(TOKEN, "https://a.twil.io/x")
