# SPDX-License-Identifier: GPL-3.0-or-later
"""A client of a simulator of the test's own, for the release steps (they change what the simulator holds)."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ....conftest import ACCOUNT, TOKEN


def client_of(sim):
    return TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": sim.url,
                                                "retries": 3, "request_timeout": 5.0}), sleep=lambda s: None)


@pytest.fixture
def fresh_client(fresh_sim):
    made = client_of(fresh_sim)
    yield made
    made.close()
