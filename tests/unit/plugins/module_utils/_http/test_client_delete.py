# SPDX-License-Identifier: GPL-3.0-or-later
"""TwilioClient.delete: a 204 with no body is success; retried after a 429 only, like every write."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ....conftest import ACCOUNT, TOKEN

PATH = "/v1/Services/ZS77777777777777777777777777777777"


@pytest.fixture
def delete_client(fresh_sim):
    made = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": fresh_sim.url,
                                                "retries": 3, "request_timeout": 5.0, "validate_certs": True}),
                        sleep=lambda s: None)
    yield fresh_sim, made
    made.close()


def test_a_204_is_an_empty_answer(delete_client):
    sim, client = delete_client
    assert client.delete(PATH, "service release-app") == {}
    assert client.stats()["writes"] == 1 and [e["status"] for e in sim.log()] == [204]


def test_a_429_is_retried_and_a_5xx_is_not(delete_client):
    sim, client = delete_client
    sim.fault("delete_service", {"status": 429}, {"status": 503})
    with pytest.raises(TwilioError) as info:
        client.delete(PATH, "service release-app")
    assert info.value.maybe_committed and info.value.http_status == 503
    assert [e["status"] for e in sim.log()] == [429, 503]


def test_a_404_is_an_error_the_caller_reads(delete_client):
    sim, client = delete_client
    client.delete(PATH, "service release-app")
    with pytest.raises(TwilioError) as info:
        client.delete(PATH, "service release-app")
    assert info.value.http_status == 404 and not info.value.maybe_committed
