# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures shared by the unit tests: the simulator on 127.0.0.1, and connections to it."""

import json
import os
import sys
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SIMULATOR_DIR = os.path.join(os.path.dirname(HERE), "simulator")
sys.path.insert(0, SIMULATOR_DIR)

from twilio_sim import SimulatorServer  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.twilio_community.serverless.plugins.module_utils._options import (  # noqa: E402
    connection_from_params,
)

SEED = os.path.join(SIMULATOR_DIR, "seeds", "test.json")
SPEC = os.path.join(SIMULATOR_DIR, "spec", "twilio_serverless_v1.json")
ACCOUNT = "AC11111111111111111111111111111111"
TOKEN = "tok-7f3e9c1d5b2a4e6f8a0b"
API_KEY = "SK22222222222222222222222222222222"
API_SECRET = "sec-4c8e2a6f0d1b3e5a7c9d"
BIG = "ZS33333333333333333333333333333333"
SMALL = "ZS44444444444444444444444444444444"
EMPTY = "ZS55555555555555555555555555555555"


class Sim:
    """A running simulator plus helpers to drive its control API."""

    def __init__(self, server):
        self.server = server
        self.url = server.base_url

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read().decode())

    def fault(self, route, *faults):
        self.control("POST", "/__sim/faults", {"route": route, "faults": list(faults)})

    def builds(self, service, *specs):
        return self.control("POST", "/__sim/builds", {"service": service, "builds": list(specs)})["sids"]

    def log(self):
        return self.server.log_snapshot()

    def api_log(self):
        return [e for e in self.log() if e["route"] != "control"]


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a load test that takes more than a few seconds")


@pytest.fixture(scope="session")
def sim_server():
    server = SimulatorServer(seed=SEED).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sim(sim_server):
    """The shared simulator, with its log and faults cleared for each test."""
    sim_server.faults.clear()
    sim_server.clear_log()
    yield Sim(sim_server)
    sim_server.faults.clear()


@pytest.fixture
def connect_params(sim):
    def make(**overrides):
        params = {"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": sim.url, "retries": 5,
                  "request_timeout": 5.0, "validate_certs": True}
        params.update(overrides)
        return params
    return make


@pytest.fixture
def connection(connect_params):
    def make(**overrides):
        return connection_from_params(connect_params(**overrides))
    return make
