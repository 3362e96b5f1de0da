# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures shared by the unit tests: the simulator on 127.0.0.1, and connections to it."""

import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SIMULATOR_DIR = os.path.join(os.path.dirname(HERE), "simulator")
sys.path.insert(0, SIMULATOR_DIR)

from twilio_sim import SimulatorServer  # noqa: E402  pylint: disable=wrong-import-position
from twilio_sim.launcher import TEST_SEED, credentials  # noqa: E402  pylint: disable=wrong-import-position
from twilio_sim.control import Control  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

SEED = TEST_SEED
SPEC = os.path.join(SIMULATOR_DIR, "spec", "twilio_serverless_v1.json")
_CREDENTIALS = credentials(SEED)
ACCOUNT = _CREDENTIALS["account_sid"]
TOKEN = _CREDENTIALS["auth_token"]
API_KEY = _CREDENTIALS["api_key"]
API_SECRET = _CREDENTIALS["api_secret"]
# The test seed's subaccounts of ACCOUNT: active (with the service north-hotline), suspended, closed.
NORTH = "ACa0000000000000000000000000000001"
SOUTH = "ACa0000000000000000000000000000002"
EAST = "ACa0000000000000000000000000000003"
OTHER_ACCOUNT = "AC99999999999999999999999999999999"
BIG = "ZS33333333333333333333333333333333"
SMALL = "ZS44444444444444444444444444444444"
EMPTY = "ZS55555555555555555555555555555555"


def seed_token(account_sid, seed=SEED):
    """An account's auth token in the seed: what a test looks for in output, never what it sends."""
    with open(seed, encoding="utf-8") as handle:
        return next(a["auth_token"] for a in json.load(handle)["accounts"] if a["sid"] == account_sid)


def pytest_configure(config):
    # Here, not in a folder's conftest: ansible-test runs each folder of tests/unit on its own, with
    # --strict-markers, and a test of one folder may import another's.
    config.addinivalue_line("markers", "slow: a load test that takes more than a few seconds")


class Sim(Control):
    """A running simulator, its control API, and its request log read in-process."""

    def __init__(self, server):
        super().__init__(server.base_url)
        self.server = server

    def builds(self, service, *specs):  # pylint: disable=arguments-differ
        return super().builds(service, specs)

    def log(self):
        return self.server.log_snapshot()


@pytest.fixture(scope="session")
def sim_server():
    server = SimulatorServer(seed=SEED).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fresh_sim():
    """A simulator of its own, for a test that changes state others read (deployments, environments)."""
    server = SimulatorServer(seed=SEED).start()
    try:
        yield Sim(server)
    finally:
        server.stop()


@pytest.fixture
def sim(sim_server):
    """The shared simulator, with its log and faults cleared for each test, answering as the spec's examples."""
    sim_server.faults.clear()
    sim_server.set_variants()
    sim_server.clear_log()
    yield Sim(sim_server)
    sim_server.faults.clear()
    sim_server.set_variants()
    sim_server.concurrency.set_limit(0)


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


class FakeClock:
    """A monotonic clock that moves only when slept on: waits are tested in exact numbers."""

    def __init__(self, start=1000.0):
        self.now = start
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def client(connection):
    made = TwilioClient(connection(), sleep=lambda s: None)
    yield made
    made.close()


def _patched_args(args):
    """A context manager giving AnsibleModule ``args``, on every ansible-core this collection supports."""
    try:
        from ansible.module_utils.testing import patch_module_args  # ansible-core 2.19 and later
        return patch_module_args(args)
    except ImportError:
        import contextlib
        import json

        from ansible.module_utils import basic
        from ansible.module_utils.common.text.converters import to_bytes

        @contextlib.contextmanager
        def patched():
            saved = getattr(basic, "_ANSIBLE_ARGS", None)
            basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
            try:
                yield
            finally:
                basic._ANSIBLE_ARGS = saved
        return patched()


@pytest.fixture
def run_main(capsys):
    """Drive a module's main() through a real AnsibleModule; return the result it printed."""
    import json

    def run(module, args):
        from ansible.module_utils.common import warnings
        # Warnings are kept per process; each module run here must start with none.
        warnings._global_warnings.clear()
        # ansible-core 2.19+ sends module warnings to the controller's display once any controller code (a
        # lookup test, say) was imported into this process; a module process has none, so pretend likewise.
        try:
            from ansible.module_utils import _internal
        except ImportError:
            _internal = None
        was = getattr(_internal, "is_controller", None)
        if was is not None:
            _internal.is_controller = False
        try:
            with _patched_args(args):
                with pytest.raises(SystemExit):
                    module.main()
        finally:
            if was is not None:
                _internal.is_controller = was
        return json.loads(capsys.readouterr().out)
    return run


def secret_parts(value, size=8):
    """Every run of ``size`` characters of ``value`` holding two digits or more (the whole value when shorter):
    a message quoting a secret's first characters leaks it too, and a run of letters alone ("-secret-") could
    be any word."""
    if len(value) <= size:
        return [value]
    runs = [value[i:i + size] for i in range(len(value) - size + 1)]
    return [run for run in runs if sum(c.isdigit() for c in run) >= 2]


def assert_no_secret(text, *values):
    """Fail when ``text`` holds any of ``values``, whole or in part (see secret_parts)."""
    for value in values:
        shown = [part for part in secret_parts(value) if part in text]
        assert not shown, "a secret shows (%d of its characters): %r" % (len(shown[0]), text)
