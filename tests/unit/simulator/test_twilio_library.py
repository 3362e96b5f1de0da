# SPDX-License-Identifier: GPL-3.0-or-later
"""The official twilio Python library works against the simulator, as against Twilio."""

from twilio.rest import Client

from ..conftest import ACCOUNT, BIG, SMALL, TOKEN


def test_list_and_page_builds(sim):
    client = Client(ACCOUNT, TOKEN)
    client.serverless.base_url = sim.url
    builds = client.serverless.v1.services(BIG).builds.list(page_size=1000)
    assert len(builds) == 2500 and len({b.sid for b in builds}) == 2500
    assert len(sim.log()) == 3


def test_fetch_build_and_status(sim):
    client = Client(ACCOUNT, TOKEN)
    client.serverless.base_url = sim.url
    build = client.serverless.v1.services(SMALL).builds("ZB00000000000000000000000000000002").fetch()
    assert build.status == "failed" and build.runtime == "node20"
    status = client.serverless.v1.services("small-app").builds("ZB00000000000000000000000000000001") \
        .build_status().fetch()
    assert status.status == "completed"
